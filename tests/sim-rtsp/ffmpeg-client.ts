/**
 * ffmpeg as an RTSP client, the way the stream probe uses it: pull N frames as raw grey pixels.
 */
import { spawn } from 'node:child_process';
import { ffmpegPath } from '../../src/stream/ffmpeg-path.js';

export interface Grab {
  readonly exitCode: number | null;
  readonly frames: readonly Buffer[];
  /** From spawning the client to the first complete decoded frame on its stdout. */
  readonly firstFrameMs: number | null;
  readonly stderr: string;
}

export const grabFrames = (
  url: string,
  opts: {
    readonly transport: 'tcp' | 'udp';
    readonly frames: number;
    readonly width: number;
    readonly height: number;
    readonly timeoutMs?: number;
    /** Another ffmpeg binary (default: the one camaudit would use). */
    readonly bin?: string;
    readonly extraInputArgs?: readonly string[];
    readonly logLevel?: 'error' | 'warning';
  },
): Promise<Grab> =>
  new Promise((resolve) => {
    const frameBytes = opts.width * opts.height;
    const started = performance.now();
    const child = spawn(opts.bin ?? ffmpegPath(), [
      '-hide_banner', '-nostdin', '-loglevel', opts.logLevel ?? 'error',
      '-rtsp_transport', opts.transport, '-analyzeduration', '100000', '-probesize', '32768', ...(opts.extraInputArgs ?? []),
      '-i', url,
      '-frames:v', String(opts.frames), '-vf', `scale=${opts.width}:${opts.height}`, '-pix_fmt', 'gray', '-f', 'rawvideo', 'pipe:1',
    ], { stdio: ['ignore', 'pipe', 'pipe'] });
    const chunks: Buffer[] = [];
    let received = 0;
    let firstFrameMs: number | null = null;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      chunks.push(d);
      received += d.length;
      if (firstFrameMs === null && received >= frameBytes) firstFrameMs = performance.now() - started;
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const timer = setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs ?? 15_000);
    child.on('close', (exitCode) => {
      clearTimeout(timer);
      const all = Buffer.concat(chunks);
      const frames: Buffer[] = [];
      for (let off = 0; off + frameBytes <= all.length; off += frameBytes) frames.push(all.subarray(off, off + frameBytes));
      resolve({ exitCode, frames, firstFrameMs, stderr });
    });
  });

/** Mean and standard deviation of 8-bit pixels. */
export const pixelStats = (px: Uint8Array): { mean: number; stdev: number } => {
  let sum = 0;
  let sq = 0;
  for (const v of px) {
    sum += v;
    sq += v * v;
  }
  const mean = sum / px.length;
  return { mean, stdev: Math.sqrt(Math.max(0, sq / px.length - mean * mean)) };
};

/** Mean absolute difference of two equally sized 8-bit images. */
export const meanAbsDiff = (a: Uint8Array, b: Uint8Array): number => {
  if (a.length !== b.length) throw new Error(`size mismatch ${a.length} vs ${b.length}`);
  let d = 0;
  for (let i = 0; i < a.length; i += 1) d += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return d / a.length;
};
