/**
 * `npm run bench`: one run, same frames for everyone. Bare ONNX Runtime per 256x256 pass (1 thread and
 * default threads); camaudit end to end per frame (raw RGB in, faces out: tiles, letterbox,
 * inference, decode, NMS) at 640x360, 1080p and 4K; OpenCV cv2.dnn on the same model, frames and tile
 * plan; RTSP time to first frame from a real GStreamer server; peak RSS.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
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
import { ffmpegPath } from '../src/stream/ffmpeg-path.js';
import { grabRtspFrames } from '../src/stream/frames.js';
import { BLAZEFACE_BACK } from '../src/stream/model.js';
import { gstMissing, startGstServer } from '../tests/stream/gst-server.js';

const MIN_FACE_PX = 30;
const image = fileURLToPath(new URL('../tests/fixtures/images/face-api-sample5.jpg', import.meta.url));
const SIZES = [
  { name: '640x360', width: 640, height: 360, runs: 30 },
  { name: '1920x1080', width: 1920, height: 1080, runs: 6 },
  { name: '3840x2160', width: 3840, height: 2160, runs: 3 },
] as const;

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
/**
 * Fastest of `runs` after a warm-up. The machine is shared (2 cores, other jobs): the minimum is
 * the least contended run, and taking it for every contender (the OpenCV peer too) keeps the
 * comparison fair where medians swing by 2x between runs.
 */
const time = async (runs: number, fn: () => Promise<unknown>): Promise<number> => {
  await fn();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn();
    ms.push(performance.now() - t);
  }
  return Math.min(...ms);
};

