/**
 * A real RTSP 1.0 server (RFC 2326) for simulated cameras, in plain Node so the demo runs on an
 * inspector's laptop with nothing but ffmpeg. ffmpeg encodes the scene still to H.264 (Annex B on its
 * stdout); Node cuts it into access units, packetises them as RTP (RFC 6184: single NAL units and FU-A)
 * and fans them out to every playing client over TCP interleaved or UDP unicast.
 *
 * One encoder per stream path, started on the first DESCRIBE/SETUP and stopped when idle. The encoder
 * keeps the current group of pictures (from the last IDR), and a client that starts playing gets that
 * GOP at once, so it decodes a picture without waiting for the next keyframe.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { rmSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ffmpegPath } from '../stream/ffmpeg-path.js';
import { renderScenePng } from './scenes.js';

export type SceneName = 'faces-near' | 'faces-far' | 'empty';

export interface RtspStreamSpec {
  /** URL path, e.g. `/entrance/main`. */
  readonly path: string;
  readonly scene: SceneName;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

export interface RtspCredentials {
  readonly username: string;
  readonly password: string;
}

export interface RtspServerHandle {
  readonly host: string;
  readonly port: number;
  /** Full rtsp:// URL for a stream path. */
  url(path: string): string;
  /** Process ids of the encoders running now (for tests and diagnostics). */
  encoderPids(): readonly number[];
  close(): Promise<void>;
}

export interface RtspServerOptions {
  readonly host: string;
  readonly port?: number;
  readonly streams: readonly RtspStreamSpec[];
  /** When given, every request but OPTIONS needs HTTP Digest auth (RFC 2617 without qop), as real cameras do. */
  readonly credentials?: RtspCredentials;
  /** Stop a stream's encoder this long after its last client left (default 10 s). */
  readonly encoderIdleStopMs?: number;
  /** Keyframe interval (default 1 s): bounds the GOP a joining client is sent and the bitrate. */
  readonly keyframeIntervalMs?: number;
}

const TRACK_CONTROL = 'track1';
const PAYLOAD_TYPE = 96;
const RTP_CLOCK_HZ = 90_000;
/** Payload size that keeps RTP over UDP under a 1500-byte Ethernet MTU. */
const MAX_RTP_PAYLOAD_BYTES = 1400;
const SESSION_TIMEOUT_S = 60;
const MAX_REQUEST_HEAD_BYTES = 16 * 1024;
const MAX_REQUEST_BODY_BYTES = 64 * 1024;
/** A TCP client this far behind loses frames (and resyncs on the next keyframe) instead of growing memory. */
const MAX_TCP_BACKLOG_BYTES = 2 * 1024 * 1024;
/** Guards against an encoder that never emits a start code (a bug): drop its output past this. */
const MAX_NAL_BYTES = 8 * 1024 * 1024;
const ENCODER_START_TIMEOUT_MS = 10_000;
const ENCODER_STOP_GRACE_MS = 2_000;
const ENCODER_RESTART_DELAY_MS = 1_000;
/** A simulator serves a handful of inspectors' tools; more connections than this are refused. */
const MAX_CONNECTIONS = 64;
const STDERR_TAIL_BYTES = 2048;

// ---------------------------------------------------------------------------------------------
// ffmpeg encoder arguments (pure)

/** ffmpeg arguments that loop a still image into a paced H.264 Annex B stream on stdout. */
export const encoderArgs = (imagePath: string, spec: RtspStreamSpec, keyframeIntervalFrames: number): string[] => [
  '-hide_banner', '-nostdin', '-loglevel', 'error',
  // -re paces output at the frame rate, so RTP timestamps derived from the frame count track real time.
  '-re', '-loop', '1', '-framerate', String(spec.fps), '-i', imagePath,
  '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-threads', '1',
  '-pix_fmt', 'yuv420p', '-bf', '0',
  '-g', String(keyframeIntervalFrames), '-keyint_min', String(keyframeIntervalFrames), '-sc_threshold', '0',
  // Access unit delimiters mark frame boundaries in the byte stream; x264 repeats SPS/PPS before each IDR.
  '-x264-params', 'aud=1',
  '-f', 'h264', 'pipe:1',
];

// ---------------------------------------------------------------------------------------------
// H.264 byte stream -> access units -> RTP payloads

const NAL_SLICE_IDR = 5;
const NAL_SPS = 7;
const NAL_PPS = 8;
const NAL_AUD = 9;
const NAL_FU_A = 28;
const START_CODE = Buffer.from([0, 0, 1]);

const nalType = (nal: Buffer): number => (nal[0] ?? 0) & 0x1f;

/** Splits an Annex B byte stream, arriving in arbitrary chunks, into NAL units (copied). */
class AnnexBSplitter {
  private pending: Buffer = Buffer.alloc(0);
  private synced = false;

  constructor(private readonly onNal: (nal: Buffer) => void) {}

  push(chunk: Buffer): void {
    // A start code can straddle two chunks: rescan the last 3 bytes of what was already held.
    let from = Math.max(3, this.pending.length - 3);
    this.pending = this.pending.length === 0 ? chunk : Buffer.concat([this.pending, chunk]);
    if (!this.synced) {
      const first = this.pending.indexOf(START_CODE);
      if (first < 0) {
        this.pending = this.pending.subarray(Math.max(0, this.pending.length - 2));
        return;
      }
      this.pending = this.pending.subarray(first);
      this.synced = true;
      from = 3;
    }
    for (;;) {
      const next = this.pending.indexOf(START_CODE, from);
      if (next < 0) break;
      this.emit(this.pending.subarray(3, next));
      this.pending = this.pending.subarray(next);
      from = 3;
    }
    if (this.pending.length > MAX_NAL_BYTES) {
      this.pending = Buffer.alloc(0);
      this.synced = false;
    }
  }

