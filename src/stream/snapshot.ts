/**
 * Snapshot URI fallback (ONVIF GetSnapshotUri, vendor JPEG URLs): one HTTP GET on the shared HTTP
 * client (src/http: total deadline, running byte cap, no redirects, Digest per RFC 7616), then a
 * dimension check from the image header before any pixel is decoded.
 */
import type { ProbeError } from '../core/errors.js';
import { authenticatedExchange } from '../http/authenticated-exchange.js';
import { err, type Result } from '../core/result.js';
import type { RgbFrame } from './detector.js';
import { decodeImage, MAX_IMAGE_PIXELS } from './image.js';
import { redactText, splitCredentials, type Credentials } from './uri.js';

export interface SnapshotOptions {
  readonly credentials?: Credentials;
  readonly timeoutMs?: number;
  readonly maxBytes?: number;
  readonly maxPixels?: number;
  readonly signal?: AbortSignal;
}

const DEFAULT_MAX_BYTES = 16 * 1024 * 1024;

export const fetchSnapshot = async (rawUrl: string, opts: SnapshotOptions = {}): Promise<Result<RgbFrame, ProbeError>> => {
  const split = splitCredentials(rawUrl);
  if (!split.ok) return split;
  const { uri, credentials } = split.value;
  const creds = opts.credentials ?? credentials;
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return err({ kind: 'policy', message: `snapshot URI is not a URL: ${uri.slice(0, 120)}` });
  }
  if (url.protocol !== 'http:') return err({ kind: 'unsupported', action: 'snapshot', message: `only http snapshot URIs are fetched, not ${url.protocol}` });
  const { exchange: reply } = await authenticatedExchange({
    url,
    method: 'GET',
    headers: {},
    timeoutMs: opts.timeoutMs ?? 5000,
    maxResponseBytes: opts.maxBytes ?? DEFAULT_MAX_BYTES,
    ...(opts.signal ? { signal: opts.signal } : {}),
    ...(creds ? { credentials: { username: creds.user, password: creds.password } } : {}),
    // Snapshot URLs are plain camera web endpoints; one that offers only Basic still gets an answer.
    allowBasic: true,
  });
  if (reply.error) return err({ ...reply.error, message: redactText(`snapshot ${uri}: ${reply.error.message}`, creds ? [creds.password] : []) });
  if (reply.status === 401) return err({ kind: 'auth', message: `snapshot ${uri}: 401 ${creds ? 'credentials refused' : 'credentials required'}` });
  if (reply.status !== 200) return err({ kind: 'transport', reason: 'http-status', httpStatus: reply.status ?? 0, message: `snapshot ${uri}: HTTP ${reply.status ?? 'none'}` });
  return decodeImage(reply.body, opts.maxPixels ?? MAX_IMAGE_PIXELS);
};
