/**
 * The inspection store: one SQLite file, append-only, every row chained (chain.ts).
 * Each public write is one transaction, so a crash loses at most the step in progress.
 * WAL with synchronous=FULL: a committed step survives power loss, not only a process crash; the
 * cost is one fsync per step (a step is a whole device, so a few per inspection, measured in
 * tests/store/bench). NORMAL would keep the file consistent but could drop the last steps.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, extname } from 'node:path';
import Database from 'better-sqlite3';
import { err, ok, type Result } from '../core/result.js';
import type { ChecklistAnswer, ChecklistEntry, DeviceRecord, EvidenceRef, Finding, InspectionMeta, InspectionNetwork, InspectionRecord, InspectionStart, SiteDetails } from '../core/record.js';
import { deviceKey, type DeviceResult } from '../core/types.js';
import { isStoredFacts, toDeviceRecord, toStoredFacts } from '../rules/device-facts.js';
import { appendRow, chainHead, verifyChain, type ChainBreak, type ChainHead, type SqlValue } from './chain.js';
import { sha256Hex } from './canonical.js';
import { asRow, int, intOrNull, jsonInts, jsonStrings, text, textOrNull, type Row } from './rows.js';
import { INSPECTION_TABLES, MIGRATIONS } from './schema.js';
import { guardStorage, StorageError } from './storage-error.js';

/** A site as written: its details without the version, which each write assigns. */
export type SiteInput = Omit<SiteDetails, 'version'>;

/** An inspection to open; a bundle import carries the start time and may name no previous inspection. */
export type InspectionInput = Omit<InspectionStart, 'previousInspectionId'> & {
  readonly previousInspectionId?: string | null;
  readonly startedAt?: string;
};

export interface ChecklistInput {
  readonly item: string;
  readonly answer: ChecklistAnswer;
  readonly note?: string;
  /** Photo files; each one that exists is read and kept as evidence. */
  readonly photos?: readonly string[];
}

export interface SignatureInput {
  readonly name: string;
  readonly role: string;
  readonly status: 'signed' | 'refused';
  readonly note?: string;
}

export interface RecordedDevice {
  readonly deviceKey: string;
  readonly evidenceIds: readonly number[];
  readonly record: DeviceRecord;
}

export type EvidenceKind = EvidenceRef['kind'];

const now = (): string => new Date().toISOString();

const utf8 = new TextEncoder();

const sniffMime = (b: Uint8Array): string => {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 200)).trimStart();
  if (head.startsWith('<')) return /Envelope/.test(head) ? 'application/soap+xml' : 'application/xml';
  if (head.startsWith('{') || head.startsWith('[')) return 'application/json';
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (/^[\x20-\x7e\r\n\t]*$/.test(head)) return 'text/plain';
  return 'application/octet-stream';
};

const photoMime: Readonly<Record<string, string>> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.heic': 'image/heic', '.webp': 'image/webp' };

const siteFromRow = (r: Row): SiteDetails => ({
  id: text(r, 'site_id'),
  version: int(r, 'version'),
  name: text(r, 'name'),
  address: text(r, 'address'),
  district: text(r, 'district'),
  developer: text(r, 'developer'),
  contact: text(r, 'contact'),
  campaign: textOrNull(r, 'campaign'),
});

const sameSite = (a: SiteDetails, b: SiteInput): boolean =>
  a.name === b.name && a.address === b.address && a.district === b.district && a.developer === b.developer && a.contact === b.contact && a.campaign === b.campaign;

const parseId = (id: string): number | null => (/^[1-9]\d{0,15}$/.test(id) ? Number(id) : null);

/**
 * A device probed again in the same inspection (after a wrong password, or on resume) is one device: its
 * latest result stands, in the place of its first. Within one inspection the service address identifies it;
 * the device key does not, since an unauthenticated probe cannot read the serial the key prefers.
 */
