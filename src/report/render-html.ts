/**
 * ReportDocument -> one self-contained HTML file: inline CSS, images as data: URIs, and a
 * Content-Security-Policy that forbids scripts and any network fetch, so even a rendering bug could
 * not make a hostile device's string run or phone home. Prints on A4 in black and white: table
 * headers repeat on each page, rows do not split, nothing relies on colour alone.
 */
import type { Block, ReportDocument } from './document.js';
import { cellOf, type CellInput } from './document.js';
import { escapeHtml } from './text.js';

const CSS = `
@page { size: A4; margin: 16mm 14mm 18mm 14mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif;
  font-size: 10.5pt; line-height: 1.45; color: #000; background: #fff; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 18pt; margin: 0 0 2pt; text-align: center; letter-spacing: 0.05em; }
.subtitle { text-align: center; margin: 0 0 10pt; font-size: 10pt; }
h2 { font-size: 13pt; border-bottom: 1.5pt solid #000; margin: 16pt 0 6pt; padding-bottom: 2pt; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 11.5pt; margin: 12pt 0 4pt; break-after: avoid; page-break-after: avoid; }
h4 { font-size: 10.5pt; margin: 8pt 0 3pt; break-after: avoid; page-break-after: avoid; }
.page-break { break-before: page; page-break-before: always; }
p { margin: 4pt 0; }
.note { border: 1pt solid #000; padding: 4pt 6pt; font-size: 9.5pt; }
table { border-collapse: collapse; width: 100%; margin: 4pt 0 8pt; font-size: 9pt; }
thead { display: table-header-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border: 0.75pt solid #000; padding: 2pt 4pt; vertical-align: top; text-align: left; overflow-wrap: break-word; }
.brk { overflow-wrap: anywhere; }
th { background: #e6e6e6; font-weight: bold; }
table.fields th { width: 32%; background: #f2f2f2; }
.mono { font-family: "Noto Sans Mono CJK SC", "DejaVu Sans Mono", monospace; font-size: 8pt; }
.mono.brk { word-break: break-all; }
.mono:not(.brk) { white-space: nowrap; }
.empty { font-style: italic; }
ul { margin: 2pt 0 6pt 16pt; padding: 0; }
figure { display: inline-block; margin: 4pt 6pt 6pt 0; break-inside: avoid; page-break-inside: avoid; max-width: 48%; vertical-align: top; }
figure img { max-width: 100%; max-height: 70mm; border: 0.75pt solid #000; display: block; }
figcaption { font-size: 8pt; overflow-wrap: anywhere; }
.signatures { display: grid; grid-template-columns: 1fr 1fr; gap: 14pt 18pt; margin-top: 8pt; break-inside: avoid; page-break-inside: avoid; }
.signature { border-bottom: 0.75pt solid #000; min-height: 30pt; padding-top: 2pt; }
.signature span { font-size: 9pt; }
.refusal { margin-top: 12pt; border-bottom: 0.75pt solid #000; min-height: 36pt; break-inside: avoid; }
footer { margin-top: 14pt; font-size: 8.5pt; border-top: 0.75pt solid #000; padding-top: 3pt; }
@media print { body { padding: 0; max-width: none; } }
`;

// Tokens up to a MAC address's length stay whole (an IP split over two lines misleads); longer runs
// (hashes, URIs, a hostile device's 500-character name) may break anywhere so no table outgrows A4.
const LONG_RUN = /\S{18,}/;

// Wide summaries (the campaign table) print across the page.
const LANDSCAPE_CSS = `
@page { size: A4 landscape; }
body { max-width: 277mm; }
`;

const cellHtml = (tag: 'td' | 'th', input: CellInput): string => {
  const cell = cellOf(input);
  const classes = [...(cell.mono ? ['mono'] : []), ...(LONG_RUN.test(cell.text) ? ['brk'] : [])];
  const cls = classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
  return `<${tag}${cls}>${escapeHtml(cell.text)}</${tag}>`;
};

const blockHtml = (block: Block): string => {
  switch (block.kind) {
    case 'heading':
      return `<h${block.level}${block.pageBreakBefore ? ' class="page-break"' : ''}>${escapeHtml(block.text)}</h${block.level}>`;
    case 'paragraph':
      return `<p${block.tone === 'note' ? ' class="note"' : ''}>${escapeHtml(block.text)}</p>`;
    case 'fields':
      return `<table class="fields"><tbody>${block.rows.map(([label, value]) => `<tr>${cellHtml('th', label)}${cellHtml('td', value)}</tr>`).join('')}</tbody></table>`;
    case 'table':
      if (block.rows.length === 0) return `<p class="empty">${escapeHtml(block.empty)}</p>`;
      return `<table><thead><tr>${block.head.map((h) => cellHtml('th', h)).join('')}</tr></thead><tbody>${block.rows
        .map((row) => `<tr>${row.map((c) => cellHtml('td', c)).join('')}</tr>`)
        .join('\n')}</tbody></table>`;
    case 'list':
      return `<ul>${block.items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
    case 'images':
      // base64 comes from our own encoder (alphabet A-Z a-z 0-9 + / =), mime from a closed union.
      return `<div>${block.images
        .map((img) => `<figure><img alt="${escapeHtml(img.alt)}" src="data:${img.mime};base64,${img.base64}"><figcaption>${escapeHtml(img.caption)}</figcaption></figure>`)
        .join('')}</div>`;
    case 'signatures':
      return `<div class="signatures">${[...block.roles, block.dateLabel]
        .map((r) => `<div class="signature"><span>${escapeHtml(r)}</span></div>`)
        .join('')}</div><div class="refusal"><span>${escapeHtml(block.refusal)}</span></div>`;
  }
};

export const renderHtml = (doc: ReportDocument): string =>
  [
    '<!DOCTYPE html>',
    `<html lang="${doc.lang}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(doc.title)}</title>`,
    `<style>${CSS}${doc.landscape ? LANDSCAPE_CSS : ''}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeHtml(doc.title)}</h1>`,
    `<p class="subtitle">${escapeHtml(doc.subtitle)}</p>`,
    ...doc.blocks.map(blockHtml),
    `<footer>${escapeHtml(doc.footer)}</footer>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
