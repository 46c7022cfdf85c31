/** Every kind of tampering, done through a raw SQLite connection to a real file, must be caught. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHAINED_TABLES } from '../../src/store/schema.js';
import { openStore, verifyStore } from '../../src/store/store.js';
import { entryHash, GENESIS_HASH } from '../../src/store/canonical.js';
import { device, inspectionInput, site } from './synth.js';

let dir: string;
let n = 0;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-tamper-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fresh = (): string => {
  const file = join(dir, `t${n++}.db`);
  const s = openStore(file);
  s.upsertSite(site);
  const r = s.startInspection(inspectionInput);
  if (!r.ok) throw new Error(r.error);
  // A network chosen after the start (the terminal UI's order), so its table has a row to tamper with.
  s.recordNetwork(r.value, { interfaceAddress: '192.168.1.23', subnet: '192.168.1.0/24' });
  s.recordDevice(r.value, device(1, { faceEnabled: true }));
  s.recordChecklist(r.value, { item: 'consent', answer: 'no' });
  s.addNote(r.value, 'last note');
  s.close();
  return file;
};

/** Open raw, drop the defence-in-depth triggers (an attacker with the file can), run the edit. */
const tamper = (file: string, sql: string | ((db: Database.Database) => void)): void => {
  const db = new Database(file);
  for (const t of ['chain', ...CHAINED_TABLES]) db.exec(`DROP TRIGGER IF EXISTS ${t}_no_update; DROP TRIGGER IF EXISTS ${t}_no_delete;`);
  if (typeof sql === 'string') db.exec(sql);
  else sql(db);
  db.close();
};

const broken = (file: string): { seq: number; table: string; rowId: number; reason: string } => {
  const r = verifyStore(file);
  if (r.ok) throw new Error('tampering went unnoticed');
  return r.error;
};

