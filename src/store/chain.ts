/**
 * The hash chain. `appendRow` is the only way rows enter the database: it inserts the row, reads it
 * back exactly as SQLite stores it, hashes that, and appends the chain entry, all inside the
 * caller's transaction. verify.ts replays the chain against the tables.
 */
import type Database from 'better-sqlite3';
import { canonicalRow, entryHash, GENESIS_HASH, rowHash } from './canonical.js';
import { CHAINED_TABLES } from './schema.js';

export type SqlValue = string | number | bigint | Uint8Array | null;

export interface ChainHead {
  readonly seq: number;
  readonly hash: string;
}

const tableName = /^[a-z_][a-z0-9_]*$/;

export const chainHead = (db: Database.Database): ChainHead => {
  const row: unknown = db.prepare('SELECT seq, entry_hash FROM chain ORDER BY seq DESC LIMIT 1').get();
  if (!isRecord(row)) return { seq: 0, hash: GENESIS_HASH };
  return { seq: Number(row['seq']), hash: String(row['entry_hash']) };
};

/** One entry of the chain as stored: what a bundle carries beside each row. */
export interface ChainEntry {
  readonly seq: number;
  readonly tbl: string;
  readonly rowId: number;
  readonly rowHash: string;
  readonly prevHash: string;
  readonly entryHash: string;
}

export const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

/** Insert one row and its chain entry. Must run inside a transaction (the caller's step). */
export const appendRow = (db: Database.Database, table: string, values: Readonly<Record<string, SqlValue>>): number => {
  if (!tableName.test(table) || !CHAINED_TABLES.includes(table)) throw new Error(`not a chained table: ${table}`);
  if (!db.inTransaction) throw new Error('appendRow outside a transaction');
  const cols = Object.keys(values);
  for (const c of cols) if (!tableName.test(c)) throw new Error(`bad column name: ${c}`);
  const info = db
    .prepare(`INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((c) => `@${c}`).join(', ')})`)
    .run(values);
  const id = Number(info.lastInsertRowid);
  const stored: unknown = db.prepare(`SELECT * FROM ${table} WHERE id = ?`).get(id);
  if (!isRecord(stored)) throw new Error(`row ${table}#${id} vanished after insert`);
  const head = chainHead(db);
  const link = { seq: head.seq + 1, tbl: table, rowId: id, rowHash: rowHash(table, canonicalRow(stored)), prevHash: head.hash };
  db.prepare('INSERT INTO chain (seq, tbl, row_id, row_hash, prev_hash, entry_hash) VALUES (?, ?, ?, ?, ?, ?)').run(
    link.seq, link.tbl, link.rowId, link.rowHash, link.prevHash, entryHash(link),
  );
  return id;
};