export const latestPerDevice = (records: readonly DeviceRecord[]): DeviceRecord[] => {
  const byAddress = new Map<string, DeviceRecord>();
  for (const r of records) byAddress.set(r.xaddr ?? r.key, r);
  return [...byAddress.values()];
};

export class Store {
  constructor(readonly db: Database.Database) {}

  /** Run one pipeline step as one transaction (BEGIN IMMEDIATE: the chain head is read inside). */
  step<T>(fn: () => T): T {
    return guardStorage(this.db.name, () => this.db.transaction(fn).immediate());
  }

  append(table: string, values: Readonly<Record<string, SqlValue>>): number {
    return appendRow(this.db, table, values);
  }

  get uid(): string {
    return text(asRow(this.db.prepare('SELECT uid FROM store_info ORDER BY id LIMIT 1').get()), 'uid');
  }

  chainHead(): ChainHead {
    return chainHead(this.db);
  }

  // ---- sites ----

  site(id: string, version?: number): SiteDetails | null {
    const r: unknown = version === undefined
      ? this.db.prepare('SELECT * FROM sites WHERE site_id = ? ORDER BY version DESC LIMIT 1').get(id)
      : this.db.prepare('SELECT * FROM sites WHERE site_id = ? AND version = ?').get(id, version);
    return r === undefined ? null : siteFromRow(asRow(r));
  }

  private ensureCampaign(name: string | null): void {
    if (name === null) return;
    if (this.db.prepare('SELECT 1 FROM campaigns WHERE name = ?').get(name) === undefined) this.append('campaigns', { name, created_at: now() });
  }

  private writeSite(s: SiteInput): SiteDetails {
    const latest = this.site(s.id);
    if (latest && sameSite(latest, s)) return latest;
    this.ensureCampaign(s.campaign);
    const version = (latest?.version ?? 0) + 1;
    this.append('sites', {
      site_id: s.id, version, name: s.name, address: s.address, district: s.district, developer: s.developer,
      contact: s.contact, campaign: s.campaign, created_at: now(),
    });
    return { ...s, version };
  }

  /** A new version when anything differs from the latest; the same version when nothing does. */
  upsertSite(s: SiteInput): SiteDetails {
    return this.step(() => this.writeSite(s));
  }

  addSiteVersion(id: string, changes: Partial<Omit<SiteInput, 'id'>>): Result<SiteDetails, string> {
    return this.step(() => {
      const latest = this.site(id);
      if (!latest) return err(`no site "${id}"`);
      return ok(this.writeSite({ ...latest, ...changes, id }));
    });
  }

  /** All or nothing: one transaction for the whole list. */
  importSites(sites: readonly SiteInput[]): SiteDetails[] {
    return this.step(() => sites.map((s) => this.writeSite(s)));
  }

  listSites(opts: { readonly search?: string } = {}): SiteDetails[] {
    const rows = this.db.prepare('SELECT s.* FROM sites s WHERE s.version = (SELECT MAX(version) FROM sites t WHERE t.site_id = s.site_id) ORDER BY s.site_id').all();
    const sites = rows.map((r) => siteFromRow(asRow(r)));
    const q = opts.search?.toLowerCase();
    return q ? sites.filter((s) => [s.id, s.name, s.address, s.district, s.developer, s.contact, s.campaign ?? ''].some((f) => f.toLowerCase().includes(q))) : sites;
  }

  // ---- inspections ----

  startInspection(input: InspectionInput): Result<string, string> {
    return this.step(() => {
      const site = this.site(input.siteId);
      if (!site) return err(`no site "${input.siteId}": import or add it first`);
      const prev = input.previousInspectionId ? parseId(input.previousInspectionId) : null;
      if (input.previousInspectionId && (prev === null || !this.meta(prev))) return err(`no inspection "${input.previousInspectionId}"`);
      const id = this.append('inspections', {
        site_id: site.id, site_version: site.version, kind: input.kind, previous_id: prev, case_number: input.caseNumber,
        inspectors: JSON.stringify(input.inspectors), experts: JSON.stringify(input.experts), representative: input.representative,
        witness: input.witness, started_at: input.startedAt ?? now(), toolkit_version: input.toolkitVersion,
        model_sha256: input.modelSha256, interface_address: input.interfaceAddress, subnet: input.subnet,
      });
      // No row for no zones: such an inspection reads like one recorded before zones existed.
      if (input.zones.length > 0) this.appendZones(id, input.zones);
      return ok(String(id));
    });
  }

