/**
 * A database written by a newer camaudit (a schema version this one does not know, with a table of its own):
 * every command that writes refuses it (exit 5) and leaves it as it was; the commands that only read (report,
 * verify, campaign, sites list) work, saying on stderr that they read only.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { canonicalRow, entryHash, rowHash } from '../../src/store/canonical.js';
import { appendRow, chainHead } from '../../src/store/chain.js';
import { StorageError } from '../../src/store/storage-error.js';
import { openStore } from '../../src/store/store.js';
import { rawAll, rawGet } from './raw.js';
import { seedStore } from './synth.js';

const run = promisify(execFile);
const cli = (args: readonly string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { timeout: 60_000 });

let dir = '';
let file = '';
let id = '';
const state = (): unknown => [rawGet(file, 'SELECT MAX(seq) AS seq, COUNT(*) AS n FROM chain'), rawAll(file, 'SELECT site_id, version FROM sites')];
let before: unknown;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-newer-'));
  file = join(dir, 'future.db');
  id = seedStore(file);
  // What a later camaudit would do: migration 99 with a table of its own, its rows chained like any other.
  const db = new Database(file);
  db.transaction(() => {
    db.exec('CREATE TABLE future_things (id INTEGER PRIMARY KEY, what TEXT NOT NULL)');
    appendRow(db, 'schema_migrations', { version: 99, name: 'a later schema', applied_at: '2099-01-01T00:00:00.000Z' });
    const rowId = Number(db.prepare("INSERT INTO future_things (what) VALUES ('unknown to this version')").run().lastInsertRowid);
    const row = db.prepare('SELECT * FROM future_things WHERE id = ?').get(rowId) as Record<string, unknown>;
    const head = chainHead(db);
    const link = { seq: head.seq + 1, tbl: 'future_things', rowId, rowHash: rowHash('future_things', canonicalRow(row)), prevHash: head.hash };
    db.prepare('INSERT INTO chain (seq, tbl, row_id, row_hash, prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?)').run(link.seq, link.tbl, link.rowId, link.rowHash, link.prevHash, entryHash(link));
  }).immediate();
  db.close();
  before = state();
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a database from a newer camaudit', () => {
  it('is refused for writing, naming the versions, and left as it was', async () => {
    expect(() => openStore(file)).toThrow(StorageError);
    expect(() => openStore(file)).toThrow(/written by a newer camaudit; nothing was written.*\(schema v99; this camaudit knows up to v3\)/);
    await expect(cli(['sites', 'add', '--db', file, '--id', 'S-9', '--name', 'n', '--address', 'a', '--district', 'd', '--developer', 'v', '--contact', 'c']))
      .rejects.toMatchObject({ code: 5, stderr: expect.stringMatching(/^camaudit: .*future\.db: the database was written by a newer camaudit; nothing was written/) });
    await expect(cli(['checklist', '--db', file, '--inspection', id, '--item', 'signage', '--answer', 'no'])).rejects.toMatchObject({ code: 5 });
    expect(state()).toEqual(before);
  });

  it('reads for report, campaign and sites list, with a note on stderr', async () => {
    const report = await cli(['report', '--db', file, '--inspection', id, '--format', 'md', '--lang', 'en']);
    expect(report.stdout).toContain('DEMO-2026-001');
    expect(report.stderr).toBe(`camaudit: note: ${file} was written by a newer camaudit (schema v99); reading it only, nothing will be written to it\n`);
    const campaign = await cli(['campaign', '--db', file, '--format', 'csv', '--lang', 'en']);
    expect(campaign.stdout).toContain('S-001');
    expect(campaign.stderr).toMatch(/schema v99\); reading it only/);
    const sites = await cli(['sites', 'list', '--db', file]);
    expect(sites.stdout).toMatch(/^S-001\tv1\t/);
    expect(sites.stderr).toMatch(/schema v99\); reading it only/);
    expect(state()).toEqual(before);
  });

  it('verifies, its unknown table checked against the chain, and catches a change there', async () => {
    const ok = await cli(['verify', '--db', file]);
    expect(ok.stdout).toMatch(/intact, \d+ entries/);
    expect(ok.stderr).toMatch(/schema v99\); reading it only/);
    const db = new Database(file);
    db.exec("UPDATE future_things SET what = 'changed'");
    db.close();
    await expect(cli(['verify', '--db', file])).rejects.toMatchObject({ code: 4, stderr: expect.stringMatching(/future_things #1\): row content changed/) });
  });
});