  private emit(raw: Buffer): void {
    // The zero byte of a 4-byte start code (and trailing_zero_8bits) belongs to no NAL unit.
    let end = raw.length;
    while (end > 0 && raw[end - 1] === 0) end -= 1;
    if (end > 0) this.onNal(Buffer.from(raw.subarray(0, end)));
  }
}

/** RTP payloads for one NAL unit: as is when it fits, else FU-A fragments (RFC 6184 5.8). */
export const packetizeNal = (nal: Buffer, maxPayloadBytes = MAX_RTP_PAYLOAD_BYTES): Buffer[] => {
  if (nal.length <= maxPayloadBytes) return [nal];
  const header = nal[0] ?? 0;
  const indicator = (header & 0xe0) | NAL_FU_A;
  const body = nal.subarray(1);
  const chunkBytes = maxPayloadBytes - 2;
  const out: Buffer[] = [];
  for (let offset = 0; offset < body.length; offset += chunkBytes) {
    const end = Math.min(body.length, offset + chunkBytes);
    const fuHeader = (offset === 0 ? 0x80 : 0) | (end === body.length ? 0x40 : 0) | (header & 0x1f);
    out.push(Buffer.concat([Buffer.from([indicator, fuHeader]), body.subarray(offset, end)]));
  }
  return out;
};

interface AccessUnit {
  /** RTP timestamp relative to the encoder's start (90 kHz). */
  readonly timestamp: number;
  readonly keyframe: boolean;
  /** RTP payloads in order; the last one carries the marker bit. */
  readonly payloads: readonly Buffer[];
  readonly bytes: number;
}

interface ParameterSets {
  readonly sps: Buffer;
  readonly pps: Buffer;
}

// ---------------------------------------------------------------------------------------------
// Encoders

/**
 * Encoders still running when the process exits are killed, and scene temp dirs removed, so nothing
 * outlives a simulator that was not closed. (Killed outright, the process takes its pipes with it and
 * ffmpeg stops on the broken stdout.)
 */
const liveChildren = new Set<ChildProcess>();
const liveWorkDirs = new Set<string>();
let exitHookInstalled = false;
const installExitHook = (): void => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of liveChildren) c.kill('SIGKILL');
    for (const dir of liveWorkDirs) rmSync(dir, { recursive: true, force: true });
  });
};
const trackChild = (child: ChildProcess): void => {
  installExitHook();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
};

interface Subscriber {
  deliver(au: AccessUnit): void;
}

class StreamEncoder {
  private child: ChildProcess | null = null;
  private ready: Promise<ParameterSets> | null = null;
  private params: ParameterSets | null = null;
  private gop: AccessUnit[] = [];
  private frameIndex = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly stopping = new Set<ChildProcess>();
  private closed = false;
  /** Bumped by stop(), so a start that was under way when it came knows to give up. */
  private generation = 0;
  private readonly subscribers = new Set<Subscriber>();
  private readonly keyframeIntervalFrames: number;

  constructor(
    readonly spec: RtspStreamSpec,
    private readonly imagePath: () => Promise<string>,
    private readonly idleStopMs: number,
    keyframeIntervalMs: number,
  ) {
    this.keyframeIntervalFrames = Math.max(1, Math.round((spec.fps * keyframeIntervalMs) / 1000));
  }

  /** The running encoder's pid, and those of encoders told to stop that have not exited yet. */
  pids(): number[] {
    return [this.child, ...this.stopping].flatMap((c) => (c?.pid === undefined ? [] : [c.pid]));
  }

  /** Starts the encoder if needed; resolves once the first keyframe (with SPS/PPS) is out. */
  acquire(): Promise<ParameterSets> {
    if (this.closed) return Promise.reject(new Error('server closed'));
    if (!this.ready) {
      const starting = this.start();
      // A failed start must not stick: the next client tries again.
      starting.catch(() => {
        if (this.ready === starting) this.ready = null;
      });
      this.ready = starting;
    }
    // The idle countdown starts once the encoder is up: a slow start must not count as idleness.
    return this.ready.then((params) => {
      if (this.subscribers.size === 0) this.scheduleIdleStop();
      return params;
    });
  }

  /** Sends the current GOP at once, then live frames, until unsubscribed. */
  subscribe(sub: Subscriber): void {
    this.subscribers.add(sub);
    this.cancelIdleStop();
    for (const au of this.gop) sub.deliver(au);
  }

  unsubscribe(sub: Subscriber): void {
    this.subscribers.delete(sub);
    if (this.subscribers.size === 0) this.scheduleIdleStop();
  }

  /** RTP timestamp (encoder-relative) of the first frame a subscriber joining now would get. */
  joinTimestamp(): number {
    return this.gop[0]?.timestamp ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
    await this.stop();
  }

  private scheduleIdleStop(): void {
    this.cancelIdleStop();
    this.idleTimer = setTimeout(() => void this.stop(), this.idleStopMs);
    this.idleTimer.unref();
  }

