import { spawnSync } from 'node:child_process';
import { createSocket } from 'node:dgram';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encoderArgs } from '../../src/sim/rtsp/encoder.js';
import { packetizeNal } from '../../src/sim/rtsp/h264.js';
import { parseDigestParams } from '../../src/http/digest.js';
import { chooseTransport, parseRequestHead } from '../../src/sim/rtsp/messages.js';
import { UdpPacer } from '../../src/sim/rtsp/rtp-out.js';
import { renderScenePng } from '../../src/sim/scenes.js';

describe('RTP packetisation (RFC 6184)', () => {
  it('sends a small NAL unit as is', () => {
    const nal = Buffer.from([0x67, 1, 2, 3]);
    expect(packetizeNal(nal, 100)).toEqual([nal]);
  });

  it('fragments a large NAL unit into FU-A packets that reassemble to the original', () => {
    const nal = Buffer.concat([Buffer.from([0x65]), Buffer.from(Array.from({ length: 2500 }, (_, i) => i % 251))]);
    const packets = packetizeNal(nal, 1000);
    expect(packets.length).toBe(3);
    for (const p of packets) {
      expect(p.length).toBeLessThanOrEqual(1000);
      expect((p[0] ?? 0) & 0x1f).toBe(28);
      expect((p[0] ?? 0) & 0xe0).toBe(0x60);
      expect((p[1] ?? 0) & 0x1f).toBe(5);
    }
    expect(packets.map((p) => (p[1] ?? 0) & 0xc0)).toEqual([0x80, 0x00, 0x40]);
    const rebuilt = Buffer.concat([Buffer.from([((packets[0]?.[0] ?? 0) & 0xe0) | ((packets[0]?.[1] ?? 0) & 0x1f)]), ...packets.map((p) => p.subarray(2))]);
    expect(rebuilt.equals(nal)).toBe(true);
  });
});

describe('RTSP parsing', () => {
  it('parses a request head and lower-cases header names', () => {
    expect(parseRequestHead('SETUP rtsp://h/p/track1 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP;unicast')).toEqual({
      method: 'SETUP',
      uri: 'rtsp://h/p/track1',
      version: 'RTSP/1.0',
      headers: new Map([['cseq', '3'], ['transport', 'RTP/AVP;unicast']]),
    });
    expect(parseRequestHead('GARBAGE')).toBeNull();
    expect(parseRequestHead('OPTIONS * RTSP/1.0\r\nno colon here')).toBeNull();
  });

  it('chooses the first unicast transport it can serve', () => {
    expect(chooseTransport('RTP/AVP/TCP;unicast;interleaved=4-5')).toEqual({ kind: 'tcp', channels: [4, 5] });
    expect(chooseTransport('RTP/AVP/TCP;unicast')).toEqual({ kind: 'tcp', channels: null });
    expect(chooseTransport('RTP/AVP;unicast;client_port=6000-6001')).toEqual({ kind: 'udp', ports: [6000, 6001] });
    expect(chooseTransport('RTP/AVP;multicast;port=5000-5001, RTP/AVP/UDP;unicast;client_port=7000')).toEqual({ kind: 'udp', ports: [7000, 7001] });
    expect(chooseTransport('RTP/AVP;multicast')).toBeNull();
    expect(chooseTransport('RTP/AVP;unicast')).toBeNull();
    expect(chooseTransport('RAW/RAW/UDP;unicast;client_port=1-2')).toBeNull();
    expect(chooseTransport('RTP/AVP;unicast;client_port=70000-70001')).toBeNull();
  });

  it('parses digest authorization parameters', () => {
    const p = parseDigestParams('Digest username="admin", realm="camaudit-sim", nonce="abc", uri="rtsp://h/p", response="0123"');
    expect(p?.get('username')).toBe('admin');
    expect(p?.get('uri')).toBe('rtsp://h/p');
    expect(p?.get('response')).toBe('0123');
    expect(parseDigestParams('Basic YWRtaW46eA==')).toBeNull();
  });
});

describe('encoder arguments', () => {
  it('work with the bundled 2018 ffmpeg (libx264): SPS, PPS and IDR at the keyframe interval', async () => {
    const require = createRequire(import.meta.url);
    const bundled: unknown = require('@ffmpeg-installer/ffmpeg');
    if (typeof bundled !== 'object' || bundled === null || !('path' in bundled) || typeof bundled.path !== 'string') throw new Error('bundled ffmpeg missing');
    const dir = mkdtempSync(join(tmpdir(), 'camaudit-enc-'));
    try {
      const image = join(dir, 'scene.png');
      writeFileSync(image, await renderScenePng('faces-near', 640, 360));
      const args = encoderArgs(image, { path: '/x', scene: 'faces-near', width: 640, height: 360, fps: 10 }, 5);
      // `-t 1` before the input limits the looped still to 1 s: 10 frames at 10 fps.
      const r = spawnSync(bundled.path, ['-t', '1', ...args], { maxBuffer: 32 * 1024 * 1024, timeout: 20_000 });
      expect(r.status, r.stderr.toString()).toBe(0);
      const types: number[] = [];
      const startCode = Buffer.from([0, 0, 1]);
      for (let i = r.stdout.indexOf(startCode); i >= 0; i = r.stdout.indexOf(startCode, i + 3)) types.push((r.stdout[i + 3] ?? 0) & 0x1f);
      expect(types.filter((t) => t === 9)).toHaveLength(10);
      expect(types.filter((t) => t === 5)).toHaveLength(2);
      expect(types.filter((t) => t === 7)).toHaveLength(2);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('UDP pacing', () => {
  it('sends every packet, in order, no faster than the pacing rate after the initial burst', async () => {
    const receiver = createSocket('udp4');
    const sender = createSocket('udp4');
    await new Promise<void>((resolve) => receiver.bind(0, '127.0.0.1', resolve));
    await new Promise<void>((resolve) => sender.bind(0, '127.0.0.1', resolve));
    const arrivals: { seq: number; atMs: number }[] = [];
    const count = 200;
    const done = new Promise<void>((resolve) =>
      receiver.on('message', (msg) => {
        arrivals.push({ seq: msg.readUInt16BE(2), atMs: performance.now() });
        if (arrivals.length === count) resolve();
      }),
    );
    const pacer = new UdpPacer(sender, receiver.address().port, '127.0.0.1');
    const payload = Buffer.alloc(1400 - 12, 7);
    const started = performance.now();
    try {
      for (let seq = 0; seq < count; seq += 1) {
        const header = Buffer.alloc(12);
        header.writeUInt16BE(seq, 2);
        expect(pacer.enqueue(header, payload, payload.length + 12)).toBe(true);
      }
      await done;
      // 280 KB at 1 MB/s with an 8 KB initial burst: at least ~270 ms.
      expect(performance.now() - started).toBeGreaterThan(250);
      expect(arrivals.map((a) => a.seq)).toEqual(Array.from({ length: count }, (_, i) => i));
    } finally {
      pacer.close();
      receiver.close();
      sender.close();
    }
  });
});
