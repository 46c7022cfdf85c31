/**
 * The bundle format (camaudit-bundle/1): an inspection as a folder the office can check and merge.
 *   manifest.json  every file with its sha256, the source store and the inspection's chain head
 *   record.json    the inspection's rows in canonical form, with each row's chain entry
 *   evidence/N.bin the evidence bytes
 * Decoded here from untrusted JSON into these types, once.
 */
import { err, ok, type Result } from '../core/result.js';
import type { CanonicalRow, CanonicalValue } from './canonical.js';
import { isRecord, type ChainEntry, type ChainHead } from './chain.js';
import { INSPECTION_TABLES } from './schema.js';

export const FORMAT = 'camaudit-bundle/1';

/** Only an inspection's own rows travel: a row for the schema history or the store's identity would be merged into the target. */
const BUNDLE_TABLES: readonly string[] = ['sites', 'inspections', ...INSPECTION_TABLES];

export interface BundleRow {
  readonly table: string;
  readonly row: CanonicalRow;
  readonly entry: ChainEntry;
}

export interface BundleFile {
  readonly path: string;
  readonly sha256: string;
  readonly bytes: number;
}

export interface BundleManifest {
  readonly format: typeof FORMAT;
  readonly storeUid: string;
  readonly inspectionId: string;
  readonly chainHead: ChainHead;
  readonly createdAt: string;
  readonly files: readonly BundleFile[];
}

export const evidencePath = (rowId: number): string => `evidence/${rowId}.bin`;

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

export const decodeRows = (raw: unknown): Result<BundleRow[], string> => {
  if (!isRecord(raw) || !Array.isArray(raw['rows'])) return err('record.json: expected {rows: [...]}');
  const out: BundleRow[] = [];
  for (const [i, x] of raw['rows'].entries()) {
    if (!isRecord(x) || typeof x['table'] !== 'string' || !isRecord(x['row']) || !isRecord(x['entry'])) return err(`record.json rows[${i}]: malformed`);
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

export const decodeManifest = (raw: unknown): Result<BundleManifest, string> => {
  if (!isRecord(raw) || raw['format'] !== FORMAT) return err(`manifest.json: not a ${FORMAT} manifest`);
  const { storeUid, inspectionId, chainHead, createdAt, files } = raw;
  if (typeof storeUid !== 'string' || typeof inspectionId !== 'string' || typeof createdAt !== 'string' || !isRecord(chainHead) || !Array.isArray(files)) return err('manifest.json: missing fields');
  const { seq, hash } = chainHead;
  if (typeof seq !== 'number' || typeof hash !== 'string') return err('manifest.json: bad chainHead');
  const list: BundleFile[] = [];
  for (const f of files) {
    if (!isRecord(f) || typeof f['path'] !== 'string' || typeof f['sha256'] !== 'string' || typeof f['bytes'] !== 'number') return err('manifest.json: bad file entry');
    if (f['path'].includes('..') || f['path'].startsWith('/')) return err(`manifest.json: unsafe path ${f['path']}`);
    list.push({ path: f['path'], sha256: f['sha256'], bytes: f['bytes'] });
  }
  return ok({ format: FORMAT, storeUid, inspectionId, createdAt, chainHead: { seq, hash }, files: list });
};