describe('verifyStore', () => {
  it('passes an untouched store and reports its entry count', () => {
    const r = verifyStore(fresh());
    expect(r.ok && r.value.entries).toBeGreaterThan(10);
  });

  it.each([
    ['one byte of a text column', "UPDATE notes SET text = 'Last note'", 'notes', /content changed/],
    ['a site row', "UPDATE sites SET address = address || ' '", 'sites', /content changed/],
    ['an integer column', 'UPDATE inspections SET site_version = 2', 'inspections', /content changed/],
    ['a column type only (TEXT to INTEGER)', "UPDATE devices SET firmware = 5", 'devices', /content changed/],
    ['a checklist answer', "UPDATE checklist SET answer = 'yes'", 'checklist', /content changed/],
    ['the schema history', "UPDATE schema_migrations SET name = 'x'", 'schema_migrations', /content changed/],
    ['the zones inspected', `UPDATE inspection_zones SET zones = '["入口"]'`, 'inspection_zones', /content changed/],
    ['the inspection the zones belong to', 'UPDATE inspection_zones SET inspection_id = 2', 'inspection_zones', /content changed/],
    ['the zones row deleted', 'DELETE FROM inspection_zones', 'inspection_zones', /deleted/],
    ['newer zones inserted without a chain entry (the latest row would stand)', `INSERT INTO inspection_zones (inspection_id, zones, at) VALUES (1, '["入口"]', '2099-01-01T00:00:00Z')`, 'inspection_zones', /not covered/],
    ['the zones table dropped with its rows', 'DROP TABLE inspection_zones', 'inspection_zones', /unknown table/],
    ['the network recorded', "UPDATE inspection_networks SET subnet = '0.0.0.0/0'", 'inspection_networks', /content changed/],
    ['the inspection the network belongs to', 'UPDATE inspection_networks SET inspection_id = 2', 'inspection_networks', /content changed/],
    ['the network row deleted (the inspections row would stand)', 'DELETE FROM inspection_networks', 'inspection_networks', /deleted/],
    ['a newer network inserted without a chain entry (the latest row would stand)', `INSERT INTO inspection_networks (inspection_id, interface_address, subnet, at) VALUES (1, '10.0.0.1', '10.0.0.0/8', '2099-01-01T00:00:00Z')`, 'inspection_networks', /not covered/],
    ['the networks table dropped with its rows', 'DROP TABLE inspection_networks', 'inspection_networks', /unknown table/],
    ['an empty table of an applied migration dropped', 'DROP TABLE signatures', 'signatures', /missing/],
  ])('detects a change to %s', (_what, sql, table, reason) => {
    const e = broken((() => { const f = fresh(); tamper(f, sql); return f; })());
    expect(e.table).toBe(table);
    expect(e.reason).toMatch(reason);
  });

  it('detects one changed byte inside an evidence blob (sha256 column left alone)', () => {
    const f = fresh();
    tamper(f, (db) => {
      const row = db.prepare('SELECT id, data FROM evidence WHERE kind = ? LIMIT 1').get('response') as { id: number; data: Buffer };
      row.data[100] = (row.data[100] ?? 0) ^ 1;
      db.prepare('UPDATE evidence SET data = ? WHERE id = ?').run(row.data, row.id);
    });
    expect(broken(f)).toMatchObject({ table: 'evidence', reason: expect.stringMatching(/content changed/) });
  });

  it('detects a blob replaced together with its sha256 column', () => {
    const f = fresh();
    tamper(f, "UPDATE evidence SET data = X'00', sha256 = '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d', size_bytes = 1 WHERE id = 3");
    expect(broken(f)).toMatchObject({ table: 'evidence', rowId: 3 });
  });

  it('detects a deleted row, a deleted last row and a deleted site', () => {
    const a = fresh(); tamper(a, 'DELETE FROM evidence WHERE id = 2');
    expect(broken(a)).toMatchObject({ table: 'evidence', rowId: 2, reason: expect.stringMatching(/deleted/) });
    const b = fresh(); tamper(b, 'DELETE FROM notes');
    expect(broken(b)).toMatchObject({ table: 'notes', reason: expect.stringMatching(/deleted/) });
    const c = fresh(); tamper(c, 'DELETE FROM sites');
    expect(broken(c)).toMatchObject({ table: 'sites', reason: expect.stringMatching(/deleted/) });
  });

  it('detects a row inserted without a chain entry', () => {
    const f = fresh();
    tamper(f, "INSERT INTO notes (inspection_id, at, text) VALUES (1, '2026-01-01T00:00:00Z', 'added later')");
    expect(broken(f)).toMatchObject({ table: 'notes', reason: expect.stringMatching(/not covered/) });
  });

  it('detects reordered rows (two notes swapped) and reordered chain entries', () => {
    const f = fresh();
    tamper(f, (db) => {
      db.prepare("INSERT INTO notes (id, inspection_id, at, text) VALUES (100, 1, 'x', 'x')").run();
      db.exec("UPDATE notes SET id = 101 WHERE text = 'last note'; UPDATE notes SET id = (SELECT row_id FROM chain WHERE tbl = 'notes') WHERE id = 100; ");
    });
    expect(broken(f).table).toBe('notes');
    const g = fresh();
    tamper(g, 'UPDATE chain SET seq = -seq WHERE seq IN (5, 6); UPDATE chain SET seq = 6 WHERE seq = -5; UPDATE chain SET seq = 5 WHERE seq = -6;');
    expect(broken(g)).toMatchObject({ seq: 5, reason: expect.stringMatching(/link broken/) });
  });

  it('detects a removed chain entry and an edited entry hash', () => {
    const f = fresh(); tamper(f, 'DELETE FROM chain WHERE seq = 4');
    expect(broken(f)).toMatchObject({ seq: 4, reason: expect.stringMatching(/missing/) });
    const g = fresh(); // Flip the first hex digit to a different one (replacing it with 'f' is no change 1 time in 16).
    tamper(g, "UPDATE chain SET entry_hash = (CASE substr(entry_hash, 1, 1) WHEN 'f' THEN 'e' ELSE 'f' END) || substr(entry_hash, 2) WHERE seq = 7");
    expect(broken(g).seq).toBe(7);
  });

  it('detects chain hashes recomputed consistently when the rows were left alone', () => {
    const f = fresh();
    tamper(f, (db) => {
      // Forge seq 3's row hash and re-link everything after it, as an attacker who knows the scheme would.
      const rows = db.prepare('SELECT seq, tbl, row_id, row_hash FROM chain ORDER BY seq').all() as { seq: number; tbl: string; row_id: number; row_hash: string }[];
      let prev = GENESIS_HASH;
      for (const r of rows) {
        const rowHash = r.seq === 3 ? 'f'.repeat(64) : r.row_hash;
        const link = { seq: r.seq, tbl: r.tbl, rowId: r.row_id, rowHash, prevHash: prev };
        prev = entryHash(link);
        db.prepare('UPDATE chain SET row_hash = ?, prev_hash = ?, entry_hash = ? WHERE seq = ?').run(rowHash, link.prevHash, prev, r.seq);
      }
    });
    expect(broken(f)).toMatchObject({ seq: 3, reason: expect.stringMatching(/content changed/) });
  });

  it('detects truncation of the tail (last row and its entry) against a head printed earlier', () => {
    const f = fresh();
    const head = verifyStore(f);
    if (!head.ok) throw new Error('fresh store broken');
    tamper(f, (db) => {
      db.exec(`DELETE FROM notes WHERE id = (SELECT row_id FROM chain WHERE seq = ${head.value.head.seq}); DELETE FROM chain WHERE seq = ${head.value.head.seq};`);
    });
    expect(verifyStore(f).ok).toBe(true); // a self-consistent prefix: only an anchor can tell
    expect(verifyStore(f, head.value.head)).toMatchObject({ ok: false, error: { reason: expect.stringMatching(/truncated/) } });
  });
});
