/**
 * Authentication as real cameras do it: WS-UsernameToken PasswordDigest checked against the camera's own
 * clock (ONVIF Core §5.12: Created within a window, nonces not replayed), or HTTP Digest (RFC 7616, MD5,
 * qop=auth) for clients without WS-Security and for the vendor HTTP APIs.
 */
import { createHash, randomBytes } from 'node:crypto';
import { digestAnswerMatches, parseDigestParams, type Credentials } from '../http/digest.js';
import type { UsernameToken } from './soap.js';

/** Real devices accept a few minutes of drift; ±5 min is the common firmware default. */
export const CREATED_WINDOW_MS = 5 * 60_000;
/** Remembered nonces are forgotten once their Created time can no longer pass the window. */
const NONCE_MEMORY_MS = 2 * CREATED_WINDOW_MS;
const NONCE_MEMORY_MAX = 10_000;
const DIGEST_NONCE_TTL_MS = 5 * 60_000;

export const REALM = 'IP Camera(simulated)';

const PASSWORD_DIGEST_TYPE = 'PasswordDigest';

export type AuthVerdict = 'ok' | 'bad-credentials' | 'stale' | 'replay';

/** sha1(nonce + created + password) over UTF-8 bytes, base64 — the ONVIF/WSS digest. */
export const usernameTokenDigest = (nonce: Uint8Array, created: string, password: string): string =>
  createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');

/** Per-camera authentication state: seen WS nonces and issued HTTP digest nonces. */
export class CameraAuth {
  private readonly seenNonces = new Map<string, number>();
  private readonly issuedNonces = new Map<string, number>();

  constructor(
    private readonly creds: () => Credentials,
    /** The camera's clock, ms since epoch. */
    private readonly nowMs: () => number,
  ) {}

  checkUsernameToken(token: UsernameToken): AuthVerdict {
    const { username, password } = this.creds();
    if (!token.passwordType.endsWith(PASSWORD_DIGEST_TYPE) || token.username !== username) return 'bad-credentials';
    const nonce = Buffer.from(token.nonceBase64, 'base64');
    if (nonce.length === 0 || usernameTokenDigest(nonce, token.created, password) !== token.password) {
      return 'bad-credentials';
    }
    const createdMs = Date.parse(token.created);
    const now = this.nowMs();
    if (!Number.isFinite(createdMs) || Math.abs(now - createdMs) > CREATED_WINDOW_MS) return 'stale';
    this.forgetOld(this.seenNonces, now, NONCE_MEMORY_MS);
    if (this.seenNonces.has(token.nonceBase64)) return 'replay';
    if (this.seenNonces.size >= NONCE_MEMORY_MAX) {
      const oldest = this.seenNonces.keys().next();
      if (!oldest.done) this.seenNonces.delete(oldest.value);
    }
    this.seenNonces.set(token.nonceBase64, now);
    return 'ok';
  }

  /** A fresh `WWW-Authenticate` value. */
  challenge(): string {
    const now = this.nowMs();
    this.forgetOld(this.issuedNonces, now, DIGEST_NONCE_TTL_MS);
    const nonce = randomBytes(16).toString('hex');
    this.issuedNonces.set(nonce, now);
    return `Digest realm="${REALM}", qop="auth", nonce="${nonce}", algorithm=MD5, stale="FALSE"`;
  }

  /** Verify an `Authorization: Digest ...` header for this request. */
  checkHttpDigest(header: string | undefined, method: string): AuthVerdict {
    const p = parseDigestParams(header ?? '');
    const { username, password } = this.creds();
    const nonce = p?.get('nonce');
    if (!p || p.get('username') !== username || p.get('realm') !== REALM || !nonce || !p.get('uri') || !p.get('response')) return 'bad-credentials';
    if (!this.issuedNonces.has(nonce)) return 'stale';
    return digestAnswerMatches(p, method, password) ? 'ok' : 'bad-credentials';
  }

  private forgetOld(map: Map<string, number>, now: number, ttlMs: number): void {
    for (const [k, at] of map) {
      if (Math.abs(now - at) <= ttlMs) break;
      map.delete(k);
    }
  }
}
