/**
 * The stream test: frames from RTSP (or a snapshot URI), faces per frame, sharpness, blurred
 * evidence, assessed into StreamFacts. Device problems become `error` in the facts, never a throw.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { assessStream, type FrameObservation } from '../assess/stream.js';
import type { ProbeError } from '../core/errors.js';
import type { EvidenceImage, StreamFacts } from '../core/types.js';
import { FACE_MIN_SCORE, REDACT_MIN_SCORE, createBlazeFaceDetector, type FaceDetector, type RgbFrame } from './detector.js';
import { grabRtspFrames } from './frames.js';
import { redactedEvidence } from './redact.js';
import { laplacianVariance } from './sharpness.js';
import { fetchSnapshot } from './snapshot.js';
import { redactUri, splitCredentials, type Credentials } from './uri.js';

export interface ProbeStreamOptions {
  readonly frames?: number;
  readonly seconds?: number;
  readonly credentials?: Credentials;
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
  readonly frames: readonly RgbFrame[];
  readonly source: StreamFacts['source'];
  readonly windowMs: number;
}

const snapshots = async (uri: string, count: number, seconds: number, opts: ProbeStreamOptions): Promise<{ grabbed: Grabbed; error: ProbeError | null }> => {
  const frames: RgbFrame[] = [];
  const started = performance.now();
  let error: ProbeError | null = null;
  for (let i = 0; i < count && !opts.signal?.aborted; i++) {
    if (i > 0) await new Promise((r) => setTimeout(r, (seconds * 1000) / count));
    const r = await fetchSnapshot(uri, { ...(opts.credentials ? { credentials: opts.credentials } : {}), ...(opts.signal ? { signal: opts.signal } : {}) });
    if (r.ok) frames.push(r.value);
    else {
      error = r.error;
      break;
    }
  }
  return { grabbed: { frames, source: 'snapshot', windowMs: performance.now() - started }, error: frames.length > 0 ? null : error };
};

const grab = async (uri: string, opts: ProbeStreamOptions): Promise<{ grabbed: Grabbed; error: ProbeError | null }> => {
  const count = opts.frames ?? 5;
  const seconds = opts.seconds ?? 5;
  if (/^https?:/i.test(uri)) return snapshots(uri, count, seconds, opts);
  const r = await grabRtspFrames(uri, {
    frames: count,
    seconds,
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.firstFrameTimeoutMs ? { firstFrameTimeoutMs: opts.firstFrameTimeoutMs } : {}),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (r.ok) return { grabbed: { frames: r.value.frames, source: 'rtsp', windowMs: r.value.windowMs }, error: null };
  if (opts.snapshotUri && r.error.kind !== 'auth') {
    const s = await snapshots(opts.snapshotUri, count, seconds, opts);
    if (s.grabbed.frames.length > 0) return s;
  }
  return { grabbed: { frames: [], source: 'rtsp', windowMs: 0 }, error: r.error };
};

export const probeStream = async (rawUri: string, opts: ProbeStreamOptions = {}): Promise<StreamFacts> => {
  const { uri, credentials } = splitCredentials(rawUri);
  const creds = opts.credentials ?? credentials;
  const withCreds = creds ? { ...opts, credentials: creds } : opts;
  const { grabbed, error } = await grab(uri, withCreds);
  const detector = opts.detector ?? (grabbed.frames.length > 0 ? await createBlazeFaceDetector({ threads: 1, minScore: REDACT_MIN_SCORE }) : null);
  const observations: FrameObservation[] = [];
  const evidence: EvidenceImage[] = [];
  try {
    for (const frame of grabbed.frames) {
      const candidates = detector ? await detector.detect(frame) : [];
      const faces = candidates.filter((f) => f.score >= FACE_MIN_SCORE);
      const sharpness = faces.length > 0 ? faces.map((f) => laplacianVariance(frame, f.box)) : [laplacianVariance(frame, [0, 0, frame.width, frame.height])];
      observations.push({ faces, sharpness });
      if (faces.length > 0 && evidence.length < (opts.evidenceFrames ?? 1)) {
        const image = await redactedEvidence(frame, candidates);
        if (opts.evidenceDir) {
          const file = join(opts.evidenceDir, `${image.sha256}.jpg`);
          await writeFile(file, image.bytes);
          evidence.push({ ...image, file });
        } else evidence.push(image);
      }
    }
  } finally {
    if (detector && !opts.detector) await detector.close();
  }
  return assessStream({ uri: redactUri(uri), source: grabbed.source, windowMs: grabbed.windowMs, frames: observations, evidence, error });
};
