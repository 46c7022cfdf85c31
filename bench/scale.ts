/**
 * Scale benchmark (issue 6): discovery and full inspection (config probe plus a 5-frame stream test per
 * camera) of 16, 64 and 256 simulated cameras on loopback (one address each, 127.88.x.y; one shared RTSP
 * stream, see src/sim/fleet.ts). Each inspection runs in a fresh child process (bench/scale-inspect.ts)
 * with a temp-dir store; this process serves the cameras. Reports wall time, peak memory, event-loop
 * delay and growth at a stream concurrency wide enough for the target, and once (--baseline, 64 cameras)
 * at the pipeline's own defaults (src/pipeline/plan.ts: 8 config probes, 2 stream tests at once).
 * Run: node --import tsx bench/scale.ts [--sizes 16,64,256] [--stream 6] [--config 8] [--baseline 64|0]
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { startFleet } from '../src/sim/fleet.js';
import { decodeScaleRun, type ScaleRun } from './scale-run.js';
import { freeUdpPort } from '../src/sim/listen.js';

const BENCH = import.meta.dirname;
const ROOT = join(BENCH, '..');
/** Issue 6: 64 cameras inspected in under 60 s on 2 cores, in under 500 MB. */
const TARGET = { cameras: 64, wallMs: 60_000, rssMb: 500 } as const;

/** CPU time a live process has used (utime + stime, fields 14 and 15 of proc(5), 10 ms ticks); 0 once it is gone. */
const processCpuMs = (pid: number): number => {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(fields[11] ?? 0) + Number(fields[12] ?? 0)) * 10;
  } catch {
    return 0;
  }
};

export interface ScaleResult extends ScaleRun {
  /** The simulator's Node process and its RTSP encoder, which a real site does not put on the inspector's laptop. */
  readonly simCpuMs: number;
  readonly encoderCpuMs: number;
  /** 1-minute load average before and after: other work on the machine stretches wall times. */
  readonly load: readonly [number, number];
}

/** One inspection of `cameras` fresh simulated cameras. */
export const runScale = async (cameras: number, configConcurrency: number | 'plan', streamConcurrency: number | 'plan'): Promise<ScaleResult> => {
  const port = await freeUdpPort();
  const fleet = await startFleet({ count: cameras, discoveryPort: port });
  const simCpu0 = process.cpuUsage();
  const load0 = loadavg()[0] ?? 0;
  const encoderCpu = new Map<number, number>();
  const sampleEncoders = (): void => {
    for (const pid of fleet.rtsp?.encoderPids() ?? []) encoderCpu.set(pid, Math.max(encoderCpu.get(pid) ?? 0, processCpuMs(pid)));
  };
  const sampler = setInterval(sampleEncoders, 1000);
  try {
    const child = spawn(process.execPath, ['--import', 'tsx', join(BENCH, 'scale-inspect.ts'), String(cameras), String(port), String(configConcurrency), String(streamConcurrency)], {
      cwd: ROOT,
      env: { ...process.env, CAMAUDIT_SCALE_PASSWORD: fleet.password },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
    let run: ScaleRun | null = null;
    for await (const line of createInterface({ input: child.stdout })) run = decodeScaleRun(line) ?? run;
    const code = await exited;
    if (!run) throw new Error(`scale-inspect for ${cameras} cameras exited with ${code ?? 'a signal'} and no result`);
    sampleEncoders();
    const cpu = process.cpuUsage(simCpu0);
    const encoderCpuMs = [...encoderCpu.values()].reduce((a, b) => a + b, 0);
    return { ...run, simCpuMs: Math.round((cpu.user + cpu.system) / 1000), encoderCpuMs, load: [load0, loadavg()[0] ?? 0] };
  } finally {
    clearInterval(sampler);
    await fleet.close();
  }
};

const fmt = (r: ScaleResult): string =>
  [
    `${String(r.cameras).padStart(4)} cams`,
    `conc ${r.configConcurrency}/${r.streamConcurrency}`,
    `found ${r.found}`,
    `config ${r.configOk}`,
    `stream ${r.streamOk} (${r.frames} frames)`,
    `wall ${(r.wallMs / 1000).toFixed(1)} s (discovery ${(r.discoverMs / 1000).toFixed(1)}, probe ${(r.probeMs / 1000).toFixed(1)})`,
    `${(r.wallMs / r.cameras).toFixed(0)} ms/cam`,
    `db ${(r.dbBytes / 2 ** 20).toFixed(1)} MB`,
    `RSS ${r.peakRssMb} MB, with decoders ${r.peakTreePssMb} MB PSS`,
    `CPU inspector ${(r.cpuMs / 1000).toFixed(1)} s + decoders ${(r.decoderCpuMs / 1000).toFixed(1)} s = ${((r.cpuMs + r.decoderCpuMs) / r.cameras).toFixed(0)} ms/cam (sim ${(r.simCpuMs / 1000).toFixed(1)} s + encoder ${(r.encoderCpuMs / 1000).toFixed(1)} s)`,
    `loop delay p50 ${r.eventLoopDelayMs.p50.toFixed(0)} p99 ${r.eventLoopDelayMs.p99.toFixed(0)} max ${r.eventLoopDelayMs.max.toFixed(0)} ms`,
    `load ${r.load[0].toFixed(1)}->${r.load[1].toFixed(1)}`,
  ].join(' | ');

const list = (s: string): number[] => s.split(',').map(Number).filter((n) => Number.isInteger(n) && n > 0);

export const main = async (argv: readonly string[] = process.argv.slice(2)): Promise<void> => {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      sizes: { type: 'string', default: '16,64,256' },
      stream: { type: 'string', default: '6' },
      config: { type: 'string', default: '8' },
      baseline: { type: 'string', default: '64' },
    },
  });
  const baseline = Number(values.baseline);
  const sizes = list(values.sizes);
  const streams = list(values.stream);
  const config = list(values.config)[0] ?? 8;
  console.log(`scale: ${cpus().length} cores, ${cpus()[0]?.model ?? 'unknown CPU'}; sizes ${sizes.join(', ')}; stream concurrency ${streams.join(', ')}; config concurrency ${config}`);
  if (baseline > 0) {
    const r = await runScale(baseline, 'plan', 'plan');
    console.log(`${fmt(r)}   <- pipeline defaults`);
  }
  for (const streamConcurrency of streams) {
    const runs: (ScaleResult)[] = [];
    for (const n of sizes) {
      const r = await runScale(n, config, streamConcurrency);
      runs.push(r);
      console.log(fmt(r));
      if (r.errors.length > 0) console.log(`       first errors: ${r.errors.join('; ')}`);
    }
    const byN = new Map(runs.map((r) => [r.cameras, r]));
    const ratio = (a: number, b: number): string => {
      const x = byN.get(a);
      const y = byN.get(b);
      return x && y ? `wall x${(x.wallMs / y.wallMs).toFixed(2)}, probe stage x${(x.probeMs / y.probeMs).toFixed(2)} for x${a / b} cameras` : 'n/a';
    };
    console.log(`  growth (stream concurrency ${streamConcurrency}): 64/16 ${ratio(64, 16)}; 256/64 ${ratio(256, 64)}`);
    const t = byN.get(TARGET.cameras);
    if (t) {
      const met = t.wallMs < TARGET.wallMs && t.peakTreePssMb < TARGET.rssMb && t.streamOk === TARGET.cameras;
      console.log(`  target (64 cameras < 60 s, < 500 MB, every stream tested): ${met ? 'met' : 'MISSED'}`);
    }
  }
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
