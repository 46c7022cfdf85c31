/**
 * Escaping for every output format. Device strings are hostile input: besides markup they may carry
 * control characters or bidi overrides (U+202E makes `gpj.exe` read as `exe.jpg`), so those are shown
 * as visible `<U+XXXX>` markers before any format-specific escaping.
 */

// C0/C1 controls except tab and newline (ESC and the 8-bit CSI U+009B start terminal sequences), the Arabic
// letter mark, bidi marks, embeddings/overrides/isolates, zero-width characters, line/paragraph separators,
// invisible operators and BOM.
// eslint-disable-next-line no-control-regex -- matching control characters is the purpose here.
const INVISIBLE = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F\u061C\u200B-\u200F\u2028-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;

export const revealInvisible = (text: string): string =>
  text.replace(INVISIBLE, (ch) => `<U+${ch.charCodeAt(0).toString(16).toUpperCase().padStart(4, '0')}>`);

/**
 * One line for a terminal (the CLI's text output, every line the terminal UI draws): device text with its
 * controls and bidi characters as markers and its tabs and newlines as spaces, so it can neither drive the
 * terminal nor start a line that looks like ours.
 */
export const terminalLine = (text: string): string => revealInvisible(text).replace(/[\t\n]+/g, ' ');

/** Text of several lines for a terminal: each line as `terminalLine` makes it. */
export const terminalText = (text: string): string => text.split('\n').map(terminalLine).join('\n');

const HTML_ENTITIES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '`': '&#96;',
};

/** Safe in element content and in quoted attribute values. */
export const escapeHtml = (text: string): string => revealInvisible(text).replace(/[&<>"'`]/g, (ch) => HTML_ENTITIES[ch] ?? ch);

/**
 * One Markdown table cell or line of text: no raw HTML (renderers pass it through), no links or
 * images (brackets escaped, so `](` never forms), no emphasis or code, no table breakout, one line.
 */
export const escapeMarkdown = (text: string): string =>
  revealInvisible(text)
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/[\\`*_[\]|~]/g, (ch) => `\\${ch}`)
    // Block markers only act at the start of a line: `# `, `- `, `+ `, `1. `, `> ` (already &gt;).
    .replace(/^(\s*)([#+-]|\d+\.)(?=\s|$)/, (_whole, space: string, marker: string) => `${space}${marker.replace(/[#+.-]/, (m) => `\\${m}`)}`);

/**
 * One CSV field (RFC 4180). Cells that a spreadsheet would evaluate (=, +, -, @, tab, CR) get a
 * leading apostrophe: a site name like `=HYPERLINK(...)` must stay text (CSV injection).
 */
export const csvField = (text: string): string => {
  const shown = revealInvisible(text);
  const defused = /^[=+\-@\t\r]/.test(shown) ? `'${shown}` : shown;
  return /[",\r\n]/.test(defused) ? `"${defused.replace(/"/g, '""')}"` : defused;
};
