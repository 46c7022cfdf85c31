/**
 * The stream test: frames from RTSP (or a snapshot URI), faces per frame, sharpness, blurred
 * evidence, assessed into StreamFacts. Device problems become `error` in the facts, never a throw.
 */
import { join } from 'node:path';
import { assessStream, type FrameObservation } from '../assess/stream.js';
import { writeFileAtomic, writeRefusalMessage } from '../io/write-file.js';
import type { ProbeError } from '../core/errors.js';
import type { DetectedFace, EvidenceImage, StreamFacts } from '../core/types.js';
import { FACE_MIN_SCORE, REDACT_MIN_SCORE, createBlazeFaceDetector, type BlazeFaceDetector, type FaceDetector, type RgbFrame } from './detector.js';
import { grabRtspFrames } from './frames.js';
import { redactedEvidence } from './redact.js';
import { laplacianVariance } from './sharpness.js';
import { fetchSnapshot } from './snapshot.js';
import { redactUri, splitCredentials, type Credentials } from './uri.js';

export interface ProbeStreamOptions {
  readonly frames?: number;
  readonly seconds?: number;
  readonly credentials?: Credentials;
  /** Answer an RTSP camera that offers only Basic auth (the password in clear); the inspector's explicit choice. */
  readonly allowBasicRtsp?: boolean;
  /** Tried when the RTSP URI gives no frame. */
  readonly snapshotUri?: string;
  /**
   * Reuse one detector across streams (the session is the expensive part). Create it with
   * `minScore: REDACT_MIN_SCORE`: faces are counted from FACE_MIN_SCORE, but evidence blurs all.
   */
  readonly detector?: FaceDetector;
  /** Write blurred evidence JPEGs here (named by sha256); otherwise they stay in memory. */
  readonly evidenceDir?: string;
  /** How many frames with faces to keep as evidence. */
  readonly evidenceFrames?: number;
  readonly firstFrameTimeoutMs?: number;
  readonly signal?: AbortSignal;
}

interface Grabbed {
  readonly count: number;
  readonly source: StreamFacts['source'];
  readonly windowMs: number;
}

/**
 * Receives frames as they arrive, with camera pixels per analysed pixel (frames over ANALYSIS_MAX are
 * scaled down by ffmpeg).
 */
type FrameSink = (frame: RgbFrame, sourcePerFramePx: number) => void;

/** A face measured on a scaled-down frame, in the camera's own pixels (what the grades refer to). */
const inSourcePixels = (f: DetectedFace, k: number): DetectedFace =>
  k === 1
    ? f
    : {
        box: [f.box[0] * k, f.box[1] * k, f.box[2] * k, f.box[3] * k],
        score: f.score,
        eyeDistance: f.eyeDistance * k,
        keypoints: f.keypoints.map(([x, y]) => [x * k, y * k] as const),
      };

