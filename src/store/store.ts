/**
 * The inspection store: one SQLite file, append-only, every row chained (chain.ts). This class is the store's
 * API and the one holder of the database handle; the jobs live in modules named for them (sites,
 * inspections, evidence, device-records, checklist, findings, notes-signatures, load-inspection,
 * inspection-rows, migrations, verify), which take the handle from here.
 * Each public write is one transaction, so a crash loses at most the step in progress (database.ts says
 * how the file is opened for that).
 */
import type Database from 'better-sqlite3';
import { err, ok, type Result } from '../core/result.js';
import type { ChecklistEntry, Finding, InspectionMeta, InspectionNetwork, InspectionRecord, SiteDetails } from '../core/record.js';
import type { DeviceResult } from '../core/types.js';
import { appendRow, chainHead, type ChainHead, type SqlValue } from './chain.js';
import { readPhotos, recordChecklist, type ChecklistInput } from './checklist.js';
import { openDatabase, type OpenIntent } from './database.js';
import { recordDevice, type RecordedDevice } from './device-records.js';
import { evidenceBlob } from './evidence.js';
import { recordFindings } from './findings.js';
import { importedAs, inspectionRows, type StoredRow } from './inspection-rows.js';
import * as inspections from './inspections.js';
import { loadInspection } from './load-inspection.js';
import { addNote, addSignature, readSignatures, type Signature, type SignatureInput } from './notes-signatures.js';
import { asRow, text } from './rows.js';
import { listSites, readSite, siteVersions, writeSite, type SiteInput } from './sites.js';
import { guardStorage } from './storage-error.js';

export type { ChecklistInput } from './checklist.js';
export { latestPerDevice, type RecordedDevice } from './device-records.js';
export type { EvidenceKind } from './evidence.js';
export type { InspectionInput } from './inspections.js';
export type { SignatureInput } from './notes-signatures.js';
export type { SiteInput } from './sites.js';
export { verifyStore } from './verify.js';

export class Store {
  constructor(
    private readonly db: Database.Database,
    /** Set when a newer camaudit wrote the file: it was opened read-only (database.ts). */
    readonly newerSchema: number | null = null,
  ) {}

  /** Run one step as one transaction (BEGIN IMMEDIATE: the chain head is read inside). */
  step<T>(fn: () => T): T {
    return guardStorage(this.db.name, () => this.db.transaction(fn).immediate());
  }

  /** Append one chained row; inside a step only (the bundle import merges rows through it). */
  append(table: string, values: Readonly<Record<string, SqlValue>>): number {
    return appendRow(this.db, table, values);
  }

  chainHead(): ChainHead {
    return chainHead(this.db);
  }

  get uid(): string {
    return text(asRow(this.db.prepare('SELECT uid FROM store_info ORDER BY id LIMIT 1').get()), 'uid');
  }

  // ---- sites ----

  site(id: string, version?: number): SiteDetails | null {
    return readSite(this.db, id, version);
  }

  /** A new version when anything differs from the latest; the same version when nothing does. */
  upsertSite(s: SiteInput): SiteDetails {
    return this.step(() => writeSite(this.db, s));
  }

  addSiteVersion(id: string, changes: Partial<Omit<SiteInput, 'id'>>): Result<SiteDetails, string> {
    return this.step(() => {
      const latest = readSite(this.db, id);
      if (!latest) return err(`no site "${id}"`);
      return ok(writeSite(this.db, { ...latest, ...changes, id }));
    });
  }

  /** All or nothing: one transaction for the whole list. */
  importSites(sites: readonly SiteInput[]): SiteDetails[] {
    return this.step(() => sites.map((s) => writeSite(this.db, s)));
  }

  /** Every version of a site, oldest first. */
  siteVersions(id: string): SiteDetails[] {
    return siteVersions(this.db, id);
  }

  listSites(opts: { readonly search?: string } = {}): SiteDetails[] {
    return listSites(this.db, opts.search);
  }

  // ---- inspections ----

  startInspection(input: inspections.InspectionInput): Result<string, string> {
    return this.step(() => inspections.startInspection(this.db, input));
  }

  /** Zones named after the start (on resume): a new row when they differ, which then stands for the inspection. */
  setZones(inspectionId: string, zones: readonly string[]): void {
    this.step(() => inspections.setZones(this.db, inspections.requireInspection(this.db, inspectionId), zones));
  }

  /**
   * The network chosen after the start (the terminal UI opens the inspection before its interface is picked):
   * a new row when it differs from the one standing, which then stands for the inspection.
   */
  recordNetwork(inspectionId: string, network: InspectionNetwork): void {
    this.step(() => inspections.recordNetwork(this.db, inspections.requireInspection(this.db, inspectionId), network));
  }

  hasInspection(inspectionId: string): boolean {
    const id = inspections.parseId(inspectionId);
    return id !== null && inspections.readMeta(this.db, id) !== null;
  }

  /** One device = one step: every call's request and response, the blurred images, the facts. */
  recordDevice(inspectionId: string, result: DeviceResult): RecordedDevice {
    return this.step(() => recordDevice(this.db, inspections.requireInspection(this.db, inspectionId), result));
  }

  /** Appends a new set; the latest set is the inspection's findings (earlier sets stay as history). */
  recordFindings(inspectionId: string, findings: readonly Finding[]): void {
    this.step(() => recordFindings(this.db, inspections.requireInspection(this.db, inspectionId), findings));
  }

  recordChecklist(inspectionId: string, entry: ChecklistInput): ChecklistEntry {
    const files = readPhotos(entry.photos ?? []);
    return this.step(() => recordChecklist(this.db, inspections.requireInspection(this.db, inspectionId), entry, files));
  }

  addNote(inspectionId: string, noteText: string): void {
    this.step(() => addNote(this.db, inspections.requireInspection(this.db, inspectionId), noteText));
  }

  addSignature(inspectionId: string, s: SignatureInput): void {
    this.step(() => addSignature(this.db, inspections.requireInspection(this.db, inspectionId), s));
  }

  finishInspection(inspectionId: string): void {
    this.step(() => inspections.finishInspection(this.db, inspections.requireInspection(this.db, inspectionId)));
  }

  unfinishedInspections(): InspectionMeta[] {
    return inspections.unfinishedInspections(this.db);
  }

  inspectionsForSite(siteId: string): InspectionMeta[] {
    return inspections.inspectionsForSite(this.db, siteId);
  }

  evidenceBlob(id: number): Uint8Array | null {
    return evidenceBlob(this.db, id);
  }

  loadInspection(inspectionId: string): InspectionRecord | null {
    return loadInspection(this.db, inspectionId);
  }

  signatures(inspectionId: string): Signature[] {
    return readSignatures(this.db, inspections.parseId(inspectionId));
  }

  // ---- bundles ----

  /** The rows a bundle carries, each with its chain entry, in chain order; null for no such inspection. */
  inspectionRows(inspectionId: string): StoredRow[] | null {
    const id = inspections.parseId(inspectionId);
    return id === null ? null : inspectionRows(this.db, id);
  }

  /** The inspection an earlier import of this source inspection became here, if any. */
  importedAs(sourceStoreUid: string, sourceInspectionId: string): number | null {
    return importedAs(this.db, sourceStoreUid, sourceInspectionId);
  }

  close(): void {
    this.db.close();
  }
}

/** `intent` 'read' opens a database written by a newer camaudit read-only instead of refusing it. */
export const openStore = (file: string, intent: OpenIntent = 'write'): Store =>
  guardStorage(file, () => {
    const opened = openDatabase(file, intent);
    return new Store(opened.db, opened.newerSchema);
  });
