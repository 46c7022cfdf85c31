/**
 * One visit engine, two front ends: the same simulated camera inspected once through the CLI (`inspect`,
 * `checklist`, `sign`, `report` as separate processes) and once through the terminal UI (ink-testing-library
 * over the real controller wiring), with the same case details, checklist answers and signature. The two
 * reports must be the same text apart from ids, hashes and times, and both must carry the checklist
 * questions, the answers and the signature (the UI's report used to show "—" for every question and no
 * signature).
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createElement } from 'react';
import { render } from 'ink-testing-library';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tuiDeps } from '../../src/cli/commands/tui.js';
import { DEFAULT_PORT_SETTINGS, realPorts } from '../../src/pipeline/ports.js';
import { freeUdpPort } from '../../src/sim/listen.js';
import { startSite, type SiteHandle } from '../../src/sim/site.js';
import { openStore } from '../../src/store/store.js';
import { App } from '../../src/tui/app.js';
import { Visit } from '../../src/tui/controller.js';
import { inkDriver } from '../tui/ink-driver.js';

const exec = promisify(execFile);

const SITE = { id: 'SAME-1', name: 'Riverside sales office (fictional)', address: '1 Quay Road', district: 'Nanshan', developer: 'D', contact: 'C', campaign: null };
const CASE = { caseNumber: 'SZ-2026-077', inspectors: ['Li Ming', 'Zhang Qiang'], experts: ['Chen Gong'], representative: 'Wang Jingli', witness: 'Zhao Nvshi', zones: ['entrance', 'sand table'] };
const NOTE = 'only a "CCTV" sign at the door';
const SIGNER = { name: 'Wang Jingli', role: 'representative', status: 'refused', note: 'must ask head office' } as const;

let dir = '';
let site: SiteHandle;
let discoveryPort = 0;
let password = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'camaudit-same-report-'));
  discoveryPort = await freeUdpPort();
  // One camera: devices are recorded as each finishes, so with several the two runs could list them in another order.
  site = await startSite({ host: '127.0.0.1', cameras: ['entrance-face'], rtsp: false, control: false, discoveryPort });
  password = site.cameras[0]?.password ?? '';
}, 60_000);

afterAll(async () => {
  await site?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

const cli = (args: readonly string[]): Promise<{ stdout: string; stderr: string }> =>
  exec(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], {
    timeout: 120_000,
    env: { ...process.env, CAMAUDIT_WSD_PORT: String(discoveryPort), SAME_CAM_PW: password },
  });

const viaCli = async (): Promise<{ md: string; html: string }> => {
  const db = join(dir, 'cli.db');
  const store = openStore(db);
  store.upsertSite(SITE);
  store.close();
  const creds = join(dir, 'creds.json');
  await writeFile(creds, JSON.stringify({ default: { user: 'admin', passwordEnv: 'SAME_CAM_PW' } }));
  const inspected = await cli([
    'inspect', '--db', db, '--site', SITE.id, '--interface', '127.0.0.1', '--credentials', creds, '--no-stream',
    '--case', CASE.caseNumber, ...CASE.inspectors.flatMap((n) => ['--inspector', n]), ...CASE.experts.flatMap((n) => ['--expert', n]),
    '--representative', CASE.representative, '--witness', CASE.witness, '--zones', CASE.zones.join(','),
  ]);
  const id = /^inspection (\S+) /m.exec(inspected.stdout)?.[1] ?? '';
  await cli(['checklist', '--db', db, '--inspection', id, '--item', 'signage', '--answer', 'no', '--note', NOTE]);
  await cli(['checklist', '--db', db, '--inspection', id, '--item', 'consent', '--answer', 'yes']);
  await cli(['sign', '--db', db, '--inspection', id, '--name', SIGNER.name, '--role', SIGNER.role, '--status', SIGNER.status, '--note', SIGNER.note]);
  const md = join(dir, 'cli.md');
  const html = join(dir, 'cli.html');
  await cli(['report', '--db', db, '--inspection', id, '--format', 'md', '--lang', 'en', '--out', md]);
  await cli(['report', '--db', db, '--inspection', id, '--format', 'html', '--lang', 'en', '--out', html]);
  return { md: await readFile(md, 'utf8'), html: await readFile(html, 'utf8') };
};

const ENTER = '\r';
const RIGHT = '\u001B[C';
const UP = '\u001B[A';

const viaTui = async (): Promise<{ md: string; html: string }> => {
  const store = openStore(join(dir, 'tui.db'));
  store.upsertSite(SITE);
  const out = join(dir, 'tui-out');
  const deps = await tuiDeps(store, {
    out,
    ports: realPorts({ ...DEFAULT_PORT_SETTINGS, discoveryPort }),
    streamTests: false,
    colours: null,
    listInterfaces: () => [{ name: 'lo', address: '127.0.0.1', cidr: '127.0.0.1/8' }],
  });
  const ui = render(createElement(App, { visit: new Visit(deps), lang: 'en' }));
  const { until, press } = inkDriver(ui, 20_000);
  const field = async (text: string): Promise<void> => press(...text, ENTER);
  try {
    await until(SITE.name);
    await press(ENTER);
    await until(`Inspection of ${SITE.name}`);
    await field(CASE.caseNumber);
    await field(CASE.inspectors.join(', '));
    await field(CASE.experts.join(', '));
    await field(CASE.representative);
    await field(CASE.witness);
    await field(CASE.zones.join(', '));
    await until('127.0.0.1/8');
    await press(ENTER);
    await until('Discovery finished');
    await press(ENTER);
    await until('kept in memory only');
    // The camera's password, for every device (as the CLI's credentials file gives it).
    await press(ENTER, ENTER);
    await press(...password, ENTER);
    await press('p');
    await until(/Devices \(1\)[\s\S]*HIKVISION/);
    await press('c');
    await until('Checklist');
    // signage no, consent yes, then back up to signage for its note.
    await press('n', 'y', UP, UP, 'e');
    await press(...NOTE, ENTER);
    await until(NOTE);
    await press('F');
    await until('FR-SIGNAGE');
    await press('s');
    await until('Signature of someone present');
    await field(SIGNER.name);
    await press(RIGHT, RIGHT, ENTER, RIGHT, ENTER);
    await field(SIGNER.note);
    await until(`Signed: ${SIGNER.name}`);
    await press('m');
    const md = /Report written: (\S+\.md)/.exec(await until(/Report written: \S+\.md/))?.[1] ?? '';
    await press('h');
    const html = /Report written: (\S+\.html)/.exec(await until(/Report written: \S+\.html/))?.[1] ?? '';
    return { md: await readFile(md, 'utf8'), html: await readFile(html, 'utf8') };
  } finally {
    ui.unmount();
    store.close();
  }
};

/**
 * What legitimately differs between two visits: ids, hashes, times, and the size of the device's clock answer
 * (its date and time, one digit more or less).
 */
const normalise = (report: string): string =>
  report
    .replace(/\b[0-9a-f]{64}\b/g, '<sha256>')
    .replace(/\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z/g, '<time>')
    .replace(/#\d+/g, '#<id>')
    .replace(/(GetSystemDateAndTime\b[^\n]*?<sha256>\s*(?:\||<\/td>\s*<td[^>]*>))\s*\d+/g, '$1 <bytes>');

describe('the CLI and the terminal UI drive one engine', () => {
  it('write the same report for the same visit, with the checklist questions, answers and signature', async () => {
    const fromCli = await viaCli();
    const fromTui = await viaTui();
    for (const r of [fromCli.md, fromTui.md]) {
      expect(r).toContain('Is there a prominent sign before the capture zone');
      expect(r).toContain(NOTE);
      expect(r).toContain(SIGNER.name);
      expect(r).toContain(SIGNER.note);
    }
    expect(normalise(fromTui.md)).toBe(normalise(fromCli.md));
    expect(normalise(fromTui.html)).toBe(normalise(fromCli.html));
  }, 240_000);
});
