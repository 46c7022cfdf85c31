/**
 * Discovery on a simulated LAN in network namespaces (src/sim/lan.ts): the cameras run in one child
 * process in the camera namespace, the discovery tools in another in the inspector namespace.
 * Shared by bench/discovery-loss.ts and tests/scale.
 */
import type { ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { WSD_PORT } from '../src/discovery/probe-matches.js';
import { createLan } from '../src/sim/lan.js';

export type DiscoveryTool = 'ours' | 'ours-3' | 'onvif';

export interface Attempt {
  readonly tool: string;
  readonly run: number;
  readonly found: number;
  /** From the first send to the last new device. */
  readonly lastMs: number;
  /** Until the tool returned. */
  readonly totalMs: number;
}

export interface LanDiscoveryOptions {
  readonly hosts: number;
  readonly runs: number;
  readonly tools: readonly DiscoveryTool[];
  readonly lossRate: number;
  /** Progress lines (one per attempt). */
  readonly onAttempt?: (a: Attempt) => void;
}

const BENCH = import.meta.dirname;
const ROOT = join(BENCH, '..');
const CAMERAS_READY_TIMEOUT_MS = 60_000;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

/** One line of scale-lan-discover.ts, or null for anything else. */
export const decodeAttempt = (line: string): Attempt | null => {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return null;
  }
  if (!isRecord(v)) return null;
  const { tool, run, found, lastMs, totalMs } = v;
  if (typeof tool !== 'string' || typeof run !== 'number' || typeof found !== 'number' || typeof lastMs !== 'number' || typeof totalMs !== 'number') return null;
  return { tool, run, found, lastMs, totalMs };
};

const exited = (child: ChildProcess, what: string): Promise<never> =>
  new Promise((_, reject) => child.once('exit', (code) => reject(new Error(`${what} exited (${code ?? 'signal'})`))));

const readyLine = (child: ChildProcess): Promise<void> =>
  Promise.race([
    new Promise<void>((resolve) => child.stdout?.once('data', () => resolve())),
    exited(child, 'the camera process'),
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('cameras not ready in time')), CAMERAS_READY_TIMEOUT_MS).unref()),
  ]);

export const runLanDiscovery = async (opts: LanDiscoveryOptions): Promise<Attempt[]> => {
  const lan = createLan(opts.hosts);
  const onSignal = (): void => {
    lan.close();
    process.exit(130);
  };
  process.once('SIGINT', onSignal);
  try {
    const tsx = (script: string, args: readonly string[]): string[] => ['--import', 'tsx', join(BENCH, script), ...args];
    const cameras = lan.spawnIn(lan.camerasNs, process.execPath, tsx('scale-lan-cameras.ts', [String(opts.hosts), String(opts.lossRate), String(WSD_PORT)]), { cwd: ROOT });
    await readyLine(cameras);
    const runner = lan.spawnIn(lan.inspectorNs, process.execPath, tsx('scale-lan-discover.ts', [lan.inspectorAddress, lan.inspectorIf, String(opts.runs), opts.tools.join(',')]), { cwd: ROOT });
    const attempts: Attempt[] = [];
    const done = new Promise<void>((resolve, reject) => {
      runner.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`discovery runner exited with ${code ?? 'a signal'}`))));
    });
    if (runner.stdout) {
      for await (const line of createInterface({ input: runner.stdout })) {
        const a = decodeAttempt(line);
        if (!a) continue;
        attempts.push(a);
        opts.onAttempt?.(a);
      }
    }
    await done;
    cameras.stdin?.end();
    return attempts;
  } finally {
    process.off('SIGINT', onSignal);
    lan.close();
  }
};
