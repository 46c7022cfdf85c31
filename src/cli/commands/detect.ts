/** `camaudit detect <image...>`: the face detector on still images (JPEG, PNG, WebP...). */
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { describeError } from '../../core/errors.js';
import type { DetectedFace } from '../../core/types.js';
import { UsageError } from '../exit.js';
import { parsePositiveInt } from './scan.js';

export interface DetectedImage {
  readonly file: string;
  readonly width: number;
  readonly height: number;
  readonly faces: readonly DetectedFace[];
}

const r1 = (v: number): number => Math.round(v * 10) / 10;

export const detectToJson = (d: DetectedImage) => ({
  file: d.file,
  width: d.width,
  height: d.height,
  faces: d.faces.map((f) => ({ box: f.box.map(r1), score: Math.round(f.score * 1000) / 1000, eyeDistance: r1(f.eyeDistance) })),
});

export const detectImages = async (files: readonly string[], minFacePx: number): Promise<DetectedImage[]> => {
  const { createBlazeFaceDetector } = await import('../../stream/detector.js');
  const { decodeImage } = await import('../../stream/image.js');
  const detector = await createBlazeFaceDetector({ minFacePx });
  const out: DetectedImage[] = [];
  try {
    for (const file of files) {
      let bytes: Uint8Array;
      try {
        bytes = await readFile(file);
      } catch (e) {
        throw new UsageError(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const frame = await decodeImage(bytes);
      if (!frame.ok) throw new UsageError(`${file}: ${describeError(frame.error)}`);
      out.push({ file, width: frame.value.width, height: frame.value.height, faces: await detector.detect(frame.value) });
    }
  } finally {
    await detector.close();
  }
  return out;
};

export const register = (program: Command): void => {
  program
    .command('detect')
    .description('Find faces in still images with the bundled BlazeFace model (box, score, inter-eye distance in pixels).')
    .argument('<image...>', 'image files')
    .option('--min-face <px>', 'smallest face width to look for (tiles large images)', '30')
    .option('--json', 'print JSON')
    .action(async (files: string[], o: { minFace: string; json?: boolean }) => {
      const results = await detectImages(files, parsePositiveInt('--min-face', o.minFace, 4096));
      if (o.json) {
        process.stdout.write(`${JSON.stringify(results.map(detectToJson), null, 2)}\n`);
        return;
      }
      for (const r of results) {
        process.stdout.write(`${r.file} (${r.width}x${r.height}): ${r.faces.length} face(s)\n`);
        for (const f of r.faces) {
          const [x, y, w, h] = f.box.map(Math.round);
          process.stdout.write(`  box ${x},${y} ${w}x${h}  score ${f.score.toFixed(2)}  eyes ${f.eyeDistance.toFixed(1)} px\n`);
        }
      }
    });
};
