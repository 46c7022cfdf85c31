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
import { randomBytes } from 'node:crypto';
import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { renderScenePng } from './scenes.js';
import { digestAnswerMatches, parseDigestParams } from '../http/digest.js';
import { REASONS, TRACK_CONTROL, SUPPORTED_METHODS, buildSdp, chooseTransport, isMethod, parseRequestHead, type RtspRequest, type RtspResponse, type Transport } from './rtsp/messages.js';
import { StreamEncoder, installExitHook, liveWorkDirs, type Subscriber } from './rtsp/encoder.js';
import { UdpPacer, makeRtpWriter } from './rtsp/rtp-out.js';
import type { RtspStreamSpec } from './rtsp/stream-spec.js';

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

/** Payload size that keeps RTP over UDP under a 1500-byte Ethernet MTU. */
const SESSION_TIMEOUT_S = 60;
const MAX_REQUEST_HEAD_BYTES = 16 * 1024;
const MAX_REQUEST_BODY_BYTES = 64 * 1024;
/** A TCP client this far behind loses frames (and resyncs on the next keyframe) instead of growing memory. */
const MAX_TCP_BACKLOG_BYTES = 2 * 1024 * 1024;
/** A simulator serves a handful of inspectors' tools; more connections than this are refused. */
const MAX_CONNECTIONS = 64;

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
    return params.get('username') === creds.username && params.get('realm') === DIGEST_REALM && params.get('nonce') === conn.nonce && digestAnswerMatches(params, request.method, creds.password);
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

