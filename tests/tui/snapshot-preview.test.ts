import { describe, expect, it } from 'vitest';
import type { RgbFrame } from '../../src/core/types.js';
import { previewBox, previewLines, xterm256 } from '../../src/tui/snapshot-preview.js';

const E = '\u001b[';
const image = (width: number, height: number, pixels: readonly (readonly [number, number, number])[]): RgbFrame => ({
  width,
  height,
  data: Uint8Array.from(pixels.flat()),
});

const RED = [255, 0, 0] as const;
const GREEN = [0, 255, 0] as const;
const BLUE = [0, 0, 255] as const;
const WHITE = [255, 255, 255] as const;
/** Red, green over blue, white. */
const twoByTwo = image(2, 2, [RED, GREEN, BLUE, WHITE]);

describe('snapshot preview', () => {
  it('draws two pixel rows per line: upper pixel as foreground of ▀, lower as background, reset at the end (24-bit)', () => {
    expect(previewLines(twoByTwo, 'truecolor')).toEqual([`${E}38;2;255;0;0;48;2;0;0;255m▀${E}38;2;0;255;0;48;2;255;255;255m▀${E}0m`]);
  });

  it('draws the same image with the xterm palette in 256-colour mode', () => {
    expect(previewLines(twoByTwo, '256')).toEqual([`${E}38;5;196;48;5;21m▀${E}38;5;46;48;5;231m▀${E}0m`]);
  });

  it('has ceil(height / 2) lines, each as wide as the image', () => {
    for (const height of [1, 2, 3, 4, 5, 20]) {
      const lines = previewLines(image(3, height, Array<readonly [number, number, number]>(3 * height).fill(WHITE)), 'truecolor');
      expect(lines, `height ${height}`).toHaveLength(Math.ceil(height / 2));
      for (const line of lines) expect([...line].filter((c) => c === '▀')).toHaveLength(3);
    }
  });

  it('leaves the terminal background under an odd last row', () => {
    const lines = previewLines(image(1, 3, [RED, GREEN, BLUE]), 'truecolor');
    expect(lines).toEqual([`${E}38;2;255;0;0;48;2;0;255;0m▀${E}0m`, `${E}38;2;0;0;255;49m▀${E}0m`]);
    expect(previewLines(image(1, 1, [WHITE]), '256')).toEqual([`${E}38;5;231;49m▀${E}0m`]);
  });

  it('maps pure colours to the 6x6x6 cube', () => {
    expect([RED, GREEN, BLUE, WHITE, [0, 0, 0] as const].map(([r, g, b]) => xterm256(r, g, b))).toEqual([196, 46, 21, 231, 16]);
    expect([xterm256(255, 255, 0), xterm256(0, 255, 255), xterm256(255, 0, 255)]).toEqual([226, 51, 201]);
    // Near a cube colour and far from any grey: the cube (255,0,0).
    expect(xterm256(250, 10, 10)).toBe(196);
  });

  it('maps greys to the grey ramp (232-255) unless the cube has the exact grey', () => {
    expect(xterm256(128, 128, 128)).toBe(244);
    expect(xterm256(8, 8, 8)).toBe(232);
    expect(xterm256(238, 238, 238)).toBe(255);
    expect(xterm256(100, 100, 100)).toBe(241);
    // 95 is a cube level: (95, 95, 95) is cube colour 59, exactly.
    expect(xterm256(95, 95, 95)).toBe(59);
  });

  it('sizes the preview box to the terminal: 40x20 pixels (10 lines) at 80x24', () => {
    expect(previewBox({ columns: 80, rows: 24 })).toEqual({ width: 40, height: 20 });
    expect(previewBox({ columns: 100, rows: 30 })).toEqual({ width: 50, height: 26 });
    // A terminal too small for anything useful still gets a valid box.
    expect(previewBox({ columns: 1, rows: 4 })).toEqual({ width: 1, height: 2 });
  });
});
