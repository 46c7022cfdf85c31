import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ANCHORS_16, ANCHORS_8, MODEL_INPUT_PX, decodeHead, letterbox, type RawDetection } from '../../src/stream/blazeface-decode.js';
import { createBlazeFaceDetector, fillInput, type BlazeFaceDetector } from '../../src/stream/detector.js';
import { decodeImage } from '../../src/stream/image.js';
import { BLAZEFACE_BACK } from '../../src/stream/model.js';
import { FIXTURES } from './ground-truth.js';

const PYTHON = '/usr/bin/python3';
const cv2 = spawnSync(PYTHON, ['-c', 'import cv2; print(cv2.__version__)'], { encoding: 'utf8', timeout: 20_000 });
const haveCv2 = cv2.status === 0;
if (!haveCv2) console.warn(`SKIPPED OpenCV equivalence: ${PYTHON} cannot import cv2 (install python3-opencv)`);

const script = fileURLToPath(new URL('opencv_raw.py', import.meta.url));
const OUTPUTS = [
  ['scores16', 'Identity_0'],
  ['scores8', 'Identity_1_0'],
  ['boxes16', 'Identity_2_0'],
  ['boxes8', 'Identity_3_0'],
] as const;

describe.skipIf(!haveCv2)(`ONNX Runtime vs OpenCV ${cv2.stdout.trim()} cv2.dnn on the same input`, () => {
  let dir: string;
  let detector: BlazeFaceDetector;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'camaudit-cv2-'));
    detector = await createBlazeFaceDetector({ threads: 1 });
  });
  afterAll(async () => {
    await detector.close();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['astronaut.png', 'face-api-sample5.jpg', 'coffee.png'])('%s: same raw outputs and same boxes', async (name) => {
    const decoded = await decodeImage(await readFile(new URL(name, FIXTURES)));
    if (!decoded.ok) throw new Error(name);
    const { width, height } = decoded.value;
    const input = new Float32Array(MODEL_INPUT_PX * MODEL_INPUT_PX * 3);
    fillInput(decoded.value, letterbox(0, 0, width, height), input);
    const inputPath = join(dir, 'input.f32');
    await writeFile(inputPath, input);
    const run = spawnSync(PYTHON, [script, BLAZEFACE_BACK.path, inputPath, dir], { encoding: 'utf8', timeout: 60_000 });
    expect(run.status, run.stderr).toBe(0);

    const ours = await detector.runRaw(input);
    const theirs: Record<string, Float32Array> = {};
    for (const [key, file] of OUTPUTS) {
      const buf = await readFile(join(dir, `${file}.f32`));
      const ref = new Float32Array(buf.buffer, buf.byteOffset, buf.length / 4);
      expect(ref.length).toBe(ours[key].length);
      let maxDiff = 0;
      for (let i = 0; i < ref.length; i++) maxDiff = Math.max(maxDiff, Math.abs((ref[i] ?? 0) - (ours[key][i] ?? 0)));
      // float32 with different kernel orderings: measured up to 0.004 on logits (a score change under
      // 0.001) and a few hundredths of an input pixel on regressors
      expect(maxDiff, key).toBeLessThan(key.startsWith('scores') ? 1e-2 : 5e-2);
      theirs[key] = ref;
    }
    const boxes = (o: Readonly<Record<string, Float32Array>>): RawDetection[] => {
      const out: RawDetection[] = [];
      decodeHead(o.scores16 ?? new Float32Array(), o.boxes16 ?? new Float32Array(), ANCHORS_16, 0.5, out);
      decodeHead(o.scores8 ?? new Float32Array(), o.boxes8 ?? new Float32Array(), ANCHORS_8, 0.5, out);
      return out;
    };
    const a = boxes({ ...ours });
    const b = boxes(theirs);
    expect(a.length).toBe(b.length);
    a.forEach((d, i) => {
      expect(d.cx).toBeCloseTo(b[i]!.cx, 4);
      expect(d.w).toBeCloseTo(b[i]!.w, 4);
    });
  });
});
