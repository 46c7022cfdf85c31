import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import type { SceneName } from '../../src/sim/scenes.js';
import { renderSceneJpeg, renderScenePng, sceneAssetsDir } from '../../src/sim/scenes.js';
import { meanAbsDiff, pixelStats } from './ffmpeg-client.js';

const scenes: readonly SceneName[] = ['faces-near', 'faces-far', 'empty'];

const grey = async (image: Uint8Array, width: number, height: number): Promise<Buffer> =>
  sharp(image).resize(width, height, { fit: 'fill' }).greyscale().raw().toBuffer();

describe('scenes', () => {
  it('finds the bundled photos and their provenance from the package root', () => {
    const dir = sceneAssetsDir();
    expect(existsSync(join(dir, 'PROVENANCE.md'))).toBe(true);
    const people = readdirSync(join(dir, 'people')).filter((f) => f.endsWith('.jpg'));
    expect(people.length).toBeGreaterThanOrEqual(5);
  });

  it.each(scenes.flatMap((s) => [[s, 1280, 720], [s, 640, 360], [s, 1920, 1080]] as const))('renders %s as a %ix%i JPEG that is not blank', async (scene, width, height) => {
    const jpeg = await renderSceneJpeg(scene, width, height);
    const meta = await sharp(jpeg).metadata();
    expect(meta).toMatchObject({ format: 'jpeg', width, height, channels: 3 });
    expect(pixelStats(await grey(jpeg, 320, 180)).stdev).toBeGreaterThan(20);
  });

  it('puts people in the face scenes and none in the empty one', async () => {
    const [near, far, empty] = await Promise.all(scenes.map(async (s) => grey(await renderScenePng(s, 1280, 720), 1280, 720)));
    if (!near || !far || !empty) throw new Error('render failed');
    // Near people cover a large part of the frame; far ones only a small band around the doors.
    expect(meanAbsDiff(near, empty)).toBeGreaterThan(20);
    const diff = meanAbsDiff(far, empty);
    expect(diff).toBeGreaterThan(0.3);
    expect(diff).toBeLessThan(5);
  });

  it('serves repeated renders from the cache', async () => {
    const t0 = performance.now();
    const a = await renderSceneJpeg('faces-near', 800, 450);
    const coldMs = performance.now() - t0;
    const t1 = performance.now();
    const b = await renderSceneJpeg('faces-near', 800, 450);
    const warmMs = performance.now() - t1;
    expect(b).toBe(a);
    expect(warmMs).toBeLessThan(coldMs);
  });

  it('refuses absurd sizes', async () => {
    await expect(renderSceneJpeg('empty', 0, 720)).rejects.toThrow(/out of range/);
    await expect(renderSceneJpeg('empty', 100000, 720)).rejects.toThrow(/out of range/);
  });
});