  private cancelIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private async start(): Promise<ParameterSets> {
    const generation = this.generation;
    const image = await this.imagePath();
    // Stopped (idle or close) while the image was being prepared: do not spawn an untracked encoder.
    if (this.closed || generation !== this.generation) throw new Error('encoder stopped while starting');
    const child = spawn(ffmpegPath(), encoderArgs(image, this.spec, this.keyframeIntervalFrames), {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    trackChild(child);
    this.child = child;
    // frameIndex is not reset: timestamps stay monotonic for clients that outlive an encoder restart.
    this.gop = [];
    let stderrTail = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderrTail = (stderrTail + d.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    return new Promise<ParameterSets>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        reject(new Error(`encoder for ${this.spec.path} ${why}${stderrTail ? `: ${stderrTail.trim()}` : ''}`));
      };
      const timer = setTimeout(() => {
        fail(`produced no keyframe within ${ENCODER_START_TIMEOUT_MS} ms`);
        child.kill('SIGKILL');
      }, ENCODER_START_TIMEOUT_MS);
      let nals: Buffer[] = [];
      let sps: Buffer | null = null;
      let pps: Buffer | null = null;
      const flushAccessUnit = (): void => {
        if (nals.length === 0) return;
        const keyframe = nals.some((n) => nalType(n) === NAL_SLICE_IDR);
        const au = this.toAccessUnit(nals, keyframe);
        nals = [];
        if (keyframe) {
          if (sps && pps && !this.params) {
            this.params = { sps, pps };
            clearTimeout(timer);
            resolve(this.params);
          }
          this.gop = [];
        }
        if (this.gop.length === 0 && !keyframe) return;
        this.gop.push(au);
        for (const sub of this.subscribers) sub.deliver(au);
      };
      const splitter = new AnnexBSplitter((nal) => {
        const type = nalType(nal);
        if (type === NAL_AUD) {
          flushAccessUnit();
          return;
        }
        if (type === NAL_SPS) sps = nal;
        if (type === NAL_PPS) pps = nal;
        nals.push(nal);
      });
      child.stdout?.on('data', (chunk: Buffer) => splitter.push(chunk));
      child.once('error', (e) => fail(`could not start (${e.message})`));
      child.once('exit', (code, signal) => {
        if (this.child === child) {
          // Not asked to stop: it crashed. Playing clients would stall, so start a new one for them.
          this.child = null;
          this.ready = null;
          this.params = null;
          this.gop = [];
          if (this.subscribers.size > 0 && !this.closed) {
            setTimeout(() => {
              if (this.subscribers.size > 0 && !this.closed) this.acquire().catch(() => undefined);
            }, ENCODER_RESTART_DELAY_MS).unref();
          }
        }
        fail(`exited (${signal ?? `code ${String(code)}`})`);
      });
    });
  }

  private toAccessUnit(nals: readonly Buffer[], keyframe: boolean): AccessUnit {
    const timestamp = Math.round((this.frameIndex * RTP_CLOCK_HZ) / this.spec.fps);
    this.frameIndex += 1;
    const payloads = nals.flatMap((n) => packetizeNal(n));
    return { timestamp, keyframe, payloads, bytes: payloads.reduce((sum, p) => sum + p.length, 0) };
  }

  private async stop(): Promise<void> {
    this.generation += 1;
    this.cancelIdleStop();
    const child = this.child;
    this.child = null;
    this.ready = null;
    this.params = null;
    this.gop = [];
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.stopping.add(child);
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), ENCODER_STOP_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(kill);
        this.stopping.delete(child);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

// ---------------------------------------------------------------------------------------------
// RTSP messages

interface RtspRequest {
  readonly method: string;
  readonly uri: string;
  readonly version: string;
  /** Header names lower-cased. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

interface RtspResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  406: 'Not Acceptable',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'RTSP Version Not Supported',
  551: 'Option not supported',
};

const SUPPORTED_METHODS = ['OPTIONS', 'DESCRIBE', 'SETUP', 'PLAY', 'PAUSE', 'TEARDOWN', 'GET_PARAMETER'] as const;
type Method = (typeof SUPPORTED_METHODS)[number];
const isMethod = (m: string): m is Method => (SUPPORTED_METHODS as readonly string[]).includes(m);

/** Parses a request head (request line and headers); null when malformed. */
export const parseRequestHead = (head: string): Omit<RtspRequest, 'body'> | null => {
  const lines = head.split('\r\n');
  const [method, uri, version, ...extra] = (lines[0] ?? '').split(' ');
  if (!method || !uri || !version || extra.length > 0) return null;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { method, uri, version, headers };
};

type Transport =
  | { readonly kind: 'tcp'; readonly rtpChannel: number; readonly rtcpChannel: number }
  | { readonly kind: 'udp'; readonly address: string; readonly rtpPort: number; readonly rtcpPort: number; readonly pacer: UdpPacer };

type TransportRequest = { readonly kind: 'tcp'; readonly channels: readonly [number, number] | null } | { readonly kind: 'udp'; readonly ports: readonly [number, number] };

const parsePair = (value: string | undefined, max: number): readonly [number, number] | null => {
  const m = /^(\d+)(?:-(\d+))?$/.exec(value ?? '');
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a + 1 : Number(m[2]);
  return a <= max && b <= max ? [a, b] : null;
};

/** The first unicast RTP/AVP transport in a Transport header that this server can serve, or null. */
export const chooseTransport = (header: string): TransportRequest | null => {
  for (const spec of header.split(',')) {
    const [protocol = '', ...params] = spec.trim().split(';').map((p) => p.trim());
    const options = new Map(params.map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p.toLowerCase(), ''] : [p.slice(0, eq).toLowerCase(), p.slice(eq + 1)];
    }));
    if (options.has('multicast')) continue;
    const proto = protocol.toUpperCase();
    if (proto === 'RTP/AVP/TCP') {
      const channels = options.has('interleaved') ? parsePair(options.get('interleaved'), 255) : null;
      if (options.has('interleaved') && !channels) continue;
      return { kind: 'tcp', channels };
    }
    if (proto === 'RTP/AVP' || proto === 'RTP/AVP/UDP') {
      const ports = parsePair(options.get('client_port'), 65535);
      if (ports && ports[0] > 0) return { kind: 'udp', ports };
    }
  }
  return null;
};

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** Digest auth parameters (`key="value"` or `key=value`, comma-separated). */
export const parseDigestParams = (header: string): ReadonlyMap<string, string> | null => {
  const m = /^Digest\s+(.*)$/is.exec(header.trim());
  if (!m?.[1]) return null;
  const params = new Map<string, string>();
  const re = /([a-zA-Z0-9_-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^,\s]*))/g;
  for (const p of m[1].matchAll(re)) {
    const key = p[1];
    if (key) params.set(key.toLowerCase(), p[2] ?? p[3] ?? '');
  }
  return params;
};

