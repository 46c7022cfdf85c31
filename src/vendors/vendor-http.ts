/**
 * Read-only vendor GETs on the shared HTTP client (src/http): the ONVIF client's deadline, byte cap,
 * raw evidence and digest retry; every URL passes the shared allowlist just before it is requested.
 */
import type { ProbeError } from '../core/errors.js';
import type { CallRecord, CallStatus } from '../core/types.js';
import { authenticatedExchange } from '../http/authenticated-exchange.js';
import type { Credentials } from '../http/digest.js';
import { receivedBody, sha256Hex } from '../http/exchange.js';
import { checkVendorRequest } from '../onvif/allowlist.js';

export interface VendorHttpOptions {
  readonly credentials?: Credentials;
  readonly timeoutMs: number;
  readonly maxResponseBytes?: number;
  readonly signal?: AbortSignal;
  readonly onCall?: (record: CallRecord) => void;
}

export interface VendorGet {
  readonly record: CallRecord;
  /** The body when the device answered 200. */
  readonly body: Buffer | null;
}

const statusOf = (e: ProbeError | null): CallStatus =>
  e === null ? 'ok' : e.kind === 'auth' ? 'auth-failed' : e.kind === 'policy' ? 'refused' : e.kind === 'unsupported' ? 'unsupported' : 'error';

/** GET `target` (path + query) on the device at `base` (scheme://host:port). */
export const vendorGet = async (base: URL, target: string, service: string, opts: VendorHttpOptions): Promise<VendorGet> => {
  const url = new URL(target, base);
  const startedAt = new Date().toISOString();
  const request = `GET ${target} HTTP/1.1\r\nHost: ${url.host}\r\n\r\n`;
  const finish = (error: ProbeError | null, ms: number, body: Buffer | null): VendorGet => {
    const record: CallRecord = {
      action: target,
      service,
      url: url.toString(),
      status: statusOf(error),
      ms,
      sha256: body === null ? null : sha256Hex(body),
      requestSha256: sha256Hex(request),
      startedAt,
      request,
      response: body === null ? null : new Uint8Array(body),
      error,
    };
    opts.onCall?.(record);
    return { record, body: error === null ? body : null };
  };
  // Targets are paths on the probed device; an absolute or protocol-relative one would name another host.
  if (url.origin !== base.origin) return finish({ kind: 'policy', message: `${url.host} is not the probed device ${base.host}` }, 0, null);
  const allowed = checkVendorRequest('GET', url);
  if (!allowed.ok) return finish(allowed.error, 0, null);
  const { exchange: ex } = await authenticatedExchange({
    url,
    method: 'GET',
    headers: {},
    timeoutMs: opts.timeoutMs,
    ...(opts.maxResponseBytes === undefined ? {} : { maxResponseBytes: opts.maxResponseBytes }),
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    ...(opts.credentials === undefined ? {} : { credentials: opts.credentials }),
  });
  const got = receivedBody(ex);
  if (ex.error) return finish(ex.error, ex.ms, got);
  if (ex.status === 401) return finish({ kind: 'auth', message: 'HTTP 401: credentials refused or missing' }, ex.ms, got);
  if (ex.status === 404 || ex.status === 501) return finish({ kind: 'unsupported', action: target, message: `HTTP ${ex.status}` }, ex.ms, got);
  if (ex.status !== 200) {
    return finish({ kind: 'transport', reason: 'http-status', message: `HTTP ${String(ex.status)}`, ...(ex.status === null ? {} : { httpStatus: ex.status }) }, ex.ms, got);
  }
  return finish(null, ex.ms, got);
};
