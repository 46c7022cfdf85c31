/**
 * A tiny report document model. Reports are built once as plain text blocks, then rendered to HTML
 * or Markdown; the model has no way to carry markup, so device strings can only ever be text.
 */

export interface Cell {
  readonly text: string;
  /** Hashes, addresses, raw names: monospace, may break anywhere. */
  readonly mono?: boolean;
}

export type CellInput = string | number | Cell;

export interface Image {
  readonly mime: 'image/jpeg' | 'image/png';
  readonly base64: string;
  readonly alt: string;
  readonly caption: string;
}

export type Block =
  | { readonly kind: 'heading'; readonly level: 2 | 3 | 4; readonly text: string; readonly pageBreakBefore?: boolean }
  | { readonly kind: 'paragraph'; readonly text: string; readonly tone?: 'note' | 'plain' }
  | { readonly kind: 'fields'; readonly rows: readonly (readonly [string, CellInput])[] }
  | { readonly kind: 'table'; readonly head: readonly string[]; readonly rows: readonly (readonly CellInput[])[]; readonly empty: string }
  | { readonly kind: 'list'; readonly items: readonly string[] }
  | { readonly kind: 'images'; readonly images: readonly Image[] }
  | { readonly kind: 'signatures'; readonly roles: readonly string[]; readonly dateLabel: string; readonly refusal: string };

export interface ReportDocument {
  readonly lang: 'zh-CN' | 'en';
  readonly title: string;
  readonly subtitle: string;
  readonly blocks: readonly Block[];
  readonly footer: string;
  readonly landscape?: boolean;
}

export const mono = (text: string): Cell => ({ text, mono: true });

export const cellOf = (input: CellInput): Cell => (typeof input === 'object' ? input : { text: String(input) });
