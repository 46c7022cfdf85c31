/**
 * HTTP Digest access authentication (RFC 7616; MD5 and SHA-256, qop=auth): the answer our clients
 * send, and the check the simulated cameras (HTTP and RTSP) make of it. One formula for both, pinned
 * by the RFC's own examples in tests/onvif/auth.test.ts.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export interface Credentials {
  readonly username: string;
  readonly password: string;
}

export interface DigestChallenge {
  readonly realm: string;
  readonly nonce: string;
  readonly qop: string | null;
  readonly algorithm: 'MD5' | 'SHA-256';
  readonly opaque: string | null;
}

/** Parses the first Digest challenge of a WWW-Authenticate header; null when none we support. */
export const parseDigestChallenge = (header: string | readonly string[] | undefined): DigestChallenge | null => {
  const values = header === undefined ? [] : typeof header === 'string' ? [header] : header;
  // Prefer SHA-256 when a device offers both (RFC 7616 section 3.7).
  const parsed = values.map(parseOne).filter((c): c is DigestChallenge => c !== null);
  return parsed.find((c) => c.algorithm === 'SHA-256') ?? parsed[0] ?? null;
};

/**
 * The auth-params of a `Digest ...` header value (a challenge or an Authorization), names in lower
 * case (RFC 7235 section 2.1), quoted values unescaped; null when the scheme is not Digest.
 */
export const parseDigestParams = (value: string): ReadonlyMap<string, string> | null => {
  const m = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!m?.[1]) return null;
  const params = new Map<string, string>();
  const re = /([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/gi;
  for (const p of m[1].matchAll(re)) {
    const key = p[1];
    if (key) params.set(key.toLowerCase(), (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1'));
  }
  return params;
};

const parseOne = (value: string): DigestChallenge | null => {
  const params = parseDigestParams(value);
  const realm = params?.get('realm');
  const nonce = params?.get('nonce');
  if (!params || realm === undefined || nonce === undefined) return null;
  const algo = (params.get('algorithm') ?? 'MD5').toUpperCase();
  if (algo !== 'MD5' && algo !== 'SHA-256') return null;
  const offered = params.get('qop');
  const qop = (offered ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : null;
  if (offered !== undefined && qop === null) return null;
  return { realm, nonce, qop, algorithm: algo, opaque: params.get('opaque') ?? null };
};

const hash = (algorithm: DigestChallenge['algorithm'], text: string): string =>
  createHash(algorithm === 'MD5' ? 'md5' : 'sha256').update(text, 'utf8').digest('hex');

export interface DigestInput {
  readonly challenge: DigestChallenge;
  readonly method: string;
  readonly uri: string;
  readonly username: string;
  readonly password: string;
  readonly cnonce?: string;
  readonly nc?: number;
}

/** RFC 7616 section 3.4.1; `qop` null is RFC 2069's form (RTSP cameras still use it). `nc` as sent: 8 hex digits. */
const responseOf = (algorithm: DigestChallenge['algorithm'], p: { readonly username: string; readonly realm: string; readonly password: string; readonly method: string; readonly uri: string; readonly nonce: string; readonly qop: string | null; readonly nc: string; readonly cnonce: string }): string => {
  const ha1 = hash(algorithm, `${p.username}:${p.realm}:${p.password}`);
  const ha2 = hash(algorithm, `${p.method}:${p.uri}`);
  return p.qop ? hash(algorithm, `${ha1}:${p.nonce}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`) : hash(algorithm, `${ha1}:${p.nonce}:${ha2}`);
};

const ncHex = (nc: number): string => nc.toString(16).padStart(8, '0');

/** The `response` value of RFC 7616 section 3.4.1. */
export const digestResponse = (input: DigestInput & { readonly cnonce: string; readonly nc: number }): string => {
  const { challenge: c } = input;
  return responseOf(c.algorithm, { ...input, realm: c.realm, nonce: c.nonce, qop: c.qop, nc: ncHex(input.nc) });
};

/** A complete `Authorization: Digest ...` header value. */
export const digestAuthorization = (input: DigestInput): string => {
  const cnonce = input.cnonce ?? randomBytes(16).toString('hex');
  const nc = input.nc ?? 1;
  const c = input.challenge;
  const q = (s: string): string => `"${s.replace(/(["\\])/g, '\\$1')}"`;
  const parts = [
    `username=${q(input.username)}`,
    `realm=${q(c.realm)}`,
    `uri=${q(input.uri)}`,
    `algorithm=${c.algorithm}`,
    `nonce=${q(c.nonce)}`,
    ...(c.qop ? [`nc=${ncHex(nc)}`, `cnonce=${q(cnonce)}`, `qop=${c.qop}`] : []),
    `response=${q(digestResponse({ ...input, cnonce, nc }))}`,
    ...(c.opaque !== null ? [`opaque=${q(c.opaque)}`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
};

/**
 * The server's side, for the simulated cameras (which challenge with MD5, as most cameras do):
 * whether the Authorization's `response` is the one `password` gives for this method, computed from
 * the answer's own fields (qop=auth when it names qop, nc and cnonce; RFC 2069's form otherwise).
 * The caller checks username, realm and that it issued the nonce.
 */
export const digestAnswerMatches = (answer: ReadonlyMap<string, string>, method: string, password: string): boolean => {
  const get = (k: string): string => answer.get(k) ?? '';
  const qop = get('qop') === 'auth' && get('cnonce') !== '' && get('nc') !== '' ? 'auth' : null;
  const expected = Buffer.from(responseOf('MD5', { username: get('username'), realm: get('realm'), password, method, uri: get('uri'), nonce: get('nonce'), qop, nc: get('nc'), cnonce: get('cnonce') }));
  const given = Buffer.from(get('response'));
  return given.length === expected.length && timingSafeEqual(given, expected);
};
