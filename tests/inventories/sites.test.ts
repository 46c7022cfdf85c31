import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { importSites, parseSiteList } from '../../src/store/site-list.js';
import { openStore } from '../../src/store/store.js';
import { loadModelCatalog } from '../../src/store/model-catalog.js';
import { lookupModel } from '../../src/rules/catalog-models.js';

const dir = mkdtempSync(join(tmpdir(), 'camaudit-sites-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const header = 'id,name,address,district,developer,contact,campaign\n';

describe('site lists', () => {
  it('imports the sample campaign in CSV and JSON', () => {
    const s = openStore(join(dir, 'a.db'));
    const csv = importSites(s, 'inventories/sample-campaign.csv');
    const json = importSites(s, 'inventories/sample-campaign.json');
    expect(csv.ok && csv.value.length).toBe(3);
    expect(json.ok && json.value.length).toBe(2);
    expect(s.site('DEMO-002')?.name).toBe('Fictional Riverside Sales Office, Block A');
    expect(importSites(s, 'inventories/sample-campaign.csv').ok && s.site('DEMO-001')?.version).toBe(1);
    s.close();
  });

  it.each([
    ['a missing field', `${header}A,n,a,d,dev,,c\n`, /line 2: missing contact/],
    ['a duplicate id', `${header}A,n,a,d,dev,x,c\nA,n,a,d,dev,x,c\n`, /line 3: duplicate id "A"/],
    ['a short row', `${header}A,n,a,d,dev,x,c\nB,n,a\n`, /line 3: 3 fields/],
    ['a missing column', 'id,name\nA,n\n', /header lacks column/],
    ['an unterminated quote', `${header}A,"n,a,d,dev,x,c\n`, /unterminated/],
  ])('rejects CSV with %s, naming the row, importing nothing', (_w, content, reason) => {
    const file = join(dir, `bad-${Math.random()}.csv`);
    writeFileSync(file, content);
    const s = openStore(join(dir, `b-${Math.random()}.db`));
    expect(importSites(s, file)).toMatchObject({ ok: false, error: expect.stringMatching(reason) });
    expect(s.listSites()).toEqual([]);
    s.close();
  });

  it('rejects JSON rows by number and id, and parses quoted CSV fields', () => {
    expect(parseSiteList('[{"id":"X1","name":"n"}]', 'json')).toMatchObject({ ok: false, error: expect.stringMatching(/site 1 \(X1\): missing address/) });
    expect(parseSiteList('{}', 'json')).toMatchObject({ ok: false });
    const r = parseSiteList(`\ufeff${header}A,"a ""b"", c","line\nbreak",d,dev,x,\n`, 'csv');
    expect(r.ok && r.value[0]).toEqual({ id: 'A', name: 'a "b", c', address: 'line\nbreak', district: 'd', developer: 'dev', contact: 'x', campaign: null });
  });

  it('CLI: sites import then list --search; a bad file exits 2', () => {
    const db = join(dir, 'cli.db');
    const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { encoding: 'utf8' });
    expect(run('sites', 'import', 'inventories/sample-campaign.csv', '--db', db).status).toBe(0);
    const list = run('sites', 'list', '--db', db, '--search', 'Riverside');
    expect(list.stdout).toContain('DEMO-002');
    expect(list.stdout).not.toContain('DEMO-001');
    const bad = join(dir, 'bad.csv');
    writeFileSync(bad, `${header}A,n,a,d,dev,,c\n`);
    const r = run('sites', 'import', bad, '--db', db);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/line 2/);
  });
});

describe('model catalog', () => {
  it('loads and matches face lines, as context only', () => {
    const c = loadModelCatalog();
    if (!c.ok) throw new Error(c.error);
    expect(lookupModel(c.value, 'HIKVISION', 'iDS-2CD7146G0-IZS').map((e) => e.line)[0]).toMatch(/DeepinView/);
    expect(lookupModel(c.value, 'Dahua', 'IPC-HFW2431T-FD')).not.toEqual([]);
    expect(lookupModel(c.value, 'HIKVISION', 'DS-2CD2012-I')).toEqual([]);
    expect(lookupModel(c.value, 'Axis', 'iDS-2CD7146G0')).toEqual([]);
    expect(lookupModel(c.value, null, null)).toEqual([]);
  });
});
