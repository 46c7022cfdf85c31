/**
 * Writing an inspection as a bundle folder (bundle-format.ts), through the shared writer. The manifest is
 * written last, so a bundle cut short has none and is refused on import.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { prepareEmptyFolder, writeFileAtomic, writeRefusalMessage } from '../io/write-file.js';
import { evidencePath, FORMAT, type BundleFile, type BundleManifest, type BundleRow } from './bundle-format.js';
import { canonicalRow, sha256Hex } from './canonical.js';
import type { Store } from './store.js';

export const exportBundle = (store: Store, inspectionId: string, dir: string): Result<BundleManifest, string> => {
  const stored = store.inspectionRows(inspectionId);
  if (!stored) return err(`no inspection "${inspectionId}"`);
  // A new or empty folder only: a stray file would make the bundle fail its own verification.
  const folder = prepareEmptyFolder(dir);
  if (!folder.ok) return err(writeRefusalMessage(folder.error));
  mkdirSync(join(dir, 'evidence'));
  const files: BundleFile[] = [];
  const write = (path: string, data: string | Uint8Array): Result<void, string> => {
    const w = writeFileAtomic(join(dir, path), data);
    if (!w.ok) return err(writeRefusalMessage(w.error));
    files.push({ path, sha256: sha256Hex(data), bytes: w.value.bytes });
    return ok(undefined);
  };
  const rows: BundleRow[] = [];
  for (const s of stored) {
    rows.push({ table: s.table, row: canonicalRow(s.row), entry: s.entry });
    const data = s.row['data'];
    if (s.table === 'evidence' && data instanceof Uint8Array) {
      const w = write(evidencePath(s.entry.rowId), data);
      if (!w.ok) return w;
    }
  }
  const w = write('record.json', JSON.stringify({ rows }, null, 1));
  if (!w.ok) return w;
  const last = rows[rows.length - 1]?.entry;
  const manifest: BundleManifest = {
    format: FORMAT, storeUid: store.uid, inspectionId, chainHead: { seq: last?.seq ?? 0, hash: last?.entryHash ?? '' },
    createdAt: new Date().toISOString(), files,
  };
  const wm = writeFileAtomic(join(dir, 'manifest.json'), JSON.stringify(manifest, null, 2));
  return wm.ok ? ok(manifest) : err(writeRefusalMessage(wm.error));
};
