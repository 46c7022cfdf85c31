/**
 * The stream gate: ffmpeg never talks to a camera directly. It opens rtsp://127.0.0.1:<gate>/<path>,
 * and the gate relays the RTSP control connection to the camera, reading every response head first.
 *
 * Why a relay and not a pre-flight DESCRIBE of our own: ffmpeg follows a `302 Location: rtsp://<other
 * host>` by itself and answers that host's challenge with the URL's credentials (seen in cleartext on
 * the second host). A pre-flight only shows what the camera answered *us*; a hostile camera can answer
 * ffmpeg's own DESCRIBE differently. The gate sees what ffmpeg would see, so:
 * - a 3xx never reaches ffmpeg: it is refused and becomes the stream's error (reason `redirect`);
 * - ffmpeg holds no credentials at all: the gate answers the camera's 401 itself, with Digest, and with
 *   Basic (the password in clear over plain RTSP) only when the inspector allowed it (`allowBasic`);
 * - the SDP's declared frame size is checked before ffmpeg opens a decoder (sizes from the SPS);
 * - when camaudit dies, even by SIGKILL, the kernel closes the gate's sockets: the camera sees its
 *   connection closed and ffmpeg reads end-of-file on its control connection and exits.
 * RTP over TCP passes through as interleaved frames; over UDP it goes from the camera straight to
 * ffmpeg's ports (the camera sends to the address our connection comes from: this host).
 * Cost, measured against the GStreamer RTSP server on loopback: see README "Design notes".
 */
import net from 'node:net';
import type { ProbeError, TransportReason } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { answerableDigest, basicAuthorization, digestAuthorization, headerValue, headerValues, parseChallenges, parseHead, requestLine, serialiseHead, statusOf, withHeader, type Challenge, type RtspHead } from './rtsp-wire.js';
import { sdpDeclaredSizes } from './sps-size.js';
import { redactUri, type Credentials } from './uri.js';

export interface GateOptions {
  readonly credentials?: Credentials;
  /** Answer a Basic-only challenge over plain RTSP (sends the password in clear). Off by default. */
  readonly allowBasic?: boolean;
  /** Largest frame size (pixels) a stream may declare in its SDP. */
  readonly maxSourcePixels: number;
}

export interface RtspGate {
  /** What ffmpeg opens: the camera's path and query on the gate's loopback port. */
  readonly url: string;
  /** Why the gate ended the session (a refusal or the camera's connection failing), or null. */
  outcome(): ProbeError | null;
  close(): void;
}

const MAX_HEAD_BYTES = 16 * 1024;
const MAX_BODY_BYTES = 64 * 1024;
/** Digest retries per request: one answer, and one more when the camera says the nonce was stale. */
const MAX_AUTH_TRIES = 2;

/** Outcomes that settle the stream test: trying another transport would meet the same answer. */
export const isFinalRefusal = (e: ProbeError): boolean => e.kind === 'auth' || e.kind === 'policy' || (e.kind === 'transport' && (e.reason === 'redirect' || e.reason === 'too-large'));

const connectReason = (code: string | undefined): TransportReason => {
  switch (code) {
    case 'ECONNREFUSED':
      return 'refused';
    case 'ETIMEDOUT':
      return 'timeout';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'reset';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
      return 'unreachable';
    default:
      return 'other';
  }
};

interface Pending {
  readonly clientCseq: string | undefined;
  readonly method: string;
  readonly uri: string;
  readonly head: RtspHead;
  readonly body: Buffer;
  readonly tries: number;
}

type Auth = { readonly scheme: 'digest'; readonly challenge: Challenge; nc: number } | { readonly scheme: 'basic' };

type Cut = { readonly frame: true; readonly bytes: number } | { readonly frame: false; readonly head: RtspHead | null; readonly body: Buffer; readonly bytes: number };

/** One whole message at the front of `buf`: an interleaved frame, or a head and its body. */
const cut = (buf: Buffer): Cut | 'more' | 'oversized' => {
  if (buf.length === 0) return 'more';
  if (buf[0] === 0x24) {
    if (buf.length < 4) return 'more';
    const bytes = 4 + buf.readUInt16BE(2);
    return buf.length < bytes ? 'more' : { frame: true, bytes };
  }
  const end = buf.subarray(0, MAX_HEAD_BYTES + 4).indexOf('\r\n\r\n');
  if (end < 0) return buf.length > MAX_HEAD_BYTES ? 'oversized' : 'more';
  const head = parseHead(buf.subarray(0, end).toString('latin1'));
  const length = Number(head ? (headerValue(head, 'content-length') ?? '0') : '0');
  if (!Number.isInteger(length) || length < 0 || length > MAX_BODY_BYTES) return 'oversized';
  const bytes = end + 4 + length;
  return buf.length < bytes ? 'more' : { frame: false, head, body: buf.subarray(end + 4, bytes), bytes };
};

