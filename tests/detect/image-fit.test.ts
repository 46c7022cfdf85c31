import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/stream/image.js';
import type { RgbFrame } from '../../src/core/types.js';

const decodePreview = (bytes: Uint8Array, box: { width: number; height: number }) => decodeImage(bytes, undefined, box);

/** A synthetic JPEG like the stored snapshots: left half red, right half blue. */
const jpeg = async (width: number, height: number): Promise<Uint8Array> => {
  const raw = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) raw.set(x < width / 2 ? [220, 20, 20] : [20, 20, 220], (y * width + x) * 3);
  return sharp(raw, { raw: { width, height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
};

const at = (image: RgbFrame, x: number, y: number): number[] => [...image.data.subarray((y * image.width + x) * 3, (y * image.width + x) * 3 + 3)];

describe('decodeImage fitted inside a box (the terminal UI snapshot preview)', () => {
  it('shrinks a 640x360 snapshot into the 80x24 box (40x20) keeping its proportions', async () => {
    const decoded = await decodePreview(await jpeg(640, 360), { width: 40, height: 20 });
    if (!decoded.ok) throw new Error(decoded.error.kind);
    const image = decoded.value;
    expect([image.width, image.height]).toEqual([36, 20]);
    expect(image.data).toHaveLength(36 * 20 * 3);
    const [r1 = 0, , b1 = 0] = at(image, 2, 10);
    const [r2 = 0, , b2 = 0] = at(image, 33, 10);
    expect(r1).toBeGreaterThan(180);
    expect(b1).toBeLessThan(60);
    expect(b2).toBeGreaterThan(180);
    expect(r2).toBeLessThan(60);
  });

  it('fits a portrait snapshot by its height and never enlarges a small one', async () => {
    const portrait = await decodePreview(await jpeg(360, 640), { width: 40, height: 20 });
    expect(portrait.ok && [portrait.value.width, portrait.value.height]).toEqual([11, 20]);
    const small = await decodePreview(await jpeg(8, 6), { width: 40, height: 20 });
    expect(small.ok && [small.value.width, small.value.height]).toEqual([8, 6]);
  });

  it('returns a decode error for bytes that are not an image', async () => {
    const decoded = await decodePreview(new TextEncoder().encode('not a jpeg'), { width: 40, height: 20 });
    expect(decoded).toMatchObject({ ok: false, error: { kind: 'decode', path: 'image' } });
  });
});
