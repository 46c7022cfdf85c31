/**
 * The stream gate against hostile RTSP servers: a redirect to another address (the second server, on
 * 127.0.0.2, must never see a connection), a camera asking for Basic only, and a stream whose SPS
 * claims 16000x16000 (declared in the SDP, or only in-band). Real ffmpeg, real sockets.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { gate, probeOne } from '../../src/visit/device.js';
import { DEFAULT_PORT_SETTINGS, realPorts } from '../../src/pipeline/ports.js';
import { makeScope } from '../../src/pipeline/scope.js';
import { toDeviceRecord, toStoredFacts } from '../../src/rules/device-facts.js';
import { startHostileCamera } from '../../src/sim/hostile.js';
import { grabRtspFrames } from '../../src/stream/frames.js';
import { probeStream } from '../../src/stream/probe-stream.js';
import { startHostileRtsp, type HostileRtspHandle } from '../../src/sim/hostile-rtsp.js';
import { peakRssMb, processesNaming } from '../helpers/processes.js';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PASSWORD = `pw-gate-${process.pid}`;
const creds = { user: 'admin', password: PASSWORD };

/** Runs the CLI without blocking this process's event loop (the hostile servers live in it). */
const runCli = (args: readonly string[], env: NodeJS.ProcessEnv = process.env): Promise<{ status: number | null; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });

const open: HostileRtspHandle[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((s) => s.close()));
});
const start = async (...args: Parameters<typeof startHostileRtsp>): Promise<HostileRtspHandle> => {
  const s = await startHostileRtsp(...args);
  open.push(s);
  return s;
};

