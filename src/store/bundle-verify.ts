/**
 * Verifying a bundle: every file hash, every row hash against its chain entry, every entry hash, and the head.
 * Someone who rewrites all of that consistently changes the head, which is printed on the paper report:
 * compare it.
 */
import { statSync, type Stats } from 'node:fs';
import { err, ok, type Result } from '../core/result.js';
import { listFiles, parseJson, readBundleFile } from './bundle-files.js';
import { decodeManifest, decodeRows, evidencePath, type BundleManifest, type BundleRow } from './bundle-format.js';
import { entryHash, rowHash, sha256Hex } from './canonical.js';

export interface VerifiedBundle {
  readonly manifest: BundleManifest;
  readonly rows: readonly BundleRow[];
  readonly manifestSha256: string;
}

const statOrNull = (path: string): Stats | null => {
  try {
    return statSync(path);
  } catch {
    // Absent, a file where a folder of the path should be, unreadable: no bundle there either way.
    return null;
  }
};

export const verifyBundle = (dir: string): Result<VerifiedBundle, string> => {
  // The folder named may itself be a link (the inspector chose it); nothing inside it is followed.
  const top = statOrNull(dir);
  if (top === null) return err(`no bundle folder at ${dir}`);
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
    if (r.table === 'evidence' && (data === null || data === undefined || !('b' in data) || fileHashes.get(evidencePath(e.rowId)) !== data.b)) {
      return err(`evidence ${e.rowId}: file does not match the evidence row`);
    }
  }
  const last = rows.value[rows.value.length - 1]?.entry;
  if (!last || last.seq !== m.value.chainHead.seq || last.entryHash !== m.value.chainHead.hash) return err('manifest chain head does not match the record');
  return ok({ manifest: m.value, rows: rows.value, manifestSha256: sha256Hex(manifestBytes.value) });
};
