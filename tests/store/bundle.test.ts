import { createHash } from 'node:crypto';
import { execFile } from 'node:child_process';
import { appendFileSync, copyFileSync, mkdtempSync, readFileSync, rmSync, symlinkSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportBundle, importBundle, verifyBundle } from '../../src/store/bundle.js';
import { entryHash, rowHash } from '../../src/store/canonical.js';
import { openStore, verifyStore, type Store } from '../../src/store/store.js';
import { rawGet } from './raw.js';
import { device, inspectionInput, site } from './synth.js';

let dir: string;
let source: Store;
let inspectionId: string;
let n = 0;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-bundle-'));
  source = openStore(join(dir, 'field.db'));
  source.upsertSite(site);
  const first = source.startInspection(inspectionInput);
  if (!first.ok) throw new Error(first.error);
  source.finishInspection(first.value);
  const r = source.startInspection({ ...inspectionInput, kind: 'recheck', previousInspectionId: first.value });
  if (!r.ok) throw new Error(r.error);
  inspectionId = r.value;
  source.recordNetwork(inspectionId, { interfaceAddress: '192.168.1.23', subnet: '192.168.1.0/24, 192.168.9.0/28' });
  const d = source.recordDevice(inspectionId, device(1, { faceEnabled: true }));
  source.recordDevice(inspectionId, device(2));
  source.recordFindings(inspectionId, [{ ruleId: 'FR-FACE-PROC', severity: 'high', deviceKey: d.deviceKey, observation: { 'zh-CN': '观察', en: 'seen' }, evidenceIds: [d.evidenceIds[1] ?? 0] }]);
  const photo = join(dir, 'p.jpg');
  writeFileSync(photo, Buffer.from([0xff, 0xd8, 9]));
  source.recordChecklist(inspectionId, { item: 'signage', answer: 'no', photos: [photo] });
  source.addSignature(inspectionId, { name: '赵六', role: 'representative', status: 'signed' });
  source.finishInspection(inspectionId);
});
afterAll(() => {
  source.close();
  rmSync(dir, { recursive: true, force: true });
});

const exported = (): string => {
  const out = join(dir, `bundle${n++}`);
  const r = exportBundle(source, inspectionId, out);
  expect(r.ok).toBe(true);
  return out;
};

