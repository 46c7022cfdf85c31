/**
 * An inspection's rows as stored, each with its chain entry: what a bundle carries. The inspection's site
 * version and inspections row, then every row of the tables that belong to one inspection, in chain order.
 */
import type Database from 'better-sqlite3';
import type { ChainEntry } from './chain.js';
import { readMeta } from './inspections.js';
import { asRow, int, text, type Row } from './rows.js';
import { INSPECTION_TABLES } from './schema.js';

export interface StoredRow {
  readonly table: string;
  readonly row: Row;
  readonly entry: ChainEntry;
}

const entryOf = (db: Database.Database, table: string, id: number): ChainEntry => {
  const r = asRow(db.prepare('SELECT * FROM chain WHERE tbl = ? AND row_id = ?').get(table, id));
  return { seq: int(r, 'seq'), tbl: text(r, 'tbl'), rowId: int(r, 'row_id'), rowHash: text(r, 'row_hash'), prevHash: text(r, 'prev_hash'), entryHash: text(r, 'entry_hash') };
};

export const inspectionRows = (db: Database.Database, insp: number): StoredRow[] | null => {
  const meta = readMeta(db, insp);
  if (!meta) return null;
  const rows: StoredRow[] = [];
  const add = (table: string, raw: unknown): void => {
    const row = asRow(raw);
    rows.push({ table, row, entry: entryOf(db, table, int(row, 'id')) });
  };
  add('sites', db.prepare('SELECT * FROM sites WHERE site_id = ? AND version = ?').get(meta.siteId, meta.siteVersion));
  add('inspections', db.prepare('SELECT * FROM inspections WHERE id = ?').get(insp));
  for (const t of INSPECTION_TABLES) for (const raw of db.prepare(`SELECT * FROM ${t} WHERE inspection_id = ? ORDER BY id`).all(insp)) add(t, raw);
  return rows.sort((a, b) => a.entry.seq - b.entry.seq);
};

/** The inspection an earlier import of (source store, source inspection) became here, if any. */
export const importedAs = (db: Database.Database, sourceStoreUid: string, sourceInspectionId: string): number | null => {
  const r: unknown = db.prepare('SELECT inspection_id FROM imports WHERE source_store_uid = ? AND source_inspection_id = ?').get(sourceStoreUid, sourceInspectionId);
  return r === undefined ? null : int(asRow(r), 'inspection_id');
};
