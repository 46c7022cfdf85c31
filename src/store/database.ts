/**
 * Opening the SQLite file as the store uses it. WAL with synchronous=FULL: a committed step survives power
 * loss, not only a process crash; the cost is one fsync per step (a step is a whole device, so a few per
 * inspection, measured in tests/store/bench). NORMAL would keep the file consistent but could drop the last
 * steps.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { KNOWN_SCHEMA, migrate, newerSchema } from './migrations.js';
import { StorageError } from './storage-error.js';

/**
 * What the caller means to do. A database written by a newer camaudit may have tables, columns or rules this
 * version does not know, so it is never written (nor migrated); reading it is allowed, through a read-only
 * connection, for the commands that only read (report, verify, campaign, sites list).
 */
export type OpenIntent = 'write' | 'read';

export interface OpenedDatabase {
  readonly db: Database.Database;
  /** The newer schema found (then `db` is read-only), or null. */
  readonly newerSchema: number | null;
}

/** Opens (creating the file and its folder when absent) and brings the schema up to date. */
export const openDatabase = (file: string, intent: OpenIntent = 'write'): OpenedDatabase => {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    // Before anything that could write (even the journal mode): a newer file is left exactly as it is.
    const newer = newerSchema(db);
    if (newer !== null) {
      db.close();
      if (intent === 'write') throw new StorageError('newer-schema', file, `schema v${newer}; this camaudit knows up to v${KNOWN_SCHEMA}`);
      return { db: new Database(file, { readonly: true, fileMustExist: true }), newerSchema: newer };
    }
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Another process (the TUI and a CLI command) may hold the write lock for one step.
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (e) {
    if (db.open) db.close();
    throw e;
  }
  return { db, newerSchema: null };
};
