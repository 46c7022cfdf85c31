/**
 * One HTTP exchange with a device: a TOTAL deadline (a device trickling a byte at a time still
 * times out), a running byte cap that destroys the socket, an AbortSignal, and the raw bytes kept
 * for their sha256. Redirects are never followed, not even to the same host: a 3xx is reported as
 * such, so a device can never steer a request out of the inspected range. The ONVIF client, the
 * vendor adapters and the snapshot fetch all go through here, so all get the same limits.
 */
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { IncomingHttpHeaders } from 'node:http';
import type { TransportReason } from '../core/errors.js';

/** The hash every request and response is recorded under, over the raw bytes as sent or received. */
export const sha256Hex = (bytes: Uint8Array | string): string => createHash('sha256').update(bytes).digest('hex');

export const DEFAULT_MAX_RESPONSE_BYTES = 4 * 1024 * 1024;

export interface HttpExchangeRequest {
  readonly url: URL;
  readonly method: 'GET' | 'POST';
  readonly headers: Readonly<Record<string, string>>;
  readonly body?: Buffer;
  readonly timeoutMs: number;
  readonly maxResponseBytes?: number;
  readonly signal?: AbortSignal;
}

export interface TransportFailure {
  readonly kind: 'transport';
  readonly reason: TransportReason;
  readonly message: string;
  readonly httpStatus?: number;
}

/** Always resolves: what came back (possibly partial) and what went wrong. */
export interface HttpExchange {
  readonly status: number | null;
  readonly headers: IncomingHttpHeaders;
  /** Bytes received, cut at the cap. */
  readonly body: Buffer;
  readonly ms: number;
  readonly error: TransportFailure | null;
}

/** The bytes that came back, or null when the device sent nothing at all (no status, no byte). */
export const receivedBody = (ex: HttpExchange): Buffer | null => (ex.status === null && ex.body.length === 0 ? null : ex.body);

const reasonOf = (code: string | undefined): TransportReason => {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'EHOSTDOWN':
    case 'ENOTFOUND':
    case 'EADDRNOTAVAIL':
      return 'unreachable';
    default:
      return 'other';
  }
};

export const httpExchange = (req: HttpExchangeRequest): Promise<HttpExchange> =>
  new Promise((resolve) => {
    const started = performance.now();
    const cap = req.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES;
    const chunks: Buffer[] = [];
    let received = 0;
    let status: number | null = null;
    let headers: IncomingHttpHeaders = {};
    let settled = false;

    const finish = (error: TransportFailure | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      req.signal?.removeEventListener('abort', onAbort);
      const body = Buffer.concat(chunks);
      resolve({ status, headers, body, ms: Math.round(performance.now() - started), error });
    };
    const fail = (reason: TransportReason, message: string): void => {
      finish({ kind: 'transport', reason, message, ...(status === null ? {} : { httpStatus: status }) });
      request.destroy();
    };
    const onAbort = (): void => fail('other', 'aborted');

    if (req.url.protocol !== 'http:') {
      // https devices are rare on sales-office LANs; refusing is explicit rather than silently downgrading.
      resolve({ status: null, headers: {}, body: Buffer.alloc(0), ms: 0, error: { kind: 'transport', reason: 'other', message: `unsupported scheme ${req.url.protocol}` } });
      return;
    }
    const request = http.request(req.url, {
      method: req.method,
      headers: { ...req.headers, ...(req.body ? { 'Content-Length': String(req.body.length) } : {}), Connection: 'close' },
      agent: false,
    });
    const timer = setTimeout(() => fail('timeout', `no complete answer within ${req.timeoutMs} ms`), req.timeoutMs);
    if (req.signal?.aborted) {
      onAbort();
      return;
    }
    req.signal?.addEventListener('abort', onAbort, { once: true });

    request.on('response', (res) => {
      status = res.statusCode ?? null;
      headers = res.headers;
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        const room = cap - received;
        if (chunk.length > room) {
          chunks.push(chunk.subarray(0, room));
          received = cap;
          fail('too-large', `response exceeds ${cap} bytes; cut`);
          return;
        }
        chunks.push(chunk);
        received += chunk.length;
      });
      res.on('end', () => {
        if (status !== null && status >= 300 && status < 400) {
          finish({ kind: 'transport', reason: 'redirect', message: `redirect to ${String(res.headers.location ?? '?')} not followed`, httpStatus: status });
          return;
        }
        finish(null);
      });
      res.on('error', (e: NodeJS.ErrnoException) => fail(reasonOf(e.code), e.message));
    });
    request.on('error', (e: NodeJS.ErrnoException) => fail(reasonOf(e.code), e.message));
    request.end(req.body);
  });
