/**
 * Evidence images with every detected face made unrecognisable (DESIGN.md "Evidence and privacy"):
 * the face box is enlarged to take in hair, ears and chin, then pixelated into blocks of a sixth of
 * the face, far below what a person or a matcher needs (6 blocks across vs 40+ px between the eyes).
 */
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import type { DetectedFace, EvidenceImage } from '../core/types.js';
import type { RgbFrame } from './detector.js';

const ENLARGE = 1.8;
const BLOCKS_ACROSS = 6;

const pixelate = (data: Uint8Array, width: number, height: number, face: DetectedFace): void => {
  const [bx, by, bw, bh] = face.box;
  const side = Math.max(bw, bh) * ENLARGE;
  const cx = bx + bw / 2;
  const cy = by + bh / 2;
  const x0 = Math.max(0, Math.floor(cx - side / 2));
  const y0 = Math.max(0, Math.floor(cy - side / 2));
  const x1 = Math.min(width, Math.ceil(cx + side / 2));
  const y1 = Math.min(height, Math.ceil(cy + side / 2));
  const block = Math.max(4, Math.ceil(side / BLOCKS_ACROSS));
  for (let y = y0; y < y1; y += block) {
    for (let x = x0; x < x1; x += block) {
      const ye = Math.min(y + block, y1);
      const xe = Math.min(x + block, x1);
      const sum = [0, 0, 0];
      for (let yy = y; yy < ye; yy++) {
        for (let xx = x; xx < xe; xx++) {
          const i = (yy * width + xx) * 3;
          for (let c = 0; c < 3; c++) sum[c] = (sum[c] ?? 0) + (data[i + c] ?? 0);
        }
      }
      const n = (ye - y) * (xe - x);
      for (let yy = y; yy < ye; yy++) {
        for (let xx = x; xx < xe; xx++) {
          const i = (yy * width + xx) * 3;
          for (let c = 0; c < 3; c++) data[i + c] = Math.round((sum[c] ?? 0) / n);
        }
      }
    }
  }
};

/** JPEG of the frame with every face pixelated; the raw frame is not modified. */
export const redactedEvidence = async (frame: RgbFrame, faces: readonly DetectedFace[]): Promise<EvidenceImage> => {
  const data = new Uint8Array(frame.data);
  for (const f of faces) pixelate(data, frame.width, frame.height, f);
  const bytes = await sharp(data, { raw: { width: frame.width, height: frame.height, channels: 3 } }).jpeg({ quality: 85 }).toBuffer();
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    width: frame.width,
    height: frame.height,
    facesBlurred: faces.length,
    mime: 'image/jpeg',
    bytes: new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length),
  };
};
