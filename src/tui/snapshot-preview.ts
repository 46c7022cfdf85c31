/**
 * A blurred snapshot drawn with text: each character is the upper half block '▀', its foreground the
 * upper pixel and its background the lower one, so one line shows two rows of pixels. Pure: the
 * image comes decoded and already small (decodeImage with a fit box, in the CLI layer); this only
 * writes escapes.
 */
import type { RgbFrame } from '../core/types.js';
import type { ColourMode } from './terminal-colours.js';


/** The most pixels a preview may take, across and down. */
export interface PixelBox {
  readonly width: number;
  readonly height: number;
}

const UPPER_HALF = '▀';
const ESC = '\u001b[';
const RESET = `${ESC}0m`;

/** The six levels of each channel in xterm's 6x6x6 colour cube (colours 16-231). */
const CUBE_LEVELS = [0, 95, 135, 175, 215, 255] as const;

/** The cube level nearest to a channel value: the levels are 40 apart except the first step of 95. */
const cubeStep = (v: number): number => (v < 48 ? 0 : v < 115 ? 1 : Math.floor((v - 35) / 40));

const distance2 = (r1: number, g1: number, b1: number, r2: number, g2: number, b2: number): number => (r1 - r2) ** 2 + (g1 - g2) ** 2 + (b1 - b2) ** 2;

/**
 * The xterm palette index nearest to a colour: the nearest cube colour or the nearest of the 24
 * greys (232-255: 8, 18, ... 238), whichever is closer. The greys matter: the cube has only six of
 * them, and a blurred office snapshot is mostly walls, floors and ceilings.
 */
export const xterm256 = (r: number, g: number, b: number): number => {
  const [qr, qg, qb] = [cubeStep(r), cubeStep(g), cubeStep(b)];
  const [cr, cg, cb] = [CUBE_LEVELS[qr] ?? 0, CUBE_LEVELS[qg] ?? 0, CUBE_LEVELS[qb] ?? 0];
  const cube = 16 + 36 * qr + 6 * qg + qb;
  if (cr === r && cg === g && cb === b) return cube;
  const average = (r + g + b) / 3;
  const greyStep = Math.max(0, Math.min(23, Math.round((average - 8) / 10)));
  const grey = 8 + 10 * greyStep;
  return distance2(r, g, b, grey, grey, grey) < distance2(r, g, b, cr, cg, cb) ? 232 + greyStep : cube;
};

/** SGR parameters for one colour as foreground (38) or background (48). */
const colour = (plane: 38 | 48, mode: ColourMode, r: number, g: number, b: number): string =>
  mode === 'truecolor' ? `${plane};2;${r};${g};${b}` : `${plane};5;${xterm256(r, g, b)}`;

const pixel = (image: RgbFrame, x: number, y: number): readonly [number, number, number] => {
  const i = (y * image.width + x) * 3;
  return [image.data[i] ?? 0, image.data[i + 1] ?? 0, image.data[i + 2] ?? 0];
};

/**
 * One line per two pixel rows (an odd last row keeps the terminal's own background below it), each
 * line ending with a reset so no colour leaks into the next line or the text after it.
 */
export const previewLines = (image: RgbFrame, mode: ColourMode): string[] => {
  const lines: string[] = [];
  for (let y = 0; y < image.height; y += 2) {
    let line = '';
    for (let x = 0; x < image.width; x++) {
      const upper = colour(38, mode, ...pixel(image, x, y));
      const lower = y + 1 < image.height ? colour(48, mode, ...pixel(image, x, y + 1)) : '49';
      line += `${ESC}${upper};${lower}m${UPPER_HALF}`;
    }
    lines.push(line + RESET);
  }
  return lines;
};

/**
 * The box a preview is decoded into for a terminal of this size: half its width, and about half its
 * height less the frame (at 80x24, 40x20 pixels in 10 lines), so the preview, its path line and the
 * lines around them are on screen together. A half block is about as wide as half a cell is tall,
 * so fitting the image inside this box keeps its proportions.
 */
export const previewBox = (terminal: { readonly columns: number; readonly rows: number }): PixelBox => ({
  width: Math.max(1, Math.floor(terminal.columns / 2)),
  height: 2 * Math.max(1, Math.floor((terminal.rows - 4) / 2)),
});