const snapshots = async (uri: string, count: number, seconds: number, opts: ProbeStreamOptions, sink: FrameSink): Promise<{ grabbed: Grabbed; error: ProbeError | null }> => {
  let got = 0;
  const started = performance.now();
  let error: ProbeError | null = null;
  for (let i = 0; i < count && !opts.signal?.aborted; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, (seconds * 1000) / count));
    const r = await fetchSnapshot(uri, { ...(opts.credentials ? { credentials: opts.credentials } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    if (r.ok) {
      got++;
      sink(r.value, 1);
    } else {
      error = r.error;
      break;
    }
  }
  return { grabbed: { count: got, source: 'snapshot', windowMs: performance.now() - started }, error: got > 0 ? null : error };
};

const grab = async (uri: string, opts: ProbeStreamOptions, sink: FrameSink): Promise<{ grabbed: Grabbed; error: ProbeError | null }> => {
  const count = opts.frames ?? 5;
  const seconds = opts.seconds ?? 5;
  if (/^https?:/i.test(uri)) return snapshots(uri, count, seconds, opts, sink);
  const r = await grabRtspFrames(uri, {
    frames: count,
    seconds,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.allowBasicRtsp ? { allowBasicRtsp: true } : {}),
    ...(opts.firstFrameTimeoutMs ? { firstFrameTimeoutMs: opts.firstFrameTimeoutMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
    onFrame: (frame, sourceSize) => sink(frame, sourceSize && frame.width > 0 ? sourceSize.width / frame.width : 1),
  });
  if (r.ok) return { grabbed: { count: r.value.count, source: 'rtsp', windowMs: r.value.windowMs }, error: null };
  if (opts.snapshotUri && r.error.kind !== 'auth') {
    const s = await snapshots(opts.snapshotUri, count, seconds, opts, sink);
    if (s.grabbed.count > 0) return s;
  }
  return { grabbed: { count: 0, source: 'rtsp', windowMs: 0 }, error: r.error };
};

/**
 * The detector a stream test needs: one thread (several streams run side by side), and candidates down to
 * REDACT_MIN_SCORE so evidence images blur every possible face; faces are *counted* from FACE_MIN_SCORE.
 */
export const createStreamDetector = (): Promise<BlazeFaceDetector> => createBlazeFaceDetector({ threads: 1, minScore: REDACT_MIN_SCORE });

export const probeStream = async (rawUri: string, opts: ProbeStreamOptions = {}): Promise<StreamFacts> => {
  const split = splitCredentials(rawUri);
  if (!split.ok) {
    const source = /^https?:/i.test(rawUri) ? 'snapshot' : 'rtsp';
    return assessStream({ uri: redactUri(rawUri), source, windowMs: 0, frames: [], evidence: [], error: split.error });
  }
  const { uri, credentials } = split.value;
  const creds = opts.credentials ?? credentials;
  const withCreds = creds ? { ...opts, credentials: creds } : opts;
  // Each frame is analysed as it arrives and then dropped, in order (evidence is the first frames with
  // faces); a failure stops the analysis and is thrown once the grab has ended.
  let detector: FaceDetector | null = opts.detector ?? null;
  // Set from inside the analysis callbacks; a holder keeps TypeScript from narrowing them to null here.
  const state: { own: Promise<BlazeFaceDetector> | null; failure: { readonly cause: unknown } | null } = { own: null, failure: null };
  const observations: FrameObservation[] = [];
  const evidence: EvidenceImage[] = [];
  const analyse = async (frame: RgbFrame, sourcePerFramePx: number): Promise<void> => {
    detector ??= await (state.own ??= createStreamDetector());
    const candidates = await detector.detect(frame);
    const faces = candidates.filter((f) => f.score >= FACE_MIN_SCORE);
    const sharpness = faces.length > 0 ? faces.map((f) => laplacianVariance(frame, f.box)) : [laplacianVariance(frame, [0, 0, frame.width, frame.height])];
    observations.push({ faces: faces.map((f) => inSourcePixels(f, sourcePerFramePx)), sharpness });
    if (faces.length > 0 && evidence.length < (opts.evidenceFrames ?? 1)) {
      const image = await redactedEvidence(frame, candidates);
      if (opts.evidenceDir) {
        const file = join(opts.evidenceDir, `${image.sha256}.jpg`);
        const written = writeFileAtomic(file, image.bytes);
        if (!written.ok) throw new Error(writeRefusalMessage(written.error));
        evidence.push({ ...image, file });
      } else evidence.push(image);
    }
  };
  let analysis = Promise.resolve();
  const sink: FrameSink = (frame, sourcePerFramePx) => {
    analysis = analysis.then(async () => {
      if (state.failure) return;
      try {
        await analyse(frame, sourcePerFramePx);
      } catch (e) {
        state.failure = { cause: e };
      }
    });
  };
  let grabbed: Grabbed;
  let error: ProbeError | null;
  try {
    ({ grabbed, error } = await grab(uri, withCreds, sink));
  } finally {
    await analysis;
    await state.own?.then(
      (d) => d.close(),
      () => undefined,
    );
  }
  if (state.failure) throw state.failure.cause;
  return assessStream({ uri: redactUri(uri), source: grabbed.source, windowMs: grabbed.windowMs, frames: observations, evidence, error });
};