describe('bundle', () => {
  it('round-trips: export, verify, import into a campaign db, same record with renumbered evidence', () => {
    const out = exported();
    expect(verifyBundle(out).ok).toBe(true);
    const campaign = openStore(join(dir, 'campaign.db'));
    // The campaign db already has other rows, so every id shifts on import.
    campaign.upsertSite({ ...site, id: 'S-999' });
    const other = campaign.startInspection({ ...inspectionInput, siteId: 'S-999' });
    if (other.ok) campaign.recordDevice(other.value, device(9));
    const r = importBundle(campaign, out);
    if (!r.ok) throw new Error(r.error);
    const a = source.loadInspection(inspectionId);
    const b = campaign.loadInspection(r.value.inspectionId);
    expect(b?.devices.map((d) => d.key)).toEqual(a?.devices.map((d) => d.key));
    expect(b?.evidence.map((e) => e.sha256)).toEqual(a?.evidence.map((e) => e.sha256));
    expect(b?.meta.previousInspectionId).toBeNull(); // the first inspection was not imported
    expect(b?.site).toEqual(a?.site);
    expect(a?.meta.zones).toEqual(['入口', '沙盘区']);
    expect(b?.meta.zones).toEqual(a?.meta.zones);
    // The network chosen after the start travels in its own rows and stands in the target too.
    expect(a?.meta).toMatchObject({ interfaceAddress: '192.168.1.23', subnet: '192.168.1.0/24, 192.168.9.0/28' });
    expect(b?.meta).toMatchObject({ interfaceAddress: a?.meta.interfaceAddress, subnet: a?.meta.subnet });
    expect(rawGet(join(dir, 'campaign.db'), 'SELECT COUNT(*) AS n FROM inspection_networks WHERE inspection_id = ?', Number(r.value.inspectionId))).toEqual({ n: 1 });
    // Every evidence id a finding, device or checklist cites must exist in the target, with the same bytes.
    const cited = [...(b?.findings ?? []).flatMap((f) => f.evidenceIds), ...(b?.devices ?? []).flatMap((d) => d.evidenceIds), ...(b?.checklist ?? []).flatMap((c) => c.evidenceIds)];
    const ids = new Set(b?.evidence.map((e) => e.id));
    expect(cited.every((id) => ids.has(id))).toBe(true);
    const srcFinding = a?.findings[0]?.evidenceIds[0] ?? 0;
    const dstFinding = b?.findings[0]?.evidenceIds[0] ?? 0;
    expect(dstFinding).not.toBe(srcFinding);
    expect(campaign.evidenceBlob(dstFinding)).toEqual(source.evidenceBlob(srcFinding));
    const prov = rawGet(join(dir, 'campaign.db'), 'SELECT source_chain_head FROM imports');
    expect(prov).toEqual({ source_chain_head: a?.chainHead });
    expect(importBundle(campaign, out)).toMatchObject({ ok: false, error: expect.stringMatching(/already imported/) });
    campaign.close();
    expect(verifyStore(join(dir, 'campaign.db')).ok).toBe(true);
  });

  it.each([
    ['an evidence file changed', (d: string) => appendFileSync(join(d, 'evidence', `${readManifest(d).files[0]?.path.replace(/\D/g, '')}.bin`), 'x'), /sha256 does not match/],
    ['an extra file', (d: string) => writeFileSync(join(d, 'evidence', 'extra.bin'), 'x'), /not in the manifest/],
    ['record.json edited and re-hashed in the manifest', (d: string) => {
      const rec = readFileSync(join(d, 'record.json'), 'utf8').replace('"赵六"', '"某某"');
      writeFileSync(join(d, 'record.json'), rec);
      const m = readManifest(d);
      writeFileSync(join(d, 'manifest.json'), JSON.stringify({ ...m, files: m.files.map((f) => (f.path === 'record.json' ? { ...f, sha256: sha256Of(rec) } : f)) }));
    }, /does not match its chain entry/],
    ['the head in the manifest', (d: string) => {
      const m = readManifest(d);
      writeFileSync(join(d, 'manifest.json'), JSON.stringify({ ...m, chainHead: { ...m.chainHead, hash: 'a'.repeat(64) } }));
    }, /chain head/],
  ])('rejects a bundle with %s, and import refuses it', (_what, edit, reason) => {
    const out = exported();
    edit(out);
    expect(verifyBundle(out)).toMatchObject({ ok: false, error: expect.stringMatching(reason) });
    const targetFile = join(dir, `t${n++}.db`);
    const target = openStore(targetFile);
    expect(importBundle(target, out).ok).toBe(false);
    target.close();
    expect(rawGet(targetFile, 'SELECT COUNT(*) AS c FROM inspections')).toEqual({ c: 0 });
  });
});

const run = promisify(execFile);
const importCli = (bundle: string, db: string) => run(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'import', '--db', db, bundle], { timeout: 60_000 });

/** Rewrite record.json through `edit` and re-hash it in the manifest, as a forger would. */
const rewriteRecord = (d: string, edit: (text: string) => string, head?: { seq: number; hash: string }): void => {
  const rec = edit(readFileSync(join(d, 'record.json'), 'utf8'));
  writeFileSync(join(d, 'record.json'), rec);
  const m = readManifest(d);
  writeFileSync(join(d, 'manifest.json'), JSON.stringify({ ...m, ...(head ? { chainHead: head } : {}), files: m.files.map((f) => (f.path === 'record.json' ? { ...f, sha256: sha256Of(rec) } : f)) }));
};

