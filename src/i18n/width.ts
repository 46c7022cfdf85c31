/**
 * Terminal-column widths that know CJK: a Chinese character takes two columns, so padding by
 * `.length` breaks every table the TUI and the plain-text outputs draw.
 */
import stringWidth from 'string-width';

export const displayWidth = (text: string): number => stringWidth(text);

/** Cuts `text` to at most `maxColumns` columns, ending with `…` when it had to cut. */
export const truncateToWidth = (text: string, maxColumns: number): string => {
  if (maxColumns <= 0) return '';
  if (displayWidth(text) <= maxColumns) return text;
  const ellipsis = '…';
  const budget = maxColumns - displayWidth(ellipsis);
  let out = '';
  let used = 0;
  // Iterate by code point so surrogate pairs are never split.
  for (const ch of text) {
    const w = displayWidth(ch);
    if (used + w > budget) break;
    out += ch;
    used += w;
  }
  return out + ellipsis;
};

/** Pads (or truncates) to exactly `columns` columns. */
export const fitToWidth = (text: string, columns: number, align: 'left' | 'right' = 'left'): string => {
  const cut = truncateToWidth(text, columns);
  const pad = ' '.repeat(Math.max(0, columns - displayWidth(cut)));
  return align === 'left' ? cut + pad : pad + cut;
};
