/**
 * Child of bench/scale.ts: one full inspection (discovery, config probe and a 5-frame stream test per
 * camera) of the simulated cameras the parent serves on loopback, in a fresh process so that its peak
 * memory and event-loop delay are this run's alone. Prints one JSON line (ScaleRun) on stdout.
 * Usage: node --import tsx bench/scale-inspect.ts <cameras> <discoveryPort> <configConcurrency|plan> <streamConcurrency|plan>
 * (`plan`: the pipeline's own default, from buildPlan).
 * The cameras' shared password comes in CAMAUDIT_SCALE_PASSWORD (never argv).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { VisitEngine } from '../src/visit/engine.js';
import { buildPlan } from '../src/visit/plan.js';
import { DEFAULT_PORT_SETTINGS, realPorts } from '../src/pipeline/ports.js';
import { deriveFindings } from '../src/rules/derive.js';
import { openStore } from '../src/store/store.js';
import { BLAZEFACE_BACK } from '../src/stream/model.js';
import type { ScaleRun } from './scale-run.js';

const [cameras = '16', discoveryPort = '0', configConcurrency = 'plan', streamConcurrency = 'plan'] = process.argv.slice(2);
const password = process.env.CAMAUDIT_SCALE_PASSWORD ?? '';

/**
 * Proportional set size (resident memory, shared pages split among their users) of a process, from
 * /proc; 0 where there is none. RSS would count the decoders' shared ffmpeg libraries once per decoder.
 */
const pssBytes = (pid: number | 'self'): number => {
  try {
    const kb = /^Pss:\s+(\d+)/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'))?.[1];
    return Number(kb ?? 0) * 1024;
  } catch {
    // A child that exited between the listing and the read, or no /proc (not Linux): counted as nothing.
    return 0;
  }
};

/** This process and its children (the ffmpeg decoders) together. */
const treePssBytes = (): number => {
  let total = pssBytes('self');
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      for (const pid of readFileSync(`/proc/self/task/${tid}/children`, 'utf8').split(' ').filter(Boolean)) total += pssBytes(Number(pid));
    }
  } catch {
    // No /proc (not Linux): the tree figure stays this process's own.
  }
  return total;
};

/** CPU time of this process's exited children (the ffmpeg decoders), from /proc/self/stat; 0 without /proc. */
const reapedChildrenCpuMs = (): number => {
  try {
    const fields = readFileSync('/proc/self/stat', 'utf8').split(') ')[1]?.split(' ') ?? [];
    // cutime and cstime (fields 16 and 17 of proc(5)), in clock ticks of 10 ms on Linux.
    return (Number(fields[13] ?? 0) + Number(fields[14] ?? 0)) * 10;
  } catch {
    return 0;
  }
};

const dir = await mkdtemp(join(tmpdir(), 'camaudit-scale-'));
const store = openStore(join(dir, 'scale.db'));
store.upsertSite({ id: 'scale', name: 'Scale benchmark', address: 'loopback', district: '-', developer: '-', contact: '-', campaign: null });
const controller = new AbortController();
const planned = buildPlan(
    {
      siteId: 'scale',
      kind: 'first',
      previousInspectionId: null,
      caseNumber: 'BENCH',
      inspectors: ['bench'],
      experts: [],
      representative: '',
      witness: '',
      interfaces: [{ name: 'lo', address: '127.0.0.1', netmask: '255.0.0.0' }],
      sweep: null,
      credentials: () => ({ username: 'admin', password }),
      streamTests: true,
      toolkitVersion: 'bench',
      modelSha256: BLAZEFACE_BACK.sha256,
    },
    controller.signal,
);
const plan = {
  ...planned,
  configConcurrency: configConcurrency === 'plan' ? planned.configConcurrency : Number(configConcurrency),
  streamConcurrency: streamConcurrency === 'plan' ? planned.streamConcurrency : Number(streamConcurrency),
};

const eld = monitorEventLoopDelay({ resolution: 10 });
let peakRss = 0;
let peakTreePss = 0;
const sample = (): void => {
  const rss = process.memoryUsage.rss();
  peakRss = Math.max(peakRss, rss);
  peakTreePss = Math.max(peakTreePss, treePssBytes());
};
const sampler = setInterval(sample, 100);
const stages: Record<string, number> = {};
let found = 0;
let configOk = 0;
let streamOk = 0;
let frames = 0;
const errors: string[] = [];
const cpu0 = process.cpuUsage();
const t0 = performance.now();
eld.enable();
const outcome = await new VisitEngine({ ports: realPorts({ ...DEFAULT_PORT_SETTINGS, discoveryPort: Number(discoveryPort) }), store, deriveFindings }, (e) => {
    if (e.type === 'device-found') found += 1;
    else if (e.type === 'stage-done') stages[e.stage] = e.ms;
    else if (e.type === 'device-probed') configOk += 1;
    else if (e.type === 'device-error') errors.push(`${e.address}: ${e.error.kind}`);
    else if (e.type === 'stream-done') {
      frames += e.facts.frames;
      if (e.facts.error === null && e.facts.frames > 0) streamOk += 1;
      else errors.push(`${e.address} stream: ${e.facts.error?.kind ?? 'no frames'}`);
    }
}).run(plan, controller.signal);
const wallMs = performance.now() - t0;
eld.disable();
clearInterval(sampler);
sample();
const cpu = process.cpuUsage(cpu0);
store.close();
const dbBytes = statSync(join(dir, 'scale.db')).size;
await rm(dir, { recursive: true, force: true });
const run: ScaleRun = {
  cameras: Number(cameras),
  configConcurrency: plan.configConcurrency,
  streamConcurrency: plan.streamConcurrency,
  ok: outcome.ok,
  dbBytes,
  found,
  configOk,
  streamOk,
  frames,
  errors: errors.slice(0, 5),
  wallMs: Math.round(wallMs),
  discoverMs: stages.discover ?? 0,
  probeMs: stages.probe ?? 0,
  peakRssMb: Math.round(Math.max(peakRss, process.resourceUsage().maxRSS * 1024) / 2 ** 20),
  peakTreePssMb: Math.round(peakTreePss / 2 ** 20),
  cpuMs: Math.round((cpu.user + cpu.system) / 1000),
  decoderCpuMs: reapedChildrenCpuMs(),
  eventLoopDelayMs: { p50: eld.percentile(50) / 1e6, p99: eld.percentile(99) / 1e6, max: eld.max / 1e6 },
};
process.stdout.write(`${JSON.stringify(run)}\n`);
