/**
 * Merging a verified bundle into this store's chain, in one step: the rows get this store's ids (evidence,
 * devices and finding sets renumbered, every citation remapped) and an `imports` row keeps the source head
 * as provenance. Nothing is merged from a bundle that fails verification.
 */
import type { SiteDetails } from '../core/record.js';
import { err, ok, type Result } from '../core/result.js';
import { isStoredFacts, remapFacts } from '../rules/device-facts.js';
import { parseJson, readBundleFile } from './bundle-files.js';
import { evidencePath, type BundleRow } from './bundle-format.js';
import { verifyBundle, type VerifiedBundle } from './bundle-verify.js';
import { sha256Hex, type CanonicalRow, type CanonicalValue } from './canonical.js';
import type { SqlValue } from './chain.js';
import { sameSite, siteDiff, type SiteInput } from './sites.js';
import type { Store } from './store.js';

export interface ImportedBundle {
  readonly inspectionId: string;
  readonly evidence: number;
}

/** A bundle found unusable while merging (its transaction is rolled back): an expected failure, not a bug. */
class BundleRejected extends Error {}

const plain = (v: CanonicalValue | undefined): SqlValue => {
  if (v === null || v === undefined) return null;
  if ('t' in v) return v.t;
  if ('i' in v) return Number(v.i);
  if ('r' in v) return v.r;
  throw new Error('blob values are restored from files');
};

const field = (r: CanonicalRow, k: string): SqlValue => plain(r[k]);
const str = (r: CanonicalRow, k: string): string => String(field(r, k) ?? '');

/** A row's columns for this store: its own id is assigned here. */
const values = (r: CanonicalRow, skip: readonly string[]): Record<string, SqlValue> =>
  Object.fromEntries(Object.keys(r).filter((k) => k !== 'id' && !skip.includes(k)).map((k) => [k, field(r, k)]));

const jsonIn = (text: SqlValue, what: string): unknown => {
  const parsed = parseJson('record.json', Buffer.from(String(text)));
  if (!parsed.ok) throw new BundleRejected(`${what}: ${parsed.error}`);
  return parsed.value;
};

/** Inside the import's step: every row but the site, the inspection and the source's own imports. */
const mergeRows = (store: Store, dir: string, rows: readonly BundleRow[], insp: number): number => {
  const evidenceMap = new Map<number, number>();
  const setMap = new Map<number, number>();
  const deviceMap = new Map<number, number>();
  const mapEvidence = (id: number): number => evidenceMap.get(id) ?? -1;
  const mapIds = (json: SqlValue, what: string): string => {
    const ids = jsonIn(json, what);
    return JSON.stringify(Array.isArray(ids) ? ids.filter((x): x is number => typeof x === 'number').map(mapEvidence) : []);
  };
  for (const r of rows) {
    if (r.table === 'sites' || r.table === 'inspections' || r.table === 'imports') continue;
    const base: Record<string, SqlValue> = { ...values(r.row, ['data']), inspection_id: insp };
    const src = r.entry.rowId;
    if (r.table === 'evidence') {
      // Read again for the merge: it must still be the file verified, not one swapped in since.
      const file = readBundleFile(dir, evidencePath(src));
      const blob = r.row['data'];
      if (!file.ok || blob === null || blob === undefined || !('b' in blob) || sha256Hex(file.value) !== blob.b) throw new BundleRejected(`${evidencePath(src)} changed after verification`);
      evidenceMap.set(src, store.append('evidence', { ...base, data: new Uint8Array(file.value) }));
    } else if (r.table === 'devices') {
      deviceMap.set(src, store.append('devices', base));
    } else if (r.table === 'facts') {
      const facts = jsonIn(base['json'] ?? null, `facts row ${src}`);
      if (!isStoredFacts(facts)) throw new BundleRejected(`record.json facts row ${src} is not in format 1`);
      store.append('facts', { ...base, device_id: deviceMap.get(Number(base['device_id'])) ?? -1, json: JSON.stringify(remapFacts(facts, mapEvidence)) });
    } else if (r.table === 'finding_sets') {
      setMap.set(src, store.append('finding_sets', base));
    } else if (r.table === 'findings') {
      store.append('findings', { ...base, set_id: setMap.get(Number(base['set_id'])) ?? -1, evidence_ids: mapIds(base['evidence_ids'] ?? '[]', `findings row ${src}`) });
    } else if (r.table === 'checklist') {
      store.append('checklist', { ...base, evidence_ids: mapIds(base['evidence_ids'] ?? '[]', `checklist row ${src}`) });
    } else {
      store.append(r.table, base);
    }
  }
  return evidenceMap.size;
};

