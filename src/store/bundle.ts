/**
 * An inspection as a folder the office can check and merge:
 *   manifest.json  every file with its sha256, the source store and the inspection's chain head
 *   record.json    the inspection's rows in canonical form, with each row's chain entry
 *   evidence/N.bin the evidence bytes
 * verifyBundle recomputes every file hash, every row hash against its chain entry, every entry hash,
 * and the head. Someone who rewrites all of that consistently changes the head, which is printed on
 * the paper report: compare it.
 */
import { closeSync, constants, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { prepareEmptyFolder, writeFileAtomic, writeRefusalMessage } from '../io/write-file.js';
import { isStoredFacts, remapFacts } from '../rules/device-facts.js';
import { canonicalRow, entryHash, rowHash, sha256Hex, type CanonicalRow, type CanonicalValue } from './canonical.js';
import { isRecord, type ChainHead, type SqlValue } from './chain.js';
import { asRow, int, text } from './rows.js';
import { INSPECTION_TABLES } from './schema.js';
import type { Store } from './store.js';

const FORMAT = 'camaudit-bundle/1';

const BUNDLE_TABLES: readonly string[] = ['sites', 'inspections', ...INSPECTION_TABLES];

interface BundleEntry {
  readonly seq: number;
  readonly tbl: string;
  readonly rowId: number;
  readonly rowHash: string;
  readonly prevHash: string;
  readonly entryHash: string;
}

interface BundleRow {
  readonly table: string;
  readonly row: CanonicalRow;
  readonly entry: BundleEntry;
}

export interface BundleManifest {
  readonly format: typeof FORMAT;
  readonly storeUid: string;
  readonly inspectionId: string;
  readonly chainHead: ChainHead;
  readonly createdAt: string;
  readonly files: readonly { readonly path: string; readonly sha256: string; readonly bytes: number }[];
}

const entryOf = (store: Store, table: string, id: number): BundleEntry => {
  const r = asRow(store.db.prepare('SELECT * FROM chain WHERE tbl = ? AND row_id = ?').get(table, id));
  return { seq: int(r, 'seq'), tbl: text(r, 'tbl'), rowId: int(r, 'row_id'), rowHash: text(r, 'row_hash'), prevHash: text(r, 'prev_hash'), entryHash: text(r, 'entry_hash') };
};

export const exportBundle = (store: Store, inspectionId: string, dir: string): Result<BundleManifest, string> => {
  const rec = store.loadInspection(inspectionId);
  if (!rec) return err(`no inspection "${inspectionId}"`);
  const id = Number(inspectionId);
  // A new or empty folder only: a stray file would make the bundle fail its own verification.
  const folder = prepareEmptyFolder(dir);
  if (!folder.ok) return err(writeRefusalMessage(folder.error));
  mkdirSync(join(dir, 'evidence'));
  const write = (path: string, data: string | Uint8Array): Result<void, string> => {
    const w = writeFileAtomic(join(dir, path), data);
    return w.ok ? ok(undefined) : err(writeRefusalMessage(w.error));
  };
  const rows: BundleRow[] = [];
  const files: { path: string; sha256: string; bytes: number }[] = [];
  const add = (table: string, raw: unknown): void => {
    const r = asRow(raw);
    rows.push({ table, row: canonicalRow(r), entry: entryOf(store, table, int(r, 'id')) });
  };
  add('sites', store.db.prepare('SELECT * FROM sites WHERE site_id = ? AND version = ?').get(rec.site.id, rec.site.version));
  add('inspections', store.db.prepare('SELECT * FROM inspections WHERE id = ?').get(id));
  for (const t of INSPECTION_TABLES) {
    for (const raw of store.db.prepare(`SELECT * FROM ${t} WHERE inspection_id = ? ORDER BY id`).all(id)) {
      add(t, raw);
      const data = asRow(raw)['data'];
      if (t === 'evidence' && data instanceof Uint8Array) {
        const path = `evidence/${int(asRow(raw), 'id')}.bin`;
        const w = write(path, data);
        if (!w.ok) return w;
        files.push({ path, sha256: sha256Hex(data), bytes: data.byteLength });
      }
    }
  }
  rows.sort((a, b) => a.entry.seq - b.entry.seq);
  const last = rows[rows.length - 1]?.entry;
  const record = JSON.stringify({ rows }, null, 1);
  const w = write('record.json', record);
  if (!w.ok) return w;
  files.push({ path: 'record.json', sha256: sha256Hex(record), bytes: Buffer.byteLength(record) });
  const manifest: BundleManifest = {
    format: FORMAT, storeUid: store.uid, inspectionId, chainHead: { seq: last?.seq ?? 0, hash: last?.entryHash ?? '' },
    createdAt: new Date().toISOString(), files,
  };
  // Written last: a bundle cut short has no manifest and is refused on import.
  const wm = write('manifest.json', JSON.stringify(manifest, null, 2));
  return wm.ok ? ok(manifest) : wm;
};

/**
 * Every regular file under the bundle folder, as manifest paths. Nothing is followed: a symbolic link (to `/`,
 * to a file outside) or any other special file inside a bundle makes it invalid, so verify and import only
 * ever read what the folder itself holds.
 */
const listFiles = (dir: string): Result<string[], string> => {
  const out: string[] = [];
  const walk = (rel: string): string | null => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        const bad = walk(path);
        if (bad !== null) return bad;
      } else if (e.isFile()) out.push(path);
      else return `${path}: ${e.isSymbolicLink() ? 'a symbolic link inside the bundle (links are never followed)' : 'not a regular file'}`;
    }
    return null;
  };
  const bad = walk('');
  return bad === null ? ok(out) : err(bad);
};

