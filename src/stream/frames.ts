/**
 * Frame grabbing: ffmpeg pulls RTSP (TCP first, then UDP) through the stream gate (rtsp-gate.ts) and
 * writes raw RGB frames to a pipe; frames stay in memory. Every run has hard deadlines (first frame,
 * whole window) enforced by killing ffmpeg, so a camera that accepts and then stalls cannot hang an
 * inspection; and ffmpeg's only peer is the gate inside this process, so it cannot outlive it.
 */
import { spawn } from 'node:child_process';
import { describeError, type ProbeError, type TransportAttempt, type TransportReason } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { RgbFrame } from './detector.js';
import { ffmpegIsV5, ffmpegPath } from './ffmpeg-path.js';
import { MAX_SOURCE_PIXELS, parseInputSize, parseOutputSize, rtspArgs, type FrameRequest, type RtspTransport } from './ffmpeg-args.js';
import { isFinalRefusal, openRtspGate, type RtspGate } from './rtsp-gate.js';
import { redactText, splitCredentials, type Credentials } from './uri.js';

export interface GrabOptions extends FrameRequest {
  readonly credentials?: Credentials;
  /** Answer a camera that offers only Basic auth over plain RTSP (the password goes in clear). */
  readonly allowBasicRtsp?: boolean;
  /** Deadline for the first frame of each transport attempt. */
  readonly firstFrameTimeoutMs?: number;
  /** Transports to try, in order. */
  readonly transports?: readonly RtspTransport[];
  readonly signal?: AbortSignal;
  /** Largest frame accepted (pixels); guards memory against a bogus header. */
  readonly maxPixels?: number;
  /**
   * Takes each frame as it completes instead of keeping it: a caller that analyses frames one by one
   * holds one or two in memory rather than the whole window (5 frames of 1080p are 31 MB, per camera).
   * Called only by an attempt that succeeds: the first complete frame decides success. `sourceSize`
   * is the camera's own frame size, as in GrabbedFrames.
   */
  readonly onFrame?: (frame: RgbFrame, sourceSize: GrabbedFrames['sourceSize']) => void;
}

export interface GrabbedFrames {
  /** The frames, in order; empty when `onFrame` took them. */
  readonly frames: readonly RgbFrame[];
  /** How many frames were grabbed. */
  readonly count: number;
  readonly transport: RtspTransport;
  /** From spawning ffmpeg to the first complete frame. */
  readonly firstFrameMs: number;
  /**
   * Stream time the frames span (the fps filter spaces them by timestamp). Not wall-clock time:
   * cameras and the simulator send the current GOP in a burst when a client joins.
   */
  readonly windowMs: number;
  /** Wall-clock time from the first to the last frame. */
  readonly elapsedMs: number;
  /** The camera's own frame size (frames may be scaled down from it); null when ffmpeg did not say. */
  readonly sourceSize: { readonly width: number; readonly height: number } | null;
}

const STDERR_CAP_BYTES = 64 * 1024;
const DEFAULT_FIRST_FRAME_TIMEOUT_MS = 5000;
const MAX_FRAME_PIXELS = 3840 * 2160;

/** What ffmpeg's stderr says went wrong, as a transport reason. */
const classify = (stderr: string): { reason: TransportReason; auth: boolean } => {
  if (/401 Unauthorized|authorization failed/i.test(stderr)) return { reason: 'other', auth: true };
  if (/Connection refused/i.test(stderr)) return { reason: 'refused', auth: false };
  if (/timed out/i.test(stderr)) return { reason: 'timeout', auth: false };
  if (/Connection reset/i.test(stderr)) return { reason: 'reset', auth: false };
  if (/No route to host|Network is unreachable/i.test(stderr)) return { reason: 'unreachable', auth: false };
  return { reason: 'other', auth: false };
};

const lastLines = (text: string, n: number): string => text.trim().split('\n').slice(-n).join(' | ');

/** The decoder refusing a picture over `-max_pixels` (libavutil's av_image_check_size2). */
const OVERSIZED_PICTURE = /Picture size (\d+)x(\d+) (?:is invalid|exceeds specified max pixel count)/;

