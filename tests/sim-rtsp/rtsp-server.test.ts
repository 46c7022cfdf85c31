import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRtspServer, type RtspServerHandle } from '../../src/sim/rtsp-server.js';
import type { RtspStreamSpec } from '../../src/sim/rtsp/stream-spec.js';
import { renderScenePng } from '../../src/sim/scenes.js';
import { grabFrames, meanAbsDiff, pixelStats } from './ffmpeg-client.js';

const W = 320;
const H = 180;
const streams: readonly RtspStreamSpec[] = [
  { path: '/entrance/main', scene: 'faces-near', width: 1280, height: 720, fps: 10 },
  { path: '/hall/main', scene: 'faces-far', width: 1280, height: 720, fps: 10 },
  { path: '/office/sub', scene: 'empty', width: 640, height: 360, fps: 10 },
];

/** Alive and not a zombie (an orphan killed after its parent exited may wait unreaped under a container's init). */
const isRunning = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    return !/^\d+ \(.*\) Z /.test(readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return process.platform !== 'linux';
  }
};

/** Sends raw RTSP requests on one connection and returns each response's text. */
const rtspExchange = async (port: number, requests: readonly string[]): Promise<string[]> => {
  const socket = connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let pending = '';
  socket.on('data', (d: Buffer) => {
    pending += d.toString('latin1');
  });
  const responses: string[] = [];
  for (const req of requests) {
    const before = responses.length;
    socket.write(req);
    const deadline = Date.now() + 10_000;
    while (responses.length === before && Date.now() < deadline) {
      const headEnd = pending.indexOf('\r\n\r\n');
      if (headEnd >= 0) {
        const bodyBytes = Number(/content-length:\s*(\d+)/i.exec(pending.slice(0, headEnd))?.[1] ?? '0');
        if (pending.length >= headEnd + 4 + bodyBytes) {
          responses.push(pending.slice(0, headEnd + 4 + bodyBytes));
          pending = pending.slice(headEnd + 4 + bodyBytes);
          continue;
        }
      }
      await new Promise((r) => setTimeout(r, 10));
    }
  }
  socket.destroy();
  return responses;
};

const statusOf = (response: string | undefined): number => Number(/^RTSP\/1\.0 (\d{3})/.exec(response ?? '')?.[1] ?? '0');
const sessionOf = (response: string | undefined): string => /^Session:\s*([^;\r\n]+)/im.exec(response ?? '')?.[1] ?? '';

