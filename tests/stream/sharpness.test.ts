import { describe, expect, it } from 'vitest';
import { laplacianVariance } from '../../src/stream/sharpness.js';

const frame = (width: number, height: number, px: (x: number, y: number) => number) => {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.fill(px(x, y), (y * width + x) * 3, (y * width + x) * 3 + 3);
  return { width, height, data };
};

describe('laplacianVariance', () => {
  it('is zero on a flat region and on a linear ramp', () => {
    expect(laplacianVariance(frame(32, 32, () => 128), [0, 0, 32, 32])).toBe(0);
    expect(laplacianVariance(frame(32, 32, (x) => x * 4), [0, 0, 32, 32])).toBeCloseTo(0, 6);
  });
  it('ranks a sharp checkerboard far above a blurred one', () => {
    const sharp = frame(64, 64, (x, y) => (((x >> 2) + (y >> 2)) % 2 ? 255 : 0));
    const soft = frame(64, 64, (x, y) => 128 + 60 * Math.sin(x / 4) * Math.sin(y / 4));
    expect(laplacianVariance(sharp, [0, 0, 64, 64])).toBeGreaterThan(50 * laplacianVariance(soft, [0, 0, 64, 64]));
  });
  it('only looks inside the box, clipped to the frame', () => {
    const half = frame(64, 32, (x, y) => (x < 32 ? 128 : (x + y) % 2 ? 255 : 0));
    expect(laplacianVariance(half, [0, 0, 30, 32])).toBe(0);
    expect(laplacianVariance(half, [40, -10, 100, 100])).toBeGreaterThan(0);
  });
  it('samples a large region on a grid and measures about the same focus as every pixel', () => {
    const noise = (x: number, y: number): number => ((x * 7919 + y * 104729) % 251);
    const big = frame(1280, 720, noise);
    const full = laplacianVariance(frame(256, 256, noise), [0, 0, 256, 256]);
    const sampled = laplacianVariance(big, [0, 0, 1280, 720]);
    expect(sampled / full).toBeGreaterThan(0.8);
    expect(sampled / full).toBeLessThan(1.25);
  });
});
