/** `camaudit probe` and `camaudit scan` end to end: spawned CLI against fixture replays on 127.0.0.1. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startReplay, type Replay } from './replay-server.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PASSWORD = 'Pässwörd-人脸';

const camaudit = (args: readonly string[], env: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      const code = error && typeof error.code === 'number' ? error.code : error ? 1 : 0;
      resolve({ code, stdout, stderr });
    });
  });

let replay: Replay | null = null;
afterEach(async () => {
  await replay?.close();
  replay = null;
});

describe('camaudit probe', () => {
  it('prints the documented JSON for a face-capable camera, password from the environment', async () => {
    replay = await startReplay({ dir: 'sunba-Performance-Series', credentials: { username: 'inspector', password: PASSWORD }, clockOffsetMs: 600_000 });
    const r = await camaudit(['probe', replay.url, '--user', 'inspector', '--password-env', 'CAMAUDIT_TEST_PW', '--json', '--timeout', '3000'], { CAMAUDIT_TEST_PW: PASSWORD });
    expect(r.code, r.stderr).toBe(0);
    const json: unknown = JSON.parse(r.stdout);
    expect(json).toMatchObject({
      device: { manufacturer: 'SUNBA', model: 'Performance-Series', firmware: expect.any(String) },
      services: expect.any(Array),
      // Media2 names the profiles; encoder and size come from the Media1 profile of the same token.
      profiles: expect.arrayContaining([expect.objectContaining({ token: 'media_profile1', encoder: 'H264', width: 2592, height: 1944, rtsp: expect.stringMatching(/^rtsp:/), snapshot: null })]),
      face: { supported: true, enabled: false, reasons: expect.arrayContaining([expect.objectContaining({ source: 'profile-analytics', name: 'tt:FaceDetectorEngine', pattern: expect.any(String) })]) },
      calls: expect.arrayContaining([expect.objectContaining({ action: 'GetSystemDateAndTime', status: 'ok', ms: expect.any(Number), sha256: expect.stringMatching(/^[0-9a-f]{64}$/) })]),
      errors: expect.any(Array),
    });
    const device = (json as { device: Record<string, unknown> }).device;
    expect(Object.keys(device).sort()).toEqual(['firmware', 'hardwareId', 'manufacturer', 'model', 'serial']);
    expect(r.stdout + r.stderr).not.toContain(PASSWORD);
  });

  it('prints a readable summary', async () => {
    replay = await startReplay({ dir: 'hikvision-DS-2CD2012-I' });
    const r = await camaudit(['probe', replay.url, '--timeout', '3000']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/HIKVISION DS-2CD2012-I/);
    expect(r.stdout).toMatch(/Face\s+supported: no\s+enabled: no/);
  });

  it('exits 3 when the device is unreachable', async () => {
    replay = await startReplay({ dir: 'pelco-D6230L' });
    const url = replay.url;
    await replay.close();
    replay = null;
    const r = await camaudit(['probe', url, '--timeout', '1000']);
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(/refused/);
  });

  it.each([
    [['probe', 'http://127.0.0.1:9/', '--user', 'u', '--password', 'secret']],
    [['probe', 'http://127.0.0.1:9/', '--password-env', 'X']],
    [['probe', 'http://127.0.0.1:9/', '--user', 'u']],
    [['probe', 'not-a-url']],
    [['probe', 'http://127.0.0.1:9/', '--timeout', 'soon']],
  ])('exits 2 on usage errors: %j', async (args) => {
    const r = await camaudit(args);
    expect(r.code).toBe(2);
  });
});

describe('camaudit scan', () => {
  it('prints a JSON array for a loopback scan', async () => {
    const r = await camaudit(['scan', '--interface', '127.0.0.1', '--timeout', '600', '--json']);
    expect(r.code, r.stderr).toBe(0);
    const json: unknown = JSON.parse(r.stdout);
    expect(Array.isArray(json)).toBe(true);
  });

  it('refuses a sweep larger than a /22 (exit 2) and an unknown interface', async () => {
    expect((await camaudit(['scan', '--interface', '127.0.0.1', '--timeout', '500', '--sweep', '127.0.0.0/16'])).code).toBe(2);
    expect((await camaudit(['scan', '--interface', 'no-such-nic0', '--timeout', '500'])).code).toBe(2);
  });
});
