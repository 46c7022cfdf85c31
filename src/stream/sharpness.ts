/**
 * Focus measure (pure): variance of the 4-neighbour Laplacian over a region's luma (Pech-Pacheco 2000).
 * Large regions are sampled on a grid of at most ~64k points (the Laplacian itself still uses the direct
 * neighbours, so it measures the same focus): a whole 720p frame cost 24 ms, a fifth of a stream test's CPU.
 */
import type { RgbFrame } from './detector.js';

const MAX_SAMPLES = 65_536;

export const laplacianVariance = (frame: RgbFrame, box: readonly [number, number, number, number]): number => {
  const x0 = Math.max(1, Math.floor(box[0]));
  const y0 = Math.max(1, Math.floor(box[1]));
  const x1 = Math.min(frame.width - 1, Math.ceil(box[0] + box[2]));
  const y1 = Math.min(frame.height - 1, Math.ceil(box[1] + box[3]));
  const luma = (x: number, y: number): number => {
    const i = (y * frame.width + x) * 3;
    return 0.299 * (frame.data[i] ?? 0) + 0.587 * (frame.data[i + 1] ?? 0) + 0.114 * (frame.data[i + 2] ?? 0);
  };
  const step = Math.max(1, Math.floor(Math.sqrt(((x1 - x0) * (y1 - y0)) / MAX_SAMPLES)));
  let n = 0;
  let sum = 0;
  let sumSq = 0;
  for (let y = y0; y < y1; y += step) {
    for (let x = x0; x < x1; x += step) {
      const l = luma(x - 1, y) + luma(x + 1, y) + luma(x, y - 1) + luma(x, y + 1) - 4 * luma(x, y);
      n++;
      sum += l;
      sumSq += l * l;
    }
  }
  return n === 0 ? 0 : sumSq / n - (sum / n) ** 2;
};
