/** An inspection read back whole, as the reports, the re-check and the terminal UI see it. */
import type Database from 'better-sqlite3';
import type { InspectionRecord } from '../core/record.js';
import type { ChainHead } from './chain.js';
import { readChecklist } from './checklist.js';
import { readDevices } from './device-records.js';
import { evidenceRefs } from './evidence.js';
import { readFindings } from './findings.js';
import { parseId, readMeta } from './inspections.js';
import { readNotes } from './notes-signatures.js';
import { asRow, intOrNull, text } from './rows.js';
import { INSPECTION_TABLES } from './schema.js';
import { readSite } from './sites.js';

/** The last chain entry among this inspection's own rows (and its inspection row). */
export const inspectionHead = (db: Database.Database, insp: number): ChainHead => {
  const r = asRow(db.prepare(`SELECT MAX(seq) AS seq FROM chain c WHERE (c.tbl = 'inspections' AND c.row_id = @id) OR
    ${INSPECTION_TABLES
      .map((t) => `(c.tbl = '${t}' AND c.row_id IN (SELECT id FROM ${t} WHERE inspection_id = @id))`).join(' OR ')}`).get({ id: insp }));
  const seq = intOrNull(r, 'seq') ?? 0;
  const h: unknown = db.prepare('SELECT entry_hash FROM chain WHERE seq = ?').get(seq);
  return { seq, hash: h === undefined ? '' : text(asRow(h), 'entry_hash') };
};

export const loadInspection = (db: Database.Database, inspectionId: string): InspectionRecord | null => {
  const id = parseId(inspectionId);
  const meta = id === null ? null : readMeta(db, id);
  if (id === null || !meta) return null;
  const site = readSite(db, meta.siteId, meta.siteVersion);
  if (!site) throw new Error(`inspection ${id} names missing site ${meta.siteId} v${meta.siteVersion}`);
  return {
    meta, site, devices: readDevices(db, id), findings: readFindings(db, id), checklist: readChecklist(db, id),
    evidence: evidenceRefs(db, id), notes: readNotes(db, id), chainHead: inspectionHead(db, id).hash,
  };
};
