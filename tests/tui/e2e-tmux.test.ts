/**
 * The whole visit in a real terminal: the built CLI's UI in tmux (100x30), driven by send-keys and
 * read by capture-pane, against the simulated sales office on 127.0.0.41-47. Then the office is
 * switched to its rectified state and the re-check ends with the per-device diff and verdicts.
 * Screens are kept as text under $CAMAUDIT_TUI_SHOTS when set (tests/tui/shots-to-png.ts renders them);
 * CAMAUDIT_TUI_E2E_STREAMS=1 adds the stream tests (RTSP, face detector, blurred snapshots).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ipv4Interfaces } from '../../src/cli/commands/tui.js';
import { startSpreadSite, type SpreadSite } from './spread-site.js';
import { freeUdpPort } from '../../src/sim/listen.js';
import { openStore } from '../../src/store/store.js';
import { toolkitVersion } from '../../src/cli/version.js';
import { BLAZEFACE_BACK } from '../../src/stream/model.js';

const hasTmux = spawnSync('tmux', ['-V']).status === 0;
/** Stream tests (RTSP, ffmpeg, the face detector) make the run slower; on for the README's screenshots. */
const streams = process.env.CAMAUDIT_TUI_E2E_STREAMS === '1';
const SOCKET = `camaudit-e2e-${process.pid}`;
const SESSION = 'visit';
const FIRST_HOST = 41;
const SWEEP = '127.0.0.40/29';

const tmux = (...args: string[]): string => execFileSync('tmux', ['-L', SOCKET, ...args], { encoding: 'utf8' });
const screen = (): string => tmux('capture-pane', '-p', '-t', SESSION);
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** One key per send-keys, as a person types: a chunk of several keys would arrive as one input. */
const keys = async (...names: string[]): Promise<void> => {
  for (const k of names) {
    tmux('send-keys', '-t', SESSION, k);
    await sleep(120);
  }
};
const text = async (s: string): Promise<void> => {
  tmux('send-keys', '-t', SESSION, '-l', s);
  await sleep(150);
};

const until = async (pattern: RegExp, timeoutMs = 30_000): Promise<string> => {
  const t0 = Date.now();
  for (;;) {
    const s = screen();
    if (pattern.test(s)) return s;
    if (Date.now() - t0 > timeoutMs) throw new Error(`the screen never matched ${pattern}:\n${s}`);
    await sleep(200);
  }
};

let shots: string | undefined;
/** Keeps the screen as it is now, with its colours (capture-pane -e), for tests/tui/shots-to-png.ts. */
const shot = (name: string): void => {
  if (shots) writeFileSync(join(shots, `${name}.txt`), tmux('capture-pane', '-e', '-p', '-t', SESSION));
};

/** Moves the cursor of the list on screen to the row showing `address`. */
const selectRow = async (address: string): Promise<void> => {
  const rows = screen()
    .split('\n')
    .filter((l) => /^[› ] .*\d+\.\d+\.\d+\.\d+ /.test(l));
  const at = rows.findIndex((l) => l.includes(`${address} `));
  const cursor = rows.findIndex((l) => l.startsWith('›'));
  if (at < 0 || cursor < 0) throw new Error(`no row for ${address}:\n${screen()}`);
  await keys(...Array<string>(Math.abs(at - cursor)).fill(at > cursor ? 'Down' : 'Up'));
};

/** Presses Down until the selected line contains `text`. */
const downTo = async (text: string): Promise<void> => {
  for (let i = 0; i < 40; i++) {
    if (screen().split('\n').some((l) => l.startsWith('›') && l.includes(text))) return;
    await keys('Down');
  }
  throw new Error(`no line with ${text}:\n${screen()}`);
};

const setPassword = async (address: string, password: string): Promise<void> => {
  await selectRow(address);
  await keys('Enter', 'Enter');
  await text(password);
  await until(/›\s+密码\s+•+/);
  expect(screen()).not.toContain(password);
  await keys('Enter');
  await until(/密码（仅保存在内存中/);
};

const loIndex = ipv4Interfaces(networkInterfaces()).findIndex((i) => i.address === '127.0.0.1');

let site: SpreadSite;
let dir: string;

