import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { iou } from '../../src/stream/blazeface-decode.js';
import { createBlazeFaceDetector, type BlazeFaceDetector } from '../../src/stream/detector.js';
import { decodeImage } from '../../src/stream/image.js';
import { BLAZEFACE_BACK, ModelIntegrityError, loadModel } from '../../src/stream/model.js';
import { FIXTURES, GROUND_TRUTH } from './ground-truth.js';

let detector: BlazeFaceDetector;
beforeAll(async () => {
  detector = await createBlazeFaceDetector({ threads: 1 });
});
afterAll(async () => {
  await detector.close();
});

const load = async (name: string) => {
  const r = await decodeImage(await readFile(new URL(name, FIXTURES)));
  if (!r.ok) throw new Error(`fixture ${name}: ${r.error.kind}`);
  return r.value;
};

describe('BlazeFace on hand-checked photos', () => {
  it('reaches recall >= 0.9 and precision >= 0.9 at IoU 0.5 over all fixtures', async () => {
    let truePositives = 0;
    let detections = 0;
    let faces = 0;
    for (const [name, truth] of Object.entries(GROUND_TRUTH)) {
      const found = await detector.detect(await load(name));
      detections += found.length;
      faces += truth.length;
      truePositives += truth.filter((t) => found.some((f) => iou(f.box, t) >= 0.5)).length;
    }
    expect(truePositives / faces).toBeGreaterThanOrEqual(0.9);
    expect(truePositives / detections).toBeGreaterThanOrEqual(0.9);
  });

  it('finds the astronaut with eye keypoints on her eyes', async () => {
    const [face, ...rest] = await detector.detect(await load('astronaut.png'));
    expect(rest).toHaveLength(0);
    expect(face).toBeDefined();
    expect(iou(face!.box, GROUND_TRUTH['astronaut.png']![0]!)).toBeGreaterThan(0.7);
    // hand-measured eye centres on astronaut.png: about (205, 117) and (245, 114)
    expect(face!.eyeDistance).toBeGreaterThan(35);
    expect(face!.eyeDistance).toBeLessThan(55);
  });

  it('gives concurrent callers the same answers as sequential ones (one session, one input buffer)', async () => {
    const [a, b] = await Promise.all([load('astronaut.png'), load('face-api-sample1.jpg')]);
    const sequential = [await detector.detect(a), await detector.detect(b)];
    const concurrent = await Promise.all([detector.detect(a), detector.detect(b), detector.detect(a)]);
    expect(concurrent).toEqual([sequential[0], sequential[1], sequential[0]]);
  });

  it('finds no face in a coffee cup', async () => {
    expect(await detector.detect(await load('coffee.png'))).toEqual([]);
  });

  it('finds a 30 px face in a 4K frame through tiling', async () => {
    const astronaut = await load('astronaut.png');
    // Paste a 150 px crop scaled so the face box is ~30 px into a grey 3840x2160 frame.
    const { default: sharp } = await import('sharp');
    const crop = await sharp(astronaut.data, { raw: { width: 512, height: 512, channels: 3 } })
      .extract({ left: 122, top: 24, width: 204, height: 204 })
      .resize(59, 59)
      .raw()
      .toBuffer();
    const frame = { width: 3840, height: 2160, data: new Uint8Array(3840 * 2160 * 3).fill(110) };
    const [ox, oy] = [2700, 1500];
    for (let y = 0; y < 59; y++) frame.data.set(crop.subarray(y * 59 * 3, (y + 1) * 59 * 3), ((oy + y) * 3840 + ox) * 3);
    const faces = await detector.detect(frame);
    expect(faces).toHaveLength(1);
    expect(faces[0]!.box[2]).toBeGreaterThan(20);
    expect(faces[0]!.box[2]).toBeLessThan(45);
    expect(faces[0]!.box[0]).toBeGreaterThan(ox);
  });
});

describe('model integrity', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'camaudit-model-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('accepts the documented file', async () => {
    expect((await loadModel(BLAZEFACE_BACK)).length).toBeGreaterThan(100_000);
  });

  it('refuses a model whose sha256 differs, naming both hashes', async () => {
    const bytes = await readFile(BLAZEFACE_BACK.path);
    bytes.writeUInt8((bytes.at(-1) ?? 0) ^ 1, bytes.length - 1);
    const path = join(dir, 'tampered.onnx');
    await writeFile(path, bytes);
    const p = createBlazeFaceDetector({ model: { path, sha256: BLAZEFACE_BACK.sha256 } });
    await expect(p).rejects.toBeInstanceOf(ModelIntegrityError);
    await expect(p).rejects.toThrow(/expected 427cbbe0/);
  });
});