const safeEqual = (a: string, b: string): boolean => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const buildSdp = (host: string, spec: RtspStreamSpec, params: ParameterSets, sessionVersion: number): string => {
  const profileLevelId = params.sps.subarray(1, 4).toString('hex');
  const sprop = `${params.sps.toString('base64')},${params.pps.toString('base64')}`;
  return [
    'v=0',
    `o=- ${sessionVersion} 1 IN IP4 ${host}`,
    's=camaudit simulated camera',
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'a=tool:camaudit-sim',
    'a=range:npt=0-',
    'a=control:*',
    `m=video 0 RTP/AVP ${PAYLOAD_TYPE}`,
    `a=rtpmap:${PAYLOAD_TYPE} H264/${RTP_CLOCK_HZ}`,
    `a=fmtp:${PAYLOAD_TYPE} packetization-mode=1;profile-level-id=${profileLevelId};sprop-parameter-sets=${sprop}`,
    `a=framesize:${PAYLOAD_TYPE} ${spec.width}-${spec.height}`,
    `a=framerate:${spec.fps}`,
    `a=control:${TRACK_CONTROL}`,
    '',
  ].join('\r\n');
};

// ---------------------------------------------------------------------------------------------
// Sessions and connections

interface Session extends Subscriber {
  readonly id: string;
  readonly ssrc: number;
  /** Sequence number of the next packet sent to this client. */
  nextSeq(): number;
  /** The client's RTP timestamp for an encoder-relative one. */
  rtpTime(encoderTimestamp: number): number;
  readonly connection: RtspConnection;
  readonly encoder: StreamEncoder;
  transport: Transport;
  playing: boolean;
  lastSeenMs: number;
}

const RTP_HEADER_BYTES = 12;

/*
 * UDP pacing. A keyframe is ~100 KB at 720p and a joining client also gets the GOP: sent in one go it
 * overflows a small client receive buffer (the bundled 2018 ffmpeg asks for 64 KB, i.e. a 128 KB
 * rcvbuf, about 55 packets) and the picture breaks. Cameras pace their packets at their peak bitrate;
 * so does this, at 8 Mbit/s, far above the stream's average (~0.1-0.3 MB/s), so only bursts are
 * smoothed. Measured here under load: pacing alone still loses packets with the bundled ffmpeg's
 * default buffer; a client asking `-buffer_size 1048576` loses none.
 */
const UDP_PACE_BYTES_PER_MS = 1000;
const UDP_PACE_TICK_MS = 2;
const UDP_PACE_BURST_BYTES = 8 * 1024;
const MAX_UDP_QUEUE_BYTES = 2 * 1024 * 1024;

/** Sends RTP datagrams to one client at a bounded rate (exported for tests). */
export class UdpPacer {
  private queue: Buffer[][] = [];
  private queuedBytes = 0;
  private timer: NodeJS.Timeout | null = null;
  private credit = 0;
  /** Credit accrues from the last pump: a session that was idle starts with the full burst. */
  private lastMs = Number.NEGATIVE_INFINITY;

  constructor(
    private readonly socket: UdpSocket,
    private readonly port: number,
    private readonly address: string,
  ) {}

  /** Queues one packet; false (packet dropped) when the client is this far behind. */
  enqueue(header: Buffer, payload: Buffer, auBytes: number): boolean {
    if (this.queuedBytes + auBytes > MAX_UDP_QUEUE_BYTES) return false;
    this.queue.push([header, payload]);
    this.queuedBytes += header.length + payload.length;
    if (!this.timer) {
      this.timer = setInterval(() => this.pump(), UDP_PACE_TICK_MS);
      this.pump();
    }
    return true;
  }