  private appendZones(insp: number, zones: readonly string[]): void {
    this.append('inspection_zones', { inspection_id: insp, zones: JSON.stringify(zones), at: now() });
  }

  /** Zones named after the start (on resume): a new row when they differ, which then stands for the inspection. */
  setZones(inspectionId: string, zones: readonly string[]): void {
    this.step(() => {
      const insp = this.requireInspection(inspectionId);
      const current = this.zonesOf(insp);
      if (current.length !== zones.length || current.some((z, i) => z !== zones[i])) this.appendZones(insp, zones);
    });
  }

  private zonesOf(insp: number): string[] {
    const r: unknown = this.db.prepare('SELECT zones FROM inspection_zones WHERE inspection_id = ? ORDER BY id DESC LIMIT 1').get(insp);
    return r === undefined ? [] : jsonStrings(asRow(r), 'zones');
  }

  /**
   * The network chosen after the start (the terminal UI opens the inspection before its interface is picked):
   * a new row when it differs from the one standing, which then stands for the inspection.
   */
  recordNetwork(inspectionId: string, network: InspectionNetwork): void {
    this.step(() => {
      const insp = this.requireInspection(inspectionId);
      const standing = this.meta(insp);
      if (standing && standing.interfaceAddress === network.interfaceAddress && standing.subnet === network.subnet) return;
      this.append('inspection_networks', { inspection_id: insp, interface_address: network.interfaceAddress, subnet: network.subnet, at: now() });
    });
  }

  /** The latest network row; null when none was recorded (the inspections row then holds the network). */
  private networkOf(insp: number): InspectionNetwork | null {
    const r: unknown = this.db.prepare('SELECT interface_address, subnet FROM inspection_networks WHERE inspection_id = ? ORDER BY id DESC LIMIT 1').get(insp);
    if (r === undefined) return null;
    const row = asRow(r);
    return { interfaceAddress: text(row, 'interface_address'), subnet: textOrNull(row, 'subnet') };
  }

  private requireInspection(inspectionId: string): number {
    const id = parseId(inspectionId);
    if (id === null || !this.meta(id)) throw new Error(`no inspection "${inspectionId}"`);
    return id;
  }

  hasInspection(inspectionId: string): boolean {
    const id = parseId(inspectionId);
    return id !== null && this.meta(id) !== null;
  }

  addEvidence(inspection: number, e: { deviceKey: string | null; kind: EvidenceKind; call: string; mime: string; recordedAt: string; data: Uint8Array }): number {
    return this.append('evidence', {
      inspection_id: inspection, device_key: e.deviceKey, kind: e.kind, call: e.call, mime: e.mime,
      sha256: sha256Hex(e.data), size_bytes: e.data.byteLength, recorded_at: e.recordedAt, data: e.data,
    });
  }

