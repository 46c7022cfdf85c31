/** HTTP Digest access authentication (RFC 7616; MD5 and SHA-256, qop=auth). */
import { createHash, randomBytes } from 'node:crypto';

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

const parseOne = (value: string): DigestChallenge | null => {
  const m = /^\s*Digest\s+(.*)$/is.exec(value);
  if (!m?.[1]) return null;
  const params: Record<string, string> = {};
  const re = /([a-z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]*))/gi;
  for (const p of m[1].matchAll(re)) {
    const key = p[1];
    if (key) params[key.toLowerCase()] = (p[2] ?? p[3] ?? '').replace(/\\(.)/g, '$1');
  }
  const { realm, nonce } = params;
  if (realm === undefined || nonce === undefined) return null;
  const algo = (params.algorithm ?? 'MD5').toUpperCase();
  if (algo !== 'MD5' && algo !== 'SHA-256') return null;
  const qops = (params.qop ?? '').split(',').map((q) => q.trim());
  const qop = qops.includes('auth') ? 'auth' : null;
  if (params.qop !== undefined && qop === null) return null;
  return { realm, nonce, qop, algorithm: algo, opaque: params.opaque ?? null };
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

/** The `response` value of RFC 7616 section 3.4.1. */
export const digestResponse = (input: DigestInput & { readonly cnonce: string; readonly nc: number }): string => {
  const { challenge: c } = input;
  const ha1 = hash(c.algorithm, `${input.username}:${c.realm}:${input.password}`);
  const ha2 = hash(c.algorithm, `${input.method}:${input.uri}`);
  const ncHex = input.nc.toString(16).padStart(8, '0');
  return c.qop
    ? hash(c.algorithm, `${ha1}:${c.nonce}:${ncHex}:${input.cnonce}:${c.qop}:${ha2}`)
    : hash(c.algorithm, `${ha1}:${c.nonce}:${ha2}`);
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
    ...(c.qop ? [`nc=${nc.toString(16).padStart(8, '0')}`, `cnonce=${q(cnonce)}`, `qop=${c.qop}`] : []),
    `response=${q(digestResponse({ ...input, cnonce, nc }))}`,
    ...(c.opaque !== null ? [`opaque=${q(c.opaque)}`] : []),
  ];
  return `Digest ${parts.join(', ')}`;
};