  private pump(): void {
    const now = performance.now();
    this.credit = Math.min(UDP_PACE_BURST_BYTES, this.credit + (now - this.lastMs) * UDP_PACE_BYTES_PER_MS);
    this.lastMs = now;
    let sent = 0;
    while (sent < this.queue.length && this.credit > 0) {
      const packet = this.queue[sent] ?? [];
      const bytes = packet.reduce((n, b) => n + b.length, 0);
      // Best effort, as on a real network: a datagram the kernel cannot take is a lost packet.
      this.socket.send(packet, this.port, this.address);
      this.credit -= bytes;
      this.queuedBytes -= bytes;
      sent += 1;
    }
    this.queue = this.queue.slice(sent);
    if (this.queue.length === 0) this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  close(): void {
    this.stopTimer();
    this.queue = [];
    this.queuedBytes = 0;
  }
}

/** Per-client RTP state: its own SSRC, sequence numbers and timestamp base over shared payloads. */
const makeRtpWriter = (send: (header: Buffer, payload: Buffer, auBytes: number) => boolean) => {
  const ssrc = randomBytes(4).readUInt32BE(0);
  let seq = randomInt(0, 0x10000);
  const timestampBase = randomBytes(4).readUInt32BE(0);
  let needKeyframe = false;
  return {
    ssrc,
    nextSeq: () => seq,
    rtpTime: (encoderTimestamp: number) => (timestampBase + encoderTimestamp) >>> 0,
    deliver(au: AccessUnit): void {
      if (needKeyframe && !au.keyframe) return;
      needKeyframe = false;
      const timestamp = (timestampBase + au.timestamp) >>> 0;
      au.payloads.forEach((payload, i) => {
        if (needKeyframe) return;
        const header = Buffer.alloc(RTP_HEADER_BYTES);
        header[0] = 0x80;
        header[1] = (i === au.payloads.length - 1 ? 0x80 : 0) | PAYLOAD_TYPE;
        header.writeUInt16BE(seq, 2);
        header.writeUInt32BE(timestamp, 4);
        header.writeUInt32BE(ssrc, 8);
        seq = (seq + 1) & 0xffff;
        if (!send(header, payload, au.bytes)) needKeyframe = true;
      });
    },
  };
};

class RtspConnection {
  private buffer: Buffer = Buffer.alloc(0);
  private queue: Promise<void> = Promise.resolve();
  readonly sessions = new Set<Session>();
  readonly nonce = randomBytes(16).toString('hex');
  readonly remoteAddress: string;

  constructor(
    readonly socket: Socket,
    private readonly server: RtspServer,
  ) {
    this.remoteAddress = (socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => server.connectionClosed(this));
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length === 0 ? chunk : Buffer.concat([this.buffer, chunk]);
    for (;;) {
      if (this.buffer.length === 0) return;
      if (this.buffer[0] === 0x24) {
        // Interleaved data from the client (RTCP receiver reports): it shows the client is alive.
        if (this.buffer.length < 4) return;
        const frameBytes = 4 + this.buffer.readUInt16BE(2);
        if (this.buffer.length < frameBytes) return;
        this.buffer = this.buffer.subarray(frameBytes);
        for (const s of this.sessions) s.lastSeenMs = Date.now();
        continue;
      }
      const headEnd = this.buffer.indexOf('\r\n\r\n');
      if (headEnd < 0) {
        if (this.buffer.length > MAX_REQUEST_HEAD_BYTES) this.reject(400);
        return;
      }
      const head = parseRequestHead(this.buffer.subarray(0, headEnd).toString('latin1'));
      if (!head) return this.reject(400);
      const bodyBytes = Number(head.headers.get('content-length') ?? '0');
      if (!Number.isInteger(bodyBytes) || bodyBytes < 0 || bodyBytes > MAX_REQUEST_BODY_BYTES) return this.reject(400);
      const total = headEnd + 4 + bodyBytes;
      if (this.buffer.length < total) return;
      const request: RtspRequest = { ...head, body: Buffer.from(this.buffer.subarray(headEnd + 4, total)) };
      this.buffer = this.buffer.subarray(total);
      // Responses go out in request order even when a handler waits (DESCRIBE waits for the encoder).
      this.queue = this.queue.then(async () => {
        const response = await this.server.handle(this, request);
        this.respond(request, response);
        if (response.status === 200 && request.method === 'PLAY') this.server.startPlaying(this, request);
      });
    }
  }

  private reject(status: number): void {
    this.socket.end(`RTSP/1.0 ${status} ${REASONS[status] ?? ''}\r\nContent-Length: 0\r\n\r\n`);
    this.buffer = Buffer.alloc(0);
  }

