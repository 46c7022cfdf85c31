/**
 * Renders the e2e run's screen captures (text from tmux capture-pane) to PNG for the README:
 *   CAMAUDIT_TUI_SHOTS=/tmp/shots npx vitest run tests/tui/e2e-tmux.test.ts
 *   node --import tsx tests/tui/shots-to-png.ts /tmp/shots docs
 * Chromium draws an HTML <pre> in a CJK monospace font, where a Chinese character is exactly two
 * columns wide, as in the terminal.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { displayWidth } from '../../src/i18n/index.js';
import { escapeHtml } from '../../src/report/text.js';

const FONT_PX = 16;
const LINE_PX = 20;
const PAD_PX = 16;

const CELL_PX = FONT_PX / 2;

/**
 * Every non-ASCII character gets the cells a terminal gives it (string-width's count), so symbols the
 * font draws wide (…, ›, •) take one cell as they do in the terminal and the columns stay aligned.
 */
const cells = (line: string): string =>
  [...line]
    .map((ch) => (ch.charCodeAt(0) < 0x7f ? escapeHtml(ch) : `<span class="w${displayWidth(ch)}">${escapeHtml(ch)}</span>`))
    .join('');

const page = (screen: string): string => `<!doctype html><meta charset="utf-8">
<style>
  html, body { margin: 0; background: #1e1e1e; }
  pre { margin: 0; white-space: pre; padding: ${PAD_PX}px; color: #d4d4d4; font: ${FONT_PX}px/${LINE_PX}px 'Noto Sans Mono CJK SC', monospace; }
  .w1, .w2 { display: inline-block; vertical-align: top; text-align: center; }
  .w1 { width: ${CELL_PX}px; font-family: 'Noto Sans Mono', monospace; font-size: ${FONT_PX - 3}px; }
  .w2 { width: ${2 * CELL_PX}px; }
  .sel { background: #d4d4d4; color: #1e1e1e; }
  .help { color: #8a8a8a; }
</style>
<pre>${screen
  .split('\n')
  .map((l, i, all) => {
    const html = cells(l);
    if (l.startsWith('›')) return `<span class="sel">${html}</span>`;
    return i === all.length - 2 ? `<span class="help">${html}</span>` : html;
  })
  .join('\n')}</pre>`;

const [from = '', to = 'docs', ...names] = process.argv.slice(2);
const work = mkdtempSync(join(tmpdir(), 'camaudit-shots-'));
const wanted = names.length > 0 ? names : readdirSync(from).filter((f) => f.endsWith('.txt')).map((f) => f.slice(0, -4));
for (const name of wanted) {
  const screen = readFileSync(join(from, `${name}.txt`), 'utf8').replace(/\n+$/, '\n');
  const lines = screen.split('\n').length;
  const html = join(work, `${name}.html`);
  writeFileSync(html, page(screen));
  const out = resolve(to, `tui-${name.replace(/^\d+-/, '')}.png`);
  const height = lines * LINE_PX + 2 * PAD_PX;
  execFileSync('chromium', ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', `--window-size=${100 * (FONT_PX / 2) + 2 * PAD_PX},${height}`, `--screenshot=${out}`, `file://${html}`], { stdio: 'ignore' });
  process.stdout.write(`${out}\n`);
}
