/**
 * Numbered migrations. Each runs in its own transaction and records itself in `schema_migrations`
 * through the chain, so the schema history is as tamper-evident as the data.
 * Every chained table has `id INTEGER PRIMARY KEY`: the chain names rows by (table, id).
 */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  /** Tables this migration creates; they get append-only triggers and are covered by verify. */
  readonly tables: readonly string[];
}

const appendOnlyTriggers = (table: string): string => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table} BEGIN SELECT RAISE(ABORT, '${table} is append-only'); END;`;

const v1Tables = [
  'schema_migrations', 'store_info', 'campaigns', 'sites', 'inspections', 'inspection_events', 'devices',
  'evidence', 'facts', 'finding_sets', 'findings', 'checklist', 'notes', 'signatures', 'imports',
] as const;

const v1 = `
CREATE TABLE chain (
  seq INTEGER PRIMARY KEY,
  tbl TEXT NOT NULL,
  row_id INTEGER NOT NULL,
  row_hash TEXT NOT NULL,
  prev_hash TEXT NOT NULL,
  entry_hash TEXT NOT NULL,
  UNIQUE (tbl, row_id)
);
CREATE TABLE schema_migrations (id INTEGER PRIMARY KEY, version INTEGER NOT NULL UNIQUE, name TEXT NOT NULL, applied_at TEXT NOT NULL);
CREATE TABLE store_info (id INTEGER PRIMARY KEY, uid TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE campaigns (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL);
CREATE TABLE sites (
  id INTEGER PRIMARY KEY, site_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL, address TEXT NOT NULL,
  district TEXT NOT NULL, developer TEXT NOT NULL, contact TEXT NOT NULL, campaign TEXT, created_at TEXT NOT NULL,
  UNIQUE (site_id, version)
);
CREATE TABLE inspections (
  id INTEGER PRIMARY KEY, site_id TEXT NOT NULL, site_version INTEGER NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('first', 'recheck')), previous_id INTEGER, case_number TEXT NOT NULL,
  inspectors TEXT NOT NULL, experts TEXT NOT NULL, representative TEXT NOT NULL, witness TEXT NOT NULL,
  started_at TEXT NOT NULL, toolkit_version TEXT NOT NULL, model_sha256 TEXT NOT NULL,
  interface_address TEXT NOT NULL, subnet TEXT
);
CREATE TABLE inspection_events (id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL);
CREATE TABLE devices (
  id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL, key TEXT NOT NULL, vendor TEXT, model TEXT, serial TEXT,
  firmware TEXT, macs TEXT NOT NULL, addresses TEXT NOT NULL, recorded_at TEXT NOT NULL
);
CREATE TABLE evidence (
  id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL, device_key TEXT, kind TEXT NOT NULL, call TEXT NOT NULL,
  mime TEXT NOT NULL, sha256 TEXT NOT NULL, size_bytes INTEGER NOT NULL, recorded_at TEXT NOT NULL, data BLOB NOT NULL
);
CREATE TABLE facts (id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL, device_id INTEGER NOT NULL, device_key TEXT NOT NULL, json TEXT NOT NULL);
CREATE TABLE finding_sets (id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL, derived_at TEXT NOT NULL, count INTEGER NOT NULL);
CREATE TABLE findings (
  id INTEGER PRIMARY KEY, set_id INTEGER NOT NULL, inspection_id INTEGER NOT NULL, rule_id TEXT NOT NULL,
  severity TEXT NOT NULL, device_key TEXT, observation_zh TEXT NOT NULL, observation_en TEXT NOT NULL, evidence_ids TEXT NOT NULL
);
CREATE TABLE checklist (
  id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL, item TEXT NOT NULL, answer TEXT NOT NULL CHECK (answer IN ('yes', 'no', 'n/a')),
  note TEXT NOT NULL, photos TEXT NOT NULL, evidence_ids TEXT NOT NULL, answered_at TEXT NOT NULL
);
CREATE TABLE notes (id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL, at TEXT NOT NULL, text TEXT NOT NULL);
CREATE TABLE signatures (
  id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL, name TEXT NOT NULL, role TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('signed', 'refused')), note TEXT NOT NULL, at TEXT NOT NULL
);
CREATE TABLE imports (
  id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL, source_store_uid TEXT NOT NULL, source_inspection_id TEXT NOT NULL,
  source_chain_seq INTEGER NOT NULL, source_chain_head TEXT NOT NULL, manifest_sha256 TEXT NOT NULL, imported_at TEXT NOT NULL
);
CREATE INDEX sites_by_id ON sites (site_id, version);
CREATE INDEX inspections_by_site ON inspections (site_id);
CREATE INDEX events_by_inspection ON inspection_events (inspection_id);
CREATE INDEX devices_by_inspection ON devices (inspection_id);
CREATE INDEX evidence_by_inspection ON evidence (inspection_id);
CREATE INDEX facts_by_inspection ON facts (inspection_id);
CREATE INDEX finding_sets_by_inspection ON finding_sets (inspection_id);
CREATE INDEX findings_by_set ON findings (set_id);
CREATE INDEX checklist_by_inspection ON checklist (inspection_id);
CREATE INDEX notes_by_inspection ON notes (inspection_id);
CREATE INDEX signatures_by_inspection ON signatures (inspection_id);
CREATE INDEX imports_by_source ON imports (source_store_uid, source_inspection_id);
${['chain', ...v1Tables].map(appendOnlyTriggers).join('\n')}
`;

/**
 * The zones an inspection covered, in a table of their own: a column added to `inspections` would appear in
 * every existing row read back (as NULL) and change the row hashes the chain holds for them. Zones may be set
 * again later in the visit; the latest row of an inspection is its zones.
 */
const v2Tables = ['inspection_zones'] as const;

const v2 = `
CREATE TABLE inspection_zones (id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL, zones TEXT NOT NULL, at TEXT NOT NULL);
CREATE INDEX inspection_zones_by_inspection ON inspection_zones (inspection_id);
${v2Tables.map(appendOnlyTriggers).join('\n')}
`;

/**
 * The network an inspection used, chosen after it was opened (the terminal UI opens the record when the case form
 * is submitted, before the interface is picked): a table of its own for the same reason as the zones. The latest
 * row of an inspection stands; with none, the inspections row's interface and subnet do (the CLI, older stores).
 */
const v3Tables = ['inspection_networks'] as const;

const v3 = `
CREATE TABLE inspection_networks (id INTEGER PRIMARY KEY, inspection_id INTEGER NOT NULL, interface_address TEXT NOT NULL, subnet TEXT, at TEXT NOT NULL);
CREATE INDEX inspection_networks_by_inspection ON inspection_networks (inspection_id);
${v3Tables.map(appendOnlyTriggers).join('\n')}
`;

export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'initial schema: append-only tables and hash chain', sql: v1, tables: v1Tables },
  { version: 2, name: 'zones inspected, per inspection', sql: v2, tables: v2Tables },
  { version: 3, name: 'network chosen after the start, per inspection', sql: v3, tables: v3Tables },
];

export const CHAINED_TABLES: readonly string[] = MIGRATIONS.flatMap((m) => m.tables);

/** Tables whose rows belong to one inspection (column `inspection_id`), in export order. */
export const INSPECTION_TABLES = [
  'inspection_zones', 'inspection_networks', 'inspection_events', 'evidence', 'devices', 'facts', 'finding_sets', 'findings', 'checklist', 'notes', 'signatures', 'imports',
] as const;