  /** One device = one step: every call's request and response, the blurred images, the facts. */
  recordDevice(inspectionId: string, result: DeviceResult): RecordedDevice {
    return this.step(() => {
      const insp = this.requireInspection(inspectionId);
      const key = deviceKey(result);
      const calls = (result.config?.calls ?? []).map((c) => ({
        request: this.addEvidence(insp, { deviceKey: key, kind: 'request', call: c.action, mime: 'text/plain', recordedAt: c.startedAt, data: utf8.encode(c.request) }),
        response: c.response === null ? null : this.addEvidence(insp, { deviceKey: key, kind: 'response', call: c.action, mime: sniffMime(c.response), recordedAt: c.startedAt, data: c.response }),
      }));
      const images = result.streams.map((s) => s.evidence.map((img) =>
        this.addEvidence(insp, { deviceKey: key, kind: 'snapshot', call: `stream ${s.uri}`, mime: img.mime, recordedAt: now(), data: img.bytes })));
      const facts = toStoredFacts(key, result, { calls, images });
      const c = result.config;
      const deviceId = this.append('devices', {
        inspection_id: insp, key, vendor: c?.device.manufacturer ?? null, model: c?.device.model ?? null,
        serial: c?.device.serial ?? null, firmware: c?.device.firmware ?? null, macs: JSON.stringify(c?.network.macs ?? []),
        addresses: JSON.stringify([...new Set([c?.address, result.discovered?.address, ...(c?.network.addresses ?? [])].filter((a): a is string => !!a))]),
        recorded_at: now(),
      });
      this.append('facts', { inspection_id: insp, device_id: deviceId, device_key: key, json: JSON.stringify(facts) });
      const record = toDeviceRecord(facts);
      return { deviceKey: key, evidenceIds: record.evidenceIds, record };
    });
  }

  /** Appends a new set; the latest set is the inspection's findings (earlier sets stay as history). */
  recordFindings(inspectionId: string, findings: readonly Finding[]): void {
    this.step(() => {
      const insp = this.requireInspection(inspectionId);
      const setId = this.append('finding_sets', { inspection_id: insp, derived_at: now(), count: findings.length });
      for (const f of findings) {
        this.append('findings', {
          set_id: setId, inspection_id: insp, rule_id: f.ruleId, severity: f.severity, device_key: f.deviceKey,
          observation_zh: f.observation['zh-CN'], observation_en: f.observation.en, evidence_ids: JSON.stringify(f.evidenceIds),
        });
      }
    });
  }

  recordChecklist(inspectionId: string, entry: ChecklistInput): ChecklistEntry {
    const photos = entry.photos ?? [];
    // Read before the transaction: file I/O must not hold the write lock.
    const files = photos.map((p) => ({ path: p, data: existsSync(p) ? new Uint8Array(readFileSync(p)) : null }));
    return this.step(() => {
      const insp = this.requireInspection(inspectionId);
      const evidenceIds = files.flatMap((f) => f.data === null ? [] : [this.addEvidence(insp, {
        deviceKey: null, kind: 'photo', call: `checklist ${entry.item}`, mime: photoMime[extname(f.path).toLowerCase()] ?? 'application/octet-stream',
        recordedAt: now(), data: f.data,
      })]);
      const note = entry.note ?? '';
      this.append('checklist', {
        inspection_id: insp, item: entry.item, answer: entry.answer, note, photos: JSON.stringify(photos),
        evidence_ids: JSON.stringify(evidenceIds), answered_at: now(),
      });
      return { item: entry.item, answer: entry.answer, note, photos, evidenceIds };
    });
  }

  addNote(inspectionId: string, noteText: string): void {
    this.step(() => this.append('notes', { inspection_id: this.requireInspection(inspectionId), at: now(), text: noteText }));
  }

  addSignature(inspectionId: string, s: SignatureInput): void {
    this.step(() => this.append('signatures', {
      inspection_id: this.requireInspection(inspectionId), name: s.name, role: s.role, status: s.status, note: s.note ?? '', at: now(),
    }));
  }

  finishInspection(inspectionId: string): void {
    this.step(() => {
      const insp = this.requireInspection(inspectionId);
      if (this.endedAt(insp) === null) this.append('inspection_events', { inspection_id: insp, kind: 'finished', at: now() });
    });
  }

  private endedAt(insp: number): string | null {
    const r: unknown = this.db.prepare("SELECT at FROM inspection_events WHERE inspection_id = ? AND kind = 'finished' ORDER BY id LIMIT 1").get(insp);
    return r === undefined ? null : text(asRow(r), 'at');
  }