describe('bundles that are malformed or reach outside themselves', () => {
  it('a manifest.json that is not JSON: verify says so, import exits 4', async () => {
    const out = exported();
    writeFileSync(join(out, 'manifest.json'), '{"format": "camaudit-bundle/1", ');
    expect(verifyBundle(out)).toMatchObject({ ok: false, error: expect.stringMatching(/^manifest\.json: not valid JSON/) });
    await expect(importCli(out, join(dir, `cli${n++}.db`))).rejects.toMatchObject({ code: 4, stderr: expect.stringMatching(/manifest\.json: not valid JSON/) });
  });

  it('a record.json that is not JSON (re-hashed in the manifest): refused', () => {
    const out = exported();
    rewriteRecord(out, (t) => t.slice(0, 100));
    expect(verifyBundle(out)).toMatchObject({ ok: false, error: expect.stringMatching(/^record\.json: not valid JSON/) });
  });

  it('a symbolic link to / inside the bundle: refused at once, without walking the file system', async () => {
    const out = exported();
    symlinkSync('/', join(out, 'evidence', 'root'));
    const started = Date.now();
    expect(verifyBundle(out)).toMatchObject({ ok: false, error: 'evidence/root: a symbolic link inside the bundle (links are never followed)' });
    expect(Date.now() - started).toBeLessThan(1000);
    await expect(importCli(out, join(dir, `cli${n++}.db`))).rejects.toMatchObject({ code: 4, stderr: expect.stringMatching(/evidence\/root: a symbolic link/) });
  });

  it('an evidence file replaced by a link to a file outside with the same bytes: refused', () => {
    const out = exported();
    const path = readManifest(out).files[0]?.path ?? '';
    const outside = join(dir, `outside-${n++}.bin`);
    copyFileSync(join(out, path), outside);
    unlinkSync(join(out, path));
    symlinkSync(outside, join(out, path));
    expect(verifyBundle(out)).toMatchObject({ ok: false, error: `${path}: a symbolic link inside the bundle (links are never followed)` });
  });

  it('a consistently re-hashed row for a table that does not travel in bundles (the schema history): refused', () => {
    const out = exported();
    const m = readManifest(out);
    const row = { applied_at: { t: '2099-01-01T00:00:00Z' }, id: { i: '99' }, name: { t: 'forged' }, version: { i: '99' } };
    const link = { seq: m.chainHead.seq + 1, tbl: 'schema_migrations', rowId: 99, rowHash: rowHash('schema_migrations', row), prevHash: m.chainHead.hash };
    const entry = { ...link, entryHash: entryHash(link) };
    rewriteRecord(out, (t) => {
      const rec = JSON.parse(t) as { rows: unknown[] };
      return JSON.stringify({ rows: [...rec.rows, { table: 'schema_migrations', row, entry }] });
    }, { seq: entry.seq, hash: entry.entryHash });
    expect(verifyBundle(out)).toMatchObject({ ok: false, error: expect.stringMatching(/table "schema_migrations" does not belong in a bundle/) });
  });
});

describe('a bundle whose site differs from the campaign\'s', () => {
  it('is refused with the differences, nothing imported and the site left as it was', async () => {
    const out = exported();
    const file = join(dir, `site${n++}.db`);
    const campaign = openStore(file);
    campaign.upsertSite({ ...site, name: '另一个售楼处 (fictional)', address: '虚构市别处路 9 号' });
    const r = importBundle(campaign, out);
    expect(r).toMatchObject({ ok: false, error: `site S-001 here (v1) differs from the bundle's: name: "另一个售楼处 (fictional)" → "${site.name}"; address: "虚构市别处路 9 号" → "${site.address}". Check with the campaign, then import again with --accept-site-update to record the bundle's details as a new version` });
    expect(campaign.siteVersions('S-001')).toHaveLength(1);
    campaign.close();
    expect(rawGet(file, 'SELECT COUNT(*) AS c FROM inspections')).toEqual({ c: 0 });
    await expect(importCli(out, file)).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/differs from the bundle's: name: /) });
  });

  it('with --accept-site-update: the bundle\'s details become a new version the inspection names', async () => {
    const out = exported();
    const file = join(dir, `site${n++}.db`);
    const campaign = openStore(file);
    campaign.upsertSite({ ...site, name: '另一个售楼处 (fictional)' });
    campaign.close();
    await run(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'import', '--accept-site-update', '--db', file, out], { timeout: 60_000 });
    const after = openStore(file);
    expect(after.siteVersions('S-001').map((v) => [v.version, v.name])).toEqual([[1, '另一个售楼处 (fictional)'], [2, site.name]]);
    expect(after.loadInspection('1')?.site).toMatchObject({ version: 2, name: site.name });
    after.close();
  });

  it('names an earlier version with the same details instead of adding one (the campaign edited the site since)', () => {
    const out = exported();
    const campaign = openStore(join(dir, `site${n++}.db`));
    campaign.upsertSite(site);
    campaign.upsertSite({ ...site, contact: '新联系人 (fictional)' });
    const r = importBundle(campaign, out);
    if (!r.ok) throw new Error(r.error);
    expect(campaign.siteVersions('S-001')).toHaveLength(2);
    expect(campaign.loadInspection(r.value.inspectionId)?.site).toMatchObject({ version: 1, contact: site.contact });
    campaign.close();
  });
});

const readManifest = (d: string): { files: { path: string; sha256: string }[]; chainHead: { seq: number; hash: string } } => JSON.parse(readFileSync(join(d, 'manifest.json'), 'utf8'));
const sha256Of = (s: string): string => createHash('sha256').update(s).digest('hex');
