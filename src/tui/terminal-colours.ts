/**
 * What colours the terminal draws, read from the environment the way terminals announce it: there is
 * no portable query, and asking the terminal itself (an escape sequence and a reply on stdin) would
 * race ink for the keyboard.
 */

/** 24-bit colour, or the xterm 256-colour palette. */
export type ColourMode = 'truecolor' | '256';

/**
 * COLORTERM=truecolor|24bit is how terminals (and tmux, passing it on) say they take 24-bit colour;
 * a TERM naming 256 colours (xterm-256color, tmux-256color) promises the palette. Anything else, or
 * NO_COLOR, gets no picture, only the snapshot's path.
 */
export const colourModeOf = (env: Readonly<Record<string, string | undefined>>): ColourMode | null => {
  // NO_COLOR (no-color.org): a non-empty value asks programs for no colour; the path line still shows.
  if (env.NO_COLOR) return null;
  if (env.COLORTERM === 'truecolor' || env.COLORTERM === '24bit') return 'truecolor';
  if (env.TERM?.includes('256color')) return '256';
  return null;
};