const attempt = async (uri: string, transport: RtspTransport, opts: GrabOptions): Promise<Result<GrabbedFrames, ProbeError>> => {
  const gate = await openRtspGate(uri, {
    ...(opts.credentials ? { credentials: opts.credentials } : {}),
    ...(opts.allowBasicRtsp ? { allowBasic: true } : {}),
    maxSourcePixels: MAX_SOURCE_PIXELS,
  });
  if (!gate.ok) return gate;
  return run(gate.value, transport, opts);
};

const run = (gate: RtspGate, transport: RtspTransport, opts: GrabOptions): Promise<Result<GrabbedFrames, ProbeError>> =>
  new Promise((resolve) => {
    const secrets = opts.credentials ? [opts.credentials.password, encodeURIComponent(opts.credentials.password)] : [];
    const started = performance.now();
    // ffmpeg gets the gate's URL and no credentials; stdin is a pipe it never reads, closed when we exit.
    const child = spawn(ffmpegPath(), rtspArgs(gate.url, transport, opts, { v5: ffmpegIsV5() }), { stdio: ['pipe', 'pipe', 'pipe'] });
    child.stdin.on('error', () => undefined);
    let stderr = '';
    // The camera's own size, from ffmpeg's input header: parsed until found, then kept (frames ask for it).
    let sourceSize: GrabbedFrames['sourceSize'] = null;
    const source = (): GrabbedFrames['sourceSize'] => (sourceSize ??= parseInputSize(stderr));
    let size: { readonly width: number; readonly height: number } | null = null;
    // Chunks that arrive before ffmpeg's header names the size; afterwards bytes go straight into
    // the frame being filled (one copy per frame, no concatenation).
    const early: Buffer[] = [];
    let current: Uint8Array | null = null;
    let filled = 0;
    const frames: RgbFrame[] = [];
    /** Completion time of each frame, from spawning ffmpeg; its length is the frame count. */
    const frameTimes: number[] = [];
    let settled = false;

    const finish = (r: Result<GrabbedFrames, ProbeError>): void => {
      if (settled) return;
      settled = true;
      clearTimeout(firstFrameTimer);
      clearTimeout(windowTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      if (child.exitCode === null) child.kill('SIGKILL');
      gate.close();
      resolve(r);
    };
    const success = (): Result<GrabbedFrames, ProbeError> => {
      const first = frameTimes[0] ?? 0;
      const windowMs = (Math.max(frameTimes.length - 1, 0) * opts.seconds * 1000) / opts.frames;
      return ok({ frames, count: frameTimes.length, transport, firstFrameMs: first, windowMs, elapsedMs: (frameTimes.at(-1) ?? first) - first, sourceSize: source() });
    };
    const failure = (reason: TransportReason, message: string): Result<GrabbedFrames, ProbeError> => {
      // What the gate saw (a refused redirect, a connection the camera refused) says more than ffmpeg's end of it.
      const seen = gate.outcome();
      if (seen) return err(seen);
      const detail = lastLines(redactText(stderr, secrets), 3);
      const text = redactText(`${message} (rtsp over ${transport})${detail ? `: ${detail}` : ''}`, secrets);
      return err(classify(stderr).auth ? { kind: 'auth', message: text } : { kind: 'transport', reason, message: text });
    };
    const onAbort = (): void => finish(frameTimes.length > 0 ? success() : failure('other', 'aborted'));
    const firstFrameTimeoutMs = opts.firstFrameTimeoutMs ?? DEFAULT_FIRST_FRAME_TIMEOUT_MS;
    const firstFrameTimer = setTimeout(() => {
      if (frameTimes.length === 0) finish(failure('timeout', `no frame within ${firstFrameTimeoutMs} ms`));
    }, firstFrameTimeoutMs);
    // The window plus slack for the last frame to be encoded and sent; then keep what arrived.
    const windowTimer = setTimeout(
      () => finish(frameTimes.length > 0 ? success() : failure('timeout', 'no frame before the window closed')),
      firstFrameTimeoutMs + opts.seconds * 1000 + 2000,
    );
    opts.signal?.addEventListener('abort', onAbort);
    if (opts.signal?.aborted) onAbort();

    const consume = (chunk: Buffer): void => {
      if (!size) {
        early.push(chunk);
        return;
      }
      const frameBytes = size.width * size.height * 3;
      for (let off = 0; off < chunk.length && !settled; ) {
        current ??= new Uint8Array(frameBytes);
        const n = Math.min(frameBytes - filled, chunk.length - off);
        current.set(chunk.subarray(off, off + n), filled);
        filled += n;
        off += n;
        if (filled === frameBytes) {
          const frame = { width: size.width, height: size.height, data: current };
          if (opts.onFrame) opts.onFrame(frame, source());
          else frames.push(frame);
          frameTimes.push(performance.now() - started);
          current = null;
          filled = 0;
          if (frameTimes.length >= opts.frames) finish(success());
        }
      }
    };
    const sizeKnown = (known: { readonly width: number; readonly height: number }): void => {
      if (known.width * known.height > (opts.maxPixels ?? MAX_FRAME_PIXELS)) {
        finish(failure('too-large', `stream frames are ${known.width}x${known.height}, over the limit`));
        return;
      }
      size = known;
      for (const c of early.splice(0)) consume(c);
    };
    if (opts.size) sizeKnown(opts.size);

    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => {
      if (stderr.length < STDERR_CAP_BYTES) stderr += chunk.slice(0, STDERR_CAP_BYTES - stderr.length);
      const oversized = OVERSIZED_PICTURE.exec(stderr);
      if (oversized && frameTimes.length === 0) {
        finish(failure('too-large', `the stream's pictures are ${oversized[1]}x${oversized[2]}, over the ${MAX_SOURCE_PIXELS} pixel limit: not decoded`));
        return;
      }
      if (!size) {
        const parsed = parseOutputSize(stderr);
        if (parsed) sizeKnown(parsed);
      }
    });
    child.stdout.on('data', consume);
    child.on('error', (e) => finish(failure('other', `cannot run ffmpeg: ${e.message}`)));
    child.on('close', (code) => {
      if (frameTimes.length > 0) finish(success());
      else finish(failure(classify(stderr).reason, `ffmpeg exited with ${code ?? 'a signal'} before the first frame`));
    });
  });

