/**
 * Snapshot URI fallback (ONVIF GetSnapshotUri, vendor JPEG URLs): one HTTP GET, Digest auth when the
 * camera asks for it (RFC 7616, MD5 with qop=auth as cameras implement it), a running size cap, a
 * total deadline, and a dimension check from the header before decoding.
 */
import { createHash, randomBytes } from 'node:crypto';
import http from 'node:http';
import type { ProbeError } from '../core/errors.js';
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

interface Reply {
  readonly status: number;
  readonly authenticate: string;
  readonly body: Uint8Array;
}

const md5 = (s: string): string => createHash('md5').update(s, 'utf8').digest('hex');

/** The Authorization header answering a Digest challenge, or null when the challenge is not Digest. */
export const digestAuthorization = (challenge: string, creds: Credentials, method: string, path: string, cnonce = randomBytes(8).toString('hex')): string | null => {
  if (!/^Digest\s/i.test(challenge)) return null;
  const params: Record<string, string> = {};
  for (const m of challenge.slice(7).matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]*))/g)) if (m[1]) params[m[1].toLowerCase()] = m[2] ?? m[3] ?? '';
  const realm = params.realm ?? '';
  const nonce = params.nonce ?? '';
  const qop = (params.qop ?? '').split(',').map((q) => q.trim()).includes('auth') ? 'auth' : null;
  const ha1 = md5(`${creds.user}:${realm}:${creds.password}`);
  const ha2 = md5(`${method}:${path}`);
  const nc = '00000001';
  const response = qop ? md5(`${ha1}:${nonce}:${nc}:${cnonce}:${qop}:${ha2}`) : md5(`${ha1}:${nonce}:${ha2}`);
  const fields = [`username="${creds.user}"`, `realm="${realm}"`, `nonce="${nonce}"`, `uri="${path}"`, `response="${response}"`, 'algorithm=MD5'];
  if (qop) fields.push(`qop=${qop}`, `nc=${nc}`, `cnonce="${cnonce}"`);
  if (params.opaque !== undefined) fields.push(`opaque="${params.opaque}"`);
  return `Digest ${fields.join(', ')}`;
};

const get = (url: URL, headers: Record<string, string>, maxBytes: number, signal: AbortSignal): Promise<Result<Reply, ProbeError>> =>
  new Promise((resolve) => {
    const req = http.get(url, { headers, signal }, (res) => {
      const chunks: Buffer[] = [];
      let total = 0;
      const declared = Number(res.headers['content-length'] ?? 0);
      if (declared > maxBytes) {
        req.destroy();
        resolve(err({ kind: 'transport', reason: 'too-large', message: `snapshot declares ${declared} bytes, over ${maxBytes}` }));
        return;
      }
      res.on('data', (c: Buffer) => {
        total += c.length;
        if (total > maxBytes) {
          req.destroy();
          resolve(err({ kind: 'transport', reason: 'too-large', message: `snapshot exceeded ${maxBytes} bytes` }));
          return;
        }
        chunks.push(c);
      });
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({ ok: true, value: { status: res.statusCode ?? 0, authenticate: String(res.headers['www-authenticate'] ?? ''), body: new Uint8Array(body) } });
      });
      res.on('error', (e) => resolve(err({ kind: 'transport', reason: 'reset', message: e.message })));
    });
    req.on('error', (e: NodeJS.ErrnoException) => {
      const reason = signal.aborted ? 'timeout' : e.code === 'ECONNREFUSED' ? 'refused' : e.code === 'ECONNRESET' ? 'reset' : 'other';
      resolve(err({ kind: 'transport', reason, message: e.message }));
    });
  });

export const fetchSnapshot = async (rawUrl: string, opts: SnapshotOptions = {}): Promise<Result<RgbFrame, ProbeError>> => {
  const { uri, credentials } = splitCredentials(rawUrl);
  const creds = opts.credentials ?? credentials;
  const url = new URL(uri);
  if (url.protocol !== 'http:') return err({ kind: 'unsupported', action: 'snapshot', message: `only http snapshot URIs are fetched, not ${url.protocol}` });
  const deadline = AbortSignal.timeout(opts.timeoutMs ?? 5000);
  const signal = opts.signal ? AbortSignal.any([deadline, opts.signal]) : deadline;
  const maxBytes = opts.maxBytes ?? DEFAULT_MAX_BYTES;
  const path = `${url.pathname}${url.search}`;
  let reply = await get(url, {}, maxBytes, signal);
  if (reply.ok && reply.value.status === 401 && creds) {
    const digest = digestAuthorization(reply.value.authenticate, creds, 'GET', path);
    // Basic would put the password on the wire in clear; only a camera that offers nothing else gets it.
    const authorization = digest ?? (/^Basic/i.test(reply.value.authenticate) ? `Basic ${Buffer.from(`${creds.user}:${creds.password}`).toString('base64')}` : null);
    if (authorization) reply = await get(url, { authorization }, maxBytes, signal);
  }
  const secrets = creds ? [creds.password] : [];
  if (!reply.ok) {
    const e = reply.error;
    return err(e.kind === 'transport' ? { ...e, message: redactText(`snapshot ${uri}: ${e.message}`, secrets) } : e);
  }
  if (reply.value.status === 401) return err({ kind: 'auth', message: `snapshot ${uri}: 401 ${creds ? 'credentials refused' : 'credentials required'}` });
  if (reply.value.status !== 200) return err({ kind: 'transport', reason: 'http-status', httpStatus: reply.value.status, message: `snapshot ${uri}: HTTP ${reply.value.status}` });
  return decodeImage(reply.value.body, opts.maxPixels ?? MAX_IMAGE_PIXELS);
};