/** A file of the bundle, opened without following a link (one swapped in after the listing is refused too). */
const readBundleFile = (dir: string, path: string): Result<Buffer, string> => {
  try {
    const fd = openSync(join(dir, path), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      if (!fstatSync(fd).isFile()) return err(`${path}: not a regular file`);
      return ok(readFileSync(fd));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
    return err(code === 'ENOENT' ? `${path}: listed in the manifest but missing` : code === 'ELOOP' ? `${path}: a symbolic link inside the bundle (links are never followed)` : `${path}: cannot be read (${code || String(e)})`);
  }
};

const parseJson = (path: string, bytes: Buffer): Result<unknown, string> => {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return ok(value);
  } catch (e) {
    return err(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
};

const decodeValue = (v: unknown): CanonicalValue | undefined => {
  if (v === null) return null;
  if (!isRecord(v)) return undefined;
  const keys = Object.keys(v);
  if (keys.length !== 1) return undefined;
  if (typeof v['t'] === 'string') return { t: v['t'] };
  if (typeof v['i'] === 'string' && /^-?\d+$/.test(v['i'])) return { i: v['i'] };
  if (typeof v['r'] === 'number') return { r: v['r'] };
  if (typeof v['b'] === 'string' && /^[0-9a-f]{64}$/.test(v['b'])) return { b: v['b'] };
  return undefined;
};

const decodeRows = (raw: unknown): Result<BundleRow[], string> => {
  if (!isRecord(raw) || !Array.isArray(raw['rows'])) return err('record.json: expected {rows: [...]}');
  const out: BundleRow[] = [];
  for (const [i, x] of raw['rows'].entries()) {
    if (!isRecord(x) || typeof x['table'] !== 'string' || !isRecord(x['row']) || !isRecord(x['entry'])) return err(`record.json rows[${i}]: malformed`);
    // Only an inspection's own rows travel: a row for the schema history or the store's identity would be merged into the target.
    if (!BUNDLE_TABLES.includes(x['table'])) return err(`record.json rows[${i}]: table "${x['table']}" does not belong in a bundle`);
    const row: Record<string, CanonicalValue> = {};
    for (const [k, v] of Object.entries(x['row'])) {
      const d = decodeValue(v);
      if (d === undefined) return err(`record.json rows[${i}].${k}: not a canonical value`);
      row[k] = d;
    }
    const e = x['entry'];
    const { seq, tbl, rowId, rowHash: rh, prevHash, entryHash: eh } = e;
    if (typeof seq !== 'number' || typeof tbl !== 'string' || typeof rowId !== 'number' || typeof rh !== 'string' || typeof prevHash !== 'string' || typeof eh !== 'string') {
      return err(`record.json rows[${i}].entry: malformed`);
    }
    out.push({ table: x['table'], row, entry: { seq, tbl, rowId, rowHash: rh, prevHash, entryHash: eh } });
  }
  return ok(out);
};

const decodeManifest = (raw: unknown): Result<BundleManifest, string> => {
  if (!isRecord(raw) || raw['format'] !== FORMAT) return err(`manifest.json: not a ${FORMAT} manifest`);
  const { storeUid, inspectionId, chainHead, createdAt, files } = raw;
  if (typeof storeUid !== 'string' || typeof inspectionId !== 'string' || typeof createdAt !== 'string' || !isRecord(chainHead) || !Array.isArray(files)) return err('manifest.json: missing fields');
  const { seq, hash } = chainHead;
  if (typeof seq !== 'number' || typeof hash !== 'string') return err('manifest.json: bad chainHead');
  const list: { path: string; sha256: string; bytes: number }[] = [];
  for (const f of files) {
    if (!isRecord(f) || typeof f['path'] !== 'string' || typeof f['sha256'] !== 'string' || typeof f['bytes'] !== 'number') return err('manifest.json: bad file entry');
    if (f['path'].includes('..') || f['path'].startsWith('/')) return err(`manifest.json: unsafe path ${f['path']}`);
    list.push({ path: f['path'], sha256: f['sha256'], bytes: f['bytes'] });
  }
  return ok({ format: FORMAT, storeUid, inspectionId, createdAt, chainHead: { seq, hash }, files: list });
};

export interface VerifiedBundle {
  readonly manifest: BundleManifest;
  readonly rows: readonly BundleRow[];
  readonly manifestSha256: string;
}

export const verifyBundle = (dir: string): Result<VerifiedBundle, string> => {
  let top;
  try {
    top = statSync(dir);
  } catch {
    return err(`no bundle folder at ${dir}`);
  }
  if (!top.isDirectory()) return err(`${dir} is not a bundle folder`);
  const present = listFiles(dir);
  if (!present.ok) return present;
  if (!present.value.includes('manifest.json')) return err(`no manifest.json in ${dir}`);
  const manifestBytes = readBundleFile(dir, 'manifest.json');
  if (!manifestBytes.ok) return manifestBytes;
  const manifestJson = parseJson('manifest.json', manifestBytes.value);
  if (!manifestJson.ok) return manifestJson;
  const m = decodeManifest(manifestJson.value);
  if (!m.ok) return m;
  const listed = new Set(m.value.files.map((f) => f.path));
  for (const p of present.value) if (p !== 'manifest.json' && !listed.has(p)) return err(`${p}: not in the manifest`);
  let recordBytes: Buffer | null = null;
  for (const f of m.value.files) {
    const data = readBundleFile(dir, f.path);
    if (!data.ok) return data;
    if (sha256Hex(data.value) !== f.sha256) return err(`${f.path}: sha256 does not match the manifest`);
    if (f.path === 'record.json') recordBytes = data.value;
  }
  if (recordBytes === null) return err('manifest.json: does not list record.json');
  const recordJson = parseJson('record.json', recordBytes);
  if (!recordJson.ok) return recordJson;
  const rows = decodeRows(recordJson.value);
  if (!rows.ok) return rows;
  const fileHashes = new Map(m.value.files.map((f) => [f.path, f.sha256]));
  for (const r of rows.value) {
    const e = r.entry;
    if (e.tbl !== r.table || rowHash(r.table, r.row) !== e.rowHash) return err(`record.json ${r.table}#${e.rowId}: row does not match its chain entry ${e.seq}`);
    if (entryHash(e) !== e.entryHash) return err(`record.json chain entry ${e.seq}: entry hash does not match`);
    const data = r.row['data'];
    if (r.table === 'evidence' && (data === null || data === undefined || !('b' in data) || fileHashes.get(`evidence/${e.rowId}.bin`) !== data.b)) {
      return err(`evidence ${e.rowId}: file does not match the evidence row`);
    }
  }
  const last = rows.value[rows.value.length - 1]?.entry;
  if (!last || last.seq !== m.value.chainHead.seq || last.entryHash !== m.value.chainHead.hash) return err('manifest chain head does not match the record');
  return ok({ manifest: m.value, rows: rows.value, manifestSha256: sha256Hex(manifestBytes.value) });
};

const plain = (v: CanonicalValue | undefined): SqlValue => {
  if (v === null || v === undefined) return null;
  if ('t' in v) return v.t;
  if ('i' in v) return Number(v.i);
  if ('r' in v) return v.r;
  throw new Error('blob values are restored from files');
};

/** A bundle found unusable while merging (its transaction is rolled back): an expected failure, not a bug. */
class BundleRejected extends Error {}

/** Verify, then merge into this store's chain in one step. The source head stays as provenance. */
export const importBundle = (store: Store, dir: string): Result<{ inspectionId: string; evidence: number }, string> => {
  const v = verifyBundle(dir);
  if (!v.ok) return v;
  const { manifest, rows } = v.value;
  const seen: unknown = store.db.prepare('SELECT inspection_id FROM imports WHERE source_store_uid = ? AND source_inspection_id = ?').get(manifest.storeUid, manifest.inspectionId);
  if (seen !== undefined) return err(`inspection ${manifest.inspectionId} of store ${manifest.storeUid} was already imported as ${int(asRow(seen), 'inspection_id')}`);
  if (manifest.storeUid === store.uid) return err('bundle comes from this very database');
  const siteRows = rows.filter((r) => r.table === 'sites');
  const inspRows = rows.filter((r) => r.table === 'inspections');
  const siteRow = siteRows[0]?.row;
  const inspRow = inspRows[0]?.row;
  if (!siteRow || !inspRow || siteRows.length > 1 || inspRows.length > 1) return err('bundle must hold exactly one site and one inspection row');
  const field = (r: CanonicalRow, k: string): SqlValue => plain(r[k]);
  const str = (r: CanonicalRow, k: string): string => String(field(r, k) ?? '');
  try {
    return store.step(() => {
    const campaign = field(siteRow, 'campaign');
    const site = store.upsertSite({
      id: str(siteRow, 'site_id'), name: str(siteRow, 'name'), address: str(siteRow, 'address'), district: str(siteRow, 'district'),
      developer: str(siteRow, 'developer'), contact: str(siteRow, 'contact'), campaign: campaign === null ? null : String(campaign),
    });
    const prevSource = field(inspRow, 'previous_id');
    const prevRow: unknown = prevSource === null ? undefined
      : store.db.prepare('SELECT inspection_id FROM imports WHERE source_store_uid = ? AND source_inspection_id = ?').get(manifest.storeUid, String(prevSource));
    const values = (r: CanonicalRow, skip: readonly string[]): Record<string, SqlValue> =>
      Object.fromEntries(Object.keys(r).filter((k) => k !== 'id' && !skip.includes(k)).map((k) => [k, field(r, k)]));
    const insp = store.append('inspections', {
      ...values(inspRow, []), site_id: site.id, site_version: site.version,
      previous_id: prevRow === undefined ? null : int(asRow(prevRow), 'inspection_id'),
    });
    const evidenceMap = new Map<number, number>();
    const setMap = new Map<number, number>();
    const deviceMap = new Map<number, number>();
    const mapEvidence = (id: number): number => evidenceMap.get(id) ?? -1;
    const mapIds = (json: SqlValue): string => {
      const ids = parseJson('record.json', Buffer.from(String(json)));
      if (!ids.ok) throw new BundleRejected(ids.error);
      return JSON.stringify(Array.isArray(ids.value) ? ids.value.filter((x): x is number => typeof x === 'number').map(mapEvidence) : []);
    };
    for (const r of rows) {
      if (r.table === 'sites' || r.table === 'inspections' || r.table === 'imports') continue;
      const base: Record<string, SqlValue> = { ...values(r.row, ['data']), inspection_id: insp };
      const src = r.entry.rowId;
      if (r.table === 'evidence') {
        // Read again for the merge: it must still be the file verified, not one swapped in since.
        const file = readBundleFile(dir, `evidence/${src}.bin`);
        const blob = r.row['data'];
        if (!file.ok || blob === null || blob === undefined || !('b' in blob) || sha256Hex(file.value) !== blob.b) throw new BundleRejected(`evidence/${src}.bin changed after verification`);
        evidenceMap.set(src, store.append('evidence', { ...base, data: new Uint8Array(file.value) }));
      } else if (r.table === 'devices') {
        deviceMap.set(src, store.append('devices', base));
      } else if (r.table === 'facts') {
        const facts = parseJson('record.json', Buffer.from(String(base['json'])));
        if (!facts.ok || !isStoredFacts(facts.value)) throw new BundleRejected(`record.json facts row ${src} is not in format 1`);
        store.append('facts', { ...base, device_id: deviceMap.get(Number(base['device_id'])) ?? -1, json: JSON.stringify(remapFacts(facts.value, mapEvidence)) });
      } else if (r.table === 'finding_sets') {
        setMap.set(src, store.append('finding_sets', base));
      } else if (r.table === 'findings') {
        store.append('findings', { ...base, set_id: setMap.get(Number(base['set_id'])) ?? -1, evidence_ids: mapIds(base['evidence_ids'] ?? '[]') });
      } else if (r.table === 'checklist') {
        store.append('checklist', { ...base, evidence_ids: mapIds(base['evidence_ids'] ?? '[]') });
      } else {
        store.append(r.table, base);
      }
    }
    store.append('imports', {
      inspection_id: insp, source_store_uid: manifest.storeUid, source_inspection_id: manifest.inspectionId,
      source_chain_seq: manifest.chainHead.seq, source_chain_head: manifest.chainHead.hash, manifest_sha256: v.value.manifestSha256,
      imported_at: new Date().toISOString(),
    });
    return ok({ inspectionId: String(insp), evidence: evidenceMap.size });
    });
  } catch (e) {
    if (e instanceof BundleRejected) return err(e.message);
    throw e;
  }
};