  private metaFromRow(r: Row): InspectionMeta {
    const id = int(r, 'id');
    const prev = intOrNull(r, 'previous_id');
    return {
      id: String(id), siteId: text(r, 'site_id'), siteVersion: int(r, 'site_version'),
      kind: text(r, 'kind') === 'recheck' ? 'recheck' : 'first', previousInspectionId: prev === null ? null : String(prev),
      caseNumber: text(r, 'case_number'), zones: this.zonesOf(id), inspectors: jsonStrings(r, 'inspectors'), experts: jsonStrings(r, 'experts'),
      representative: text(r, 'representative'), witness: text(r, 'witness'), startedAt: text(r, 'started_at'),
      endedAt: this.endedAt(id), toolkitVersion: text(r, 'toolkit_version'), modelSha256: text(r, 'model_sha256'),
      ...(this.networkOf(id) ?? { interfaceAddress: text(r, 'interface_address'), subnet: textOrNull(r, 'subnet') }),
    };
  }

  private meta(id: number): InspectionMeta | null {
    const r: unknown = this.db.prepare('SELECT * FROM inspections WHERE id = ?').get(id);
    return r === undefined ? null : this.metaFromRow(asRow(r));
  }

  unfinishedInspections(): InspectionMeta[] {
    return this.db.prepare("SELECT * FROM inspections i WHERE NOT EXISTS (SELECT 1 FROM inspection_events e WHERE e.inspection_id = i.id AND e.kind = 'finished') ORDER BY id")
      .all().map((r) => this.metaFromRow(asRow(r)));
  }

  inspectionsForSite(siteId: string): InspectionMeta[] {
    return this.db.prepare('SELECT * FROM inspections WHERE site_id = ? ORDER BY id').all(siteId).map((r) => this.metaFromRow(asRow(r)));
  }

  evidenceBlob(id: number): Uint8Array | null {
    const r: unknown = this.db.prepare('SELECT data FROM evidence WHERE id = ?').get(id);
    if (r === undefined) return null;
    const data = asRow(r)['data'];
    if (!(data instanceof Uint8Array)) throw new Error(`evidence ${id} has no bytes`);
    return data;
  }

  /** The last chain entry among this inspection's own rows (and its inspection row). */
  inspectionHead(insp: number): ChainHead {
    const r = asRow(this.db.prepare(`SELECT MAX(seq) AS seq FROM chain c WHERE (c.tbl = 'inspections' AND c.row_id = @id) OR
      ${INSPECTION_TABLES
        .map((t) => `(c.tbl = '${t}' AND c.row_id IN (SELECT id FROM ${t} WHERE inspection_id = @id))`).join(' OR ')}`).get({ id: insp }));
    const seq = intOrNull(r, 'seq') ?? 0;
    const h: unknown = this.db.prepare('SELECT entry_hash FROM chain WHERE seq = ?').get(seq);
    return { seq, hash: h === undefined ? '' : text(asRow(h), 'entry_hash') };
  }

