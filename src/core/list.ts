/**
 * A list typed on one line (people, zones): split at ASCII commas, full-width commas (，) and the enumeration
 * comma (、), since a Chinese input method gives the last two; each item trimmed, empty items dropped.
 */
export const splitList = (text: string): string[] =>
  text
    .split(/[,，、]/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
