/**
 * The hash chain. `appendRow` is the only way rows enter the database: it inserts the row, reads it
 * back exactly as SQLite stores it, hashes that, and appends the chain entry, all inside the
 * caller's transaction. `verifyChain` replays the chain against the tables.
 */
import type Database from 'better-sqlite3';
import { err, ok, type Result } from '../core/result.js';
import { canonicalRow, entryHash, GENESIS_HASH, rowHash, sha256Hex } from './canonical.js';
import { CHAINED_TABLES, MIGRATIONS } from './schema.js';

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

export interface ChainBreak {
  readonly seq: number;
  readonly table: string;
  readonly rowId: number;
  readonly reason: string;
}

const brk = (seq: number, table: string, rowId: number, reason: string): Result<never, ChainBreak> =>
  err({ seq, table, rowId, reason });

/**
 * Replay the whole chain: links, entry hashes, every row's content, evidence blobs against their
 * sha256, then look for rows no entry covers. Returns the first break in chain order.
 */
export const verifyChain = (db: Database.Database, expected?: ChainHead): Result<{ entries: number; head: ChainHead }, ChainBreak> => {
  // Verify opens read-only and never migrates: a database written before a migration is checked as it
  // stands, so only the tables of the migrations it records are expected, and only those present are read.
  const present = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all().map((r) => (isRecord(r) ? String(r['name']) : '')));
  // Without these two there is nothing to replay: an empty file, another program's database, or a drop.
  if (present.size === 0) return brk(1, 'chain', 0, 'no tables at all: an empty file or not a camaudit database');
  for (const t of ['chain', 'schema_migrations']) {
    if (!present.has(t)) return brk(1, t, 0, `the ${t} table is missing (dropped, or not a camaudit database)`);
  }
  const applied = new Set(db.prepare('SELECT version FROM schema_migrations').all().map((r) => (isRecord(r) ? Number(r['version']) : NaN)));
  const expectedTables = MIGRATIONS.filter((m) => applied.has(m.version)).flatMap((m) => m.tables);
  const tables = CHAINED_TABLES.filter((t) => present.has(t));
  const rowsByTable = new Map<string, Database.Statement>();
  for (const t of tables) rowsByTable.set(t, db.prepare(`SELECT * FROM ${t} WHERE id = ?`));
  let prev = GENESIS_HASH;
  let expectSeq = 1;
  const seen = new Map<string, Set<number>>();
  for (const raw of db.prepare('SELECT seq, tbl, row_id, row_hash, prev_hash, entry_hash FROM chain ORDER BY seq').iterate()) {
    if (!isRecord(raw)) throw new Error('chain row is not an object');
    const seq = Number(raw['seq']);
    const tbl = String(raw['tbl']);
    const rowId = Number(raw['row_id']);
    if (seq !== expectSeq) return brk(expectSeq, tbl, rowId, `chain entry ${expectSeq} is missing (next is ${seq})`);
    const link = { seq, tbl, rowId, rowHash: String(raw['row_hash']), prevHash: String(raw['prev_hash']) };
    if (link.prevHash !== prev) return brk(seq, tbl, rowId, 'previous-hash link broken (entry removed, inserted or reordered)');
    const eh = entryHash(link);
    if (eh !== raw['entry_hash']) return brk(seq, tbl, rowId, 'entry hash does not match the entry');
    const stmt = rowsByTable.get(tbl);
    if (!stmt) return brk(seq, tbl, rowId, `entry names an unknown table "${tbl}"`);
    const row: unknown = stmt.get(rowId);
    if (!isRecord(row)) return brk(seq, tbl, rowId, 'row was deleted');
    if (rowHash(tbl, canonicalRow(row)) !== link.rowHash) return brk(seq, tbl, rowId, 'row content changed');
    if (tbl === 'evidence') {
      const data = row['data'];
      if (!(data instanceof Uint8Array) || sha256Hex(data) !== row['sha256']) return brk(seq, tbl, rowId, 'evidence bytes do not match their sha256');
    }
    let ids = seen.get(tbl);
    if (!ids) seen.set(tbl, (ids = new Set()));
    ids.add(rowId);
    prev = eh;
    expectSeq += 1;
  }
  const entries = expectSeq - 1;
  for (const t of tables) {
    const ids = seen.get(t) ?? new Set<number>();
    for (const r of db.prepare(`SELECT id FROM ${t} ORDER BY id`).iterate()) {
      const id = isRecord(r) ? Number(r['id']) : NaN;
      if (!ids.has(id)) return brk(entries + 1, t, id, 'row is not covered by the chain (inserted outside the store)');
    }
  }
  const dropped = expectedTables.find((t) => !present.has(t));
  if (dropped !== undefined) return brk(entries + 1, dropped, 0, 'table of an applied migration is missing (dropped)');
  const head = { seq: entries, hash: prev };
  if (expected && (expected.seq > entries || (expected.seq === entries && expected.hash !== prev))) {
    return brk(Math.min(expected.seq, entries + 1), 'chain', expected.seq, `chain head ${entries}:${prev.slice(0, 16)} does not reach the expected head ${expected.seq}:${expected.hash.slice(0, 16)} (truncated or rewritten)`);
  }
  if (expected && expected.seq < entries) {
    const at: unknown = db.prepare('SELECT entry_hash FROM chain WHERE seq = ?').get(expected.seq);
    if (!isRecord(at) || at['entry_hash'] !== expected.hash) return brk(expected.seq, 'chain', expected.seq, 'entry differs from the expected head (chain rewritten)');
  }
  return ok({ entries, head });
};
