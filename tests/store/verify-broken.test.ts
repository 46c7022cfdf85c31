/**
 * `camaudit verify` on files that are not (or no longer) a camaudit database: exit 4 naming the break, never a
 * raw SQLite error (exit 70), and never creating or changing the file it was pointed at.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { inspectionInput, site } from './synth.js';

const run = promisify(execFile);
const verify = (db: string) => run(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'verify', '--db', db], { timeout: 60_000 });

let dir = '';
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-verify-broken-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fresh = (): string => {
  const file = join(dir, `v${n++}.db`);
  const s = openStore(file);
  s.upsertSite(site);
  const r = s.startInspection(inspectionInput);
  if (!r.ok) throw new Error(r.error);
  s.close();
  return file;
};

const drop = (file: string, table: string): void => {
  const db = new Database(file);
  db.exec(`DROP TABLE ${table}`);
  db.close();
};

describe('verify on a broken database', () => {
  it.each(['chain', 'schema_migrations'])('a dropped %s table: exit 4 naming it', async (table) => {
    const file = fresh();
    drop(file, table);
    await expect(verify(file)).rejects.toMatchObject({ code: 4, stderr: `camaudit: ${file}: chain entry 1 (${table} #0): the ${table} table is missing (dropped, or not a camaudit database)\n` });
  });

  it('a file that is not SQLite: exit 4, the file unchanged', async () => {
    const file = join(dir, 'notes.db');
    writeFileSync(file, 'These are my notes, not a database.\n'.repeat(200));
    await expect(verify(file)).rejects.toMatchObject({ code: 4, stderr: expect.stringMatching(/^camaudit: .*notes\.db: not a readable camaudit database \(.*not a database.*\)\n$/) });
    expect(statSync(file).size).toBe(7200);
  });

  it('an empty file: exit 4, still empty, no journal files created', async () => {
    const file = join(dir, 'empty.db');
    writeFileSync(file, '');
    await expect(verify(file)).rejects.toMatchObject({ code: 4, stderr: `camaudit: ${file}: chain entry 1 (chain #0): no tables at all: an empty file or not a camaudit database\n` });
    expect(statSync(file).size).toBe(0);
    expect(readdirSync(dir).filter((f) => f.startsWith('empty.db'))).toEqual(['empty.db']);
  });

  it('a missing file: exit 4, not created', async () => {
    const file = join(dir, 'missing.db');
    await expect(verify(file)).rejects.toMatchObject({ code: 4, stderr: `camaudit: ${file}: no database at ${file}\n` });
    expect(existsSync(file)).toBe(false);
  });

  it('a chain table whose columns were changed: exit 4, not a raw SQLite error', async () => {
    const file = fresh();
    const db = new Database(file);
    db.exec('DROP TRIGGER chain_no_update; DROP TRIGGER chain_no_delete; ALTER TABLE chain DROP COLUMN entry_hash');
    db.close();
    await expect(verify(file)).rejects.toMatchObject({ code: 4, stderr: expect.stringMatching(/the database's tables were changed: no such column: entry_hash/) });
  });
});