describe.skipIf(!hasTmux)('TUI end to end in tmux against the simulator', () => {
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'camaudit-tui-e2e-'));
    shots = process.env.CAMAUDIT_TUI_SHOTS;
    // A private WS-Discovery port: other test files' simulators on this machine answer 3702.
    const wsdPort = await freeUdpPort();
    site = await startSpreadSite('normal', FIRST_HOST, streams, wsdPort);
    // CI=true: CI runners set it, and ink then draws nothing until exit unless the UI overrides it.
    const cmd = `CI=true CAMAUDIT_WSD_PORT=${wsdPort} LANG=zh_CN.UTF-8 node --import tsx src/cli/run.ts --db ${join(dir, 'visit.db')} --out ${join(dir, 'out')}${streams ? '' : ' --no-stream'}`;
    tmux('new-session', '-d', '-s', SESSION, '-x', '100', '-y', '30', '-c', process.cwd(), cmd);
  });
  afterAll(async () => {
    if (hasTmux) spawnSync('tmux', ['-L', SOCKET, 'kill-server']);
    await site?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs a first inspection and a re-check after rectification', async () => {
    const cams = new Map(site.cameras().map((c) => [c.name, c]));
    const cam = (name: string) => {
      const c = cams.get(name);
      if (!c) throw new Error(`no simulated camera ${name}`);
      return c;
    };
    expect(loIndex).toBeGreaterThanOrEqual(0);

    // 1 Site and case.
    await until(/n 新增场所/, 60_000);
    shot('1-start');
    await keys('n');
    await text('星河湾售楼处');
    await keys('Enter');
    await text('滨江路1号');
    await keys('Enter');
    await text('南山区');
    await keys('Enter', 'Enter', 'Enter');
    await until(/检查 星河湾售楼处 · 首次检查/);
    await text('SZ-E2E-001');
    await keys('Enter');
    await text('李明，张伟');
    await keys('Enter', 'Enter');
    await text('王经理');
    await keys('Enter');
    await text('赵见证');
    await keys('Enter');
    await text('入口、沙盘区');
    await until(/检查区域（逗号分隔）\s+入口、沙盘区/);
    shot('1-case');
    await keys('Enter');

    // 2 Network: loopback, with the sweep over the simulator's addresses.
    await until(/哪个网络是售楼处的局域网/);
    await keys(...Array<string>(loIndex).fill('Down'), 's');
    await text(SWEEP);
    await keys('Enter');
    await until(/扫描范围（可选，CIDR）：127\.0\.0\.40\/29/);
    shot('2-network');
    await keys('Enter');

    // 3 Discover.
    const found = await until(/发现完成/, 60_000);
    shot('3-discover');
    for (const n of ['entrance-face', 'entrance-isapi', 'entrance-dahua', 'sandtable', 'negotiation', 'broken']) expect(found).toContain(cam(n).address);

    // 4 Passwords: the entrance camera's wrong on purpose.
    await keys('Enter');
    await until(/密码（仅保存在内存中/);
    await setPassword(cam('entrance-face').address, 'not-the-password');
    for (const n of ['entrance-isapi', 'entrance-dahua', 'sandtable', 'negotiation', 'broken']) await setPassword(cam(n).address, cam(n).password);
    shot('4-passwords');

    // 5 Probe: the wrong password is shown, retried, and the device then reads fully.
    await keys('p');
    const refused = await until(/设备（\d+）[\s\S]*1 台设备拒绝了密码/, 120_000);
    expect(refused).toMatch(new RegExp(`${cam('entrance-dahua').address.replace(/\./g, '\\.')}\\s+是\\s+是`));
    await keys('k');
    await until(/密码错误，请重试/);
    await setPassword(cam('entrance-face').address, cam('entrance-face').password);
    await keys('p');
    const table = await until(new RegExp(`iDS-2CD7146… ${cam('entrance-face').address.replace(/\./g, '\\.')}\\s+是\\s+是`), 120_000);
    expect(table).not.toContain('拒绝了密码');
    shot('5-devices');
    await selectRow(cam('entrance-face').address);
    await keys('Enter');
    await until(/— 依据[\s\S]*FaceDetector/);
    shot('5-device');
    await keys('Escape');

    // 6 Checklist: every item answered, one with a note.
    await until(/设备（\d+）/);
    await keys('c');
    await until(/检查项（已答 0\/13）/);
    await keys('n', 'Up', 'e');
    await text('入口无任何提示标识');
    // Back on the first item: its answer again, then the twelve others.
    await keys('Enter', 'n', 'n', 'y', 'n', 'y', 'n', 'n', 'a', 'n', 'n', 'n', 'n', 'n');
    await until(/检查项（已答 13\/13）/);
    shot('6-checklist');

    // 7 Finish: findings with provisions, the report written where it says.
    await keys('F');
    await until(/发现的问题（\d+）[\s\S]*涉及规定：/);
    shot('7-finish');
    await keys('h');
    const written = await until(/报告已写入：(\S+)/);
    const path = /报告已写入：(\S+)/.exec(written)?.[1] ?? '';
    expect(existsSync(path)).toBe(true);
    const report = readFileSync(path, 'utf8');
    expect(report).toContain('星河湾售楼处');
    expect(report).toContain('<tr><th>检查区域</th><td>入口、沙盘区</td></tr>');

    // 8 Re-check after rectification.
    await site.setState('rectified');
    await keys('Escape', 'Escape', 'Escape');
    await until(/搜索（名称或区县）/);
    await keys('Enter');
    await until(/复查（前次检查 SZ-E2E-001）/);
    // The re-check's case form starts from the first inspection's zones.
    await until(/检查区域（逗号分隔）\s+入口, 沙盘区/);
    await keys('Enter', 'Enter', 'Enter', 'Enter', 'Enter', 'Enter');
    await until(/哪个网络是售楼处的局域网/);
    await keys(...Array<string>(loIndex).fill('Down'), 'Enter');
    const again = await until(/发现完成/, 60_000);
    expect(again).toContain(cam('entrance-face').address);
    await keys('Enter');
    await until(/密码（仅保存在内存中/);
    const reception = site.cameras().find((c) => c.name === 'reception');
    if (!reception) throw new Error('no reception camera in the rectified office');
    await setPassword(reception.address, reception.password);
    await keys('p');
    await until(new RegExp(`${reception.address.replace(/\./g, '\\.')}\\s+否`), 120_000);
    // The broken camera is gone: the checklist asks whether it was removed, and the inspector confirms.
    await keys('c', 'n', 'n');
    await until(new RegExp(`${cam('broken').address.replace(/\./g, '\\.')} 本次未应答`));
    await downTo(`${cam('broken').address} 本次未应答`);
    await keys('y');
    await until(/检查项（已答 3\/\d+）/);
    await keys('F');
    await until(/发现的问题（\d+）/);
    await keys('r');
    const diff = await until(/复查：与 SZ-E2E-001[\s\S]*人脸功能已关闭/);
    shot('8-recheck');
    expect(diff).toMatch(new RegExp(`${cam('entrance-face').address.replace(/\./g, '\\.')}\\s+HIKVISION[^\\n]*人脸功能已关闭`));
    expect(diff).toMatch(new RegExp(`${cam('broken').address.replace(/\./g, '\\.')}\\s+IPD-H4K8M05-BS\\s+已拆除（检查人员确认）`));
    await keys(...Array<string>(20).fill('Down'));
    await until(/— 前次发现的问题[\s\S]*(已整改|未整改|无法判断)/);
    shot('8-verdicts');
    // Both inspections carry the zones (typed for the first, carried over by the re-check's form), and the
    // toolkit's version and model hash the record must name.
    const store = openStore(join(dir, 'visit.db'));
    try {
      const inspections = store.inspectionsForSite(store.listSites()[0]?.id ?? '');
      expect(inspections.map((m) => m.zones)).toEqual([['入口', '沙盘区'], ['入口', '沙盘区']]);
      expect(inspections.map((m) => [m.toolkitVersion, m.modelSha256])).toEqual(Array(2).fill([toolkitVersion(), BLAZEFACE_BACK.sha256]));
    } finally {
      store.close();
    }
    // With stream tests, the device view's blurred snapshots were copied out as files.
    if (streams) expect(readdirSync(join(dir, 'out', 'snapshots')).length).toBeGreaterThan(0);
  }, 420_000);
});
