/**
 * The inference worker's failure modes and lifetime: a model that does not load, a pass that fails,
 * a closed detector, and a process that must still exit when the detector was never closed.
 */
import { spawnSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MODEL_INPUT_PX } from '../../src/stream/blazeface-decode.js';
import { startInferenceWorker, type InferenceWorkerOptions } from '../../src/stream/inference-worker.js';
import { BLAZEFACE_BACK } from '../../src/stream/model.js';

const options = async (model?: Uint8Array): Promise<InferenceWorkerOptions> => ({
  model: model ?? (await readFile(BLAZEFACE_BACK.path)),
  inputName: 'input:0',
  inputShape: [1, MODEL_INPUT_PX, MODEL_INPUT_PX, 3],
  outputNames: ['Identity:0', 'Identity_1:0', 'Identity_2:0', 'Identity_3:0'],
  threads: 1,
});
const input = (length = MODEL_INPUT_PX * MODEL_INPUT_PX * 3): Float32Array<ArrayBuffer> => new Float32Array(length).fill(0.1);

describe('inference worker', () => {
  it('refuses bytes that are not a model with a clear error', async () => {
    await expect(startInferenceWorker(await options(new TextEncoder().encode('not an onnx model')))).rejects.toThrow(/face model failed to load/);
  });

  it('hands the input back with four float32 heads, and the same input gives the same outputs', async () => {
    const worker = await startInferenceWorker(await options());
    const sent = input();
    const a = await worker.run(sent);
    expect(sent.length).toBe(0); // transferred, not copied
    expect(a.input.length).toBe(MODEL_INPUT_PX * MODEL_INPUT_PX * 3);
    expect([a.outputs.scores16.length, a.outputs.scores8.length, a.outputs.boxes16.length, a.outputs.boxes8.length]).toEqual([512, 384, 512 * 16, 384 * 16]);
    const b = await worker.run(a.input);
    expect(Array.from(b.outputs.scores16)).toEqual(Array.from(a.outputs.scores16));
    await worker.close();
  });

  it('reports a failed pass as an error and keeps serving the next one', async () => {
    const worker = await startInferenceWorker(await options());
    const [bad, good] = await Promise.allSettled([worker.run(input(12)), worker.run(input())]);
    expect(bad.status).toBe('rejected');
    expect(bad.status === 'rejected' && String(bad.reason)).toMatch(/face model inference failed/);
    expect(good.status).toBe('fulfilled');
    await worker.close();
  });

  it('rejects a pass after close; closing twice is harmless', async () => {
    const worker = await startInferenceWorker(await options());
    await Promise.all([worker.close(), worker.close()]);
    await expect(worker.run(input())).rejects.toThrow(/closed/);
  });

  it('does not keep the process alive once idle, even if never closed', () => {
    const script = [
      "import { createBlazeFaceDetector } from './src/stream/detector.ts';",
      'const d = await createBlazeFaceDetector({ threads: 1 });',
      'const faces = await d.detect({ width: 64, height: 64, data: new Uint8Array(64 * 64 * 3) });',
      "console.log('faces', faces.length);",
    ].join('\n');
    const root = fileURLToPath(new URL('../..', import.meta.url));
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { cwd: root, encoding: 'utf8', timeout: 30_000 });
    expect(r.error, 'the process should exit by itself').toBeUndefined();
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.trim()).toBe('faces 0');
  });
});
