import { spawn, type ChildProcess } from 'node:child_process';
import { rmSync } from 'node:fs';
import { ffmpegPath } from '../../stream/ffmpeg-path.js';
import { AnnexBSplitter, RTP_CLOCK_HZ, NAL_AUD, NAL_PPS, NAL_SLICE_IDR, NAL_SPS, nalType, packetizeNal, type AccessUnit, type ParameterSets } from './h264.js';
import type { RtspStreamSpec } from './stream-spec.js';

/** Guards against an encoder that never emits a start code (a bug): drop its output past this. */
const ENCODER_START_TIMEOUT_MS = 10_000;
const ENCODER_STOP_GRACE_MS = 2_000;
const ENCODER_RESTART_DELAY_MS = 1_000;
/** A simulator serves a handful of inspectors' tools; more connections than this are refused. */
const STDERR_TAIL_BYTES = 2048;

// ---------------------------------------------------------------------------------------------
// ffmpeg encoder arguments (pure)

/** ffmpeg arguments that loop a still image into a paced H.264 Annex B stream on stdout. */
export const encoderArgs = (imagePath: string, spec: RtspStreamSpec, keyframeIntervalFrames: number): string[] => [
  '-hide_banner', '-nostdin', '-loglevel', 'error',
  // -re paces output at the frame rate, so RTP timestamps derived from the frame count track real time.
  '-re', '-loop', '1', '-framerate', String(spec.fps), '-i', imagePath,
  '-an', '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-threads', '1',
  '-pix_fmt', 'yuv420p', '-bf', '0',
  '-g', String(keyframeIntervalFrames), '-keyint_min', String(keyframeIntervalFrames), '-sc_threshold', '0',
  // Access unit delimiters mark frame boundaries in the byte stream; x264 repeats SPS/PPS before each IDR.
  '-x264-params', 'aud=1',
  '-f', 'h264', 'pipe:1',
];

// ---------------------------------------------------------------------------------------------
// Encoders

/**
 * Encoders still running when the process exits are killed, and scene temp dirs removed, so nothing
 * outlives a simulator that was not closed. (Killed outright, the process takes its pipes with it and
 * ffmpeg stops on the broken stdout.)
 */
const liveChildren = new Set<ChildProcess>();
export const liveWorkDirs = new Set<string>();
let exitHookInstalled = false;
export const installExitHook = (): void => {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const c of liveChildren) c.kill('SIGKILL');
    for (const dir of liveWorkDirs) rmSync(dir, { recursive: true, force: true });
  });
};
const trackChild = (child: ChildProcess): void => {
  installExitHook();
  liveChildren.add(child);
  child.once('exit', () => liveChildren.delete(child));
};

export interface Subscriber {
  deliver(au: AccessUnit): void;
}

export class StreamEncoder {
  private child: ChildProcess | null = null;
  private ready: Promise<ParameterSets> | null = null;
  private params: ParameterSets | null = null;
  private gop: AccessUnit[] = [];
  private frameIndex = 0;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly stopping = new Set<ChildProcess>();
  private closed = false;
  /** Bumped by stop(), so a start that was under way when it came knows to give up. */
  private generation = 0;
  private readonly subscribers = new Set<Subscriber>();
  private readonly keyframeIntervalFrames: number;

  constructor(
    readonly spec: RtspStreamSpec,
    private readonly imagePath: () => Promise<string>,
    private readonly idleStopMs: number,
    keyframeIntervalMs: number,
  ) {
    this.keyframeIntervalFrames = Math.max(1, Math.round((spec.fps * keyframeIntervalMs) / 1000));
  }

  /** The running encoder's pid, and those of encoders told to stop that have not exited yet. */
  pids(): number[] {
    return [this.child, ...this.stopping].flatMap((c) => (c?.pid === undefined ? [] : [c.pid]));
  }

  /** Starts the encoder if needed; resolves once the first keyframe (with SPS/PPS) is out. */
  acquire(): Promise<ParameterSets> {
    if (this.closed) return Promise.reject(new Error('server closed'));
    if (!this.ready) {
      const starting = this.start();
      // A failed start must not stick: the next client tries again.
      starting.catch(() => {
        if (this.ready === starting) this.ready = null;
      });
      this.ready = starting;
    }
    // The idle countdown starts once the encoder is up: a slow start must not count as idleness.
    return this.ready.then((params) => {
      if (this.subscribers.size === 0) this.scheduleIdleStop();
      return params;
    });
  }

  /** Sends the current GOP at once, then live frames, until unsubscribed. */
  subscribe(sub: Subscriber): void {
    this.subscribers.add(sub);
    this.cancelIdleStop();
    for (const au of this.gop) sub.deliver(au);
  }

