/**
 * `camaudit simulate`: start the simulated sales office, print how to reach it, run until SIGINT/SIGTERM.
 */
import { discoveryPortsFromEnv } from '../discovery/env-ports.js';
import { UsageError } from './exit.js';
import { isSiteState, startSite, type SiteHandle } from '../sim/site.js';

export interface SimulateArgs {
  readonly host: string;
  readonly basePort: string | undefined;
  readonly state: string;
  readonly rtsp: boolean;
  readonly json: boolean;
}

const MAX_BASE_PORT = 65_535 - 60;

const parseBasePort = (raw: string | undefined): number | undefined => {
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1024 || n > MAX_BASE_PORT) throw new UsageError(`--base-port must be an integer 1024..${MAX_BASE_PORT}, got ${raw}`);
  return n;
};

const table = (site: SiteHandle): string => {
  const rows = site.cameras.map((c) => [c.name, c.vendor, c.xaddr, c.username, c.password, c.rtsp ?? 'off']);
  const all = [['CAMERA', 'VENDOR', 'XADDR', 'USER', 'PASSWORD', 'RTSP (main)'], ...rows];
  const widths = all[0]?.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length))) ?? [];
  return all.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
};

export const describeSite = (site: SiteHandle, json: boolean): string => {
  if (json) {
    const lines = site.cameras.map((c) => JSON.stringify(c));
    lines.push(JSON.stringify({ control: site.controlUrl, state: site.state }));
    return `${lines.join('\n')}\n`;
  }
  return [
    `Simulated sales office (fictional names and credentials), state: ${site.state}`,
    table(site),
    '',
    `Control: curl -X POST --data rectified ${site.controlUrl ?? '(off)'}/state   (GET /state, GET /log)`,
    'Press Ctrl-C to stop.',
    '',
  ].join('\n');
};

export const runSimulate = async (args: SimulateArgs): Promise<void> => {
  if (!isSiteState(args.state)) throw new UsageError(`--state must be normal or rectified, got ${args.state}`);
  const basePort = parseBasePort(args.basePort);
  // The same variable scan and inspect read: a training room's office answers where its laptops ask.
  const { wsd, sadp, dhip } = discoveryPortsFromEnv(process.env);
  const site = await startSite({
    host: args.host,
    state: args.state,
    rtsp: args.rtsp,
    ...(basePort ? { basePort } : {}),
    ...(wsd === undefined ? {} : { discoveryPort: wsd }),
    ...(sadp === undefined ? {} : { sadpPort: sadp }),
    ...(dhip === undefined ? {} : { dhipPort: dhip }),
  });
  process.stdout.write(describeSite(site, args.json));
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await site.close();
};
