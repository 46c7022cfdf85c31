/**
 * Discovery at scale and under loss (issue 6): 64 camera addresses on a simulated LAN in network
 * namespaces, every camera dropping 10% of WS-Discovery packets each way, compared in the same run with
 * the `onvif` package's Discovery.probe (timeout 3000 ms) from the same inspector namespace, and with our
 * discover() at the previous default of 3 probes. Root only; says why and skips otherwise.
 * Run: node --import tsx bench/discovery-loss.ts [hosts=64] [runs=5]
 */
import { pathToFileURL } from 'node:url';
import { netnsUnavailableReason } from '../src/sim/lan.js';
import { runLanDiscovery, type Attempt, type DiscoveryTool } from './scale-lan.js';

const TOOLS: readonly DiscoveryTool[] = ['ours', 'onvif', 'ours-3'];
const LABEL: Record<DiscoveryTool, string> = {
  ours: 'camaudit discover (defaults: 6 probes)',
  'ours-3': 'camaudit discover, 3 probes (previous default)',
  onvif: 'onvif 0.8.3 Discovery.probe (timeout 3000)',
};

const summary = (tool: DiscoveryTool, hosts: number, attempts: readonly Attempt[]): string => {
  const mine = attempts.filter((a) => a.tool === tool);
  const found = mine.map((a) => a.found);
  const last = mine.map((a) => a.lastMs);
  const complete = mine.filter((a) => a.found === hosts).length;
  return `${LABEL[tool].padEnd(48)} found ${found.map((f) => `${f}/${hosts}`).join(' ')}; complete ${complete}/${mine.length}; last device after ${Math.min(...last)}-${Math.max(...last)} ms`;
};

export const main = async (argv: readonly string[] = process.argv.slice(2)): Promise<void> => {
  const hosts = Number(argv[0] ?? 64);
  const runs = Number(argv[1] ?? 5);
  const reason = netnsUnavailableReason();
  if (reason) {
    console.log(`discovery-loss: skipped: ${reason}`);
    return;
  }
  console.log(`discovery-loss: ${hosts} cameras (one camera namespace, one address each) and an inspector namespace on a bridge, 10% loss each way, ${runs} runs`);
  const attempts = await runLanDiscovery({
    hosts,
    runs,
    tools: TOOLS,
    lossRate: 0.1,
    onAttempt: (a) => console.log(`  run ${a.run + 1} ${a.tool.padEnd(6)} ${a.found}/${hosts}, last device ${a.lastMs} ms, returned ${a.totalMs} ms`),
  });
  for (const tool of TOOLS) console.log(summary(tool, hosts, attempts));
};

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