/** The one error of a stream test that tried several transports: each transport with its own reason. */
const acrossTransports = (attempts: readonly TransportAttempt[]): ProbeError => {
  const [only] = attempts;
  if (attempts.length === 1 && only) return only.error;
  const last = attempts.at(-1)?.error;
  return {
    kind: 'transport',
    // The last transport's reason, as before attempts were listed (scripts read `reason`).
    reason: last?.kind === 'transport' ? last.reason : 'other',
    message: attempts.map((a) => `${a.transport}: ${describeError(a.error)}`).join('; ') || 'no transport tried',
    attempts,
  };
};

/**
 * Grabs `frames` frames spread over `seconds` from an RTSP URI. TCP first (works through NAT and
 * firewalls, no loss); UDP only when TCP gave no frame (some cameras do not interleave), unless the
 * camera's answer settles it (credentials refused, a redirect, a declared size over the limit).
 * Credentials embedded in the URI are split out and only ever shown redacted.
 */
export const grabRtspFrames = async (rawUri: string, opts: GrabOptions): Promise<Result<GrabbedFrames, ProbeError>> => {
  const split = splitCredentials(rawUri);
  if (!split.ok) return split;
  const { uri, credentials } = split.value;
  const creds = opts.credentials ?? credentials;
  const attempts: TransportAttempt[] = [];
  for (const transport of opts.transports ?? ['tcp', 'udp']) {
    const r = await attempt(uri, transport, { ...opts, ...(creds ? { credentials: creds } : {}) });
    if (r.ok) return r;
    attempts.push({ transport, error: r.error });
    if (isFinalRefusal(r.error) || opts.signal?.aborted) break;
  }
  return err(acrossTransports(attempts));
};
