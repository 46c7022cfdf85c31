/**
 * Face detector runtime: one ONNX Runtime session (in a worker thread, see inference-worker.ts),
 * input tensors built straight from raw RGB (no encode/decode round trip), pure post-processing from
 * blazeface-decode.ts.
 */
import type { DetectedFace, RgbFrame } from '../core/types.js';
import {
  ANCHORS_16,
  ANCHORS_8,
  MODEL_INPUT_PX,
  decodeHead,
  eyeDistancePx,
  keepDetection,
  planTiles,
  toSourcePixels,
  weightedNms,
  type PixelDetection,
  type RawDetection,
  type TileView,
} from './blazeface-decode.js';
import { startInferenceWorker, type ModelOutputs, type Reply } from './inference-worker.js';
import { BLAZEFACE_BACK, loadModel, type ModelSpec } from './model.js';

export type { RgbFrame } from '../core/types.js';

export interface FaceDetector {
  detect(frame: RgbFrame): Promise<DetectedFace[]>;
  close(): Promise<void>;
}

export interface BlazeFaceOptions {
  readonly model?: ModelSpec;
  /** ONNX Runtime intra-op threads; 0 lets it choose (all cores). */
  readonly threads?: number;
  readonly minScore?: number;
  /** Smallest face width (source px) to look for; decides the tiling of large frames. */
  readonly minFacePx?: number;
}

/**
 * MediaPipe's graph uses 0.5; on the hand-checked fixtures every false positive (hair, a cup handle, a
 * shirt badge) scored 0.50-0.70 and every frontal or three-quarter face 0.77-0.95, and an inspection
 * must not over-call, so 0.75.
 */
export const FACE_MIN_SCORE = 0.75;

/** Evidence is blurred at MediaPipe's own threshold: blurring a false positive costs nothing. */
export const REDACT_MIN_SCORE = 0.5;
const DEFAULT_MIN_FACE_PX = 30;

/**
 * Fills `out` (NHWC, px/127.5-1) with the letterboxed view by bilinear sampling; padding is -1
 * (black), as MediaPipe's ImageToTensor pads with zeros before normalising.
 */
export const fillInput = (frame: RgbFrame, view: TileView, out: Float32Array): void => {
  const { data, width: fw, height: fh } = frame;
  const inv = 1 / view.scale;
  const x0 = Math.ceil(view.padX - 1e-6);
  const x1 = Math.floor(view.padX + view.width * view.scale + 1e-6);
  const y0 = Math.ceil(view.padY - 1e-6);
  const y1 = Math.floor(view.padY + view.height * view.scale + 1e-6);
  const row = MODEL_INPUT_PX * 3;
  // Padding only; the sampled region is written below.
  out.fill(-1, 0, y0 * row);
  out.fill(-1, y1 * row);
  for (let oy = y0; oy < y1 && (x0 > 0 || x1 < MODEL_INPUT_PX); oy++) {
    out.fill(-1, oy * row, oy * row + x0 * 3);
    out.fill(-1, oy * row + x1 * 3, (oy + 1) * row);
  }
  const k = 1 / 127.5;
  // Precompute column sample positions once per view: the inner loop is then 12 loads + 3 lerps.
  const cols = x1 - x0;
  const xa = new Int32Array(cols);
  const xb = new Int32Array(cols);
  const xf = new Float32Array(cols);
  for (let i = 0; i < cols; i++) {
    const sx = Math.min(Math.max(view.x + (x0 + i + 0.5 - view.padX) * inv - 0.5, 0), fw - 1);
    const ix = Math.floor(sx);
    xa[i] = ix * 3;
    xb[i] = Math.min(ix + 1, fw - 1) * 3;
    xf[i] = sx - ix;
  }
  for (let oy = y0; oy < y1; oy++) {
    const sy = Math.min(Math.max(view.y + (oy + 0.5 - view.padY) * inv - 0.5, 0), fh - 1);
    const iy = Math.floor(sy);
    const fy = sy - iy;
    const r0 = iy * fw * 3;
    const r1 = Math.min(iy + 1, fh - 1) * fw * 3;
    let o = (oy * MODEL_INPUT_PX + x0) * 3;
    for (let i = 0; i < cols; i++) {
      // Typed-array reads inside bounds (indices clamped above); `as number` avoids a per-read
      // undefined check that tripled the time of this loop (the hot path of preprocessing).
      const a0 = r0 + (xa[i] as number);
      const b0 = r0 + (xb[i] as number);
      const a1 = r1 + (xa[i] as number);
      const b1 = r1 + (xb[i] as number);
      const fx = xf[i] as number;
      const w00 = (1 - fx) * (1 - fy) * k;
      const w01 = fx * (1 - fy) * k;
      const w10 = (1 - fx) * fy * k;
      const w11 = fx * fy * k;
      out[o++] = (data[a0] as number) * w00 + (data[b0] as number) * w01 + (data[a1] as number) * w10 + (data[b1] as number) * w11 - 1;
      out[o++] = (data[a0 + 1] as number) * w00 + (data[b0 + 1] as number) * w01 + (data[a1 + 1] as number) * w10 + (data[b1 + 1] as number) * w11 - 1;
      out[o++] = (data[a0 + 2] as number) * w00 + (data[b0 + 2] as number) * w01 + (data[a1 + 2] as number) * w10 + (data[b1 + 2] as number) * w11 - 1;
    }
  }
};

