/**
 * Inspections: opening one, what is learnt after the start (zones, network), its end, and reading its meta.
 * Zones and the network have tables of their own (schema.ts): the latest row of an inspection stands.
 */
import type Database from 'better-sqlite3';
import { err, ok, type Result } from '../core/result.js';
import type { InspectionMeta, InspectionNetwork, InspectionStart } from '../core/record.js';
import { appendRow } from './chain.js';
import { now } from './clock.js';
import { asRow, int, intOrNull, jsonStrings, text, textOrNull, type Row } from './rows.js';
import { readSite } from './sites.js';

/** An inspection to open; a bundle import carries the start time and may name no previous inspection. */
export type InspectionInput = Omit<InspectionStart, 'previousInspectionId'> & {
  readonly previousInspectionId?: string | null;
  readonly startedAt?: string;
};

export const parseId = (id: string): number | null => (/^[1-9]\d{0,15}$/.test(id) ? Number(id) : null);

const zonesOf = (db: Database.Database, insp: number): string[] => {
  const r: unknown = db.prepare('SELECT zones FROM inspection_zones WHERE inspection_id = ? ORDER BY id DESC LIMIT 1').get(insp);
  return r === undefined ? [] : jsonStrings(asRow(r), 'zones');
};

/** The latest network row; null when none was recorded (the inspections row then holds the network). */
const networkOf = (db: Database.Database, insp: number): InspectionNetwork | null => {
  const r: unknown = db.prepare('SELECT interface_address, subnet FROM inspection_networks WHERE inspection_id = ? ORDER BY id DESC LIMIT 1').get(insp);
  if (r === undefined) return null;
  const row = asRow(r);
  return { interfaceAddress: text(row, 'interface_address'), subnet: textOrNull(row, 'subnet') };
};

const endedAt = (db: Database.Database, insp: number): string | null => {
  const r: unknown = db.prepare("SELECT at FROM inspection_events WHERE inspection_id = ? AND kind = 'finished' ORDER BY id LIMIT 1").get(insp);
  return r === undefined ? null : text(asRow(r), 'at');
};

const metaFromRow = (db: Database.Database, r: Row): InspectionMeta => {
  const id = int(r, 'id');
  const prev = intOrNull(r, 'previous_id');
  return {
    id: String(id), siteId: text(r, 'site_id'), siteVersion: int(r, 'site_version'),
    kind: text(r, 'kind') === 'recheck' ? 'recheck' : 'first', previousInspectionId: prev === null ? null : String(prev),
    caseNumber: text(r, 'case_number'), zones: zonesOf(db, id), inspectors: jsonStrings(r, 'inspectors'), experts: jsonStrings(r, 'experts'),
    representative: text(r, 'representative'), witness: text(r, 'witness'), startedAt: text(r, 'started_at'),
    endedAt: endedAt(db, id), toolkitVersion: text(r, 'toolkit_version'), modelSha256: text(r, 'model_sha256'),
    ...(networkOf(db, id) ?? { interfaceAddress: text(r, 'interface_address'), subnet: textOrNull(r, 'subnet') }),
  };
};

export const readMeta = (db: Database.Database, id: number): InspectionMeta | null => {
  const r: unknown = db.prepare('SELECT * FROM inspections WHERE id = ?').get(id);
  return r === undefined ? null : metaFromRow(db, asRow(r));
};

/** The row id of an existing inspection; a bug to ask for one that is not there (callers check first). */
export const requireInspection = (db: Database.Database, inspectionId: string): number => {
  const id = parseId(inspectionId);
  if (id === null || !readMeta(db, id)) throw new Error(`no inspection "${inspectionId}"`);
  return id;
};

const appendZones = (db: Database.Database, insp: number, zones: readonly string[]): void => {
  appendRow(db, 'inspection_zones', { inspection_id: insp, zones: JSON.stringify(zones), at: now() });
};

/** Inside a step. */
export const startInspection = (db: Database.Database, input: InspectionInput): Result<string, string> => {
  const site = readSite(db, input.siteId);
  if (!site) return err(`no site "${input.siteId}": import or add it first`);
  const prev = input.previousInspectionId ? parseId(input.previousInspectionId) : null;
  if (input.previousInspectionId && (prev === null || !readMeta(db, prev))) return err(`no inspection "${input.previousInspectionId}"`);
  const id = appendRow(db, 'inspections', {
    site_id: site.id, site_version: site.version, kind: input.kind, previous_id: prev, case_number: input.caseNumber,
    inspectors: JSON.stringify(input.inspectors), experts: JSON.stringify(input.experts), representative: input.representative,
    witness: input.witness, started_at: input.startedAt ?? now(), toolkit_version: input.toolkitVersion,
    model_sha256: input.modelSha256, interface_address: input.interfaceAddress, subnet: input.subnet,
  });
  // No row for no zones: such an inspection reads like one recorded before zones existed.
  if (input.zones.length > 0) appendZones(db, id, input.zones);
  return ok(String(id));
};

/** Inside a step: zones named after the start (on resume), a new row only when they differ. */
export const setZones = (db: Database.Database, insp: number, zones: readonly string[]): void => {
  const current = zonesOf(db, insp);
  if (current.length !== zones.length || current.some((z, i) => z !== zones[i])) appendZones(db, insp, zones);
};

/** Inside a step: the network chosen after the start, a new row only when it differs from the one standing. */
export const recordNetwork = (db: Database.Database, insp: number, network: InspectionNetwork): void => {
  const standing = readMeta(db, insp);
  if (standing && standing.interfaceAddress === network.interfaceAddress && standing.subnet === network.subnet) return;
  appendRow(db, 'inspection_networks', { inspection_id: insp, interface_address: network.interfaceAddress, subnet: network.subnet, at: now() });
};

/** Inside a step; finishing twice records the first end only. */
export const finishInspection = (db: Database.Database, insp: number): void => {
  if (endedAt(db, insp) === null) appendRow(db, 'inspection_events', { inspection_id: insp, kind: 'finished', at: now() });
};

export const unfinishedInspections = (db: Database.Database): InspectionMeta[] =>
  db.prepare("SELECT * FROM inspections i WHERE NOT EXISTS (SELECT 1 FROM inspection_events e WHERE e.inspection_id = i.id AND e.kind = 'finished') ORDER BY id")
    .all().map((r) => metaFromRow(db, asRow(r)));

export const inspectionsForSite = (db: Database.Database, siteId: string): InspectionMeta[] =>
  db.prepare('SELECT * FROM inspections WHERE site_id = ? ORDER BY id').all(siteId).map((r) => metaFromRow(db, asRow(r)));