  unsubscribe(sub: Subscriber): void {
    this.subscribers.delete(sub);
    if (this.subscribers.size === 0) this.scheduleIdleStop();
  }

  /** RTP timestamp (encoder-relative) of the first frame a subscriber joining now would get. */
  joinTimestamp(): number {
    return this.gop[0]?.timestamp ?? 0;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.subscribers.clear();
    await this.stop();
  }

  private scheduleIdleStop(): void {
    this.cancelIdleStop();
    this.idleTimer = setTimeout(() => void this.stop(), this.idleStopMs);
    this.idleTimer.unref();
  }

  private cancelIdleStop(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }

  private async start(): Promise<ParameterSets> {
    const generation = this.generation;
    const image = await this.imagePath();
    // Stopped (idle or close) while the image was being prepared: do not spawn an untracked encoder.
    if (this.closed || generation !== this.generation) throw new Error('encoder stopped while starting');
    const child = spawn(ffmpegPath(), encoderArgs(image, this.spec, this.keyframeIntervalFrames), {
      stdio: ['ignore', 'pipe', 'pipe'],
      windowsHide: true,
    });
    trackChild(child);
    this.child = child;
    // frameIndex is not reset: timestamps stay monotonic for clients that outlive an encoder restart.
    this.gop = [];
    let stderrTail = '';
    child.stderr?.on('data', (d: Buffer) => {
      stderrTail = (stderrTail + d.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    return new Promise<ParameterSets>((resolve, reject) => {
      const fail = (why: string): void => {
        clearTimeout(timer);
        reject(new Error(`encoder for ${this.spec.path} ${why}${stderrTail ? `: ${stderrTail.trim()}` : ''}`));
      };
      const timer = setTimeout(() => {
        fail(`produced no keyframe within ${ENCODER_START_TIMEOUT_MS} ms`);
        child.kill('SIGKILL');
      }, ENCODER_START_TIMEOUT_MS);
      let nals: Buffer[] = [];
      let sps: Buffer | null = null;
      let pps: Buffer | null = null;
      const flushAccessUnit = (): void => {
        if (nals.length === 0) return;
        const keyframe = nals.some((n) => nalType(n) === NAL_SLICE_IDR);
        const au = this.toAccessUnit(nals, keyframe);
        nals = [];
        if (keyframe) {
          if (sps && pps && !this.params) {
            this.params = { sps, pps };
            clearTimeout(timer);
            resolve(this.params);
          }
          this.gop = [];
        }
        if (this.gop.length === 0 && !keyframe) return;
        this.gop.push(au);
        for (const sub of this.subscribers) sub.deliver(au);
      };
      const splitter = new AnnexBSplitter((nal) => {
        const type = nalType(nal);
        if (type === NAL_AUD) {
          flushAccessUnit();
          return;
        }
        if (type === NAL_SPS) sps = nal;
        if (type === NAL_PPS) pps = nal;
        nals.push(nal);
      });
      child.stdout?.on('data', (chunk: Buffer) => splitter.push(chunk));
      child.once('error', (e) => fail(`could not start (${e.message})`));
      child.once('exit', (code, signal) => {
        if (this.child === child) {
          // Not asked to stop: it crashed. Playing clients would stall, so start a new one for them.
          this.child = null;
          this.ready = null;
          this.params = null;
          this.gop = [];
          if (this.subscribers.size > 0 && !this.closed) {
            setTimeout(() => {
              if (this.subscribers.size > 0 && !this.closed) this.acquire().catch(() => undefined);
            }, ENCODER_RESTART_DELAY_MS).unref();
          }
        }
        fail(`exited (${signal ?? `code ${String(code)}`})`);
      });
    });
  }

  private toAccessUnit(nals: readonly Buffer[], keyframe: boolean): AccessUnit {
    const timestamp = Math.round((this.frameIndex * RTP_CLOCK_HZ) / this.spec.fps);
    this.frameIndex += 1;
    const payloads = nals.flatMap((n) => packetizeNal(n));
    return { timestamp, keyframe, payloads, bytes: payloads.reduce((sum, p) => sum + p.length, 0) };
  }

  private async stop(): Promise<void> {
    this.generation += 1;
    this.cancelIdleStop();
    const child = this.child;
    this.child = null;
    this.ready = null;
    this.params = null;
    this.gop = [];
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    this.stopping.add(child);
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), ENCODER_STOP_GRACE_MS);
      child.once('exit', () => {
        clearTimeout(kill);
        this.stopping.delete(child);
        resolve();
      });
      child.kill('SIGTERM');
    });
  }
}

