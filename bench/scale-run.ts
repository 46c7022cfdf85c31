/** What one bench/scale-inspect.ts run reports, and its decoder (the parent reads it from a pipe). */
export interface ScaleRun {
  readonly cameras: number;
  readonly configConcurrency: number;
  readonly streamConcurrency: number;
  /** The inspection completed (recorded and concluded). */
  readonly ok: boolean;
  /** Size of the inspection database once closed (WAL checkpointed), evidence included. */
  readonly dbBytes: number;
  readonly found: number;
  readonly configOk: number;
  /** Stream tests that delivered frames without error. */
  readonly streamOk: number;
  readonly frames: number;
  /** The first few device errors, for diagnosis. */
  readonly errors: readonly string[];
  readonly wallMs: number;
  readonly discoverMs: number;
  readonly probeMs: number;
  /** The inspector's Node process. */
  readonly peakRssMb: number;
  /** The inspector and its ffmpeg decoders together, proportional set size (sampled every 100 ms). */
  readonly peakTreePssMb: number;
  /** CPU time of the inspector's Node process (not its ffmpeg children). */
  readonly cpuMs: number;
  /** CPU time of its ffmpeg decoders. */
  readonly decoderCpuMs: number;
  readonly eventLoopDelayMs: { readonly p50: number; readonly p99: number; readonly max: number };
}

const record = (v: unknown): Record<string, unknown> => {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new TypeError('expected an object');
  return Object.fromEntries(Object.entries(v));
};

const num = (o: Record<string, unknown>, k: string): number => {
  const x = o[k];
  if (typeof x !== 'number' || !Number.isFinite(x)) throw new TypeError(`${k} is not a number`);
  return x;
};

/** One line from the child, or null when it is not a complete ScaleRun (a crash, a stray log line). */
export const decodeScaleRun = (line: string): ScaleRun | null => {
  try {
    const v = record(JSON.parse(line));
    const e = record(v.eventLoopDelayMs);
    if (typeof v.ok !== 'boolean' || !Array.isArray(v.errors)) return null;
    return {
      cameras: num(v, 'cameras'),
      configConcurrency: num(v, 'configConcurrency'),
      streamConcurrency: num(v, 'streamConcurrency'),
      ok: v.ok,
      dbBytes: num(v, 'dbBytes'),
      found: num(v, 'found'),
      configOk: num(v, 'configOk'),
      streamOk: num(v, 'streamOk'),
      frames: num(v, 'frames'),
      errors: v.errors.map(String),
      wallMs: num(v, 'wallMs'),
      discoverMs: num(v, 'discoverMs'),
      probeMs: num(v, 'probeMs'),
      peakRssMb: num(v, 'peakRssMb'),
      peakTreePssMb: num(v, 'peakTreePssMb'),
      cpuMs: num(v, 'cpuMs'),
      decoderCpuMs: num(v, 'decoderCpuMs'),
      eventLoopDelayMs: { p50: num(e, 'p50'), p99: num(e, 'p99'), max: num(e, 'max') },
    };
  } catch {
    return null;
  }
};