/** Writes to `to`, holding `from` while `to` cannot take more (a slow ffmpeg must not grow our memory). */
const forward = (from: net.Socket, to: net.Socket, bytes: Buffer): void => {
  if (to.write(bytes) || from.isPaused()) return;
  from.pause();
  to.once('drain', () => from.resume());
};

/**
 * Cuts one direction of the control connection into messages. Interleaved RTP/RTCP frames pass on to
 * `frameTo` as they are; each RTSP message goes to `onMessage`, which returns false to stop.
 */
class MessageCutter {
  private held: Buffer = Buffer.alloc(0);

  constructor(
    private readonly from: net.Socket,
    private readonly frameTo: net.Socket,
    private readonly onMessage: (head: RtspHead | null, body: Buffer) => boolean,
    private readonly onOversized: () => void,
  ) {}

  push(chunk: Buffer): void {
    this.held = this.held.length === 0 ? chunk : Buffer.concat([this.held, chunk]);
    for (;;) {
      const m = cut(this.held);
      if (m === 'more') return;
      if (m === 'oversized') return this.onOversized();
      const whole = this.held.subarray(0, m.bytes);
      this.held = this.held.subarray(m.bytes);
      if (m.frame) forward(this.from, this.frameTo, whole);
      else if (!this.onMessage(m.head, m.body)) return;
    }
  }
}

/** One ffmpeg control connection and its camera connection. */
class Relay {
  private seq = 0;
  private readonly pending = new Map<number, Pending>();
  private auth: Auth | null = null;
  private readonly camera: net.Socket;

  constructor(
    private readonly client: net.Socket,
    private readonly target: URL,
    private readonly gateOrigin: string,
    private readonly opts: GateOptions,
    private readonly end: (outcome: ProbeError | null) => void,
  ) {
    const host = target.hostname.replace(/^\[|\]$/g, '');
    const port = target.port === '' ? 554 : Number(target.port);
    this.camera = net.connect({ host, port });
    this.camera.setNoDelay(true);
    client.setNoDelay(true);
    const where = `${target.host}`;
    this.camera.on('error', (e: NodeJS.ErrnoException) => this.end({ kind: 'transport', reason: connectReason(e.code), message: `camera connection to ${where}: ${e.code ?? e.message}` }));
    this.camera.on('close', () => this.end(null));
    const fromCamera = new MessageCutter(this.camera, client, (head, body) => this.onCameraMessage(head, body), () =>
      this.end({ kind: 'transport', reason: 'too-large', message: 'the camera sent an RTSP message over the size limit' }),
    );
    const fromClient = new MessageCutter(client, this.camera, (head, body) => this.onRequest(head, body), () =>
      this.end({ kind: 'transport', reason: 'other', message: 'ffmpeg sent an oversized RTSP request' }),
    );
    this.camera.on('data', (chunk: Buffer) => fromCamera.push(chunk));
    client.on('error', () => this.end(null));
    client.on('close', () => this.end(null));
    client.on('data', (chunk: Buffer) => fromClient.push(chunk));
  }

  destroy(): void {
    this.camera.destroy();
    this.client.destroy();
  }

  /** A request from ffmpeg, on its way to the camera; false when it ended the session. */
  private onRequest(parsed: RtspHead | null, body: Buffer): boolean {
    const line = parsed ? requestLine(parsed) : null;
    if (!parsed || !line) {
      this.end({ kind: 'transport', reason: 'other', message: 'ffmpeg sent a malformed RTSP request' });
      return false;
    }
    // ffmpeg names the gate; the camera must see its own URL (and digest it).
    const uri = line.uri.startsWith(this.gateOrigin) ? `${this.target.protocol}//${this.target.host}${line.uri.slice(this.gateOrigin.length)}` : line.uri;
    const head = withHeader({ ...parsed, start: `${line.method} ${uri} ${line.version}` }, 'Authorization', null);
    this.send({ clientCseq: headerValue(parsed, 'cseq'), method: line.method, uri, head, body: Buffer.from(body), tries: 0 });
    return true;
  }

  private send(p: Pending): void {
    this.seq += 1;
    this.pending.set(this.seq, p);
    let head = withHeader(p.head, 'CSeq', String(this.seq));
    const creds = this.opts.credentials;
    if (this.auth && creds) {
      const value = this.auth.scheme === 'basic' ? basicAuthorization(creds) : digestAuthorization(this.auth.challenge, creds, p.method, p.uri, ++this.auth.nc);
      head = withHeader(head, 'Authorization', value);
    }
    this.camera.write(Buffer.concat([Buffer.from(serialiseHead(head), 'latin1'), p.body]));
  }

