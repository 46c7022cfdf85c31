/** `camaudit report` and `camaudit campaign` against a real store file. */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildCampaign } from '../../src/cli/commands/campaign.js';
import { buildReport } from '../../src/cli/commands/report.js';
import { openStore } from '../../src/store/store.js';
import { device, inspectionInput, site } from '../store/synth.js';

const run = promisify(execFile);
const cli = (args: readonly string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { timeout: 60_000 });

let dir = '';
let db = '';
let firstId = '';
let recheckId = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'camaudit-report-cli-'));
  db = join(dir, 'campaign.db');
  const store = openStore(db);
  try {
    store.upsertSite(site);
    store.upsertSite({ ...site, id: 'S-002', name: '未检查的售楼处 (fictional)' });
    const first = store.startInspection(inspectionInput);
    if (!first.ok) throw new Error(first.error);
    firstId = first.value;
    const cam = store.recordDevice(firstId, device(1, { faceEnabled: true }));
    store.recordDevice(firstId, device(2));
    store.recordFindings(firstId, [
      { ruleId: 'FR-FACE-PROC', severity: 'high', deviceKey: cam.deviceKey, observation: { en: 'Face detection enabled.', 'zh-CN': '已启用人脸检测。' }, evidenceIds: cam.evidenceIds },
    ]);
    store.addSignature(firstId, { name: '赵六', role: 'representative', status: 'refused', note: '需请示公司' });
    store.finishInspection(firstId);

    const recheck = store.startInspection({ ...inspectionInput, kind: 'recheck', previousInspectionId: firstId, startedAt: '2099-01-01T00:00:00Z' });
    if (!recheck.ok) throw new Error(recheck.error);
    recheckId = recheck.value;
    store.recordDevice(recheckId, device(1));
    store.recordDevice(recheckId, device(2));
    store.recordFindings(recheckId, []);
    store.finishInspection(recheckId);
  } finally {
    store.close();
  }
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('camaudit report', () => {
  it('writes a self-contained zh-CN HTML record with the snapshot embedded', async () => {
    const out = join(dir, 'first.html');
    await cli(['report', '--db', db, '--inspection', firstId, '--format', 'html', '--lang', 'zh-CN', '--out', out]);
    const html = await readFile(out, 'utf8');
    expect(html).toContain('<h1>检查笔录</h1>');
    expect(html).toContain('DEMO-2026-001');
    expect(html).toContain('个人信息保护法 28 ✔');
    expect(html).toMatch(/<img alt="[^"]*" src="data:image\/jpeg;base64,/);
    expect(html).toContain('<td>拒绝签名</td><td>需请示公司</td>');
    expect(html).toContain('<tr><th>检查区域</th><td>入口、沙盘区</td></tr>');
  });

  it('renders the re-check with its diff and verdicts (Markdown, en)', async () => {
    const md = await buildReport({ db, inspection: recheckId, format: 'md', lang: 'en' });
    expect(md).toContain('## Changes since the previous inspection');
    expect(md).toContain('| Zones inspected | 入口, 沙盘区 |');
    expect(md).toContain('face functions disabled');
    expect(md).toMatch(/FR-FACE-PROC \| .* \| rectified \| not observed again: face functions are now disabled/);
  });

  it('prints JSON whose chain head matches the store', async () => {
    const json: unknown = JSON.parse(await buildReport({ db, inspection: firstId, format: 'json', lang: 'en' }));
    const store = openStore(db);
    try {
      expect(json).toMatchObject({ record: { chainHead: store.loadInspection(firstId)?.chainHead, meta: { id: firstId, zones: ['入口', '沙盘区'] } } });
    } finally {
      store.close();
    }
  });

  it('exits 2 naming an unknown inspection, a bad format or a missing database', async () => {
    await expect(cli(['report', '--db', db, '--inspection', '999'])).rejects.toMatchObject({ code: 2, stderr: expect.stringContaining('no inspection "999"') });
    await expect(buildReport({ db, inspection: firstId, format: 'pdf', lang: 'en' })).rejects.toThrow('--format expects html, md or json');
    await expect(buildReport({ db: join(dir, 'missing.db'), inspection: '1', format: 'md', lang: 'en' })).rejects.toThrow('no database at');
  });
});

describe('camaudit campaign', () => {
  it('prints every site as CSV with its rectification status', async () => {
    const { stdout } = await cli(['campaign', '--db', db, '--format', 'csv', '--lang', 'en']);
    const lines = stdout.replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe('S-001,示例花园售楼处 (fictional),示例区,2099-01-01T00:00:00Z,re-check,2,2,0,0,rectified');
    expect(lines[2]).toMatch(/^S-002,未检查的售楼处 \(fictional\),示例区,—,—,0,0,0,0,not inspected$/);
  });

  it('renders HTML in zh-CN and filters by campaign', async () => {
    const html = await buildCampaign({ db, format: 'html', lang: 'zh-CN', campaign: 'no-such-campaign' });
    expect(html).toContain('共 0 个地点');
    const all = await buildCampaign({ db, format: 'html', lang: 'zh-CN' });
    expect(all).toContain('<td>已整改</td>');
  });
});
