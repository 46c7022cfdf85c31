/**
 * The pipeline shares one detector across concurrent stream tests. Concurrent calls must give exactly the
 * answers sequential calls give: a shared input buffer once let one camera's frame be judged as another's.
 */
import sharp from 'sharp';
import { afterAll, describe, expect, it } from 'vitest';
import { renderSceneJpeg } from '../../src/sim/scenes.js';
import { createBlazeFaceDetector, type BlazeFaceDetector, type RgbFrame } from '../../src/stream/detector.js';

const frameOf = async (scene: 'faces-near' | 'empty' | 'faces-far'): Promise<RgbFrame> => {
  const { data, info } = await sharp(await renderSceneJpeg(scene, 1280, 720)).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
};

let detector: BlazeFaceDetector | null = null;
afterAll(async () => {
  await detector?.close();
});

describe('one detector, many streams', () => {
  it('concurrent calls give the same faces as sequential ones', async () => {
    detector = await createBlazeFaceDetector({ threads: 1 });
    const frames = await Promise.all((['faces-near', 'empty', 'faces-far'] as const).map(frameOf));
    const sequential = [];
    for (const f of frames) sequential.push(await detector.detect(f));
    expect(sequential.map((faces) => faces.length)).toEqual([3, 0, 3]);
    const concurrent = await Promise.all([...frames, ...frames].map((f) => detector!.detect(f)));
    expect(concurrent).toEqual([...sequential, ...sequential]);
  });
});
