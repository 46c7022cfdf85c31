/**
 * Verification: replay the chain against the tables, read-only. Links, entry hashes, every row's content,
 * evidence blobs against their sha256, rows no entry covers, tables of applied migrations that are gone.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { err, ok, type Result } from '../core/result.js';
import { entryHash, GENESIS_HASH, rowHash, canonicalRow, sha256Hex } from './canonical.js';
import { isRecord, type ChainHead } from './chain.js';
import { KNOWN_SCHEMA } from './migrations.js';
import { CHAINED_TABLES, MIGRATIONS } from './schema.js';
import { guardStorage, StorageError } from './storage-error.js';

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
export interface Verified {
  readonly entries: number;
  readonly head: ChainHead;
  /** A newer camaudit wrote the file (schema vN): the rows of tables this version does not know were checked against their entries, but not looked for beyond them. */
  readonly newerSchema: number | null;
}

const tableName = /^[a-z_][a-z0-9_]*$/;

export const verifyChain = (db: Database.Database, expected?: ChainHead): Result<Verified, ChainBreak> => {
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
  const newest = Math.max(0, ...applied);
  const newerSchema = newest > KNOWN_SCHEMA ? newest : null;
  const tables = CHAINED_TABLES.filter((t) => present.has(t));
  // A newer schema's own tables are unknown here; their rows are still checked against the entries naming them.
  const readable = newerSchema === null ? tables : [...present].filter((t) => t !== 'chain' && !t.startsWith('sqlite_') && tableName.test(t));
  const rowsByTable = new Map<string, Database.Statement>();
  for (const t of readable) rowsByTable.set(t, db.prepare(`SELECT * FROM ${t} WHERE id = ?`));
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
  return ok({ entries, head, newerSchema });
};

/**
 * Open read-only and replay the chain. `expected` is a head printed on a report or a bundle. Never creates
 * the file. A file SQLite cannot read as a database, or whose tables were changed so that the replay's
 * queries fail, is a break (the file is not what the store wrote); a locked or unopenable one is a
 * StorageError.
 */
export const verifyStore = (file: string, expected?: ChainHead): Result<Verified, ChainBreak> => {
  if (!existsSync(file)) return err({ seq: 0, table: '-', rowId: 0, reason: `no database at ${file}` });
  try {
    return guardStorage(file, () => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return verifyChain(db, expected);
      } finally {
        db.close();
      }
    });
  } catch (e) {
    if (e instanceof StorageError && e.reason === 'corrupt') return err({ seq: 0, table: '-', rowId: 0, reason: `not a readable camaudit database (${e.detail})` });
    if (e instanceof Database.SqliteError && e.code === 'SQLITE_ERROR') return err({ seq: 0, table: '-', rowId: 0, reason: `the database's tables were changed: ${e.message}` });
    throw e;
  }
};
