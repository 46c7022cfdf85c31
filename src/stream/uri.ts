import { decodeError, type DecodeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';

/** Credential handling for stream URIs: passwords never reach logs, errors or StreamFacts. */

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

/** Replaces any user:password@ in URLs inside `text` (also mid-sentence, as in ffmpeg's stderr). */
export const redactUri = (text: string): string => text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1***@');

/** Redacts URL userinfo and every literal occurrence of the given secrets. */
export const redactText = (text: string, secrets: readonly string[] = []): string => {
  let out = redactUri(text);
  for (const s of secrets) if (s.length > 0) out = out.split(s).join('***');
  return out;
};

/**
 * Splits credentials embedded in a URI out of it, so only the bare URI is ever shown. A malformed escape in
 * the userinfo (`%zz`, from a device) is an error value; it carries no excerpt, as that is where a password is.
 */
export const splitCredentials = (
  uri: string,
): Result<{ readonly uri: string; readonly credentials: Credentials | undefined }, DecodeError> => {
  let u: URL;
  try {
    u = new URL(uri);
  } catch {
    return ok({ uri: redactUri(uri), credentials: undefined });
  }
  if (!u.username && !u.password) return ok({ uri, credentials: undefined });
  let credentials: Credentials;
  try {
    credentials = { user: decodeURIComponent(u.username), password: decodeURIComponent(u.password) };
  } catch {
    return err(decodeError('uri', 'malformed percent-encoding in the credentials of the stream URI'));
  }
  u.username = '';
  u.password = '';
  return ok({ uri: u.toString(), credentials });
};