  /** A message from the camera, on its way to ffmpeg; false when it ended the session. */
  private onCameraMessage(head: RtspHead | null, body: Buffer): boolean {
    const status = head ? statusOf(head) : null;
    if (!head || status === null) {
      // A request from the camera (GET_PARAMETER, ANNOUNCE): ffmpeg answers it itself.
      if (head && requestLine(head)) {
        this.client.write(Buffer.concat([Buffer.from(serialiseHead(head), 'latin1'), body]));
        return true;
      }
      this.end({ kind: 'transport', reason: 'other', message: 'the camera answered with something that is not RTSP' });
      return false;
    }
    const cseq = Number(headerValue(head, 'cseq'));
    const p = this.pending.get(cseq);
    if (!p) {
      this.end({ kind: 'transport', reason: 'other', message: `the camera answered ${status} to a request it was not sent (CSeq ${headerValue(head, 'cseq') ?? 'missing'})` });
      return false;
    }
    this.pending.delete(cseq);
    return this.answer(p, status, head, body);
  }

  /** Handles one response; false when it ended the session. */
  private answer(p: Pending, status: number, head: RtspHead, body: Buffer): boolean {
    if (status >= 300 && status < 400) {
      const location = headerValue(head, 'location');
      this.end({
        kind: 'transport',
        reason: 'redirect',
        message: `${p.method} answered ${status}${location ? ` to ${redactUri(location).slice(0, 200)}` : ''}: RTSP redirects are refused, not followed (no connection to the other address, no credentials sent)`,
      });
      return false;
    }
    if (status === 401) return this.challenge(p, head);
    if (p.method === 'DESCRIBE' && status === 200) {
      const big = sdpDeclaredSizes(body.toString('latin1')).find((s) => s.width * s.height > this.opts.maxSourcePixels);
      if (big) {
        this.end({ kind: 'transport', reason: 'too-large', message: `the stream declares ${big.width}x${big.height} frames in its SDP, over the ${this.opts.maxSourcePixels} pixel limit: not decoded` });
        return false;
      }
    }
    const back = p.clientCseq === undefined ? withHeader(head, 'CSeq', null) : withHeader(head, 'CSeq', p.clientCseq);
    this.client.write(Buffer.concat([Buffer.from(serialiseHead(back), 'latin1'), body]));
    return true;
  }

  private challenge(p: Pending, head: RtspHead): boolean {
    const creds = this.opts.credentials;
    const challenges = parseChallenges(headerValues(head, 'www-authenticate'));
    if (!creds) {
      this.end({ kind: 'auth', message: `the camera asks for a user name and password (401 to ${p.method})` });
      return false;
    }
    const digest = challenges.find(answerableDigest);
    const stale = digest?.params.get('stale')?.toLowerCase() === 'true';
    if (p.tries >= (stale ? MAX_AUTH_TRIES : 1)) {
      this.end({ kind: 'auth', message: `the camera refused the credentials (401 to ${p.method})` });
      return false;
    }
    if (digest) this.auth = { scheme: 'digest', challenge: digest, nc: 0 };
    else if (challenges.some((c) => c.scheme === 'basic')) {
      if (!this.opts.allowBasic) {
        this.end({ kind: 'policy', message: 'the camera offers only Basic authentication, which sends the password in clear over plain RTSP: not sent (--allow-basic-rtsp allows it)' });
        return false;
      }
      this.auth = { scheme: 'basic' };
    } else {
      const offered = challenges.map((c) => c.scheme).join(', ') || 'none';
      this.end({ kind: 'auth', message: `the camera asks for authentication camaudit cannot answer (schemes: ${offered.slice(0, 80)})` });
      return false;
    }
    this.send({ ...p, tries: p.tries + 1 });
    return true;
  }
}

/**
 * Opens a gate for one stream URI (without credentials: they come in `opts`). Only `rtsp://` is
 * relayed; the gate accepts one connection (ffmpeg opens one control connection, over TCP or UDP
 * transport alike) so that no other local process can ride on the inspector's credentials.
 */
export const openRtspGate = async (uri: string, opts: GateOptions): Promise<Result<RtspGate, ProbeError>> => {
  let target: URL;
  try {
    target = new URL(uri);
  } catch {
    return err({ kind: 'policy', message: 'the stream URI does not parse' });
  }
  if (target.protocol !== 'rtsp:') return err({ kind: 'unsupported', action: target.protocol.replace(/:$/, ''), message: 'only rtsp:// streams are tested' });
  let outcome: ProbeError | null = null;
  let relay: Relay | null = null;
  let closed = false;
  const server = net.createServer({ pauseOnConnect: false });
  const close = (): void => {
    if (closed) return;
    closed = true;
    relay?.destroy();
    server.close();
  };
  const end = (why: ProbeError | null): void => {
    outcome ??= why;
    relay?.destroy();
  };
  const port = await new Promise<number>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const a = server.address();
      if (a === null || typeof a === 'string') reject(new Error('gate has no TCP address'));
      else resolve(a.port);
    });
  });
  const gateOrigin = `rtsp://127.0.0.1:${port}`;
  server.on('connection', (socket) => {
    if (relay || closed) {
      socket.destroy();
      return;
    }
    relay = new Relay(socket, target, gateOrigin, opts, end);
  });
  return ok({ url: `${gateOrigin}${target.pathname}${target.search}`, outcome: () => outcome, close });
};
