import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { appendRow } from '../../src/store/chain.js';
import { openStore, verifyStore, type Store } from '../../src/store/store.js';
import { MIGRATIONS } from '../../src/store/schema.js';
import { defaultDbPath } from '../../src/store/paths.js';
import { openDatabase } from '../../src/store/database.js';
import { rawAll, rawGet } from './raw.js';
import { device, inspectionInput, site } from './synth.js';

let dir: string;
let file: string;
let store: Store;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-store-'));
  file = join(dir, 'c.db');
  store = openStore(file);
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

const started = (): string => {
  store.upsertSite(site);
  const r = store.startInspection(inspectionInput);
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('schema and migrations', () => {
  it('applies every migration once and records it in schema_migrations', () => {
    store.close();
    store = openStore(file); // reopening must not re-run anything
    const versions = rawAll(file, 'SELECT version FROM schema_migrations');
    expect(versions).toEqual(MIGRATIONS.map((m) => ({ version: m.version })));
    // The store's own connection settings: a handle opened the way it opens one.
    const { db } = openDatabase(file);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    db.close();
    expect(verifyStore(file).ok).toBe(true);
  });

  it('refuses UPDATE and DELETE through triggers', () => {
    started();
    // Another connection to the file: the triggers are in the schema, not in the store's code.
    const db = new Database(file);
    expect(() => db.prepare("UPDATE sites SET name = 'x'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM chain').run()).toThrow(/append-only/);
    db.close();
  });
});

describe('databases written before later migrations', () => {
  /** What the store wrote before migration `upTo + 1`: the schema so far, and rows appended through the chain as it did. */
  const legacyDb = (path: string, upTo: number): void => {
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    for (const m of MIGRATIONS.filter((x) => x.version <= upTo)) {
      db.transaction(() => {
        db.exec(m.sql);
        appendRow(db, 'schema_migrations', { version: m.version, name: m.name, applied_at: '2026-01-01T00:00:00.000Z' });
        if (m.version === 1) appendRow(db, 'store_info', { uid: 'legacy-store', created_at: '2026-01-01T00:00:00.000Z' });
      }).immediate();
    }
    db.transaction(() => {
      appendRow(db, 'sites', {
        site_id: site.id, version: 1, name: site.name, address: site.address, district: site.district, developer: site.developer,
        contact: site.contact, campaign: null, created_at: '2026-01-01T00:00:00.000Z',
      });
      appendRow(db, 'inspections', {
        site_id: site.id, site_version: 1, kind: 'first', previous_id: null, case_number: 'OLD-1', inspectors: '["李四"]', experts: '[]',
        representative: '', witness: '', started_at: '2026-01-01T01:00:00.000Z', toolkit_version: '0.1.0', model_sha256: 'ab'.repeat(32),
        interface_address: '127.0.0.1', subnet: null,
      });
      appendRow(db, 'notes', { inspection_id: 1, at: '2026-01-01T01:05:00.000Z', text: 'written before zones' });
    }).immediate();
    db.close();
  };

  const dump = (path: string, sql: string): unknown[] => {
    const db = new Database(path, { readonly: true });
    try {
      return db.prepare(sql).all();
    } finally {
      db.close();
    }
  };

  it('before zones (migration 1 only): verifies as it stands, then opens, migrates, verifies and reads no zones, its rows and chain untouched', () => {
    const old = join(dir, 'legacy.db');
    legacyDb(old, 1);
    expect(verifyStore(old)).toMatchObject({ ok: true, value: { entries: 5 } }); // read-only: verify never migrates
    const chainBefore = dump(old, 'SELECT * FROM chain ORDER BY seq');
    const rowsBefore = ['sites', 'inspections', 'notes'].map((t) => dump(old, `SELECT * FROM ${t} ORDER BY id`));

    const migrated = openStore(old);
    try {
      expect(rawAll(old, 'SELECT version FROM schema_migrations ORDER BY id')).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      expect(migrated.loadInspection('1')?.meta).toMatchObject({ caseNumber: 'OLD-1', zones: [] });
      expect(migrated.uid).toBe('legacy-store');
    } finally {
      migrated.close();
    }
    // The old entries are a prefix of the chain; migrations 2 and 3 only appended their own records.
    expect(dump(old, 'SELECT * FROM chain ORDER BY seq').slice(0, chainBefore.length)).toEqual(chainBefore);
    expect(dump(old, 'SELECT tbl FROM chain WHERE seq > 5')).toEqual([{ tbl: 'schema_migrations' }, { tbl: 'schema_migrations' }]);
    expect(['sites', 'inspections', 'notes'].map((t) => dump(old, `SELECT * FROM ${t} ORDER BY id`))).toEqual(rowsBefore);
    expect(verifyStore(old)).toMatchObject({ ok: true, value: { entries: 7 } });

    // Zones named later for the old inspection are appended like any other row.
    const again = openStore(old);
    try {
      again.setZones('1', ['入口']);
      expect(again.loadInspection('1')?.meta.zones).toEqual(['入口']);
    } finally {
      again.close();
    }
    expect(verifyStore(old)).toMatchObject({ ok: true, value: { entries: 8 } });
  });

  it('before networks (migrations 1-2): verifies as it stands, then migrates and reads the network from the inspections row', () => {
    const old = join(dir, 'legacy-v2.db');
    legacyDb(old, 2);
    expect(verifyStore(old)).toMatchObject({ ok: true, value: { entries: 6 } });
    const chainBefore = dump(old, 'SELECT * FROM chain ORDER BY seq');
    const rowsBefore = ['sites', 'inspections', 'notes'].map((t) => dump(old, `SELECT * FROM ${t} ORDER BY id`));

    const migrated = openStore(old);
    try {
      expect(rawAll(old, 'SELECT version FROM schema_migrations ORDER BY id')).toEqual([{ version: 1 }, { version: 2 }, { version: 3 }]);
      expect(migrated.loadInspection('1')?.meta).toMatchObject({ caseNumber: 'OLD-1', interfaceAddress: '127.0.0.1', subnet: null });
    } finally {
      migrated.close();
    }
    expect(dump(old, 'SELECT * FROM chain ORDER BY seq').slice(0, chainBefore.length)).toEqual(chainBefore);
    expect(dump(old, 'SELECT tbl FROM chain WHERE seq > 6')).toEqual([{ tbl: 'schema_migrations' }]);
    expect(['sites', 'inspections', 'notes'].map((t) => dump(old, `SELECT * FROM ${t} ORDER BY id`))).toEqual(rowsBefore);
    expect(verifyStore(old)).toMatchObject({ ok: true, value: { entries: 7 } });

    // A network chosen later for the old inspection is appended and stands over its inspections row.
    const again = openStore(old);
    try {
      again.recordNetwork('1', { interfaceAddress: '192.168.1.23', subnet: '192.168.1.0/24' });
      expect(again.loadInspection('1')?.meta).toMatchObject({ interfaceAddress: '192.168.1.23', subnet: '192.168.1.0/24' });
    } finally {
      again.close();
    }
    expect(verifyStore(old)).toMatchObject({ ok: true, value: { entries: 8 } });
  });
});

describe('sites are versioned', () => {
  it('keeps the old version and adds a new one on edit; no version when nothing changed', () => {
    expect(store.upsertSite(site).version).toBe(1);
    expect(store.upsertSite(site).version).toBe(1);
    const edited = store.addSiteVersion(site.id, { contact: '孙八 (fictional)' });
    expect(edited.ok && edited.value.version).toBe(2);
    expect(store.site(site.id, 1)?.contact).toBe(site.contact);
    expect(store.listSites()).toHaveLength(1);
    expect(store.listSites({ search: '孙八' })).toHaveLength(1);
    expect(store.listSites({ search: 'nothing-like-this' })).toHaveLength(0);
  });

  it('an inspection keeps the site version it used', () => {
    const id = started();
    store.addSiteVersion(site.id, { name: 'renamed' });
    expect(store.loadInspection(id)?.site).toEqual({ ...site, version: 1 });
  });
});

describe('inspection round trip', () => {
  it('records devices, evidence, findings, checklist, notes, signatures and loads them back', () => {
    const id = started();
    const r = store.recordDevice(id, device(1, { faceEnabled: true }));
    expect(r.deviceKey).toBe('serial:hikvision:SN1001');
    expect(r.evidenceIds).toHaveLength(7); // 3 requests + 3 responses + 1 image
    store.recordDevice(id, device(2));
    store.recordFindings(id, [{ ruleId: 'FR-FACE-PROC', severity: 'high', deviceKey: r.deviceKey, observation: { 'zh-CN': '观察', en: 'observed' }, evidenceIds: [2] }]);
    store.recordFindings(id, []);
    const photo = join(dir, 'sign.jpg');
    writeFileSync(photo, Buffer.from([0xff, 0xd8, 1, 2, 3]));
    store.recordChecklist(id, { item: 'signage', answer: 'yes' });
    const c = store.recordChecklist(id, { item: 'signage', answer: 'no', note: 'generic 监控 sign only', photos: [photo, join(dir, 'missing.jpg')] });
    expect(c.evidenceIds).toHaveLength(1);
    store.addNote(id, 'representative present');
    store.addSignature(id, { name: '赵六', role: 'representative', status: 'refused', note: 'declined to sign' });
    expect(store.unfinishedInspections().map((m) => m.id)).toEqual([id]);
    store.finishInspection(id);
    store.finishInspection(id);
    expect(store.unfinishedInspections()).toEqual([]);
    const rec = store.loadInspection(id);
    expect(rec?.meta.endedAt).not.toBeNull();
    expect(rec?.devices.map((d) => d.key)).toEqual(['serial:hikvision:SN1001', 'serial:hikvision:SN1002']);
    expect(rec?.devices[0]?.streams[0]?.profile).toBe('main');
    expect(rec?.findings).toEqual([]); // the latest set wins
    expect(rec?.checklist).toEqual([{ item: 'signage', answer: 'no', note: 'generic 监控 sign only', photos: [photo, join(dir, 'missing.jpg')], evidenceIds: c.evidenceIds }]);
    expect(rec?.evidence.find((e) => e.kind === 'photo')?.mime).toBe('image/jpeg');
    expect(rec?.notes.map((n) => n.text)).toEqual(['representative present']);
    expect(rec?.chainHead).toMatch(/^[0-9a-f]{64}$/);
    expect(store.signatures(id)[0]?.status).toBe('refused');
    expect(store.inspectionsForSite(site.id).map((m) => m.id)).toEqual([id]);
    const blob = store.evidenceBlob(r.evidenceIds[1] ?? 0);
    expect(new TextDecoder().decode(blob ?? new Uint8Array()).startsWith('<?xml')).toBe(true);
    expect(verifyStore(file)).toMatchObject({ ok: true });
  });

  it('records the zones in the step that opens the inspection, and none (no row) when none are named', () => {
    const id = started();
    expect(store.loadInspection(id)?.meta.zones).toEqual(['入口', '沙盘区']);
    const entries = rawAll(file, 'SELECT tbl, row_id FROM chain ORDER BY seq DESC LIMIT 2');
    expect(entries).toEqual([{ tbl: 'inspection_zones', row_id: 1 }, { tbl: 'inspections', row_id: Number(id) }]);
    const bare = store.startInspection({ ...inspectionInput, zones: [] });
    if (!bare.ok) throw new Error(bare.error);
    expect(store.loadInspection(bare.value)?.meta.zones).toEqual([]);
    expect(rawGet(file, 'SELECT COUNT(*) AS n FROM inspection_zones')).toEqual({ n: 1 });
    expect(store.inspectionsForSite(site.id).map((m) => m.zones)).toEqual([['入口', '沙盘区'], []]);
  });

  it('zones set later append a row that then stands; the same zones again add nothing', () => {
    const id = started();
    store.setZones(id, ['入口', '沙盘区', '签约室']);
    store.setZones(id, ['入口', '沙盘区', '签约室']);
    expect(store.loadInspection(id)?.meta.zones).toEqual(['入口', '沙盘区', '签约室']);
    store.setZones(id, []);
    expect(store.loadInspection(id)?.meta.zones).toEqual([]);
    expect(rawGet(file, 'SELECT COUNT(*) AS n FROM inspection_zones')).toEqual({ n: 3 });
    // The inspection's chain head (printed on the report) covers its zones rows.
    const last = rawGet(file, "SELECT entry_hash FROM chain WHERE tbl = 'inspection_zones' ORDER BY seq DESC LIMIT 1");
    expect(last).toEqual({ entry_hash: store.loadInspection(id)?.chainHead });
    expect(() => store.setZones('99', ['入口'])).toThrow(/no inspection/);
    expect(verifyStore(file)).toMatchObject({ ok: true });
  });

  it('a network recorded after the start appends a row that then stands; the same network again adds nothing', () => {
    store.upsertSite(site);
    // Opened as the terminal UI opens it at the case form: the network is not chosen yet.
    const r = store.startInspection({ ...inspectionInput, interfaceAddress: '', subnet: null });
    if (!r.ok) throw new Error(r.error);
    const id = r.value;
    expect(store.loadInspection(id)?.meta).toMatchObject({ caseNumber: 'DEMO-2026-001', interfaceAddress: '', subnet: null });
    expect(rawGet(file, 'SELECT COUNT(*) AS n FROM inspection_networks')).toEqual({ n: 0 });

    store.recordNetwork(id, { interfaceAddress: '10.9.0.1', subnet: '10.9.0.0/24' });
    store.recordNetwork(id, { interfaceAddress: '10.9.0.1', subnet: '10.9.0.0/24' });
    expect(store.loadInspection(id)?.meta).toMatchObject({ interfaceAddress: '10.9.0.1', subnet: '10.9.0.0/24' });
    expect(rawGet(file, 'SELECT COUNT(*) AS n FROM inspection_networks')).toEqual({ n: 1 });
    // Chosen again (back on the network screen, a sweep added): the newer row stands.
    store.recordNetwork(id, { interfaceAddress: '10.9.0.1', subnet: '10.9.0.0/24, 127.0.0.0/24' });
    expect(store.loadInspection(id)?.meta).toMatchObject({ interfaceAddress: '10.9.0.1', subnet: '10.9.0.0/24, 127.0.0.0/24' });
    expect(store.unfinishedInspections().map((m) => m.subnet)).toEqual(['10.9.0.0/24, 127.0.0.0/24']);
    expect(rawGet(file, 'SELECT COUNT(*) AS n FROM inspection_networks')).toEqual({ n: 2 });
    // The inspections row is never touched; the inspection's chain head covers its network rows.
    expect(rawGet(file, 'SELECT interface_address, subnet FROM inspections WHERE id = ?', Number(id))).toEqual({ interface_address: '', subnet: null });
    const last = rawGet(file, "SELECT entry_hash FROM chain WHERE tbl = 'inspection_networks' ORDER BY seq DESC LIMIT 1");
    expect(last).toEqual({ entry_hash: store.loadInspection(id)?.chainHead });
    expect(() => store.recordNetwork('99', { interfaceAddress: '10.9.0.1', subnet: null })).toThrow(/no inspection/);
    expect(verifyStore(file)).toMatchObject({ ok: true });
  });

  it('an inspection opened with its network (the CLI) has no network row; the same network chosen again adds none', () => {
    const id = started();
    expect(store.loadInspection(id)?.meta).toMatchObject({ interfaceAddress: '127.0.0.1', subnet: '127.0.0.0/24' });
    store.recordNetwork(id, { interfaceAddress: '127.0.0.1', subnet: '127.0.0.0/24' });
    expect(rawGet(file, 'SELECT COUNT(*) AS n FROM inspection_networks')).toEqual({ n: 0 });
  });

  it('rejects a step for an unknown inspection and writes nothing', () => {
    const before = store.chainHead();
    expect(() => store.recordDevice('99', device(1))).toThrow(/no inspection/);
    expect(store.chainHead()).toEqual(before);
    expect(store.startInspection({ ...inspectionInput, siteId: 'nope' })).toMatchObject({ ok: false });
  });
});

describe('default path', () => {
  it('prefers CAMAUDIT_DB, then the platform data dir', () => {
    expect(defaultDbPath({ CAMAUDIT_DB: '/x/y.db' }, 'linux', '/home/a')).toBe('/x/y.db');
    expect(defaultDbPath({}, 'linux', '/home/a')).toBe('/home/a/.local/share/camaudit/camaudit.db');
    expect(defaultDbPath({ XDG_DATA_HOME: '/d' }, 'linux', '/home/a')).toBe('/d/camaudit/camaudit.db');
    expect(defaultDbPath({}, 'darwin', '/Users/a')).toBe('/Users/a/Library/Application Support/camaudit/camaudit.db');
    expect(defaultDbPath({ APPDATA: 'C:\\AppData' }, 'win32', 'C:\\Users\\a')).toMatch(/^C:\\AppData.camaudit.camaudit\.db$/);
  });
});