describe('simulator RTSP server', () => {
  let server: RtspServerHandle;
  const sceneGrey = new Map<string, Buffer>();

  beforeAll(async () => {
    server = await startRtspServer({ host: '127.0.0.1', streams });
    for (const s of streams) sceneGrey.set(s.path, await sharp(await renderScenePng(s.scene, s.width, s.height)).resize(W, H, { fit: 'fill' }).greyscale().raw().toBuffer());
  });
  afterAll(async () => {
    await server.close();
  });

  describe.each(['tcp', 'udp'] as const)('over %s', (transport) => {
    it.each(streams.map((s) => [s.path, s.scene] as const))('serves %s (%s) as decodable frames of that scene', async (path) => {
      const grab = await grabFrames(server.url(path), { transport, frames: 5, width: W, height: H });
      expect(grab.exitCode, grab.stderr).toBe(0);
      expect(grab.frames).toHaveLength(5);
      const own = sceneGrey.get(path);
      if (!own) throw new Error('no reference');
      for (const frame of grab.frames) {
        expect(pixelStats(frame).stdev).toBeGreaterThan(20);
        // The stream shows its own scene (H.264 loss only), not another one.
        expect(meanAbsDiff(frame, own)).toBeLessThan(4);
      }
      console.log(`first frame ${transport} ${path}: ${grab.firstFrameMs?.toFixed(0)} ms`);
    });
  });

  it('tells the near scene from the empty one in the decoded video', async () => {
    const grab = await grabFrames(server.url('/entrance/main'), { transport: 'tcp', frames: 1, width: W, height: H });
    const empty = sceneGrey.get('/office/sub');
    if (!grab.frames[0] || !empty) throw new Error('no frame');
    expect(meanAbsDiff(grab.frames[0], empty)).toBeGreaterThan(15);
  });

  it('loses no UDP packets to the bundled 2018 ffmpeg when it asks for a 1 MB receive buffer', async () => {
    const require = createRequire(import.meta.url);
    const bundled: unknown = require('@ffmpeg-installer/ffmpeg');
    if (typeof bundled !== 'object' || bundled === null || !('path' in bundled) || typeof bundled.path !== 'string') throw new Error('bundled ffmpeg missing');
    const grab = await grabFrames(server.url('/entrance/main'), { transport: 'udp', frames: 15, width: W, height: H, bin: bundled.path, extraInputArgs: ['-buffer_size', '1048576'], logLevel: 'warning' });
    expect(grab.exitCode, grab.stderr).toBe(0);
    expect(grab.frames).toHaveLength(15);
    expect(grab.stderr).not.toMatch(/missed \d+ packets|error while decoding|concealing/);
  });

  it('serves two clients at once, one over TCP and one over UDP', async () => {
    const url = server.url('/entrance/main');
    const [a, b] = await Promise.all([
      grabFrames(url, { transport: 'tcp', frames: 15, width: W, height: H }),
      grabFrames(url, { transport: 'udp', frames: 15, width: W, height: H }),
    ]);
    expect(a.exitCode, a.stderr).toBe(0);
    expect(b.exitCode, b.stderr).toBe(0);
    expect(a.frames).toHaveLength(15);
    expect(b.frames).toHaveLength(15);
  });

  it('answers 404 for an unknown path, and ffmpeg fails', async () => {
    const grab = await grabFrames(server.url('/no/such/stream'), { transport: 'tcp', frames: 1, width: W, height: H });
    expect(grab.exitCode).not.toBe(0);
    expect(grab.stderr).toMatch(/404/);
    const [res] = await rtspExchange(server.port, [`DESCRIBE ${server.url('/nope')} RTSP/1.0\r\nCSeq: 7\r\n\r\n`]);
    expect(statusOf(res)).toBe(404);
    expect(res).toMatch(/^CSeq: 7$/m);
  });

  it('speaks RTSP: OPTIONS, DESCRIBE with SDP, session errors and unsupported transports', async () => {
    const url = server.url('/entrance/main');
    const res = await rtspExchange(server.port, [
      `OPTIONS ${url} RTSP/1.0\r\nCSeq: 1\r\n\r\n`,
      `DESCRIBE ${url} RTSP/1.0\r\nCSeq: 2\r\nAccept: application/sdp\r\n\r\n`,
      `SETUP ${url}/track1 RTSP/1.0\r\nCSeq: 3\r\nTransport: RTP/AVP;multicast;port=5000-5001\r\n\r\n`,
      `PLAY ${url} RTSP/1.0\r\nCSeq: 4\r\nSession: DOESNOTEXIST\r\n\r\n`,
      `SETUP ${url}/track1 RTSP/1.0\r\nCSeq: 5\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n`,
      `FLY ${url} RTSP/1.0\r\nCSeq: 6\r\n\r\n`,
      `OPTIONS ${url} RTSP/1.0\r\n\r\n`,
      `OPTIONS ${url} RTSP/2.0\r\nCSeq: 8\r\n\r\n`,
      `DESCRIBE ${url} RTSP/1.0\r\nCSeq: 9\r\nRequire: com.example.teleport\r\n\r\n`,
    ]);
    expect(res.map(statusOf)).toEqual([200, 200, 461, 454, 200, 501, 400, 505, 551]);
    expect(res[8]).toMatch(/^Unsupported: com\.example\.teleport$/m);
    expect(res[0]).toMatch(/^Public: .*DESCRIBE.*SETUP.*PLAY.*TEARDOWN.*GET_PARAMETER/m);
    expect(res[1]).toMatch(/^Content-Type: application\/sdp$/m);
    expect(res[1]).toMatch(/^a=rtpmap:96 H264\/90000$/m);
    expect(res[1]).toMatch(/^a=fmtp:96 packetization-mode=1;profile-level-id=[0-9a-f]{6};sprop-parameter-sets=[A-Za-z0-9+/=]+,[A-Za-z0-9+/=]+$/m);
    expect(res[4]).toMatch(/^Transport: RTP\/AVP\/TCP;unicast;interleaved=0-1;ssrc=[0-9a-f]{8}$/m);
    const session = sessionOf(res[4]);
    expect(session).toMatch(/^[0-9A-F]{16}$/);
  });

  it('ends a connection\'s sessions when the connection closes', async () => {
    const url = server.url('/entrance/main');
    const [setup] = await rtspExchange(server.port, [`SETUP ${url}/track1 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP;unicast;client_port=40000-40001\r\n\r\n`]);
    expect(statusOf(setup)).toBe(200);
    expect(setup).toMatch(/^Transport: RTP\/AVP;unicast;client_port=40000-40001;server_port=(\d*[02468])-\d+;ssrc=/m);
    const after = await rtspExchange(server.port, [`PLAY ${url} RTSP/1.0\r\nCSeq: 2\r\nSession: ${sessionOf(setup)}\r\n\r\n`]);
    expect(after.map(statusOf)).toEqual([454]);
  });

  it('keeps a session to one stream (459), refuses re-SETUP while playing (455), and tears down', async () => {
    const url = server.url('/entrance/main');
    const other = server.url('/hall/main');
    const socket = connect(server.port, '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    let text = '';
    socket.on('data', (d: Buffer) => {
      text += d.toString('latin1');
    });
    const waitFor = async (re: RegExp): Promise<string> => {
      const deadline = Date.now() + 10_000;
      for (;;) {
        const m = re.exec(text);
        if (m) return m[0];
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${String(re)} in ${text.slice(0, 500)}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    };
    socket.write(`SETUP ${url}/track1 RTSP/1.0\r\nCSeq: 1\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n`);
    const id = /Session: ([0-9A-F]+)/.exec(await waitFor(/CSeq: 1\r\n[\s\S]*?Session: [0-9A-F]+/))?.[1] ?? '';
    socket.write(`SETUP ${other}/track1 RTSP/1.0\r\nCSeq: 2\r\nSession: ${id}\r\nTransport: RTP/AVP/TCP;unicast;interleaved=2-3\r\n\r\n`);
    expect(await waitFor(/RTSP\/1\.0 \d+ [^\r]*\r\nCSeq: 2/)).toMatch(/^RTSP\/1\.0 459/);
    socket.write(`PLAY ${url} RTSP/1.0\r\nCSeq: 3\r\nSession: ${id}\r\n\r\n`);
    expect(await waitFor(/RTSP\/1\.0 \d+ [^\r]*\r\nCSeq: 3[\s\S]*?RTP-Info: [^\r]*/)).toMatch(/^RTSP\/1\.0 200[\s\S]*RTP-Info: url=.*track1;seq=\d+;rtptime=\d+/);
    // Interleaved RTP follows the PLAY response: a '$' frame on channel 0 with an RTP version-2 header.
    const hasRtpOnChannel0 = (): boolean => {
      const at = text.indexOf('$\u0000');
      return at >= 0 && text.charCodeAt(at + 4) === 0x80;
    };
    const deadline = Date.now() + 5000;
    while (!hasRtpOnChannel0() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(hasRtpOnChannel0()).toBe(true);
    socket.write(`SETUP ${url}/track1 RTSP/1.0\r\nCSeq: 4\r\nSession: ${id}\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n`);
    expect(await waitFor(/RTSP\/1\.0 \d+ [^\r]*\r\nCSeq: 4/)).toMatch(/^RTSP\/1\.0 455/);
    socket.write(`TEARDOWN ${url} RTSP/1.0\r\nCSeq: 5\r\nSession: ${id}\r\n\r\n`);
    expect(await waitFor(/RTSP\/1\.0 \d+ [^\r]*\r\nCSeq: 5/)).toMatch(/^RTSP\/1\.0 200/);
    socket.write(`GET_PARAMETER ${url} RTSP/1.0\r\nCSeq: 6\r\nSession: ${id}\r\n\r\n`);
    expect(await waitFor(/RTSP\/1\.0 \d+ [^\r]*\r\nCSeq: 6/)).toMatch(/^RTSP\/1\.0 454/);
    socket.destroy();
  });
});

describe('simulator RTSP server lifecycle', () => {
  it('refuses stream specs it cannot encode', async () => {
    const base = streams[2] as RtspStreamSpec;
    await expect(startRtspServer({ host: '127.0.0.1', streams: [{ ...base, width: 641 }] })).rejects.toThrow(/even integers/);
    await expect(startRtspServer({ host: '127.0.0.1', streams: [{ ...base, fps: 0 }] })).rejects.toThrow(/fps/);
    await expect(startRtspServer({ host: '127.0.0.1', streams: [base, { ...base, path: 'office/sub/' }] })).rejects.toThrow(/duplicate/);
  });

  it('needs digest credentials when configured', async () => {
    const server = await startRtspServer({ host: '127.0.0.1', streams: [streams[2] as RtspStreamSpec], credentials: { username: 'admin', password: 's3cret' } });
    try {
      const url = new URL(server.url('/office/sub'));
      const anonymous = await grabFrames(url.href, { transport: 'tcp', frames: 1, width: W, height: H });
      expect(anonymous.exitCode).not.toBe(0);
      expect(anonymous.stderr).toMatch(/401/);
      url.username = 'admin';
      url.password = 'wrong';
      const wrong = await grabFrames(url.href, { transport: 'tcp', frames: 1, width: W, height: H });
      expect(wrong.exitCode).not.toBe(0);
      url.password = 's3cret';
      const ok = await grabFrames(url.href, { transport: 'tcp', frames: 2, width: W, height: H });
      expect(ok.exitCode, ok.stderr).toBe(0);
      expect(ok.frames).toHaveLength(2);
    } finally {
      await server.close();
    }
  });

  it('starts encoders on demand, stops them when idle, and leaves no ffmpeg after close()', async () => {
    const server = await startRtspServer({ host: '127.0.0.1', streams, encoderIdleStopMs: 300 });
    expect(server.encoderPids()).toEqual([]);
    const grab = await grabFrames(server.url('/office/sub'), { transport: 'tcp', frames: 1, width: W, height: H });
    expect(grab.exitCode, grab.stderr).toBe(0);
    const [idlePid] = server.encoderPids();
    expect(idlePid).toBeDefined();
    const deadline = Date.now() + 5000;
    while (server.encoderPids().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(server.encoderPids()).toEqual([]);
    expect(isRunning(idlePid ?? 0)).toBe(false);

    // Two streams busy at close time, one client still pulling.
    const pulling = grabFrames(server.url('/entrance/main'), { transport: 'tcp', frames: 1000, width: W, height: H });
    await grabFrames(server.url('/hall/main'), { transport: 'udp', frames: 1, width: W, height: H });
    while (server.encoderPids().length < 2 && Date.now() < deadline + 10_000) await new Promise((r) => setTimeout(r, 50));
    const pids = server.encoderPids();
    expect(pids).toHaveLength(2);
    await server.close();
    expect(server.encoderPids()).toEqual([]);
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
    const client = await pulling;
    expect(client.frames.length).toBeLessThan(1000);
  });

  it('restarts a crashed encoder for the clients still playing', async () => {
    const server = await startRtspServer({ host: '127.0.0.1', streams: [streams[2] as RtspStreamSpec] });
    try {
      // Warm the encoder first, so the kill below hits a running stream rather than its start-up.
      const warm = await grabFrames(server.url('/office/sub'), { transport: 'tcp', frames: 1, width: W, height: H });
      expect(warm.exitCode, warm.stderr).toBe(0);
      const [first] = server.encoderPids();
      const pulling = grabFrames(server.url('/office/sub'), { transport: 'tcp', frames: 40, width: W, height: H, timeoutMs: 20_000 });
      await new Promise((r) => setTimeout(r, 1000));
      process.kill(first ?? 0, 'SIGKILL');
      const grab = await pulling;
      expect(grab.exitCode, grab.stderr).toBe(0);
      expect(grab.frames).toHaveLength(40);
      const [second] = server.encoderPids();
      expect(second).toBeDefined();
      expect(second).not.toBe(first);
    } finally {
      await server.close();
    }
  });

  it('leaves no encoder running and no temp files when the process exits without close()', async () => {
    const tmp = mkdtempSync(join(tmpdir(), 'camaudit-exit-test-'));
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./exit-child.ts', import.meta.url))], { encoding: 'utf8', timeout: 30_000, env: { ...process.env, TMPDIR: tmp } });
    // tsx keeps its own cache in TMPDIR; only the simulator's dirs matter here.
    const leftovers = readdirSync(tmp).filter((name) => name.startsWith('camaudit-rtsp-'));
    rmSync(tmp, { recursive: true, force: true });
    expect(child.status, child.stderr).toBe(0);
    expect(leftovers).toEqual([]);
    const pids = child.stdout.trim().split(',').map(Number);
    expect(pids).toHaveLength(1);
    // SIGKILL is delivered at exit; give the kernel a moment to tear the process down.
    const deadline = Date.now() + 3000;
    while (pids.some(isRunning) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    for (const pid of pids) expect(isRunning(pid)).toBe(false);
  });

  it('measures time to first frame on loopback (cold encoder and warm)', async () => {
    const server = await startRtspServer({ host: '127.0.0.1', streams: [streams[0] as RtspStreamSpec] });
    try {
      const url = server.url('/entrance/main');
      const cold = await grabFrames(url, { transport: 'tcp', frames: 1, width: W, height: H });
      const warm = [];
      for (let i = 0; i < 3; i += 1) warm.push(await grabFrames(url, { transport: 'tcp', frames: 1, width: W, height: H }));
      const protocol = [];
      for (let i = 0; i < 3; i += 1) protocol.push(await firstKeyframeMs(server.port, url));
      const fmt = (ms: readonly number[]): string => ms.map((m) => m.toFixed(0)).join(' / ');
      console.log(
        `time to first frame, 1280x720 H.264 over RTSP/TCP on loopback: ffmpeg client decoded frame cold ${cold.firstFrameMs?.toFixed(0)} ms, ` +
          `warm ${fmt(warm.map((g) => g.firstFrameMs ?? Infinity))} ms; server side (connect to last packet of the first keyframe) ${fmt(protocol)} ms`,
      );
      expect(cold.frames).toHaveLength(1);
      for (const g of warm) expect(g.frames).toHaveLength(1);
      // Project target: under 1 s on loopback. The server's share is asserted; the ffmpeg client's own
      // start-up (process launch, probing) varies with machine load and is only reported.
      expect(Math.max(...protocol)).toBeLessThan(1000);
    } finally {
      await server.close();
    }
  });
});

/** A minimal RTSP client: DESCRIBE, SETUP (TCP interleaved), PLAY; time until the first keyframe has fully arrived. */
const firstKeyframeMs = async (port: number, url: string): Promise<number> => {
  const started = performance.now();
  const socket = connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  let data = Buffer.alloc(0);
  socket.on('data', (d: Buffer) => {
    data = Buffer.concat([data, d]);
  });
  const until = async <T>(probe: () => T | null): Promise<T> => {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const v = probe();
      if (v !== null) return v;
      if (Date.now() > deadline) throw new Error('timed out');
      await new Promise((r) => setTimeout(r, 2));
    }
  };
  const response = (cseq: number): string | null => /RTSP\/1\.0 200 OK\r\nCSeq: (\d+)[\s\S]*?\r\n\r\n/.exec(data.toString('latin1'))?.[1] === String(cseq) ? data.toString('latin1') : null;
  socket.write(`DESCRIBE ${url} RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
  await until(() => (/a=control:track1\r\n/.test(data.toString('latin1')) ? true : null));
  data = Buffer.alloc(0);
  socket.write(`SETUP ${url}/track1 RTSP/1.0\r\nCSeq: 2\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n`);
  const setup = await until(() => response(2));
  const session = sessionOf(setup.slice(setup.indexOf('\r\n') + 2));
  data = Buffer.alloc(0);
  socket.write(`PLAY ${url} RTSP/1.0\r\nCSeq: 3\r\nSession: ${session}\r\n\r\n`);
  await until(() => {
    const text = data.toString('latin1');
    const headEnd = text.indexOf('\r\n\r\n');
    if (headEnd < 0) return null;
    // Walk the interleaved frames after the PLAY response; a marker bit ends the first access unit.
    let off = headEnd + 4;
    while (off + 4 <= data.length && data[off] === 0x24) {
      const len = data.readUInt16BE(off + 2);
      if (off + 4 + len > data.length) return null;
      if (((data[off + 5] ?? 0) & 0x80) !== 0) return true;
      off += 4 + len;
    }
    return null;
  });
  const ms = performance.now() - started;
  socket.destroy();
  return ms;
};
