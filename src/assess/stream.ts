/**
 * Stream assessment (pure): per-frame detections -> StreamFacts with a capture grade.
 *
 * Thresholds on the inter-eye distance (pixels between eye centres), from published guidance:
 * - ISO/IEC 19794-5 and ICAO Doc 9303 ask 90 px (passport-grade enrolment); far above what a
 *   surveillance camera needs for a match.
 * - Surveillance face-recognition guidance commonly sets 40-60 px between the eyes as the minimum
 *   for automated matching or an operator's recognition.
 * - IEC 62676-4 (after the Johnson criteria) sets 250 px/m at the target for "identify": about 16 px
 *   across a 63 mm inter-pupillary distance, the floor below which nobody is identified.
 * camaudit grades: >= 40 px 'recognisable' (the low end of the 40-60 px guidance), 20-40 px
 * 'marginal' (a human may recognise a familiar face; matchers degrade fast), < 20 px 'too-small'.
 * The measured values travel with the grade so an inspector can judge against another threshold.
 */
import type { ProbeError } from '../core/errors.js';
import type { CaptureGrade, DetectedFace, EvidenceImage, StreamFacts } from '../core/types.js';

export const RECOGNISABLE_EYE_DISTANCE_PX = 40;
export const MARGINAL_EYE_DISTANCE_PX = 20;

export interface FrameObservation {
  readonly faces: readonly DetectedFace[];
  /** Variance of the Laplacian per face crop, same order as `faces`; or one value for a faceless frame. */
  readonly sharpness: readonly number[];
}

export interface StreamObservation {
  readonly uri: string;
  readonly source: StreamFacts['source'];
  readonly windowMs: number;
  readonly frames: readonly FrameObservation[];
  readonly evidence: readonly EvidenceImage[];
  readonly error: ProbeError | null;
}

export const median = (values: readonly number[]): number | null => {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] ?? null) : ((s[mid - 1] ?? 0) + (s[mid] ?? 0)) / 2;
};

const max = (values: readonly number[]): number | null => (values.length === 0 ? null : Math.max(...values));

export const gradeEyeDistance = (maxEyeDistancePx: number | null, frames: number): CaptureGrade => {
  if (frames === 0) return 'no-frames';
  if (maxEyeDistancePx === null) return 'no-faces';
  if (maxEyeDistancePx >= RECOGNISABLE_EYE_DISTANCE_PX) return 'recognisable';
  if (maxEyeDistancePx >= MARGINAL_EYE_DISTANCE_PX) return 'marginal';
  return 'too-small';
};

const round1 = (v: number | null): number | null => (v === null ? null : Math.round(v * 10) / 10);

export const assessStream = (o: StreamObservation): StreamFacts => {
  const faces = o.frames.flatMap((f) => f.faces);
  const eyes = faces.map((f) => f.eyeDistance);
  const widths = faces.map((f) => f.box[2]);
  const maxEyeDistance = max(eyes);
  return {
    uri: o.uri,
    source: o.source,
    frames: o.frames.length,
    windowMs: Math.round(o.windowMs),
    facesPerFrame: o.frames.map((f) => f.faces.length),
    facesSeen: faces.length,
    maxEyeDistance: round1(maxEyeDistance),
    medianEyeDistance: round1(median(eyes)),
    largestFaceWidth: round1(max(widths)),
    medianFaceWidth: round1(median(widths)),
    sharpness: round1(median(o.frames.flatMap((f) => f.sharpness))),
    captureGrade: gradeEyeDistance(maxEyeDistance, o.frames.length),
    evidence: o.evidence,
    error: o.error,
  };
};

/** The `stream` object of `camaudit stream --json` and `probe`: measured values, evidence without bytes. */
export const streamToJson = (f: StreamFacts): Record<string, unknown> => ({
  uri: f.uri,
  source: f.source,
  frames: f.frames,
  windowMs: f.windowMs,
  facesPerFrame: f.facesPerFrame,
  facesSeen: f.facesSeen,
  maxEyeDistance: f.maxEyeDistance,
  medianEyeDistance: f.medianEyeDistance,
  largestFaceWidth: f.largestFaceWidth,
  medianFaceWidth: f.medianFaceWidth,
  sharpness: f.sharpness,
  captureGrade: f.captureGrade,
  evidence: f.evidence.map((e) => ({ sha256: e.sha256, width: e.width, height: e.height, facesBlurred: e.facesBlurred, ...(e.file ? { file: e.file } : {}) })),
  error: f.error,
});
