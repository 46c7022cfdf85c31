/** ReportDocument -> Markdown (GitHub flavour). Every text goes through escapeMarkdown. */
import type { Block, ReportDocument } from './document.js';
import { cellOf, type CellInput } from './document.js';
import { escapeMarkdown } from './text.js';

const cellMd = (input: CellInput): string => {
  const text = escapeMarkdown(cellOf(input).text);
  return text === '' ? ' ' : text;
};

const tableMd = (head: readonly string[], rows: readonly (readonly CellInput[])[]): string =>
  [`| ${head.map(cellMd).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cellMd).join(' | ')} |`)].join('\n');

const blockMd = (block: Block): string => {
  switch (block.kind) {
    case 'heading':
      return `${'#'.repeat(block.level)} ${escapeMarkdown(block.text)}`;
    case 'paragraph':
      return block.tone === 'note' ? `> ${escapeMarkdown(block.text)}` : escapeMarkdown(block.text);
    case 'fields':
      return tableMd(['', ''], block.rows.map(([label, value]) => [label, value]));
    case 'table':
      return block.rows.length === 0 ? `*${escapeMarkdown(block.empty)}*` : tableMd(block.head, block.rows);
    case 'list':
      return block.items.map((i) => `- ${escapeMarkdown(i)}`).join('\n');
    case 'images':
      // Markdown viewers rarely show data: URIs; the images stay in the HTML report and the evidence.
      return block.images.map((img) => `- ${escapeMarkdown(img.caption)}`).join('\n');
    case 'signatures':
      return [...block.roles, block.dateLabel].map((r) => `${escapeMarkdown(r)}: ______________________`).join('\n\n') + `\n\n${escapeMarkdown(block.refusal)} ______________________`;
  }
};

export const renderMarkdown = (doc: ReportDocument): string =>
  [`# ${escapeMarkdown(doc.title)}`, `*${escapeMarkdown(doc.subtitle)}*`, ...doc.blocks.map(blockMd), `---\n${escapeMarkdown(doc.footer)}`].join('\n\n') + '\n';
