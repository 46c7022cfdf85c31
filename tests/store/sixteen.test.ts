/**
 * A 16-camera inspection (~20 calls of 5-30 KB and 2 blurred JPEGs of ~60 KB per camera): time and
 * size are printed for the report; the CLI then verifies it (exit 0) and catches a tampered copy (exit 4).
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { deriveFindings } from '../../src/rules/derive.js';
import { openStore } from '../../src/store/store.js';
import { device, inspectionInput, site } from './synth.js';

const dir = mkdtempSync(join(tmpdir(), 'camaudit-16-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

it('records a 16-camera inspection; verify exits 0, and 4 on a tampered copy', () => {
  const file = join(dir, 'sixteen.db');
  const devices = Array.from({ length: 16 }, (_, i) => device(i, { calls: 20, responseBytes: () => 5000 + Math.floor(Math.random() * 25_000), images: 2, imageBytes: 60_000, faceEnabled: i < 3 }));
  const t0 = performance.now();
  const s = openStore(file);
  s.upsertSite(site);
  const r = s.startInspection(inspectionInput);
  if (!r.ok) throw new Error(r.error);
  const records = devices.map((d) => s.recordDevice(r.value, d).record);
  s.recordFindings(r.value, deriveFindings({ devices: records, checklist: [] }));
  s.finishInspection(r.value);
  const recordMs = performance.now() - t0;
  s.close();
  const bytes = ['', '-wal'].reduce((n, x) => n + (statSync(file + x, { throwIfNoEntry: false })?.size ?? 0), 0);
  const payload = devices.reduce((n, d) => n + (d.config?.calls ?? []).reduce((m, c) => m + (c.response?.byteLength ?? 0) + c.request.length, 0) + d.streams.reduce((m, st) => m + st.evidence.reduce((k, e) => k + e.bytes.byteLength, 0), 0), 0);
  const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { encoding: 'utf8' });
  const t1 = performance.now();
  const ok = run('verify', '--db', file);
  const verifyMs = performance.now() - t1;
  process.stdout.write(`16 cameras: record ${recordMs.toFixed(0)} ms, db ${(bytes / 1e6).toFixed(2)} MB for ${(payload / 1e6).toFixed(2)} MB of evidence, CLI verify ${verifyMs.toFixed(0)} ms (incl. node start)\n`);
  expect(ok.status).toBe(0);
  expect(ok.stdout).toMatch(/intact, \d+ entries/);
  const copy = join(dir, 'tampered.db');
  copyFileSync(file, copy);
  const db = new Database(copy);
  db.exec("DROP TRIGGER evidence_no_update; UPDATE evidence SET recorded_at = '2020-01-01T00:00:00Z' WHERE id = 40");
  db.close();
  const bad = run('verify', '--db', copy);
  expect(bad.status).toBe(4);
  expect(bad.stderr).toMatch(/\(evidence #40\): row content changed/);
});