/** Peak RSS (VmHWM) of every ffmpeg whose command line names `token`, while `run` runs. */
const peakFfmpegRssMb = async <T>(token: string, run: () => Promise<T>): Promise<{ result: T; peakMb: number }> => {
  const peaks = new Map<string, number>();
  let running = true;
  const watch = (async () => {
    while (running) {
      for (const p of await processesNaming(token)) if (p.cmdline.includes('ffmpeg')) peaks.set(p.pid, Math.max(peaks.get(p.pid) ?? 0, await peakRssMb(p.pid)));
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const result = await run();
  running = false;
  await watch;
  return { result, peakMb: Math.max(0, ...peaks.values()) };
};

describe('RTSP redirects', () => {
  it('are refused: the redirect target on 127.0.0.2 never sees a connection, and the error says so', async () => {
    const elsewhere = await start('rtsp-basic', { host: '127.0.0.2' });
    const camera = await start('rtsp-redirect', { redirectTo: elsewhere.url('/live') });
    const r = await grabRtspFrames(camera.url('/live'), { frames: 1, seconds: 1, credentials: creds, firstFrameTimeoutMs: 3000 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error).toMatchObject({ kind: 'transport', reason: 'redirect', message: expect.stringContaining(elsewhere.url('/live')) });
    // Refused once: UDP would meet the same redirect.
    expect(camera.received.filter((m) => m === 'DESCRIBE')).toHaveLength(1);
    expect(elsewhere.connections().accepted).toBe(0);
    expect(elsewhere.authorizations).toEqual([]);
    expect(JSON.stringify(r.error)).not.toContain(PASSWORD);
  });

  it('`camaudit stream` shows the refused redirect in JSON and in text, and the second host stays untouched', async () => {
    const elsewhere = await start('rtsp-basic', { host: '127.0.0.2' });
    const camera = await start('rtsp-redirect', { redirectTo: elsewhere.url('/live') });
    const env = { ...process.env, CAMAUDIT_TEST_PW: PASSWORD };
    const args = ['stream', camera.url('/live'), '--frames', '1', '--seconds', '1', '--user', 'admin', '--password-env', 'CAMAUDIT_TEST_PW'];
    const json = await runCli([...args, '--json'], env);
    expect(json.status).toBe(3);
    expect(JSON.parse(json.stdout)).toMatchObject({ frames: 0, error: { kind: 'transport', reason: 'redirect' } });
    const text = await runCli(args, env);
    expect(text.stdout).toMatch(/error: redirect: DESCRIBE answered 302 to rtsp:\/\/127\.0\.0\.2:\d+\/live: RTSP redirects are refused/);
    expect(json.stdout + json.stderr + text.stdout + text.stderr).not.toContain(PASSWORD);
    expect(elsewhere.connections().accepted).toBe(0);
  });
});

describe('RTSP redirects in an inspection', () => {
  it('the refusal is the stream\'s error in the device result and in the inspection record', async () => {
    const elsewhere = await start('rtsp-basic', { host: '127.0.0.2' });
    const cam = await startHostileCamera('rtsp-redirect', { rtspRedirectTo: elsewhere.url('/live') });
    try {
      const result = await probeOne(
        realPorts({ ...DEFAULT_PORT_SETTINGS, callTimeoutMs: 1000, streamFrames: 1, streamSeconds: 1 }),
        { scope: makeScope(['127.0.0.1/32']), credentials: () => ({ username: 'admin', password: PASSWORD }), streamTests: true },
        { address: '127.0.0.1', xaddrs: [cam.xaddr], endpoint: 'urn:uuid:rtsp-redirect-test', scopes: [], via: 'ws-discovery' },
        new AbortController().signal,
        () => undefined,
        gate(1),
      );
      expect(result.streams[0]?.error).toMatchObject({ kind: 'transport', reason: 'redirect' });
      const record = toDeviceRecord(toStoredFacts('test', result, { calls: result.config?.calls.map(() => ({ request: 1, response: null })) ?? [], images: [[]] }));
      expect(record.streams[0]?.error).toMatch(/^redirect: DESCRIBE answered 302 to rtsp:\/\/127\.0\.0\.2:\d+\/live: RTSP redirects are refused/);
      expect(record.errors.join('\n')).toMatch(/RTSP redirects are refused/);
      expect(JSON.stringify(result.streams)).not.toContain(PASSWORD);
      expect(elsewhere.connections().accepted).toBe(0);
    } finally {
      await cam.close();
    }
  });
});

describe('Basic authentication over plain RTSP', () => {
  it('is not answered unless allowed: the password never leaves, and the refusal is a policy error', async () => {
    const camera = await start('rtsp-basic');
    const facts = await probeStream(camera.url('/live'), { frames: 1, seconds: 1, credentials: creds, firstFrameTimeoutMs: 3000 });
    expect(facts.error).toMatchObject({ kind: 'policy', message: expect.stringMatching(/only Basic.*--allow-basic-rtsp/) });
    expect(camera.authorizations).toEqual([]);
  });

  it('is answered once allowed (and the camera refusing it is an auth error)', async () => {
    const camera = await start('rtsp-basic');
    const r = await grabRtspFrames(camera.url('/live'), { frames: 1, seconds: 1, credentials: creds, allowBasicRtsp: true, firstFrameTimeoutMs: 3000 });
    expect(r.ok ? null : r.error).toMatchObject({ kind: 'auth' });
    expect(camera.authorizations).toEqual([`Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`]);
  });
});

describe('a stream that claims 16000x16000', () => {
  it.each([
    ['rtsp-huge-sdp', /declares 16000x16000 frames in its SDP/],
    ['rtsp-huge-inband', /pictures are 16000x16000, over the 16777216 pixel limit/],
  ] as const)('%s: refused with a clear error, ffmpeg memory bounded', async (mode, message) => {
    const camera = await start(mode);
    const token = `/${mode}-${process.pid}`;
    const t0 = performance.now();
    const { result: facts, peakMb } = await peakFfmpegRssMb(token, () => probeStream(camera.url(token), { frames: 1, seconds: 1, firstFrameTimeoutMs: 5000 }));
    const ms = Math.round(performance.now() - t0);
    console.log(`${mode}: ${ms} ms, ffmpeg peak RSS ${peakMb.toFixed(0)} MB, error ${JSON.stringify(facts.error)}`);
    expect(facts.frames).toBe(0);
    expect(facts.error).toMatchObject({ kind: 'transport', reason: 'too-large', message: expect.stringMatching(message) });
    // Unbounded, the decoder took about 1 GB for one picture; at the cap it keeps its per-macroblock tables only.
    expect(peakMb).toBeLessThan(250);
    expect(ms).toBeLessThan(5000);
  });
});

describe('a stalling camera and a killed camaudit', () => {
  it.each(['SIGTERM', 'SIGHUP', 'SIGINT', 'SIGKILL'] as const)('%s: no ffmpeg is left behind, and the camera sees its connection closed', async (signal) => {
    const camera = await start('rtsp-stall');
    const token = `/stall-${signal}-${process.pid}`;
    const cli = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'stream', camera.url(token), '--frames', '1', '--seconds', '60'], { cwd: root, stdio: 'ignore' });
    const ffmpegs = async (): Promise<string[]> => (await processesNaming(token)).filter((p) => p.cmdline.includes('ffmpeg')).map((p) => p.pid);
    const until = async (what: () => Promise<boolean>, ms: number): Promise<boolean> => {
      for (const end = Date.now() + ms; Date.now() < end; await new Promise((r) => setTimeout(r, 50))) if (await what()) return true;
      return false;
    };
    expect(await until(async () => camera.received.includes('DESCRIBE') && (await ffmpegs()).length > 0, 20_000)).toBe(true);
    const exited = new Promise((r) => cli.once('exit', r));
    cli.kill(signal);
    await exited;
    expect(await until(async () => (await ffmpegs()).length === 0 && camera.connections().open === 0, 5000)).toBe(true);
  });
});
