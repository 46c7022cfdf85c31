/**
 * RTSP/1.0 message heads (RFC 2326 6-7) and the authentication the stream gate answers for ffmpeg
 * (RFC 2617 Basic and Digest, RFC 7616's SHA-256). No I/O.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Credentials } from './uri.js';

/** A request or response head: its first line and its header fields, in order (names as sent). */
export interface RtspHead {
  readonly start: string;
  readonly headers: readonly (readonly [string, string])[];
}

/** Parses a head without its terminating empty line; null when a header line has no colon. */
export const parseHead = (text: string): RtspHead | null => {
  const [start = '', ...lines] = text.split('\r\n');
  const headers: [string, string][] = [];
  for (const line of lines) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { start, headers };
};

export const headerValues = (head: RtspHead, name: string): string[] =>
  head.headers.filter(([k]) => k.toLowerCase() === name.toLowerCase()).map(([, v]) => v);

export const headerValue = (head: RtspHead, name: string): string | undefined => headerValues(head, name)[0];

/** The head with `name` set (replacing every earlier field of that name), or removed when `value` is null. */
export const withHeader = (head: RtspHead, name: string, value: string | null): RtspHead => {
  const kept = head.headers.filter(([k]) => k.toLowerCase() !== name.toLowerCase());
  return { start: head.start, headers: value === null ? kept : [...kept, [name, value]] };
};

export const serialiseHead = (head: RtspHead): string => `${[head.start, ...head.headers.map(([k, v]) => `${k}: ${v}`)].join('\r\n')}\r\n\r\n`;

/** `RTSP/1.0 302 Moved` -> 302; null when the line is not a status line. */
export const statusOf = (head: RtspHead): number | null => {
  const m = /^RTSP\/\d\.\d (\d{3})(?: |$)/.exec(head.start);
  return m?.[1] ? Number(m[1]) : null;
};

/** `DESCRIBE rtsp://h/p RTSP/1.0` -> its parts; null when the line is not a request line. */
export const requestLine = (head: RtspHead): { readonly method: string; readonly uri: string; readonly version: string } | null => {
  const m = /^([A-Z_]+) (\S+) (RTSP\/\d\.\d)$/.exec(head.start);
  return m?.[1] && m[2] && m[3] ? { method: m[1], uri: m[2], version: m[3] } : null;
};

export interface Challenge {
  readonly scheme: string;
  readonly params: ReadonlyMap<string, string>;
}

/** The challenges of WWW-Authenticate fields (several per field are split at each scheme name). */
export const parseChallenges = (values: readonly string[]): Challenge[] =>
  values.flatMap((v) =>
    v
      .split(/,?\s*(?=\b(?:Basic|Digest)\b(?:\s|$))/i)
      .map((c) => c.trim())
      .filter((c) => c.length > 0)
      .map((c) => {
        const [scheme = '', ...rest] = c.split(/\s+/);
        const params = new Map<string, string>();
        for (const p of rest.join(' ').matchAll(/([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g)) {
          if (p[1]) params.set(p[1].toLowerCase(), p[2] ?? p[3] ?? '');
        }
        return { scheme: scheme.toLowerCase(), params };
      }),
  );

const DIGEST_HASHES: Readonly<Record<string, string>> = { md5: 'md5', 'sha-256': 'sha256' };

/** Whether this camaudit can answer a Digest challenge (its algorithm, and qop `auth` or none). */
export const answerableDigest = (c: Challenge): boolean => {
  if (c.scheme !== 'digest' || !c.params.get('nonce')) return false;
  const qop = c.params.get('qop');
  return (c.params.get('algorithm') ?? 'md5').toLowerCase() in DIGEST_HASHES && (qop === undefined || qop.split(',').some((q) => q.trim() === 'auth'));
};

/** The Authorization value answering a Digest challenge for one request (nonce count `nc`). */
export const digestAuthorization = (c: Challenge, creds: Credentials, method: string, uri: string, nc: number, cnonce = randomBytes(8).toString('hex')): string => {
  const algorithm = c.params.get('algorithm') ?? 'MD5';
  const hash = (s: string): string => createHash(DIGEST_HASHES[algorithm.toLowerCase()] ?? 'md5').update(s, 'utf8').digest('hex');
  const realm = c.params.get('realm') ?? '';
  const nonce = c.params.get('nonce') ?? '';
  const ha1 = hash(`${creds.user}:${realm}:${creds.password}`);
  const ha2 = hash(`${method}:${uri}`);
  const quote = (s: string): string => s.replace(/["\\]/g, '\\$&');
  const fields = [`username="${quote(creds.user)}"`, `realm="${quote(realm)}"`, `nonce="${quote(nonce)}"`, `uri="${quote(uri)}"`];
  if (c.params.has('qop')) {
    const count = nc.toString(16).padStart(8, '0');
    fields.push(`response="${hash(`${ha1}:${nonce}:${count}:${cnonce}:auth:${ha2}`)}"`, 'qop=auth', `nc=${count}`, `cnonce="${cnonce}"`);
  } else fields.push(`response="${hash(`${ha1}:${nonce}:${ha2}`)}"`);
  if (c.params.has('algorithm')) fields.push(`algorithm=${algorithm}`);
  const opaque = c.params.get('opaque');
  if (opaque !== undefined) fields.push(`opaque="${quote(opaque)}"`);
  return `Digest ${fields.join(', ')}`;
};

export const basicAuthorization = (creds: Credentials): string => `Basic ${Buffer.from(`${creds.user}:${creds.password}`, 'utf8').toString('base64')}`;
