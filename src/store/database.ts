/**
 * Opening the SQLite file as the store uses it. WAL with synchronous=FULL: a committed step survives power
 * loss, not only a process crash; the cost is one fsync per step (a step is a whole device, so a few per
 * inspection, measured in tests/store/bench). NORMAL would keep the file consistent but could drop the last
 * steps.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { migrate } from './migrations.js';

/** Opens (creating the file and its folder when absent) and brings the schema up to date. */
export const openDatabase = (file: string): Database.Database => {
  mkdirSync(dirname(file), { recursive: true });
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    // Another process (the TUI and a CLI command) may hold the write lock for one step.
    db.pragma('busy_timeout = 5000');
    migrate(db);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
};
