/**
 * A tiny RTSP server that never delivers a usable frame:
 * - `rtsp-garbage` answers every request with random bytes;
 * - `rtsp-stall` answers OPTIONS properly and then says nothing after DESCRIBE (the connection stays open);
 * - `rtsp-redirect` answers DESCRIBE with `302 Location: <redirectTo>` (another host, as a hostile camera
 *   does to collect the credentials a client sends on);
 * - `rtsp-basic` asks for Basic authentication only, and records every Authorization it is sent;
 * - `rtsp-huge-sdp` / `rtsp-huge-inband` stream a real H.264 picture whose sequence parameter set claims
 *   16000x16000, declared in the SDP's sprop-parameter-sets or only in-band (RTP over TCP).
 * A stream test against any of them must end at its own deadline or refuse, with an error.
 */
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { ffmpegPath } from '../stream/ffmpeg-path.js';
import { h264SpsLayout, rbsp } from '../stream/sps-size.js';
import { listen } from './listen.js';
import { AnnexBSplitter, NAL_PPS, NAL_SLICE_IDR, NAL_SPS, PAYLOAD_TYPE, RTP_CLOCK_HZ, nalType, packetizeNal } from './rtsp/h264.js';

export type HostileRtspMode = 'rtsp-garbage' | 'rtsp-stall' | 'rtsp-redirect' | 'rtsp-basic' | 'rtsp-huge-sdp' | 'rtsp-huge-inband';

export interface HostileRtspOptions {
  readonly host?: string;
  /** `rtsp-redirect`: the Location (default rtsp://127.0.0.2:554/live). */
  readonly redirectTo?: string;
}

export interface HostileRtspHandle {
  readonly port: number;
  /** `rtsp://host:port<path>`. */
  url(path: string): string;
  /** RTSP methods received, in order (garbage mode: `?` per chunk). */
  readonly received: readonly string[];
  /** Authorization header values received, in order. */
  readonly authorizations: readonly string[];
  /** Connections accepted so far, and how many are open now. */
  connections(): { readonly accepted: number; readonly open: number };
  close(): Promise<void>;
}

const GARBAGE_BYTES = 4096;
/** The size the crafted SPS claims: 256 MP, 384 MB per decoded picture. */
export const HUGE_SIDE_PX = 16000;

/** One picture of a small real H.264 stream (baseline, so the SPS is short): SPS, PPS and the IDR slice. */
const encodeTinyPicture = (): Promise<{ sps: Buffer; pps: Buffer; idr: Buffer }> =>
  new Promise((resolve, reject) => {
    const nals: Buffer[] = [];
    const splitter = new AnnexBSplitter((nal) => nals.push(nal));
    const child = spawn(
      ffmpegPath(),
      ['-hide_banner', '-loglevel', 'error', '-f', 'lavfi', '-i', 'testsrc=size=64x64:rate=1', '-frames:v', '1', '-pix_fmt', 'yuv420p', '-c:v', 'libx264', '-profile:v', 'baseline', '-f', 'h264', 'pipe:1'],
      { stdio: ['ignore', 'pipe', 'ignore'] },
    );
    child.stdout.on('data', (c: Buffer) => splitter.push(c));
    child.on('error', reject);
    child.on('close', () => {
      splitter.push(Buffer.from([0, 0, 1]));
      const find = (type: number): Buffer | undefined => nals.find((n) => nalType(n) === type);
      const [sps, pps, idr] = [find(NAL_SPS), find(NAL_PPS), find(NAL_SLICE_IDR)];
      if (sps && pps && idr) resolve({ sps, pps, idr });
      else reject(new Error('the encoder gave no SPS, PPS and IDR slice'));
    });
  });

const ue = (v: number): string => {
  const bits = (v + 1).toString(2);
  return '0'.repeat(bits.length - 1) + bits;
};

/** The SPS with its size fields rewritten to `side`x`side` (trailing bits and emulation prevention redone). */
export const spsClaiming = (sps: Buffer, side: number): Buffer => {
  const layout = h264SpsLayout(sps);
  if (!layout) throw new Error('not an H.264 SPS');
  const bits = [...rbsp(sps.subarray(1))].map((b) => b.toString(2).padStart(8, '0')).join('');
  const body = bits.slice(0, layout.sizeFieldsStart) + ue(side / 16 - 1) + ue(side / 16 - 1) + bits.slice(layout.sizeFieldsEnd, bits.lastIndexOf('1'));
  const padded = `${body}1`.padEnd(Math.ceil((body.length + 1) / 8) * 8, '0');
  const out = [sps[0] ?? 0x67];
  let zeros = 0;
  for (let i = 0; i < padded.length; i += 8) {
    const b = parseInt(padded.slice(i, i + 8), 2);
    if (zeros >= 2 && b <= 3) {
      out.push(3);
      zeros = 0;
    }
    out.push(b);
    zeros = b === 0 ? zeros + 1 : 0;
  }
  return Buffer.from(out);
};