  private respond(request: RtspRequest, response: RtspResponse): void {
    if (this.socket.destroyed) return;
    const body = response.body ?? '';
    const lines = [`RTSP/1.0 ${response.status} ${REASONS[response.status] ?? 'Unknown'}`];
    const cseq = request.headers.get('cseq');
    if (cseq !== undefined) lines.push(`CSeq: ${cseq}`);
    lines.push('Server: camaudit-sim', `Date: ${new Date().toUTCString()}`);
    for (const [k, v] of Object.entries(response.headers ?? {})) lines.push(`${k}: ${v}`);
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`);
    this.socket.write(`${lines.join('\r\n')}\r\n\r\n${body}`);
  }

  /** Writes one interleaved RTP packet; false when the client is too far behind (packet dropped). */
  sendInterleaved(channel: number, header: Buffer, payload: Buffer, auBytes: number): boolean {
    if (this.socket.destroyed || this.socket.writableLength + auBytes > MAX_TCP_BACKLOG_BYTES) return false;
    const frame = Buffer.allocUnsafe(4 + header.length + payload.length);
    frame[0] = 0x24;
    frame[1] = channel;
    frame.writeUInt16BE(header.length + payload.length, 2);
    header.copy(frame, 4);
    payload.copy(frame, 4 + header.length);
    this.socket.write(frame);
    return true;
  }
}

class RtspServer {
  private readonly tcp: Server;
  private readonly connections = new Set<RtspConnection>();
  private readonly sessions = new Map<string, Session>();
  private readonly encoders = new Map<string, StreamEncoder>();
  private readonly sweepTimer: NodeJS.Timeout;
  private udp: Promise<UdpPair> | null = null;
  private workDir: Promise<string> | null = null;
  private readonly sceneFiles = new Map<string, Promise<string>>();
  private readonly sdpVersion = Date.now();
  port = 0;

  constructor(private readonly opts: RtspServerOptions) {
    for (const spec of opts.streams) {
      const path = normalisePath(spec.path);
      if (this.encoders.has(path)) throw new Error(`duplicate RTSP stream path ${spec.path}`);
      if (!Number.isFinite(spec.fps) || spec.fps <= 0 || spec.fps > 60) throw new Error(`stream ${spec.path}: fps must be in (0, 60]`);
      // H.264 4:2:0 needs even dimensions; libx264 refuses odd ones.
      const evenSize = (n: number): boolean => Number.isInteger(n) && n >= 16 && n <= 4096 && n % 2 === 0;
      if (!evenSize(spec.width) || !evenSize(spec.height)) throw new Error(`stream ${spec.path}: ${spec.width}x${spec.height} must be even integers in 16..4096`);
      this.encoders.set(path, new StreamEncoder({ ...spec, path }, () => this.sceneImage(spec), opts.encoderIdleStopMs ?? 10_000, opts.keyframeIntervalMs ?? 1000));
    }
    this.tcp = createServer((socket) => {
      if (this.connections.size >= MAX_CONNECTIONS) {
        socket.destroy();
        return;
      }
      socket.setNoDelay(true);
      this.connections.add(new RtspConnection(socket, this));
    });
    this.sweepTimer = setInterval(() => this.expireSessions(), 5000);
    this.sweepTimer.unref();
  }

  listen(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.tcp.once('error', reject);
      this.tcp.listen(this.opts.port ?? 0, this.opts.host, () => {
        this.tcp.off('error', reject);
        const address = this.tcp.address();
        if (address === null || typeof address === 'string') return reject(new Error('RTSP server has no TCP address'));
        this.port = address.port;
        resolve();
      });
    });
  }

  urlHost(): string {
    const h = this.opts.host === '0.0.0.0' || this.opts.host === '::' ? '127.0.0.1' : this.opts.host;
    return h.includes(':') ? `[${h}]` : h;
  }

  url(path: string): string {
    return `rtsp://${this.urlHost()}:${this.port}${normalisePath(path)}`;
  }

  encoderPids(): number[] {
    return [...this.encoders.values()].flatMap((e) => e.pids());
  }

  /** The scene still an encoder loops, written once per scene and size to the server's temp dir. */
  private sceneImage(spec: RtspStreamSpec): Promise<string> {
    const name = `${spec.scene}-${spec.width}x${spec.height}.png`;
    let file = this.sceneFiles.get(name);
    if (!file) {
      this.workDir ??= mkdtemp(join(tmpdir(), 'camaudit-rtsp-')).then((dir) => {
        installExitHook();
        liveWorkDirs.add(dir);
        return dir;
      });
      file = this.workDir.then(async (dir) => {
        const path = join(dir, name);
        await writeFile(path, await renderScenePng(spec.scene, spec.width, spec.height));
        return path;
      });
      file.catch(() => this.sceneFiles.delete(name));
      this.sceneFiles.set(name, file);
    }
    return file;
  }

  /** Renders the scenes ahead of the first client, which then waits only for the encoder. */
  prepareScenes(): Promise<void> {
    return Promise.all(this.opts.streams.map((spec) => this.sceneImage(spec))).then(() => undefined);
  }

  /** Maps a request URI to a stream path and whether it named the track (vs the aggregate). */
  private resolve(uri: string): { encoder: StreamEncoder; track: boolean } | null {
    let pathname: string;
    try {
      pathname = decodeURIComponent(new URL(uri).pathname);
    } catch {
      return null;
    }
    const path = normalisePath(pathname);
    const direct = this.encoders.get(path);
    if (direct) return { encoder: direct, track: false };
    if (path.endsWith(`/${TRACK_CONTROL}`)) {
      const parent = this.encoders.get(normalisePath(path.slice(0, -TRACK_CONTROL.length - 1)));
      if (parent) return { encoder: parent, track: true };
    }
    return null;
  }

  private authorised(conn: RtspConnection, request: RtspRequest): boolean {
    const creds = this.opts.credentials;
    if (!creds) return true;
    const params = parseDigestParams(request.headers.get('authorization') ?? '');
    if (!params) return false;
    const realm = params.get('realm') ?? '';
    const uri = params.get('uri') ?? '';
    const expected = md5(`${md5(`${creds.username}:${realm}:${creds.password}`)}:${conn.nonce}:${md5(`${request.method}:${uri}`)}`);
    return params.get('username') === creds.username && realm === DIGEST_REALM && params.get('nonce') === conn.nonce && safeEqual(params.get('response') ?? '', expected);
  }

