/**
 * The README's main-job command, end to end in a child process: `camaudit demo --no-tui --db F --out DIR`.
 * It must leave a verifiable database and both inspection records in both languages and formats.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyStore } from '../../src/store/store.js';

const dir = mkdtempSync(join(tmpdir(), 'camaudit-demo-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (args: readonly string[], timeoutMs: number) =>
  spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { encoding: 'utf8', timeout: timeoutMs });

describe('camaudit demo', () => {
  it('inspects, re-checks and writes both reports', () => {
    const db = join(dir, 'demo.db');
    const out = join(dir, 'out');
    const r = cli(['demo', '--no-tui', '--db', db, '--out', out], 240_000);
    expect(r.status, r.stderr).toBe(0);
    const files = readdirSync(out).sort();
    expect(files).toEqual([
      'first-inspection-1.en.html', 'first-inspection-1.en.md', 'first-inspection-1.zh-CN.html', 'first-inspection-1.zh-CN.md',
      'recheck-inspection-2.en.html', 'recheck-inspection-2.en.md', 'recheck-inspection-2.zh-CN.html', 'recheck-inspection-2.zh-CN.md',
    ]);
    expect(verifyStore(db).ok).toBe(true);
    const recheckMd = readFileSync(join(out, 'recheck-inspection-2.en.md'), 'utf8');
    // Each change the rectified office makes shows in the re-check.
    for (const phrase of ['removed', 'newly found', 'face functions disabled'].map((p) => p.toLowerCase())) {
      expect(recheckMd.toLowerCase()).toContain(phrase);
    }
    const zh = readFileSync(join(out, 'first-inspection-1.zh-CN.html'), 'utf8');
    expect(zh).toContain('检查笔录');
    expect(zh).toContain('FR-FACE-PROC');
    expect(zh).toContain('<tr><th>检查区域</th><td>入口、前台接待区、沙盘区、洽谈区</td></tr>');
    expect(recheckMd).toContain('| Zones inspected | 入口, 前台接待区, 沙盘区, 洽谈区 |');
    expect(r.stdout).toContain('inspection 1 (first), inspection 2 (re-check)');
  }, 300_000);

  it('the installed launcher runs the built CLI', () => {
    // npm ci builds dist/ through the prepare script; the launcher is what `npx camaudit` runs.
    expect(existsSync('dist/cli/main.js')).toBe(true);
    const r = spawnSync(process.execPath, ['bin/camaudit.js', '--help'], { encoding: 'utf8', timeout: 30_000 });
    expect(r.status).toBe(0);
    for (const cmd of ['scan', 'probe', 'stream', 'detect', 'simulate', 'inspect', 'recheck', 'checklist', 'report', 'campaign', 'verify', 'export', 'import', 'sites', 'demo']) {
      expect(r.stdout).toContain(cmd);
    }
  });
});