export interface ImportOptions {
  /** Record the bundle's site details as a new version when the site here has other details. */
  readonly acceptSiteUpdate?: boolean;
}

const siteOf = (siteRow: CanonicalRow): SiteInput => {
  const campaign = field(siteRow, 'campaign');
  return {
    id: str(siteRow, 'site_id'), name: str(siteRow, 'name'), address: str(siteRow, 'address'), district: str(siteRow, 'district'),
    developer: str(siteRow, 'developer'), contact: str(siteRow, 'contact'), campaign: campaign === null ? null : String(campaign),
  };
};

/**
 * The site version the imported inspection names: one here with the bundle's very details (any version: the
 * campaign may have edited the site since), or a new one. A campaign site is never silently rewritten: when
 * the site here has other details, the import is refused with the differences unless the update is accepted.
 */
const siteFor = (store: Store, bundled: SiteInput, opts: ImportOptions): SiteDetails => {
  const versions = store.siteVersions(bundled.id);
  const same = versions.find((v) => sameSite(v, bundled));
  if (same) return same;
  const latest = versions.at(-1);
  if (latest && !opts.acceptSiteUpdate) {
    throw new BundleRejected(`site ${bundled.id} here (v${latest.version}) differs from the bundle's: ${siteDiff(latest, bundled).join('; ')}. Check with the campaign, then import again with --accept-site-update to record the bundle's details as a new version`);
  }
  return store.upsertSite(bundled);
};

const merge = (store: Store, dir: string, verified: VerifiedBundle, siteRow: CanonicalRow, inspRow: CanonicalRow, opts: ImportOptions): ImportedBundle => {
  const { manifest, rows } = verified;
  const site = siteFor(store, siteOf(siteRow), opts);
  const prevSource = field(inspRow, 'previous_id');
  const insp = store.append('inspections', {
    ...values(inspRow, []), site_id: site.id, site_version: site.version,
    previous_id: prevSource === null ? null : store.importedAs(manifest.storeUid, String(prevSource)),
  });
  const evidence = mergeRows(store, dir, rows, insp);
  store.append('imports', {
    inspection_id: insp, source_store_uid: manifest.storeUid, source_inspection_id: manifest.inspectionId,
    source_chain_seq: manifest.chainHead.seq, source_chain_head: manifest.chainHead.hash, manifest_sha256: verified.manifestSha256,
    imported_at: new Date().toISOString(),
  });
  return { inspectionId: String(insp), evidence };
};

/** Verify, then merge into this store's chain in one step. The source head stays as provenance. */
export const importBundle = (store: Store, dir: string, opts: ImportOptions = {}): Result<ImportedBundle, string> => {
  const v = verifyBundle(dir);
  if (!v.ok) return v;
  const { manifest, rows } = v.value;
  const seen = store.importedAs(manifest.storeUid, manifest.inspectionId);
  if (seen !== null) return err(`inspection ${manifest.inspectionId} of store ${manifest.storeUid} was already imported as ${seen}`);
  if (manifest.storeUid === store.uid) return err('bundle comes from this very database');
  const siteRows = rows.filter((r) => r.table === 'sites');
  const inspRows = rows.filter((r) => r.table === 'inspections');
  const siteRow = siteRows[0]?.row;
  const inspRow = inspRows[0]?.row;
  if (!siteRow || !inspRow || siteRows.length > 1 || inspRows.length > 1) return err('bundle must hold exactly one site and one inspection row');
  try {
    return ok(store.step(() => merge(store, dir, v.value, siteRow, inspRow, opts)));
  } catch (e) {
    if (e instanceof BundleRejected) return err(e.message);
    throw e;
  }
};
