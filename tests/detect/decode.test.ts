import { describe, expect, it } from 'vitest';
import {
  ANCHORS_16,
  ANCHORS_8,
  MODEL_INPUT_PX,
  decodeHead,
  eyeDistancePx,
  iou,
  keepDetection,
  letterbox,
  planTiles,
  toSourcePixels,
  weightedNms,
  type PixelDetection,
  type RawDetection,
} from '../../src/stream/blazeface-decode.js';

const det = (box: [number, number, number, number], score: number): PixelDetection => ({
  box,
  score,
  keypoints: [
    [box[0], box[1]],
    [box[0] + box[2], box[1]],
  ],
});

describe('anchors', () => {
  it('has 896 anchors at cell centres, 16x16x2 then 8x8x6', () => {
    expect(ANCHORS_16).toHaveLength(512);
    expect(ANCHORS_8).toHaveLength(384);
    expect(ANCHORS_16[0]).toEqual({ cx: 0.5 / 16, cy: 0.5 / 16 });
    expect(ANCHORS_16[1]).toEqual(ANCHORS_16[0]);
    expect(ANCHORS_16[2]).toEqual({ cx: 1.5 / 16, cy: 0.5 / 16 });
    expect(ANCHORS_8[6]).toEqual({ cx: 1.5 / 8, cy: 0.5 / 8 });
  });
});

describe('decodeHead', () => {
  it('keeps anchors whose sigmoid score passes and offsets them by regressors / 256', () => {
    const scores = new Float32Array(512).fill(-10);
    const boxes = new Float32Array(512 * 16);
    scores[2] = 2; // sigmoid 0.88
    boxes.set([25.6, -12.8, 64, 32, 0, 0, 12.8, 0], 2 * 16);
    const out: RawDetection[] = [];
    decodeHead(scores, boxes, ANCHORS_16, 0.75, out);
    expect(out).toHaveLength(1);
    const d = out[0]!;
    expect(d.score).toBeCloseTo(1 / (1 + Math.exp(-2)), 6);
    expect(d.cx).toBeCloseTo(1.5 / 16 + 0.1, 6);
    expect(d.cy).toBeCloseTo(0.5 / 16 - 0.05, 6);
    expect(d.w).toBeCloseTo(0.25, 6);
    expect(d.h).toBeCloseTo(0.125, 6);
    expect(d.keypoints[2]).toBeCloseTo(1.5 / 16 + 0.05, 6);
  });
});

describe('letterbox and mapping', () => {
  it('centres a wide frame and maps model coordinates back to source pixels', () => {
    const v = letterbox(0, 0, 1280, 720);
    expect(v.scale).toBeCloseTo(0.2, 9);
    expect(v.padX).toBe(0);
    expect(v.padY).toBeCloseTo(56, 9);
    const p = toSourcePixels({ cx: 0.5, cy: 0.5, w: 0.1, h: 0.1, keypoints: new Array<number>(12).fill(0.5), score: 0.9 }, v);
    expect(p.box[0]).toBeCloseTo(640 - 64, 6);
    expect(p.box[1]).toBeCloseTo(360 - 64, 6);
    expect(p.box[2]).toBeCloseTo(0.1 * MODEL_INPUT_PX * 5, 6);
  });
  it('offsets by the tile origin', () => {
    const p = toSourcePixels({ cx: 0, cy: 0, w: 0, h: 0, keypoints: new Array<number>(12).fill(0), score: 1 }, letterbox(100, 50, 256, 256));
    expect(p.box).toEqual([100, 50, 0, 0]);
  });
});

describe('weightedNms', () => {
  it('merges overlapping detections into the score-weighted mean and keeps the best score', () => {
    const out = weightedNms([det([0, 0, 10, 10], 0.6), det([2, 0, 10, 10], 0.9), det([50, 50, 10, 10], 0.8)]);
    expect(out).toHaveLength(2);
    expect(out[0]!.score).toBe(0.9);
    expect(out[0]!.box[0]).toBeCloseTo((2 * 0.9) / 1.5, 9);
    expect(out[1]!.box).toEqual([50, 50, 10, 10]);
  });
  it('keeps detections that overlap by less than the threshold', () => {
    expect(weightedNms([det([0, 0, 10, 10], 0.9), det([8, 0, 10, 10], 0.8)])).toHaveLength(2);
    expect(iou([0, 0, 10, 10], [5, 0, 10, 10])).toBeCloseTo(1 / 3, 9);
  });
});

describe('planTiles', () => {
  it('runs a small frame once', () => {
    expect(planTiles(256, 256, 30)).toHaveLength(1);
  });
  it('covers every pixel of a 1080p frame with tiles small enough for 30 px faces', () => {
    const views = planTiles(1920, 1080, 30);
    const finest = views.filter((v) => v.width === 480);
    expect(finest.length).toBeGreaterThan(4);
    for (const v of finest) expect(30 * v.scale).toBeGreaterThanOrEqual(16);
    // every point lies in some finest tile, at least T/8 from an inner edge in one of them
    for (let y = 0; y < 1080; y += 37) {
      for (let x = 0; x < 1920; x += 41) {
        expect(finest.some((v) => x >= v.x && x < v.x + v.width && y >= v.y && y < v.y + v.height)).toBe(true);
      }
    }
  });
  it('adds coarser levels for 4K until the whole frame takes over', () => {
    const sizes = new Set(planTiles(3840, 2160, 30).map((v) => v.width));
    expect([...sizes].sort((a, b) => a - b)).toEqual([480, 960, 1920, 3840]);
  });
});

describe('keepDetection', () => {
  const tile = planTiles(1920, 1080, 30).find((v) => v.width === 480 && v.x > 0 && v.y > 0)!;
  const inside = (w: number): PixelDetection => det([tile.x + 100, tile.y + 100, w, w], 0.9);
  it('keeps a face inside a tile and within its size band', () => {
    expect(keepDetection(inside(60), tile, 1920, 1080)).toBe(true);
  });
  it('drops faces larger than the tile answers for (a coarser view owns them)', () => {
    expect(tile.maxFacePx).toBe(120);
    expect(keepDetection(inside(150), tile, 1920, 1080)).toBe(false);
  });
  it('drops faces cut by an inner tile edge but keeps faces at the frame edge', () => {
    expect(keepDetection(det([tile.x + 1, tile.y + 100, 40, 40], 0.9), tile, 1920, 1080)).toBe(false);
    const corner = planTiles(1920, 1080, 30)[1]!;
    expect(corner).toMatchObject({ x: 0, y: 0 });
    expect(keepDetection(det([0, 0, 40, 40], 0.9), corner, 1920, 1080)).toBe(true);
  });
  it('keeps every size from the whole-frame view', () => {
    const whole = planTiles(1920, 1080, 30)[0]!;
    expect(keepDetection(det([0, 0, 1000, 1000], 0.9), whole, 1920, 1080)).toBe(true);
  });
});

describe('eyeDistancePx', () => {
  it('is the distance between the first two keypoints', () => {
    expect(eyeDistancePx([[0, 0], [3, 4], [9, 9]])).toBe(5);
  });
});