const rtpPacket = (payload: Buffer, seq: number, timestamp: number, marker: boolean): Buffer => {
  const header = Buffer.alloc(12);
  header[0] = 0x80;
  header[1] = (marker ? 0x80 : 0) | PAYLOAD_TYPE;
  header.writeUInt16BE(seq & 0xffff, 2);
  header.writeUInt32BE(timestamp >>> 0, 4);
  header.writeUInt32BE(0x5eed, 8);
  const frame = Buffer.alloc(4);
  frame[0] = 0x24;
  frame.writeUInt16BE(header.length + payload.length, 2);
  return Buffer.concat([frame, header, payload]);
};

export const startHostileRtsp = async (mode: HostileRtspMode, opts: HostileRtspOptions = {}): Promise<HostileRtspHandle> => {
  const host = opts.host ?? '127.0.0.1';
  const received: string[] = [];
  const authorizations: string[] = [];
  const sockets = new Set<net.Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let accepted = 0;
  const huge = mode === 'rtsp-huge-sdp' || mode === 'rtsp-huge-inband' ? await encodeTinyPicture() : null;
  const hugeSps = huge ? spsClaiming(huge.sps, HUGE_SIDE_PX) : null;
  let port = 0;

  const answer = (socket: net.Socket, method: string, head: string, cseq: string): void => {
    const ok = (extra = '', body = ''): void =>
      void socket.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\n${extra}Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    if (method === 'OPTIONS') return ok('Public: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n');
    if (mode === 'rtsp-stall') return; // DESCRIBE and anything after it: silence, with the connection held open.
    if (mode === 'rtsp-redirect') return void socket.write(`RTSP/1.0 302 Found\r\nCSeq: ${cseq}\r\nLocation: ${opts.redirectTo ?? 'rtsp://127.0.0.2:554/live'}\r\nContent-Length: 0\r\n\r\n`);
    if (mode === 'rtsp-basic') {
      const auth = /^Authorization:\s*(.*)$/im.exec(head)?.[1];
      if (auth) authorizations.push(auth);
      return void socket.write(`RTSP/1.0 401 Unauthorized\r\nCSeq: ${cseq}\r\nWWW-Authenticate: Basic realm="camera"\r\nContent-Length: 0\r\n\r\n`);
    }
    if (!huge || !hugeSps) return;
    if (method === 'DESCRIBE') {
      const sprop = mode === 'rtsp-huge-sdp' ? `;sprop-parameter-sets=${hugeSps.toString('base64')},${huge.pps.toString('base64')}` : '';
      const sdp = ['v=0', `o=- 1 1 IN IP4 ${host}`, 's=hostile', 'c=IN IP4 0.0.0.0', 't=0 0', 'a=control:*', `m=video 0 RTP/AVP ${PAYLOAD_TYPE}`, `a=rtpmap:${PAYLOAD_TYPE} H264/${RTP_CLOCK_HZ}`, `a=fmtp:${PAYLOAD_TYPE} packetization-mode=1${sprop}`, 'a=control:track1', ''].join('\r\n');
      return ok(`Content-Type: application/sdp\r\nContent-Base: rtsp://${host}:${port}/\r\n`, sdp);
    }
    if (method === 'SETUP') {
      if (!/interleaved/i.test(head)) return void socket.write(`RTSP/1.0 461 Unsupported Transport\r\nCSeq: ${cseq}\r\nContent-Length: 0\r\n\r\n`);
      return ok('Session: 5EED;timeout=60\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n');
    }
    if (method !== 'PLAY') return ok();
    ok('Session: 5EED\r\nRange: npt=0.000-\r\n');
    // The same picture ten times a second, each time with the crafted SPS in front of it.
    let seq = 0;
    let frame = 0;
    const send = (): void => {
      if (socket.destroyed) return;
      const nals = [hugeSps, huge.pps, huge.idr];
      nals.forEach((nal, n) => {
        const payloads = packetizeNal(nal);
        payloads.forEach((p, i) => socket.write(rtpPacket(p, seq++, frame * 9000, n === nals.length - 1 && i === payloads.length - 1)));
      });
      frame += 1;
    };
    send();
    const timer = setInterval(send, 100);
    timers.add(timer);
    socket.on('close', () => {
      clearInterval(timer);
      timers.delete(timer);
    });
  };

  const server = net.createServer((socket) => {
    accepted += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      if (mode === 'rtsp-garbage') {
        received.push('?');
        socket.write(randomBytes(GARBAGE_BYTES));
        return;
      }
      pending += chunk.toString('latin1');
      // Interleaved RTCP from the client: skipped whole.
      while (pending.startsWith('$') && pending.length >= 4 && pending.length >= 4 + ((pending.charCodeAt(2) << 8) | pending.charCodeAt(3))) {
        pending = pending.slice(4 + ((pending.charCodeAt(2) << 8) | pending.charCodeAt(3)));
      }
      // Requests end with an empty line; bodies are not expected from a client before SETUP.
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0 && !pending.startsWith('$'); end = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        const method = head.split(' ', 1)[0] ?? '';
        received.push(method);
        answer(socket, method, head, /^CSeq:\s*(\d+)/im.exec(head)?.[1] ?? '0');
      }
    });
  });
  port = await listen(server, host);
  return {
    port,
    url: (path) => `rtsp://${host}:${port}${path}`,
    received,
    authorizations,
    connections: () => ({ accepted, open: sockets.size }),
    close: async () => {
      for (const t of timers) clearInterval(t);
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
};