  loadInspection(inspectionId: string): InspectionRecord | null {
    const id = parseId(inspectionId);
    const meta = id === null ? null : this.meta(id);
    if (id === null || !meta) return null;
    const site = this.site(meta.siteId, meta.siteVersion);
    if (!site) throw new Error(`inspection ${id} names missing site ${meta.siteId} v${meta.siteVersion}`);
    const devices = latestPerDevice(this.db.prepare('SELECT json FROM facts WHERE inspection_id = ? ORDER BY id').all(id).map((r) => {
      const parsed: unknown = JSON.parse(text(asRow(r), 'json'));
      if (!isStoredFacts(parsed)) throw new Error(`facts of inspection ${id} are not in format 1`);
      return toDeviceRecord(parsed);
    }));
    const set: unknown = this.db.prepare('SELECT id FROM finding_sets WHERE inspection_id = ? ORDER BY id DESC LIMIT 1').get(id);
    const findings: Finding[] = set === undefined ? [] : this.db.prepare('SELECT * FROM findings WHERE set_id = ? ORDER BY id').all(int(asRow(set), 'id')).map((x) => {
      const r = asRow(x);
      const sev = text(r, 'severity');
      return {
        ruleId: text(r, 'rule_id'),
        severity: sev === 'high' || sev === 'medium' || sev === 'low' ? sev : 'info',
        deviceKey: textOrNull(r, 'device_key'),
        observation: { 'zh-CN': text(r, 'observation_zh'), en: text(r, 'observation_en') },
        evidenceIds: jsonInts(r, 'evidence_ids'),
      };
    });
    const latest = new Map<string, ChecklistEntry>();
    for (const x of this.db.prepare('SELECT * FROM checklist WHERE inspection_id = ? ORDER BY id').all(id)) {
      const r = asRow(x);
      const a = text(r, 'answer');
      const answer: ChecklistAnswer = a === 'yes' || a === 'no' ? a : 'n/a';
      latest.set(text(r, 'item'), { item: text(r, 'item'), answer, note: text(r, 'note'), photos: jsonStrings(r, 'photos'), evidenceIds: jsonInts(r, 'evidence_ids') });
    }
    const evidence: EvidenceRef[] = this.db.prepare('SELECT id, kind, call, device_key, sha256, size_bytes, mime, recorded_at FROM evidence WHERE inspection_id = ? ORDER BY id').all(id).map((x) => {
      const r = asRow(x);
      const k = text(r, 'kind');
      const kind: EvidenceKind = k === 'request' || k === 'response' || k === 'snapshot' || k === 'photo' ? k : 'facts';
      return { id: int(r, 'id'), kind, call: text(r, 'call'), deviceKey: textOrNull(r, 'device_key'), sha256: text(r, 'sha256'), bytes: int(r, 'size_bytes'), mime: text(r, 'mime'), recordedAt: text(r, 'recorded_at') };
    });
    const notes = this.db.prepare('SELECT at, text FROM notes WHERE inspection_id = ? ORDER BY id').all(id).map((x) => ({ at: text(asRow(x), 'at'), text: text(asRow(x), 'text') }));
    return { meta, site, devices, findings, checklist: [...latest.values()], evidence, notes, chainHead: this.inspectionHead(id).hash };
  }

  signatures(inspectionId: string): (SignatureInput & { readonly at: string })[] {
    const id = parseId(inspectionId);
    return this.db.prepare('SELECT * FROM signatures WHERE inspection_id = ? ORDER BY id').all(id).map((x) => {
      const r = asRow(x);
      return { name: text(r, 'name'), role: text(r, 'role'), status: text(r, 'status') === 'refused' ? 'refused' : 'signed', note: text(r, 'note'), at: text(r, 'at') };
    });
  }

  close(): void {
    this.db.close();
  }
}

const migrate = (db: Database.Database): void => {
  const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").get() !== undefined;
  const applied = new Set(hasTable ? db.prepare('SELECT version FROM schema_migrations').all().map((r) => int(asRow(r), 'version')) : []);
  for (const m of MIGRATIONS) {
    if (applied.has(m.version)) continue;
    db.transaction(() => {
      db.exec(m.sql);
      appendRow(db, 'schema_migrations', { version: m.version, name: m.name, applied_at: now() });
      if (m.version === 1) appendRow(db, 'store_info', { uid: randomUUID(), created_at: now() });
    }).immediate();
  }
};

export const openStore = (file: string): Store =>
  guardStorage(file, () => {
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
    return new Store(db);
  });

/**
 * Open read-only and replay the chain. `expected` is a head printed on a report or a bundle. Never creates
 * the file. A file SQLite cannot read as a database, or whose tables were changed so that the replay's
 * queries fail, is a break (the file is not what the store wrote); a locked or unopenable one is a
 * StorageError.
 */
export const verifyStore = (file: string, expected?: ChainHead): Result<{ entries: number; head: ChainHead }, ChainBreak> => {
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