  async handle(conn: RtspConnection, request: RtspRequest): Promise<RtspResponse> {
    if (request.version !== 'RTSP/1.0') return { status: 505 };
    if (request.headers.get('cseq') === undefined) return { status: 400 };
    if (!isMethod(request.method)) return { status: 501, headers: { Public: SUPPORTED_METHODS.join(', ') } };
    // RFC 2326 12.32: a required option the server does not know is refused, and named.
    const required = request.headers.get('require');
    if (required !== undefined) return { status: 551, headers: { Unsupported: required } };
    if (request.method === 'OPTIONS') return { status: 200, headers: { Public: SUPPORTED_METHODS.join(', ') } };
    if (!this.authorised(conn, request)) {
      return { status: 401, headers: { 'WWW-Authenticate': `Digest realm="${DIGEST_REALM}", nonce="${conn.nonce}", algorithm="MD5"` } };
    }
    const sessionId = request.headers.get('session')?.split(';')[0]?.trim();
    const session = sessionId === undefined ? undefined : this.sessions.get(sessionId);
    if (sessionId !== undefined && !session) return { status: 454 };
    if (session) session.lastSeenMs = Date.now();
    switch (request.method) {
      case 'DESCRIBE':
        return this.describe(request);
      case 'SETUP':
        return this.setup(conn, request, session);
      case 'PLAY':
        if (!session) return { status: 454 };
        return {
          status: 200,
          headers: {
            Session: sessionHeader(session.id),
            Range: 'npt=0.000-',
            'RTP-Info': `url=${this.url(session.encoder.spec.path)}/${TRACK_CONTROL};seq=${session.nextSeq()};rtptime=${session.rtpTime(session.encoder.joinTimestamp())}`,
          },
        };
      case 'PAUSE':
        if (!session) return { status: 454 };
        this.stopPlaying(session);
        return { status: 200, headers: { Session: sessionHeader(session.id) } };
      case 'TEARDOWN':
        if (!session) return { status: 454 };
        this.endSession(session);
        return { status: 200 };
      case 'GET_PARAMETER':
        return { status: 200, headers: session ? { Session: sessionHeader(session.id) } : {} };
    }
  }

  private async describe(request: RtspRequest): Promise<RtspResponse> {
    const target = this.resolve(request.uri);
    if (!target) return { status: 404 };
    const accept = request.headers.get('accept');
    if (accept !== undefined && !/application\/sdp|\*\/\*/i.test(accept)) return { status: 406 };
    try {
      const params = await target.encoder.acquire();
      const spec = target.encoder.spec;
      return {
        status: 200,
        headers: { 'Content-Type': 'application/sdp', 'Content-Base': `${this.url(spec.path)}/` },
        body: buildSdp(this.urlHost().replace(/^\[|\]$/g, ''), spec, params, this.sdpVersion),
      };
    } catch (e) {
      return encoderUnavailable(e);
    }
  }

  private async setup(conn: RtspConnection, request: RtspRequest, existing: Session | undefined): Promise<RtspResponse> {
    const target = this.resolve(request.uri);
    if (!target) return { status: 404 };
    // One track per stream: a session can hold only that stream, and not change transport mid-play.
    if (existing && existing.encoder !== target.encoder) return { status: 459 };
    if (existing?.playing) return { status: 455 };
    const wanted = chooseTransport(request.headers.get('transport') ?? '');
    if (!wanted) return { status: 461 };
    let transport: Transport;
    let transportHeader: string;
    if (wanted.kind === 'tcp') {
      const [rtpChannel, rtcpChannel] = wanted.channels ?? [conn.sessions.size * 2, conn.sessions.size * 2 + 1];
      transport = { kind: 'tcp', rtpChannel, rtcpChannel };
      transportHeader = `RTP/AVP/TCP;unicast;interleaved=${rtpChannel}-${rtcpChannel}`;
    } else {
      const udp = await this.udpSockets();
      // RTP goes only to the address the RTSP request came from: a `destination=` parameter is ignored
      // so that the simulator cannot be used to send a stream at a third party.
      const pacer = new UdpPacer(udp.rtp, wanted.ports[0], conn.remoteAddress);
      transport = { kind: 'udp', address: conn.remoteAddress, rtpPort: wanted.ports[0], rtcpPort: wanted.ports[1], pacer };
      transportHeader = `RTP/AVP;unicast;client_port=${wanted.ports[0]}-${wanted.ports[1]};server_port=${udp.rtp.address().port}-${udp.rtcp.address().port}`;
    }
    try {
      await target.encoder.acquire();
    } catch (e) {
      return encoderUnavailable(e);
    }
    const session = existing ?? this.createSession(conn, target.encoder, transport);
    if (session.transport !== transport && session.transport.kind === 'udp') session.transport.pacer.close();
    session.transport = transport;
    return { status: 200, headers: { Session: sessionHeader(session.id), Transport: `${transportHeader};ssrc=${session.ssrc.toString(16).padStart(8, '0')}` } };
  }

