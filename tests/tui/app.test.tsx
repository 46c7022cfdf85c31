import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { displayWidth } from '../../src/i18n/index.js';
import { App } from '../../src/tui/app.js';
import { harness, type Harness } from './harness.js';
import { inkDriver } from './ink-driver.js';

const ENTER = '\r';

let h: Harness;
let ui: ReturnType<typeof render>;
beforeEach(() => {
  h = harness();
});
afterEach(() => {
  ui.unmount();
  h.close();
});

const frame = (): string => ui.lastFrame() ?? '';
const until = (text: string | RegExp, timeoutMs?: number): Promise<string> => inkDriver(ui).until(text, timeoutMs);
const press = (...keys: string[]): Promise<void> => inkDriver(ui).press(...keys);
const typeText = (text: string): Promise<void> => press(...text);

/** Narrows the fake terminal to 80 columns, the width every screen must fit. */
const eightyColumns = (): void => {
  Object.defineProperty(ui.stdout, 'columns', { get: () => 80, configurable: true });
};

const fitsEighty = (f: string): void => {
  for (const line of f.split('\n')) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
};

describe('TUI app', () => {
  it('walks a whole visit in Chinese: site, case, network, discovery, passwords, probe, checklist, findings, report', async () => {
    ui = render(<App visit={h.visit} lang="zh-CN" />);
    eightyColumns();
    fitsEighty(await until('n 新增场所'));
    await press('n');
    await until('新增场所');
    await typeText('星河湾售楼处');
    await press(ENTER);
    await typeText('滨江路1号');
    await press(ENTER, ENTER, ENTER, ENTER);
    fitsEighty(await until('检查 星河湾售楼处 · 首次检查'));
    await typeText('SZ-1');
    await press(ENTER);
    await typeText('李明');
    await press(ENTER, ENTER, ENTER, ENTER);
    await typeText('入口、沙盘区');
    fitsEighty(await until(/检查区域（逗号分隔）\s+入口、沙盘区/));
    await press(ENTER);
    fitsEighty(await until('127.0.0.1/8'));
    await press(ENTER);
    fitsEighty(await until('发现完成'));
    expect(frame()).toContain('127.0.0.11');
    expect(frame()).toContain('127.0.0.12');
    await press(ENTER);
    await until('仅保存在内存中');
    await press('p');
    fitsEighty(await until('设备（2）'));
    expect(frame()).toContain('1 台设备需要密码');

    // The password for the Hikvision, typed masked, then a retry of what was refused.
    await press('k');
    await until('需要密码');
    await press(ENTER, ENTER);
    await typeText('right-pw');
    const masked = await until('••••••••');
    expect(masked).not.toContain('right-pw');
    await press(ENTER, 'p');
    await until(/设备（2）[\s\S]*HIKVISION[\s\S]*是\s+是/);
    expect(frame()).not.toContain('需要密码');

    // The device view: facts, why, evidence.
    await press(ENTER);
    fitsEighty(await until('依据'));
    expect(frame()).toContain('FaceDetector');
    await press('q');
    await until('设备（2）');

    await press('c');
    fitsEighty(await until('检查项（已答 0/13）'));
    await press('n');
    await until('检查项（已答 1/13）');
    // A photo of the missing sign, attached to that answer.
    const photo = join(h.dir, 'entrance.jpg');
    writeFileSync(photo, 'not really a jpeg');
    await press('\u001B[A', 'f');
    await until('照片路径（逗号分隔）');
    await typeText(photo);
    await press(ENTER);
    await until(`照片：${photo}`);
    const recorded = h.store.unfinishedInspections()[0];
    expect(h.store.loadInspection(recorded?.id ?? '')?.checklist.at(-1)).toMatchObject({ item: 'signage', answer: 'no', photos: [photo] });
    expect(recorded?.zones).toEqual(['入口', '沙盘区']);
    await press('F');
    const findings = await until('FR-SIGNAGE');
    fitsEighty(findings);
    expect(findings).toContain('个人信息保护法');
    await press('h');
    await until('报告已写入');
    expect(h.reports).toEqual([{ lang: 'zh-CN', format: 'html' }]);

    // Language at any time: the same screen in English.
    await press('L');
    await until('Report written');
    await until('h HTML · m Markdown');
  });

  it('offers the unfinished inspection first, and resumes on its recorded devices', async () => {
    const site = h.store.upsertSite({ id: 's1', name: 'Harbour sales office', address: 'Quay 1', district: 'Nanshan', developer: 'D', contact: 'C', campaign: null });
    const started = h.store.startInspection({
      siteId: site.id, kind: 'first', previousInspectionId: null, caseNumber: 'CASE-7', zones: [], inspectors: ['Li'], experts: [], representative: '', witness: '',
      toolkitVersion: 't', modelSha256: 'm', interfaceAddress: '127.0.0.1', subnet: '127.0.0.1/8',
    });
    if (!started.ok) throw new Error(started.error);
    ui = render(<App visit={h.visit} lang="en" />);
    const start = await until('resume CASE-7 · Harbour sales office');
    expect(start).toContain('Unfinished inspections');
    await press(ENTER);
    await until('Devices (0)');
    // Nothing recorded yet: discover again within the same inspection.
    await press('d');
    await until('127.0.0.1/8');
    await press(ENTER);
    await until('Discovery finished');
    await press(ENTER, 'p');
    await until('Devices (2)');
    expect(h.store.unfinishedInspections()).toHaveLength(1);
    // Esc goes back to the start, where the inspection is still offered: nothing was lost.
    await press('\u001B');
    await until('resume CASE-7');
  });

  it('searching filters the sites by district', async () => {
    h.store.upsertSite({ id: 's1', name: '星河湾售楼处', address: '滨江路1号', district: '南山区', developer: 'D', contact: 'C', campaign: null });
    h.store.upsertSite({ id: 's2', name: '海景售楼处', address: '海边路2号', district: '福田区', developer: 'D', contact: 'C', campaign: null });
    ui = render(<App visit={h.visit} lang="zh-CN" />);
    await until('海景售楼处');
    await press('/');
    await typeText('南山');
    await until(/搜索（名称或区县）：南山(?![\s\S]*海景)[\s\S]*星河湾售楼处/);
    // Enter ends the search, the next Enter picks the one site left.
    await press(ENTER, ENTER);
    await until('检查 星河湾售楼处');
  });
});
