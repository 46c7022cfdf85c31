/**
 * A real browser renders the HTML report: headless Chromium takes a screenshot and prints to PDF.
 * Skipped, with a message, only where no Chromium is installed.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderInspectionHtml } from '../../src/report/index.js';
import { RULES, firstInspection, recheckInspection } from './sample-records.js';

const CHROMIUM = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
const run = promisify(execFile);

/** A stand-in for a blurred entrance snapshot: a synthetic scene, blurred as redaction would. */
const blurredSnapshot = async (): Promise<Uint8Array> => {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="640" height="360">
    <rect width="640" height="360" fill="#8a9bb0"/><rect y="250" width="640" height="110" fill="#5b5147"/>
    <rect x="220" y="40" width="200" height="230" fill="#d9d4c7"/>
    <ellipse cx="300" cy="150" rx="34" ry="44" fill="#c89f84"/><rect x="262" y="195" width="76" height="120" fill="#2f3f5c"/>
    <ellipse cx="420" cy="170" rx="26" ry="34" fill="#b98d70"/><rect x="392" y="205" width="56" height="105" fill="#6b2f2f"/></svg>`;
  return new Uint8Array(await sharp(Buffer.from(svg)).blur(12).jpeg({ quality: 70 }).toBuffer());
};

const chromium = async (dir: string, args: readonly string[], url: string): Promise<void> => {
  await run(
    CHROMIUM!,
    ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run',
      `--user-data-dir=${join(dir, 'profile')}`, ...args, url],
    { timeout: 90_000 },
  );
};

describe.skipIf(CHROMIUM === undefined)('HTML report in headless Chromium', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'camaudit-report-'));
    const snapshot = { mime: 'image/jpeg', bytes: await blurredSnapshot() };
    const first = firstInspection();
    await writeFile(join(dir, 'first-zh.html'), renderInspectionHtml(first, { lang: 'zh-CN', rules: RULES, snapshots: new Map([[5, snapshot], [7, snapshot]]) }));
    await writeFile(join(dir, 'recheck-en.html'), renderInspectionHtml(recheckInspection(), { lang: 'en', rules: RULES, previous: first }));
  });
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('renders a non-trivial screenshot of the zh-CN report', async () => {
    const png = join(dir, 'first-zh.png');
    await chromium(dir, [`--screenshot=${png}`, '--window-size=1240,1754', '--hide-scrollbars'], `file://${join(dir, 'first-zh.html')}`);
    expect((await stat(png)).size).toBeGreaterThan(20_000);
    const { width, height } = await sharp(png).metadata();
    expect([width, height]).toEqual([1240, 1754]);
    // Text and table rules make a page far from uniform; a blank or error page is nearly uniform.
    const stats = await sharp(png).greyscale().stats();
    expect(stats.channels[0]!.stdev).toBeGreaterThan(25);
    const saveTo = process.env.CAMAUDIT_SAVE_SCREENSHOT;
    if (saveTo) await copyFile(png, saveTo);
  });

  it('prints the re-check report to A4 PDF pages', async () => {
    const pdf = join(dir, 'recheck-en.pdf');
    await chromium(dir, [`--print-to-pdf=${pdf}`, '--no-pdf-header-footer'], `file://${join(dir, 'recheck-en.html')}`);
    const bytes = await readFile(pdf);
    const text = bytes.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    const boxes = [...text.matchAll(/\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/g)].map((m) => [Number(m[1]), Number(m[2])]);
    expect(boxes.length).toBeGreaterThanOrEqual(2);
    // A4 is 210 x 297 mm = 595.3 x 841.9 pt.
    for (const [w, h] of boxes) {
      expect(w).toBeCloseTo(595.3, 0);
      expect(h).toBeCloseTo(841.9, 0);
    }
  });
});

it.runIf(CHROMIUM === undefined)('browser check skipped: no Chromium at /usr/bin/chromium (apt-get install chromium)', () => {
  expect(CHROMIUM).toBeUndefined();
});
