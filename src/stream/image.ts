/**
 * Still-image decoding with sharp for `detect` and snapshot URIs. Dimensions are checked from the
 * header before any pixel is decoded: a device can claim 20000x20000 in a few hundred bytes.
 */
import sharp, { type Metadata } from 'sharp';
import { decodeError, type ProbeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { RgbFrame } from './detector.js';

/** 4K is the largest camera frame we expect; 8K leaves room for panoramic sensors. */
export const MAX_IMAGE_PIXELS = 7680 * 4320;

/**
 * Decodes to packed RGB; with `fitInside`, shrunk to fit that box (proportions kept, never enlarged), as the
 * terminal UI's snapshot preview wants.
 */
export const decodeImage = async (
  bytes: Uint8Array,
  maxPixels = MAX_IMAGE_PIXELS,
  fitInside?: { readonly width: number; readonly height: number },
): Promise<Result<RgbFrame, ProbeError>> => {
  let meta: Metadata;
  try {
    meta = await sharp(bytes, { limitInputPixels: maxPixels }).metadata();
  } catch (e) {
    return err(decodeError('image', e instanceof Error ? e.message : String(e), bytes));
  }
  const { width, height } = meta;
  if (!width || !height) return err(decodeError('image', 'image has no dimensions', bytes));
  if (width * height > maxPixels) {
    return err(decodeError('image', `image is ${width}x${height}, over the ${maxPixels}-pixel limit; not decoded`, bytes));
  }
  try {
    const oriented = sharp(bytes, { limitInputPixels: maxPixels }).rotate(); // honour EXIF orientation so boxes match what a viewer shows
    const { data, info } = await (fitInside ? oriented.resize(fitInside.width, fitInside.height, { fit: 'inside', withoutEnlargement: true }) : oriented)
      .removeAlpha()
      .toColourspace('srgb')
      .raw()
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) return err(decodeError('image', `expected 3 channels after decoding, got ${info.channels}`, bytes));
    return ok({ width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.length) });
  } catch (e) {
    return err(decodeError('image', e instanceof Error ? e.message : String(e), bytes));
  }
};
