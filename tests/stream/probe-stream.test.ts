import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeStream } from '../../src/stream/probe-stream.js';
import { gstMissing, startGstServer, type GstServer } from './gst-server.js';

const missing = gstMissing();
if (missing) console.warn(`SKIPPED stream probe tests against a real RTSP server: ${missing}`);
const astronaut = fileURLToPath(new URL('../fixtures/images/astronaut.png', import.meta.url));
const root = fileURLToPath(new URL('../../', import.meta.url));

describe.skipIf(missing !== null)('probeStream and `camaudit stream` against a real RTSP server', () => {
  let server: GstServer;
  let dir: string;
  beforeAll(async () => {
    server = await startGstServer(astronaut, 1280, 720, 10);
    dir = await mkdtemp(join(tmpdir(), 'camaudit-evidence-'));
  });
  afterAll(async () => {
    await server.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('grades the astronaut at 720p as recognisable and keeps blurred evidence', async () => {
    const facts = await probeStream(server.url.replace('rtsp://', 'rtsp://admin:pw-x9@'), { frames: 2, seconds: 1, evidenceDir: dir });
    expect(facts.error).toBeNull();
    expect(facts).toMatchObject({ source: 'rtsp', frames: 2, facesPerFrame: [1, 1], facesSeen: 2, captureGrade: 'recognisable' });
    // 45 px between the eyes at 512 px, shown 720 px high: about 63 px
    expect(facts.maxEyeDistance).toBeGreaterThan(50);
    expect(facts.uri).not.toContain('pw-x9');
    expect(facts.evidence).toHaveLength(1);
    const file = facts.evidence[0]?.file;
    expect(file).toBeDefined();
    expect((await readFile(file!)).length).toBe(facts.evidence[0]!.bytes.length);
  });

  it('analyses a 1440p stream at 1080p and reports sizes in the camera\'s own pixels', async () => {
    const big = await startGstServer(astronaut, 2560, 1440, 5);
    try {
      const facts = await probeStream(big.url, { frames: 1, seconds: 1, firstFrameTimeoutMs: 10_000 });
      expect(facts.error).toBeNull();
      expect(facts.evidence[0]).toMatchObject({ width: 1920, height: 1080 });
      // 45 px between the eyes at 512 px, shown 1440 px high: about 127 camera pixels
      expect(facts.maxEyeDistance).toBeGreaterThan(110);
      expect(facts.maxEyeDistance).toBeLessThan(145);
    } finally {
      await big.stop();
    }
  });

  it('`camaudit stream --json` prints the stream object', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'stream', server.url, '--frames', '1', '--seconds', '1', '--json'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out: unknown = JSON.parse(r.stdout);
    expect(out).toMatchObject({ uri: server.url, frames: 1, facesSeen: 1, captureGrade: 'recognisable', evidence: [{ facesBlurred: 1 }] });
  });
});

describe('probeStream on a dead target', () => {
  it('returns facts with an error and no-frames, never throws', async () => {
    const facts = await probeStream('rtsp://127.0.0.1:9/none', { frames: 1, seconds: 1, firstFrameTimeoutMs: 500 });
    expect(facts).toMatchObject({ frames: 0, captureGrade: 'no-frames', error: { kind: 'transport' } });
  });
  it('`camaudit stream` exits 3 and still prints the facts, password redacted', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'stream', 'rtsp://127.0.0.1:9/none', '--frames', '1', '--seconds', '1', '--user', 'admin', '--password-env', 'CAMAUDIT_TEST_PW', '--json'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, CAMAUDIT_TEST_PW: 'pw-never-shown' },
    });
    expect(r.status).toBe(3);
    expect(JSON.parse(r.stdout)).toMatchObject({ frames: 0, captureGrade: 'no-frames', error: { kind: 'transport', reason: 'refused' } });
    expect(r.stdout + r.stderr).not.toContain('pw-never-shown');
  });
  it('`camaudit stream` names each transport tried with its own reason, in JSON and in text', () => {
    const cli = (extra: string[]): string =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'stream', 'rtsp://127.0.0.1:9/none', '--frames', '1', '--seconds', '1', ...extra], { cwd: root, encoding: 'utf8', timeout: 60_000 }).stdout;
    expect(JSON.parse(cli(['--json']))).toMatchObject({
      error: { kind: 'transport', reason: 'refused', attempts: [{ transport: 'tcp', error: { reason: 'refused' } }, { transport: 'udp', error: { reason: 'refused' } }] },
    });
    expect(cli([])).toMatch(/^error: refused: tcp: refused: .*; udp: refused: /m);
  });
  it('`camaudit stream` refuses a bad --frames with exit 2', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'stream', 'rtsp://127.0.0.1:9/x', '--frames', 'many'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
  });
});
