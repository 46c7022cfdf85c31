/**
 * Renders the e2e run's screen captures (tmux capture-pane -e: text with its colour escapes) to PNG for
 * the README:
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
const cell = (ch: string): string => (ch.charCodeAt(0) < 0x7f ? escapeHtml(ch) : `<span class="w${displayWidth(ch)}">${escapeHtml(ch)}</span>`);

/** The 16 ANSI colours (VS Code's dark terminal theme), then the xterm 6x6x6 cube and grey ramp. */
const ANSI16 = ['#000000', '#cd3131', '#0dbc79', '#e5e510', '#2472c8', '#bc3fbc', '#11a8cd', '#e5e5e5', '#666666', '#f14c4c', '#23d18b', '#f5f543', '#3b8eea', '#d670d6', '#29b8db', '#ffffff'];
const CUBE = [0, 95, 135, 175, 215, 255];
const xterm = (n: number): string => {
  if (n < 16) return ANSI16[n] ?? '#d4d4d4';
  if (n >= 232) return `rgb(${8 + 10 * (n - 232)},${8 + 10 * (n - 232)},${8 + 10 * (n - 232)})`;
  const i = n - 16;
  return `rgb(${CUBE[Math.floor(i / 36)]},${CUBE[Math.floor(i / 6) % 6]},${CUBE[i % 6]})`;
};

interface Pen {
  fg: string | null;
  bg: string | null;
  bold: boolean;
  dim: boolean;
  inverse: boolean;
}
const plain = (): Pen => ({ fg: null, bg: null, bold: false, dim: false, inverse: false });

/** Applies one SGR sequence's parameters (capture-pane -e keeps them) to the pen. */
const applySgr = (pen: Pen, params: number[]): Pen => {
  const p = { ...pen };
  for (let i = 0; i < params.length; i++) {
    const n = params[i] ?? 0;
    if (n === 0) Object.assign(p, plain());
    else if (n === 1) p.bold = true;
    else if (n === 2) p.dim = true;
    else if (n === 22) [p.bold, p.dim] = [false, false];
    else if (n === 7) p.inverse = true;
    else if (n === 27) p.inverse = false;
    else if (n >= 30 && n <= 37) p.fg = xterm(n - 30);
    else if (n >= 90 && n <= 97) p.fg = xterm(n - 82);
    else if (n === 39) p.fg = null;
    else if (n >= 40 && n <= 47) p.bg = xterm(n - 40);
    else if (n >= 100 && n <= 107) p.bg = xterm(n - 92);
    else if (n === 49) p.bg = null;
    else if ((n === 38 || n === 48) && params[i + 1] === 5) {
      const c = xterm(params[i + 2] ?? 0);
      if (n === 38) p.fg = c;
      else p.bg = c;
      i += 2;
    } else if ((n === 38 || n === 48) && params[i + 1] === 2) {
      const c = `rgb(${params[i + 2] ?? 0},${params[i + 3] ?? 0},${params[i + 4] ?? 0})`;
      if (n === 38) p.fg = c;
      else p.bg = c;
      i += 4;
    }
  }
  return p;
};

const style = (pen: Pen): string => {
  const fg = pen.inverse ? (pen.bg ?? '#1e1e1e') : pen.fg;
  const bg = pen.inverse ? (pen.fg ?? '#d4d4d4') : pen.bg;
  return [fg ? `color:${fg}` : '', bg ? `background:${bg}` : '', pen.bold ? 'font-weight:bold' : '', pen.dim ? 'opacity:0.6' : ''].filter(Boolean).join(';');
};

// Built from a string: a control character in a regex literal reads as a mistake (no-control-regex).
const ESC = String.fromCharCode(0x1b);
const SGR_SPLIT = new RegExp(`(${ESC}\\[[0-9;]*m)`);
const SGR = new RegExp(`^${ESC}\\[([0-9;]*)m$`);

/** One captured line, its colours (SGR escapes) turned into styled spans. */
const cells = (line: string): string => {
  let pen = plain();
  let html = '';
  for (const part of line.split(SGR_SPLIT)) {
    const sgr = SGR.exec(part);
    if (sgr) {
      pen = applySgr(pen, (sgr[1] ?? '').split(';').map((x) => (x === '' ? 0 : Number(x))));
      continue;
    }
    const text = [...part].map(cell).join('');
    const css = style(pen);
    html += css ? `<span style="${css}">${text}</span>` : text;
  }
  return html;
};

const page = (screen: string): string => `<!doctype html><meta charset="utf-8">
<style>
  html, body { margin: 0; background: #1e1e1e; }
  pre { margin: 0; white-space: pre; padding: ${PAD_PX}px; color: #d4d4d4; font: ${FONT_PX}px/${LINE_PX}px 'Noto Sans Mono CJK SC', monospace; }
  .w1, .w2 { display: inline-block; vertical-align: top; text-align: center; }
  .w1 { width: ${CELL_PX}px; font-family: 'Noto Sans Mono', monospace; font-size: ${FONT_PX - 3}px; }
  .w2 { width: ${2 * CELL_PX}px; }
</style>
<pre>${screen.split('\n').map(cells).join('\n')}</pre>`;

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
