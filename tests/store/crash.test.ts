/**
 * Crash safety: a writer process is SIGKILLed at random points, 20 times, against one file. After
 * each kill the database opens, the chain verifies, and every step the writer reported as committed
 * is there. The writer prints a step only after its transaction returned.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/store/store.js';
import { rawGet } from './raw.js';

const dir = mkdtempSync(join(tmpdir(), 'camaudit-crash-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const KILLS = 20;

const runAndKill = (file: string, afterReadyMs: number): Promise<string[]> =>
  new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(import.meta.dirname, 'crash-writer.ts'), file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (b: Buffer) => {
      out += b.toString();
      if (!timer && out.includes('ready')) timer = setTimeout(() => child.kill('SIGKILL'), afterReadyMs);
    });
    child.stderr.on('data', (b: Buffer) => { errText += b.toString(); });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited ${code}: ${errText}`));
      else resolve(out.split('\n').filter(Boolean));
    });
  });

describe('crash safety', () => {
  it(`survives ${KILLS} SIGKILLs at random points with every committed step present`, async () => {
    const file = join(dir, 'crash.db');
    const committed = { devices: 0, checklist: 0 };
    for (let k = 0; k < KILLS; k++) {
      const lines = await runAndKill(file, Math.floor(Math.random() * 150));
      committed.devices += lines.filter((l) => l.startsWith('device ')).length;
      committed.checklist += lines.filter((l) => l.startsWith('checklist ')).length;
      const v = verifyStore(file);
      expect(v, `after kill ${k + 1}`).toMatchObject({ ok: true });
      const counts = rawGet(file, 'SELECT (SELECT COUNT(*) FROM devices) AS d, (SELECT COUNT(*) FROM checklist) AS c');
      // The kill may land after a commit but before the line is printed: stored >= reported, never less.
      expect(counts).toMatchObject({ d: expect.any(Number), c: expect.any(Number) });
      const { d, c } = counts as { d: number; c: number };
      expect(d).toBeGreaterThanOrEqual(committed.devices);
      expect(c).toBeGreaterThanOrEqual(committed.checklist);
      expect(d - committed.devices).toBeLessThanOrEqual(k + 1);
    }
    expect(committed.devices).toBeGreaterThan(0);
  }, 240_000);
});
