/**
 * Crash safety of a real inspection: `camaudit inspect` is SIGKILLed at random moments against the
 * simulated office. Every time, the database opens and verifies, the devices recorded before the kill
 * are intact, and `inspect --resume` finishes the same inspection with every camera exactly once.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type SiteHandle } from '../../src/sim/site.js';
import { openStore, verifyStore } from '../../src/store/store.js';
import { freeUdpPort } from '../../src/sim/listen.js';

const wsdPort = await freeUdpPort();
const dir = mkdtempSync(join(tmpdir(), 'camaudit-kill-'));
let site: SiteHandle;
const env: Record<string, string> = {};

beforeAll(async () => {
  site = await startSite({ host: '127.0.0.1', discoveryPort: wsdPort, rtsp: false, control: false });
  const devices: Record<string, { user: string; passwordEnv: string }> = {};
  site.cameras.forEach((c, i) => {
    devices[`${c.address}:${c.port}`] = { user: c.username, passwordEnv: `KILL_TEST_PW_${i}` };
    env[`KILL_TEST_PW_${i}`] = c.password;
  });
  writeFileSync(join(dir, 'creds.json'), JSON.stringify({ devices }));
});

afterAll(async () => {
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Run the CLI; kill it with SIGKILL after `killAfterMs` (or let it finish when null). */
const cli = (args: readonly string[], killAfterMs: number | null): Promise<{ code: number | null; signal: string | null; stderr: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], {
      env: { ...process.env, ...env, CAMAUDIT_WSD_PORT: String(wsdPort) },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString('utf8')));
    const timer = killAfterMs === null ? null : setTimeout(() => child.kill('SIGKILL'), killAfterMs);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stderr });
    });
  });

describe('SIGKILL during an inspection', () => {
  it('never loses a completed step, and the inspection resumes to completion', async () => {
    // A fixed seed, so a failure can be replayed; kill points spread over start-up, discovery and probing.
    let seed = 20261122;
    const random = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rounds = 6;
    const outcomes: string[] = [];
    // Calibrate on this machine: kill points then fall inside a whole inspection's time, wherever it runs.
    const calibration = join(dir, 'calibration.db');
    const seedStore = openStore(calibration);
    seedStore.upsertSite({ id: 'K', name: 'Kill test office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });
    seedStore.close();
    const t0 = Date.now();
    const full = await cli(['inspect', '--db', calibration, '--site', 'K', '--interface', '127.0.0.1', '--no-stream', '--credentials', join(dir, 'creds.json')], null);
    expect(full.code, full.stderr).toBe(0);
    const wholeMs = Date.now() - t0;
    for (let round = 0; round < rounds; round++) {
      const db = join(dir, `visit-${round}.db`);
      const store = openStore(db);
      store.upsertSite({ id: 'K', name: 'Kill test office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });
      store.close();
      const args = ['inspect', '--db', db, '--site', 'K', '--interface', '127.0.0.1', '--no-stream', '--credentials', join(dir, 'creds.json')];
      const killAt = Math.floor(wholeMs * (0.35 + 0.6 * random()));
      const killed = await cli(args, killAt);

      expect(verifyStore(db).ok, `round ${round}: chain after a kill at ${killAt} ms`).toBe(true);
      const reopened = openStore(db);
      const unfinished = reopened.unfinishedInspections();
      const before = unfinished[0] ? reopened.loadInspection(unfinished[0].id) : null;
      reopened.close();
      if (killed.signal !== 'SIGKILL') {
        // It finished before the kill: nothing to resume, and the inspection is complete.
        expect(killed.code, killed.stderr).toBe(0);
        expect(unfinished).toEqual([]);
        outcomes.push(`${killAt} ms: finished first`);
        continue;
      }
      if (unfinished.length === 0) {
        outcomes.push(`${killAt} ms: killed before the inspection was opened`);
        continue;
      }
      outcomes.push(`${killAt} ms: killed with ${before?.devices.length ?? 0} of 6 devices recorded, resumed`);
      expect(before?.devices.every((d) => d.key !== '')).toBe(true);
      const keysBefore = new Set(before?.devices.map((d) => d.key));

      const resumed = await cli([...args, '--resume', unfinished[0]!.id], null);
      expect(resumed.code, resumed.stderr).toBe(0);
      expect(verifyStore(db).ok).toBe(true);
      const after = openStore(db);
      const record = after.loadInspection(unfinished[0]!.id);
      after.close();
      expect(record?.meta.endedAt).not.toBeNull();
      expect(record?.devices).toHaveLength(6);
      expect(new Set(record?.devices.map((d) => d.key)).size).toBe(6);
      for (const key of keysBefore) expect(record?.devices.some((d) => d.key === key)).toBe(true);
    }
    console.log(`kill rounds:\n  ${outcomes.join('\n  ')}`);
    // The kill points must actually interrupt inspections, or this test proves nothing.
    expect(outcomes.filter((o) => o.endsWith('resumed')).length).toBeGreaterThanOrEqual(3);
  }, 240_000);
});