const toFace = (d: PixelDetection): DetectedFace => ({
  box: [d.box[0], d.box[1], d.box[2], d.box[3]],
  score: d.score,
  eyeDistance: eyeDistancePx(d.keypoints),
  keypoints: d.keypoints,
});

export interface BlazeFaceDetector extends FaceDetector {
  /** Raw model outputs for one prepared input, which is left as it was (equivalence tests). */
  runRaw(input: Float32Array): Promise<ModelOutputs>;
}

const INPUT_LENGTH = MODEL_INPUT_PX * MODEL_INPUT_PX * 3;

export const createBlazeFaceDetector = async (opts: BlazeFaceOptions = {}): Promise<BlazeFaceDetector> => {
  const inference = await startInferenceWorker({
    model: await loadModel(opts.model ?? BLAZEFACE_BACK),
    inputName: 'input:0',
    inputShape: [1, MODEL_INPUT_PX, MODEL_INPUT_PX, 3],
    outputNames: ['Identity:0', 'Identity_1:0', 'Identity_2:0', 'Identity_3:0'],
    threads: opts.threads ?? 0,
  });
  const minScore = opts.minScore ?? FACE_MIN_SCORE;
  const minFacePx = opts.minFacePx ?? DEFAULT_MIN_FACE_PX;
  // Two passes in flight keep the worker busy back to back: while it infers view i with view i+1
  // queued, this thread decodes view i-1 and fills view i+2. Three input buffers cycle between them;
  // a failed pass keeps its buffer, so the list refills itself when short.
  const free = [new Float32Array(INPUT_LENGTH), new Float32Array(INPUT_LENGTH), new Float32Array(INPUT_LENGTH)];

  // One detector serves every caller: concurrent stream tests share it, so frames run one at a time
  // (the session already uses every intra-op thread it was given; queueing costs no throughput).
  let queue: Promise<unknown> = Promise.resolve();
  const detect = (frame: RgbFrame): Promise<DetectedFace[]> => {
    const run = queue.then(() => detectNow(frame));
    queue = run.catch(() => undefined);
    return run;
  };

  const detectNow = async (frame: RgbFrame): Promise<DetectedFace[]> => {
    if (frame.data.length !== frame.width * frame.height * 3) {
      throw new Error(`RGB frame ${frame.width}x${frame.height} needs ${frame.width * frame.height * 3} bytes, got ${frame.data.length}`);
    }
    const all: PixelDetection[] = [];
    const collect = (outputs: ModelOutputs, view: TileView): void => {
      const raw: RawDetection[] = [];
      decodeHead(outputs.scores16, outputs.boxes16, ANCHORS_16, minScore, raw);
      decodeHead(outputs.scores8, outputs.boxes8, ANCHORS_8, minScore, raw);
      for (const d of raw) {
        const p = toSourcePixels(d, view);
        if (keepDetection(p, view, frame.width, frame.height)) all.push(p);
      }
    };
    const inFlight: { readonly pass: Promise<Reply>; readonly view: TileView }[] = [];
    const finishOldest = async (): Promise<void> => {
      const oldest = inFlight.shift();
      if (!oldest) return;
      const { input, outputs } = await oldest.pass;
      free.push(input);
      collect(outputs, oldest.view);
    };
    try {
      for (const view of planTiles(frame.width, frame.height, minFacePx)) {
        if (inFlight.length >= 2) await finishOldest();
        const input = free.pop() ?? new Float32Array(INPUT_LENGTH);
        fillInput(frame, view, input);
        const pass = inference.run(input);
        // Handled now, awaited in order later: a failure must not surface as an unhandled rejection.
        pass.catch(() => undefined);
        inFlight.push({ pass, view });
      }
      while (inFlight.length > 0) await finishOldest();
    } catch (e) {
      // Let the passes still in flight settle before the next frame is queued behind them.
      await Promise.allSettled(inFlight.map((f) => f.pass));
      throw e;
    }
    return weightedNms(all).map(toFace);
  };

  return {
    detect,
    runRaw: async (input) => (await inference.run(input.slice())).outputs,
    close: () => inference.close(),
  };
};
