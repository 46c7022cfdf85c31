/**
 * Applying the numbered migrations of schema.ts. Each runs in its own transaction and records itself in
 * `schema_migrations` through the chain; a migration already recorded is never run again.
 */
import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { appendRow } from './chain.js';
import { now } from './clock.js';
import { asRow, int } from './rows.js';
import { MIGRATIONS } from './schema.js';

export const appliedVersions = (db: Database.Database): Set<number> => {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  return new Set(hasTable ? db.prepare('SELECT version FROM schema_migrations').all().map((r) => int(asRow(r), 'version')) : []);
};

/** The newest schema this version knows. */
export const KNOWN_SCHEMA = Math.max(...MIGRATIONS.map((m) => m.version));

/** The schema a newer camaudit recorded in this file, when it is newer than this one knows; else null. */
export const newerSchema = (db: Database.Database): number | null => {
  const newest = Math.max(0, ...appliedVersions(db));
  return newest > KNOWN_SCHEMA ? newest : null;
};

export const migrate = (db: Database.Database): void => {
  const applied = appliedVersions(db);
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      appendRow(db, 'schema_migrations', { version: m.version, name: m.name, applied_at: now() });
      if (m.version === 1) appendRow(db, 'store_info', { uid: randomUUID(), created_at: now() });
    }).immediate();
  }
};
