/**
 * Our thin ONVIF SOAP client. Every call: fixed template -> (optional) UsernameToken with the
 * device's clock -> allowlist check on the exact bytes -> one HTTP exchange (retried once with
 * HTTP Digest on a 401 challenge) -> sha256 of raw bytes -> explicit decoder. Every exchange is
 * kept as a CallRecord; the kept request never holds the password digest or nonce.
 */
import type { ProbeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { CallRecord, CallStatus } from '../core/types.js';
import { authenticatedExchange } from '../http/authenticated-exchange.js';
import { parseDigestChallenge, type Credentials } from '../http/digest.js';
import { receivedBody, sha256Hex, type HttpExchange } from '../http/exchange.js';
import type { XmlElement } from '../xml/parse.js';
import { checkSoapRequest } from './allowlist.js';
import { decodeSystemDateAndTime } from './decode.js';
import { requestBody, serviceOf, soapActionUri, type OnvifRequest } from './requests.js';
import { envelope, readEnvelope } from './soap.js';
import { deviceCreated, makeUsernameToken, securityHeader } from './ws-security.js';

export interface ClientOptions {
  readonly timeoutMs: number;
  readonly maxResponseBytes?: number;
  readonly signal?: AbortSignal;
  readonly credentials?: Credentials;
  readonly onCall?: (record: CallRecord) => void;
  /** Our clock; tests inject a skewed one. */
  readonly now?: () => number;
}

export type Decoder<T> = (el: XmlElement) => Result<T, ProbeError>;

const statusOf = (e: ProbeError | null): CallStatus => {
  if (e === null) return 'ok';
  switch (e.kind) {
    case 'fault':
      return 'fault';
    case 'unsupported':
      return 'unsupported';
    case 'auth':
      return 'auth-failed';
    case 'policy':
      return 'refused';
    default:
      return 'error';
  }
};

const NOT_AUTHORIZED = /NotAuthorized|FailedAuthentication|InvalidSecurity|Sender\/.*Auth/i;

/**
 * A device that answers headers and then trickles (or stalls) would otherwise cost every remaining
 * call its full timeout; after this many timeouts in a row the rest are recorded as not sent.
 */
export const MAX_CONSECUTIVE_TIMEOUTS = 2;

export class OnvifClient {
  /** Device clock minus ours; null until measured. */
  clockOffsetMs: number | null = null;
  readonly calls: CallRecord[] = [];
  private readonly now: () => number;
  private consecutiveTimeouts = 0;

  constructor(private readonly opts: ClientOptions) {
    this.now = opts.now ?? Date.now;
  }

  get hasCredentials(): boolean {
    return this.opts.credentials !== undefined;
  }

  /** Unauthenticated GetSystemDateAndTime; sets the clock offset used by later digests. */
  async measureClock(deviceUrl: string): Promise<Result<number, ProbeError>> {
    const before = this.now();
    const r = await this.call(deviceUrl, { action: 'GetSystemDateAndTime' }, decodeSystemDateAndTime, { auth: false });
    if (!r.ok) return r;
    if (r.value.utcMs === null) return err({ kind: 'decode', path: '/GetSystemDateAndTimeResponse', message: 'no UTCDateTime', excerpt: '' });
    // The device answered somewhere between send and receive: take the midpoint.
    const mid = (before + this.now()) / 2;
    this.clockOffsetMs = Math.round(r.value.utcMs - mid);
    return ok(this.clockOffsetMs);
  }

  async call<T>(url: string, request: OnvifRequest, decode: Decoder<T>, opts: { readonly auth?: boolean } = {}): Promise<Result<T, ProbeError>> {
    const startedAt = new Date(this.now()).toISOString();
    const creds = opts.auth === false ? undefined : this.opts.credentials;
    const body = requestBody(request);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return this.fail(request, url, startedAt, { kind: 'policy', message: `invalid service address ${url}` });
    }
    const build = (): { readonly sent: string; readonly kept: string } => {
      if (!creds) {
        const plain = envelope('', body);
        return { sent: plain, kept: plain };
      }
      const token = makeUsernameToken(creds.username, creds.password, deviceCreated(this.now(), this.clockOffsetMs ?? 0));
      return { sent: envelope(securityHeader(token, false), body), kept: envelope(securityHeader(token, true), body) };
    };
    if (this.consecutiveTimeouts >= MAX_CONSECUTIVE_TIMEOUTS) {
      return this.fail(request, url, startedAt, {
        kind: 'transport',
        reason: 'timeout',
        message: `not sent: the device let ${this.consecutiveTimeouts} calls in a row run past ${this.opts.timeoutMs} ms`,
      });
    }
    let msg = build();
    const allowed = checkSoapRequest(msg.sent);
    if (!allowed.ok) return this.fail(request, url, startedAt, allowed.error, msg.kept);

    const { exchange: ex, sentBody } = await authenticatedExchange({
      url: target,
      method: 'POST',
      headers: { 'Content-Type': `application/soap+xml; charset=utf-8; action="${soapActionUri(request)}"` },
      body: Buffer.from(msg.sent, 'utf8'),
      timeoutMs: this.opts.timeoutMs,
      ...(this.opts.maxResponseBytes === undefined ? {} : { maxResponseBytes: this.opts.maxResponseBytes }),
      ...(this.opts.signal === undefined ? {} : { signal: this.opts.signal }),
      ...(this.opts.credentials === undefined ? {} : { credentials: this.opts.credentials }),
      // The HTTP Digest retry carries a fresh UsernameToken nonce: devices reject replays.
      retryBody: () => {
        msg = build();
        return Buffer.from(msg.sent, 'utf8');
      },
    });
    const bytes = sentBody ?? Buffer.alloc(0);
    const received = receivedBody(ex);
    // The parse gets what the exchange left of the call's deadline.
    const deadline = performance.now() + Math.max(0, this.opts.timeoutMs - ex.ms);
    const error = await this.interpret(ex, request.action, deadline);
    let value: T | null = null;
    let finalError: ProbeError | null = error;
    if (error === null) {
      const decoded = await readEnvelope(ex.body, request.action, deadline, this.opts.timeoutMs);
      const result = decoded.ok ? decode(decoded.value) : decoded;
      if (result.ok) value = result.value;
      else finalError = result.error;
    }
    this.consecutiveTimeouts = finalError?.kind === 'transport' && finalError.reason === 'timeout' ? this.consecutiveTimeouts + 1 : 0;
    this.record({
      action: request.action,
      service: serviceOf(request),
      url,
      status: statusOf(finalError),
      ms: ex.ms,
      sha256: received === null ? null : sha256Hex(received),
      requestSha256: sha256Hex(bytes),
      startedAt,
      request: msg.kept,
      response: received === null ? null : new Uint8Array(received),
      error: finalError,
    });
    if (finalError) return err(finalError);
    if (value === null) throw new Error('decoder produced no value');
    return ok(value);
  }

  /** HTTP-level outcome: transport failures, auth failures, and SOAP faults carried by 4xx/5xx. */
  private async interpret(ex: HttpExchange, action: string, deadline: number): Promise<ProbeError | null> {
    if (ex.error) return ex.error;
    if (ex.status === 401) {
      // An unusable challenge (unknown algorithm, MD5-sess, no nonce) is not a refused password: say which.
      const offered = [ex.headers['www-authenticate'] ?? []].flat().join(', ');
      if (/^\s*Digest/i.test(offered) && !parseDigestChallenge(ex.headers['www-authenticate'])) {
        return { kind: 'auth', message: `HTTP 401 with a Digest challenge we do not answer: ${offered.slice(0, 120)}` };
      }
      return { kind: 'auth', message: 'HTTP 401: credentials refused or missing' };
    }
    if (ex.status !== null && ex.status >= 400) {
      // ONVIF faults arrive as HTTP 400/500 with a SOAP body; keep the fault when there is one.
      const decoded = await readEnvelope(ex.body, action, deadline, this.opts.timeoutMs);
      if (!decoded.ok && (decoded.error.kind === 'fault' || decoded.error.kind === 'unsupported')) {
        if (decoded.error.kind === 'fault' && NOT_AUTHORIZED.test(`${decoded.error.subcode ?? ''} ${decoded.error.reason}`)) {
          return { kind: 'auth', message: `${decoded.error.subcode ?? decoded.error.code}: ${decoded.error.reason}` };
        }
        return decoded.error;
      }
      return { kind: 'transport', reason: 'http-status', message: `HTTP ${ex.status}`, httpStatus: ex.status };
    }
    return null;
  }

  private fail<T>(request: OnvifRequest, url: string, startedAt: string, error: ProbeError, kept = ''): Result<T, ProbeError> {
    this.record({
      action: request.action,
      service: serviceOf(request),
      url,
      status: statusOf(error),
      ms: 0,
      sha256: null,
      requestSha256: sha256Hex(kept),
      startedAt,
      request: kept,
      response: null,
      error,
    });
    return err(error);
  }

  private record(r: CallRecord): void {
    this.calls.push(r);
    this.opts.onCall?.(r);
  }
}