const frameOf = async (width: number, height: number): Promise<RgbFrame> => {
  const { data, info } = await sharp(image).resize(width, height, { fit: 'cover' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { width: info.width, height: info.height, data: new Uint8Array(data) };
};

interface PeerResult {
  readonly version: string;
  readonly passMs: number;
  readonly frames: ReadonlyMap<string, number>;
}

const decodePeer = (v: unknown): PeerResult | null => {
  if (typeof v !== 'object' || v === null) return null;
  const version: unknown = Reflect.get(v, 'version');
  const passMs: unknown = Reflect.get(v, 'passMs');
  const frames: unknown = Reflect.get(v, 'frames');
  if (typeof version !== 'string' || typeof passMs !== 'number' || typeof frames !== 'object' || frames === null) return null;
  const perFrame = new Map<string, number>();
  for (const [k, ms] of Object.entries(frames)) if (typeof ms === 'number') perFrame.set(k, ms);
  return { version, passMs, frames: perFrame };
};

const dir = await mkdtemp(join(tmpdir(), 'camaudit-bench-'));
try {
  const frames = await Promise.all(SIZES.map((s) => frameOf(s.width, s.height)));
  const input = new Float32Array(MODEL_INPUT_PX * MODEL_INPUT_PX * 3).fill(0.1);

  const one = await createBlazeFaceDetector({ threads: 1, minFacePx: MIN_FACE_PX });
  const all = await createBlazeFaceDetector({ threads: 0, minFacePx: MIN_FACE_PX });
  const passOne = await time(40, () => one.runRaw(input));
  const passAll = await time(40, () => all.runRaw(input));
  await all.close();

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
  const ours: { name: string; passes: number; ms: number; prePostMs: number; faces: number }[] = [];
  for (const [i, s] of SIZES.entries()) {
    const f = frames[i];
    if (!f) continue;
    const faces = (await one.detect(f)).length;
    const ms = await time(s.runs, () => one.detect(f));
    ours.push({ name: s.name, passes: planTiles(f.width, f.height, MIN_FACE_PX).length, ms, prePostMs: await time(s.runs * 2, () => prePost(f)), faces });
  }
  await one.close();

  // OpenCV peer: same raw frames, same views.
  const plan = { frames: [] as unknown[] };
  for (const [i, s] of SIZES.entries()) {
    const f = frames[i];
    if (!f) continue;
    const file = join(dir, `${s.name}.rgb`);
    await writeFile(file, f.data);
    plan.frames.push({ name: s.name, file, width: f.width, height: f.height, runs: s.runs, views: planTiles(f.width, f.height, MIN_FACE_PX) });
  }
  const planFile = join(dir, 'plan.json');
  await writeFile(planFile, JSON.stringify(plan));
  const peer = spawnSync('/usr/bin/python3', [fileURLToPath(new URL('opencv_peer.py', import.meta.url)), BLAZEFACE_BACK.path, planFile], { encoding: 'utf8', timeout: 600_000 });
  const cv = peer.status === 0 ? decodePeer(JSON.parse(peer.stdout)) : null;
  if (!cv) console.log(`OpenCV peer unavailable: ${peer.stderr.trim().split('\n').at(-1) ?? peer.stdout.slice(0, 200)}`);

  // RTSP time to first frame (fresh ffmpeg each time, like the probe).
  let firstFrame: number | null = null;
  let probeRssMb: number | null = null;
  let ffmpegRssMb: number | null = null;
  const gst = gstMissing();
  if (gst) console.log(`RTSP: skipped (${gst})`);
  else {
    const server = await startGstServer(fileURLToPath(new URL('../tests/fixtures/images/astronaut.png', import.meta.url)), 1280, 720, 10);
    const times: number[] = [];
    for (let i = 0; i < 5; i++) {
      const r = await grabRtspFrames(server.url, { frames: 1, seconds: 1 });
      if (r.ok) times.push(r.value.firstFrameMs);
    }
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('probe-rss.ts', import.meta.url)), server.url], { encoding: 'utf8', timeout: 120_000 });
    const parsed: unknown = child.status === 0 ? JSON.parse(child.stdout) : null;
    const rss: unknown = typeof parsed === 'object' && parsed !== null ? Reflect.get(parsed, 'maxRssMb') : null;
    probeRssMb = typeof rss === 'number' ? rss : null;
    const ff = spawnSync('/usr/bin/time', ['-f', '%M', ffmpegPath(), ...rtspArgs(server.url, 'tcp', { frames: 5, seconds: 2 })], { encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    const kb = Number(ff.stderr.trim().split('\n').at(-1));
    ffmpegRssMb = Number.isFinite(kb) ? kb / 1024 : null;
    await server.stop();
    firstFrame = times.length > 0 ? median(times) : null;
  }

  const f1 = (v: number | null | undefined): string => (v === null || v === undefined ? '-' : v.toFixed(1));
  console.log(`\ncamaudit bench  (${new Date().toISOString()}, node ${process.version}, ${cpus().length} cores, load ${loadavg().map((l) => l.toFixed(1)).join(' ')}; min face ${MIN_FACE_PX} px, 1 thread unless noted, fastest of N runs)`);
  console.log(`bare ONNX Runtime, ms per 256x256 pass:  1 thread ${f1(passOne)}   default threads ${f1(passAll)}   OpenCV ${cv?.version ?? '-'} cv2.dnn 1 thread ${f1(cv?.passMs)}`);
  console.log('\nframe        passes  ours ms/frame  bare ORT x passes  pre+post ms  pre+post/bare  OpenCV ms/frame  OpenCV/ours  faces');
  for (const o of ours) {
    const bare = o.passes * passOne;
    const cvMs = cv?.frames.get(o.name);
    console.log(
      [
        o.name.padEnd(12),
        String(o.passes).padStart(6),
        f1(o.ms).padStart(14),
        f1(bare).padStart(18),
        f1(o.prePostMs).padStart(12),
        `${f1((o.prePostMs / bare) * 100)}%`.padStart(14),
        f1(cvMs).padStart(16),
        (cvMs ? `${(cvMs / o.ms).toFixed(2)}x` : '-').padStart(12),
        String(o.faces).padStart(6),
      ].join(' '),
    );
  }
  console.log(`\nRTSP time to first frame (loopback, GStreamer, 720p H.264, median of 5): ${f1(firstFrame)} ms`);
  console.log(`peak RSS: stream probe process (5 frames of 720p) ${f1(probeRssMb)} MB + its ffmpeg ${f1(ffmpegRssMb)} MB; this bench (three 4K..360p frames, two sessions) ${f1(process.resourceUsage().maxRSS / 1024)} MB`);
  console.log('targets: overhead <= 25%; OpenCV/ours >= 2x; first frame < 1000 ms; RSS < 200 MB');
} finally {
  await rm(dir, { recursive: true, force: true });
}
