import { randomBytes, randomInt } from 'node:crypto';
import type { Socket as UdpSocket } from 'node:dgram';
import { PAYLOAD_TYPE, type AccessUnit } from './h264.js';

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
export const makeRtpWriter = (send: (header: Buffer, payload: Buffer, auBytes: number) => boolean) => {
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

