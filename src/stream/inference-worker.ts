/**
 * ONNX Runtime in a worker thread. onnxruntime-node's `session.run` returns a promise but computes on
 * the calling thread: in the main thread every 256x256 pass (7-8 ms, 82 of them for a 4K frame) blocks
 * the event loop, so neither the next view's preprocessing nor another camera's RTSP nor the terminal
 * UI moves meanwhile. In a worker, the detector prepares view i+1 while view i is inferred.
 *
 * The worker is a short script evaluated from a string, so it loads the same way under node,
 * tsx and vitest without locating a separate build output; everything it does not need to do (decode,
 * NMS, the model's integrity check) stays in typed TypeScript on the main thread.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

/** The model's four output heads, as the detector decodes them. */
export interface ModelOutputs {
  readonly scores16: Float32Array;
  readonly scores8: Float32Array;
  readonly boxes16: Float32Array;
  readonly boxes8: Float32Array;
}

export interface Reply {
  /** The input array, handed back for reuse. */
  readonly input: Float32Array<ArrayBuffer>;
  readonly outputs: ModelOutputs;
}

export interface InferenceWorker {
  /**
   * Runs one pass. `input`'s buffer is transferred to the worker (the caller's array is detached
   * meanwhile) and comes back with the outputs, so two buffers can alternate without copies.
   */
  run(input: Float32Array<ArrayBuffer>): Promise<Reply>;
  close(): Promise<void>;
}

export interface InferenceWorkerOptions {
  readonly model: Uint8Array;
  readonly inputName: string;
  readonly inputShape: readonly number[];
  /** Output names, in the order scores16, scores8, boxes16, boxes8. */
  readonly outputNames: readonly [string, string, string, string];
  /** ONNX Runtime intra-op threads; 0 lets it choose. */
  readonly threads: number;
}

// Only dynamic import(): an eval'd worker is CommonJS or, when the parent runs with
// --input-type=module, ESM; import() works in both.
const WORKER_SOURCE = `
(async () => {
  const { parentPort, workerData: w } = await import('node:worker_threads');
  const fail = (e) => (e instanceof Error ? e.message : String(e));
  let ort, session;
  try {
    ort = (await import(w.ortUrl)).default;
    session = await ort.InferenceSession.create(w.model, { intraOpNumThreads: w.threads, logSeverityLevel: 3 });
  } catch (e) {
    parentPort.postMessage({ ready: false, error: fail(e) });
    return;
  }
  const handle = async (m) => {
    if (m === 'close') {
      await session.release();
      parentPort.close();
      return;
    }
    try {
      const r = await session.run({ [w.inputName]: new ort.Tensor('float32', m, w.inputShape) });
      const outputs = w.outputNames.map((n) => (r[n] && r[n].data instanceof Float32Array ? r[n].data : null));
      if (outputs.includes(null)) throw new Error('model output missing or not float32: ' + w.outputNames.join(', '));
      parentPort.postMessage({ input: m, outputs }, [m.buffer]);
    } catch (e) {
      parentPort.postMessage({ input: m, error: fail(e) }, [m.buffer]);
    }
  };
  // One message at a time, in order: replies are matched to requests by position.
  let chain = Promise.resolve();
  parentPort.on('message', (m) => {
    chain = chain.then(() => handle(m));
  });
  parentPort.postMessage({ ready: true });
})();
`;

interface Pending {
  readonly resolve: (r: Reply) => void;
  readonly reject: (e: Error) => void;
}

const field = (m: unknown, key: string): unknown => (typeof m === 'object' && m !== null ? Reflect.get(m, key) : undefined);

/** Decodes a worker reply; the worker is ours, but a message is still data until checked. */
const decodeReply = (m: unknown): Reply | Error => {
  const error = field(m, 'error');
  if (typeof error === 'string') return new Error(`face model inference failed: ${error}`);
  const input = field(m, 'input');
  const outputs = field(m, 'outputs');
  if (!(input instanceof Float32Array) || !(input.buffer instanceof ArrayBuffer) || !Array.isArray(outputs)) return new Error('face model worker sent an unreadable reply');
  const [scores16, scores8, boxes16, boxes8]: unknown[] = outputs;
  if (!(scores16 instanceof Float32Array && scores8 instanceof Float32Array && boxes16 instanceof Float32Array && boxes8 instanceof Float32Array)) {
    return new Error('face model worker sent outputs that are not float32');
  }
  return { input: new Float32Array(input.buffer), outputs: { scores16, scores8, boxes16, boxes8 } };
};

export const startInferenceWorker = async (opts: InferenceWorkerOptions): Promise<InferenceWorker> => {
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: {
      ortUrl: pathToFileURL(createRequire(import.meta.url).resolve('onnxruntime-node')).href,
      model: opts.model,
      threads: opts.threads,
      inputName: opts.inputName,
      inputShape: opts.inputShape,
      outputNames: opts.outputNames,
    },
  });
  // Replies come in the order of requests (the worker handles one message at a time).
  const pending: Pending[] = [];
  let broken: Error | null = null;
  const breakAll = (e: Error): void => {
    broken ??= e;
    for (const p of pending.splice(0)) p.reject(broken);
  };

  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error): void => reject(new Error(`face model worker failed to start: ${e.message}`));
    worker.once('error', onError);
    worker.once('message', (m: unknown) => {
      worker.off('error', onError);
      if (field(m, 'ready') === true) resolve();
      else reject(new Error(`face model failed to load: ${String(field(m, 'error'))}`));
    });
  }).catch(async (e: unknown) => {
    await worker.terminate();
    throw e;
  });

  worker.on('message', (m: unknown) => {
    const p = pending.shift();
    if (pending.length === 0) worker.unref();
    if (!p) return;
    const r = decodeReply(m);
    if (r instanceof Error) p.reject(r);
    else p.resolve(r);
  });
  worker.on('error', (e) => breakAll(new Error(`face model worker crashed: ${e.message}`)));
  worker.on('exit', (code) => breakAll(new Error(`face model worker exited (code ${code})`)));
  // Idle, the worker must not keep the process alive; while a pass is pending it must (ref below).
  worker.unref();

  let closing: Promise<void> | null = null;
  return {
    run: (input) => {
      if (closing) return Promise.reject(new Error('face detector is closed'));
      if (broken) return Promise.reject(broken);
      return new Promise<Reply>((resolve, reject) => {
        pending.push({ resolve, reject });
        worker.ref();
        worker.postMessage(input, [input.buffer]);
      });
    },
    close: () => {
      closing ??= broken
        ? worker.terminate().then(() => undefined)
        : new Promise<void>((resolve) => {
            worker.once('exit', () => resolve());
            worker.ref();
            worker.postMessage('close');
          });
      return closing;
    },
  };
};