  private createSession(conn: RtspConnection, encoder: StreamEncoder, transport: Transport): Session {
    const id = randomBytes(8).toString('hex').toUpperCase();
    let session: Session | null = null;
    const writer = makeRtpWriter((header, payload, auBytes) => {
      if (!session) return false;
      const t = session.transport;
      return t.kind === 'tcp' ? conn.sendInterleaved(t.rtpChannel, header, payload, auBytes) : t.pacer.enqueue(header, payload, auBytes);
    });
    const created = { id, connection: conn, encoder, transport, playing: false, lastSeenMs: Date.now(), ...writer };
    session = created;
    this.sessions.set(id, created);
    conn.sessions.add(created);
    return created;
  }

  startPlaying(conn: RtspConnection, request: RtspRequest): void {
    const id = request.headers.get('session')?.split(';')[0]?.trim();
    const session = id === undefined ? undefined : this.sessions.get(id);
    if (!session || session.connection !== conn || session.playing) return;
    session.playing = true;
    // The encoder may have stopped for idleness between SETUP and PLAY: make sure it runs.
    session.encoder.acquire().catch(() => this.endSession(session));
    session.encoder.subscribe(session);
  }

  private stopPlaying(session: Session): void {
    if (!session.playing) return;
    session.playing = false;
    session.encoder.unsubscribe(session);
  }

  private endSession(session: Session): void {
    this.stopPlaying(session);
    if (session.transport.kind === 'udp') session.transport.pacer.close();
    this.sessions.delete(session.id);
    session.connection.sessions.delete(session);
  }

  connectionClosed(conn: RtspConnection): void {
    for (const s of [...conn.sessions]) this.endSession(s);
    this.connections.delete(conn);
  }

  private expireSessions(): void {
    const cutoff = Date.now() - SESSION_TIMEOUT_S * 1000;
    for (const s of [...this.sessions.values()]) if (s.lastSeenMs < cutoff) this.endSession(s);
  }

  private udpSockets(): Promise<UdpPair> {
    this.udp ??= bindUdpPair(this.opts.host).then((pair) => {
      // Receiver reports from UDP clients keep their sessions alive.
      pair.rtcp.on('message', (_msg, from) => {
        for (const s of this.sessions.values()) {
          if (s.transport.kind === 'udp' && s.transport.address === from.address && s.transport.rtcpPort === from.port) s.lastSeenMs = Date.now();
        }
      });
      return pair;
    });
    return this.udp;
  }

  async close(): Promise<void> {
    clearInterval(this.sweepTimer);
    const closed = new Promise<void>((resolve) => this.tcp.close(() => resolve()));
    for (const conn of this.connections) conn.socket.destroy();
    for (const s of [...this.sessions.values()]) this.endSession(s);
    await Promise.all([...this.encoders.values()].map((e) => e.close()));
    await closed;
    if (this.udp) {
      const { rtp, rtcp } = await this.udp;
      await Promise.all([rtp, rtcp].map((s) => new Promise<void>((resolve) => s.close(() => resolve()))));
    }
    if (this.workDir) {
      const dir = await this.workDir;
      await rm(dir, { recursive: true, force: true });
      liveWorkDirs.delete(dir);
    }
  }
}

const DIGEST_REALM = 'camaudit-sim';

/** 503 with the encoder's failure as the body: a simulator has no secrets, and the reason saves a debug session. */
const encoderUnavailable = (e: unknown): RtspResponse => ({
  status: 503,
  headers: { 'Content-Type': 'text/plain' },
  body: e instanceof Error ? e.message : String(e),
});

interface UdpPair {
  readonly rtp: UdpSocket;
  readonly rtcp: UdpSocket;
}

const sessionHeader = (id: string): string => `${id};timeout=${SESSION_TIMEOUT_S}`;

const normalisePath = (path: string): string => `/${path.replace(/^\/+/, '').replace(/\/+$/, '')}`;

const bindUdp = (host: string, port: number): Promise<UdpSocket> =>
  new Promise((resolve, reject) => {
    const socket = createSocket(host.includes(':') ? 'udp6' : 'udp4');
    socket.once('error', (e) => {
      socket.close();
      reject(e);
    });
    socket.bind(port, host, () => {
      socket.removeAllListeners('error');
      // ICMP port-unreachable from a client that went away surfaces here; sessions expire on their own.
      socket.on('error', () => undefined);
      resolve(socket);
    });
  });

/** RTP on an even port and RTCP on the next one (RFC 3550 11), as clients expect. */
const bindUdpPair = async (host: string): Promise<UdpPair> => {
  for (let attempt = 0; attempt < 32; attempt += 1) {
    const rtp = await bindUdp(host, 0);
    const port = rtp.address().port;
    if (port % 2 === 0 && port < 65535) {
      try {
        return { rtp, rtcp: await bindUdp(host, port + 1) };
      } catch {
        // The odd neighbour is taken: try another pair.
      }
    }
    rtp.close();
  }
  throw new Error('could not bind an even/odd UDP port pair for RTP/RTCP');
};

export const startRtspServer = async (opts: RtspServerOptions): Promise<RtspServerHandle> => {
  const server = new RtspServer(opts);
  await server.listen();
  await server.prepareScenes().catch(async (e: unknown) => {
    await server.close();
    throw e;
  });
  return {
    host: opts.host,
    port: server.port,
    url: (path) => server.url(path),
    encoderPids: () => server.encoderPids(),
    close: () => server.close(),
  };
};
