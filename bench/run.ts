/**
 * `npm run bench`: one run, same frames for everyone. Bare ONNX Runtime per 256x256 pass (1 thread and
 * default threads); camaudit end to end per frame (raw RGB in, faces out: tiles, letterbox,
 * inference, decode, NMS) at 640x360, 1080p and 4K; OpenCV cv2.dnn on the same model, frames and tile
 * plan, in rounds alternating with ours; RTSP time to first frame from a real GStreamer server; peak RSS.
 */
import { spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import {
  ANCHORS_16,
  ANCHORS_8,
  MODEL_INPUT_PX,
  decodeHead,
  planTiles,
  toSourcePixels,
  weightedNms,
  type PixelDetection,
  type RawDetection,
} from '../src/stream/blazeface-decode.js';
import { createBlazeFaceDetector, fillInput, type RgbFrame } from '../src/stream/detector.js';
import { rtspArgs } from '../src/stream/ffmpeg-args.js';
import { ffmpegIsV5, ffmpegPath } from '../src/stream/ffmpeg-path.js';
import { grabRtspFrames } from '../src/stream/frames.js';
import { BLAZEFACE_BACK, loadModel } from '../src/stream/model.js';
import { gstMissing, startGstServer } from '../tests/stream/gst-server.js';

const MIN_FACE_PX = 30;
const image = fileURLToPath(new URL('../tests/fixtures/images/face-api-sample5.jpg', import.meta.url));
/** Runs per round; ours and the peer alternate for ROUNDS rounds. */
const SIZES = [
  { name: '640x360', width: 640, height: 360, runs: 8 },
  { name: '1920x1080', width: 1920, height: 1080, runs: 2 },
  { name: '3840x2160', width: 3840, height: 2160, runs: 1 },
] as const;
const ROUNDS = 5;
const PASS_RUNS = 8;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
/**
 * Fastest of `runs`. The machine is shared (2 cores, other jobs): the minimum is the least contended
 * run, and taking it for every contender (the OpenCV peer too) keeps the comparison fair where
 * medians swing by 2x between runs.
 */
const fastest = async (runs: number, fn: () => Promise<unknown>): Promise<number> => {
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return Math.min(...ms);
};

/** Fastest of `runs` after one warm-up run. */
const time = async (runs: number, fn: () => Promise<unknown>): Promise<number> => {
  await fn();
  return fastest(runs, fn);
};

const frameOf = async (width: number, height: number): Promise<RgbFrame> => {
  const { data, info } = await sharp(image).resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
};

/** The OpenCV peer as a long-running process (bench/opencv_peer.py): one command, one JSON line. */
const startPeer = (planFile: string) => {
  const child = spawn('/usr/bin/python3', [fileURLToPath(new URL('opencv_peer.py', import.meta.url)), BLAZEFACE_BACK.path, planFile], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const ask = async (command: string): Promise<unknown> => {
    child.stdin.write(`${command}\n`);
    const line = await lines.next();
    if (line.done) throw new Error(`OpenCV peer stopped: ${stderr.trim().split('\n').at(-1) ?? ''}`);
    return JSON.parse(line.value);
  };
  const ms = async (command: string): Promise<number> => {
    const v: unknown = Reflect.get(Object(await ask(command)), 'ms');
    if (typeof v !== 'number') throw new Error(`OpenCV peer: no time for "${command}"`);
    return v;
  };
  const version = async (): Promise<string> => String(Reflect.get(Object(await ask('version')), 'version'));
  return { ms, version, stop: () => child.kill() };
};

const dir = await mkdtemp(join(tmpdir(), 'camaudit-bench-'));
try {
  const frames = await Promise.all(SIZES.map((s) => frameOf(s.width, s.height)));
  const input = new Float32Array(MODEL_INPUT_PX * MODEL_INPUT_PX * 3).fill(0.1);

  // OpenCV peer: same raw frames, same views; it answers between our rounds.
  const plan = { frames: [] as unknown[] };
  for (const [i, s] of SIZES.entries()) {
    const f = frames[i];
    if (!f) continue;
    const file = join(dir, `${s.name}.rgb`);
    await writeFile(file, f.data);
    plan.frames.push({ name: s.name, file, width: f.width, height: f.height, views: planTiles(f.width, f.height, MIN_FACE_PX) });
  }
  const planFile = join(dir, 'plan.json');
  await writeFile(planFile, JSON.stringify(plan));
  const peer = startPeer(planFile);
  const cvVersion = await peer.version().catch((e: unknown) => {
    console.log(`OpenCV peer unavailable: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  });
  /**
   * Fastest over ROUNDS rounds of ours, each followed by the peer's round on the same work. One warm-up
   * first, as the peer warms up once when it starts.
   */
  const alternate = async (runs: number, ours: () => Promise<unknown>, peerCommand: string): Promise<{ ours: number; peer: number | null }> => {
    let best = Infinity;
    let peerBest = Infinity;
    await ours();
    for (let r = 0; r < ROUNDS; r++) {
      best = Math.min(best, await fastest(runs, ours));
      if (cvVersion) peerBest = Math.min(peerBest, await peer.ms(peerCommand));
    }
    return { ours: best, peer: cvVersion ? peerBest : null };
  };

  // Bare ONNX Runtime: a session in this thread, no detector around it.
  const model = await loadModel(BLAZEFACE_BACK);
  const tensor = new ort.Tensor('float32', input, [1, MODEL_INPUT_PX, MODEL_INPUT_PX, 3]);
  const bare = async (threads: number) => {
    const session = await ort.InferenceSession.create(model, { intraOpNumThreads: threads, logSeverityLevel: 3 });
    return { run: () => session.run({ 'input:0': tensor }), close: () => session.release() };
  };
  const oneThread = await bare(1);
  const pass = await alternate(PASS_RUNS, oneThread.run, `pass ${PASS_RUNS}`);
  const passOne = pass.ours;
  await oneThread.close();
  const allThreads = await bare(0);
  const passAll = await time(ROUNDS * PASS_RUNS, allThreads.run);
  await allThreads.close();

  const one = await createBlazeFaceDetector({ threads: 1, minFacePx: MIN_FACE_PX });
  // Pre+post alone, measured directly (subtracting two noisy totals is meaningless on a shared box):
  // plan, letterbox/resample into the tensor, decode and map every view, weighted NMS.
  const raw = await one.runRaw(input);
  const prePost = (f: RgbFrame): Promise<number> => {
    const all: PixelDetection[] = [];
    for (const view of planTiles(f.width, f.height, MIN_FACE_PX)) {
      fillInput(f, view, input);
      const found: RawDetection[] = [];
      decodeHead(raw.scores16, raw.boxes16, ANCHORS_16, 0.75, found);
      decodeHead(raw.scores8, raw.boxes8, ANCHORS_8, 0.75, found);
      for (const d of found) all.push(toSourcePixels(d, view));
    }
    return Promise.resolve(weightedNms(all).length);
  };
  const ours: { name: string; passes: number; ms: number; cvMs: number | null; prePostMs: number; faces: number }[] = [];
  for (const [i, s] of SIZES.entries()) {
    const f = frames[i];
    if (!f) continue;
    const faces = (await one.detect(f)).length;
    const e2e = await alternate(s.runs, () => one.detect(f), `frame ${s.name} ${s.runs}`);
    ours.push({ name: s.name, passes: planTiles(f.width, f.height, MIN_FACE_PX).length, ms: e2e.ours, cvMs: e2e.peer, prePostMs: await time(s.runs * ROUNDS, () => prePost(f)), faces });
  }
  await one.close();
  peer.stop();

  // RTSP time to first frame (fresh ffmpeg each time, like the probe), and peak RSS of one stream test
  // of the built toolkit (dist/, as `npx camaudit` runs it; tsx's loader alone adds ~25 MB).
  let firstFrame: number | null = null;
  const probeRssMb = new Map<string, number | null>();
  let ffmpegRssMb: number | null = null;
  const astronaut = fileURLToPath(new URL('../tests/fixtures/images/astronaut.png', import.meta.url));
  const probeRss = (url: string): number | null => {
    const child = spawnSync(process.execPath, [fileURLToPath(new URL('probe-rss.mjs', import.meta.url)), url], { encoding: 'utf8', timeout: 120_000 });
    const parsed: unknown = child.status === 0 ? JSON.parse(child.stdout) : null;
    const rss: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'maxRssMb') : null;
    if (typeof rss !== 'number') console.log(`stream probe RSS: no figure (${child.stderr.trim().split('\n').at(-1) ?? ''})`);
    return typeof rss === 'number' ? rss : null;
  };
  const gst = gstMissing();
  if (gst) console.log(`RTSP: skipped (${gst})`);
  else {
    const server = await startGstServer(astronaut, 1280, 720, 10);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await grabRtspFrames(server.url, { frames: 1, seconds: 1 });
      if (r.ok) times.push(r.value.firstFrameMs);
    }
    probeRssMb.set('720p', probeRss(server.url));
    const ff = spawnSync('/usr/bin/time', ['-f', '%M', ffmpegPath(), ...rtspArgs(server.url, 'tcp', { frames: 5, seconds: 2 }, { v5: ffmpegIsV5() })], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    const kb = Number(ff.stderr.trim().split('\n').at(-1));
    ffmpegRssMb = Number.isFinite(kb) ? kb / 1024 : null;
    await server.stop();
    firstFrame = times.length > 0 ? median(times) : null;
    const uhd = await startGstServer(astronaut, 3840, 2160, 5);
    probeRssMb.set('4K', probeRss(uhd.url));
    await uhd.stop();
  }

  const f1 = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : v.toFixed(1));
  console.log(`\ncamaudit bench  (${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; min face ${MIN_FACE_PX} px, 1 thread unless noted, fastest over ${ROUNDS} rounds alternating with the peer)`);
  console.log(`bare ONNX Runtime, ms per 256x256 pass:  1 thread ${f1(passOne)}   default threads ${f1(passAll)}   OpenCV ${cvVersion ?? '-'} cv2.dnn 1 thread ${f1(pass.peer)}`);
  console.log('ours end to end: ONNX Runtime with 1 intra-op thread in a worker; the main thread prepares the next view meanwhile');
  // pre+post work: the same work measured alone, against the bare inference it accompanies; added:
  // what it costs end to end, most of it hidden behind inference by the worker.
  console.log('\nframe        passes  ours ms/frame  bare ORT x passes  pre+post ms  pre+post/bare  added/bare  OpenCV ms/frame  OpenCV/ours  faces');
  for (const o of ours) {
    const bare = o.passes * passOne;
    const cvMs = o.cvMs;
    console.log(
      [
        o.name.padEnd(12),
        String(o.passes).padStart(6),
        f1(o.ms).padStart(14),
        f1(bare).padStart(18),
        f1(o.prePostMs).padStart(12),
        `${f1((o.prePostMs / bare) * 100)}%`.padStart(14),
        `${f1(((o.ms - bare) / bare) * 100)}%`.padStart(11),
        f1(cvMs).padStart(16),
        (cvMs ? `${(cvMs / o.ms).toFixed(2)}x` : '-').padStart(12),
        String(o.faces).padStart(6),
      ].join(' '),
    );
  }
  console.log(`\nRTSP time to first frame (loopback, GStreamer, 720p H.264, median of 5): ${f1(firstFrame)} ms`);
  console.log(
    `peak RSS, stream test process (5 frames): 720p ${f1(probeRssMb.get('720p'))} MB + its ffmpeg ${f1(ffmpegRssMb)} MB; 4K (analysed at 1080p) ${f1(probeRssMb.get('4K'))} MB; this bench ${f1(process.resourceUsage().maxRSS / 1024)} MB`,
  );
  console.log('targets: overhead <= 25%; OpenCV/ours >= 2x; first frame < 1000 ms; RSS < 200 MB');
} finally {
  await rm(dir, { recursive: true, force: true });
}
