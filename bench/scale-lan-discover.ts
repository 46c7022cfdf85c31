/**
 * Child of bench/discovery-loss.ts and tests/scale, run in the LAN's inspector namespace: discovery
 * rounds, one JSON line per attempt {tool, run, found, lastMs, totalMs}. Tools: `ours` (discover() with
 * default settings), `ours-3` (our discover() with 3 probes, the previous default), `onvif` (the `onvif`
 * package's Discovery.probe, timeout 3000 ms). Tools alternate within a run so that each meets the same
 * conditions.
 * Usage: node --import tsx bench/scale-lan-discover.ts <interfaceAddress> <interfaceName> <runs> <tool,tool...>
 */
import onvif from 'onvif';
import { describeError } from '../src/core/errors.js';
import { discover } from '../src/discovery/ws-discovery.js';
import type { Attempt } from './scale-lan.js';

const ONVIF_TIMEOUT_MS = 3000;

const ours = async (address: string, repeats: number | undefined): Promise<Omit<Attempt, 'tool' | 'run'>> => {
  const t0 = performance.now();
  let lastMs = 0;
  const r = await discover({ interfaces: [address], ...(repeats ? { repeats } : {}) }, () => {
    lastMs = performance.now() - t0;
  });
  if (!r.ok) throw new Error(`discover failed: ${describeError(r.error)}`);
  return { found: r.value.length, lastMs, totalMs: performance.now() - t0 };
};

const peer = (ifName: string): Promise<Omit<Attempt, 'tool' | 'run'>> =>
  new Promise((resolve, reject) => {
    const t0 = performance.now();
    let lastMs = 0;
    const onDevice = (): void => {
      lastMs = performance.now() - t0;
    };
    onvif.Discovery.on('device', onDevice);
    // resolve: false keeps the package from building Cam objects (it would then contact the cameras).
    onvif.Discovery.probe({ timeout: ONVIF_TIMEOUT_MS, resolve: false, device: ifName }, (e, cams) => {
      onvif.Discovery.removeListener('device', onDevice);
      // Errors here are per-packet parse complaints; only a socket failure leaves no list.
      if (!cams) reject(new Error(`onvif probe failed: ${String(e)}`));
      else resolve({ found: cams.length, lastMs, totalMs: performance.now() - t0 });
    });
  });

const [address = '', ifName = '', runs = '5', tools = 'ours,onvif'] = process.argv.slice(2);
const toolList = tools.split(',');
for (let run = 0; run < Number(runs); run++) {
  // Rotate the order so no tool always goes first.
  const order = toolList.map((_, i) => toolList[(i + run) % toolList.length] ?? 'ours');
  for (const tool of order) {
    const a = tool === 'onvif' ? await peer(ifName) : await ours(address, tool === 'ours-3' ? 3 : undefined);
    const line: Attempt = { tool, run, found: a.found, lastMs: Math.round(a.lastMs), totalMs: Math.round(a.totalMs) };
    process.stdout.write(`${JSON.stringify(line)}\n`);
  }
}
