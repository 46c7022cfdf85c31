/** `camaudit scan`: discovery, then a table or JSON. */
import type { Command } from 'commander';
import { describeError } from '../../core/errors.js';
import type { DiscoveredDevice } from '../../core/types.js';
import { terminalLine } from '../../report/text.js';
import { UsageError } from '../exit.js';
export interface ScanInput {
  readonly interface?: readonly string[];
  readonly sweep?: string;
  readonly ports?: string;
  readonly timeout: string;
  readonly allowLarge?: boolean;
  readonly json?: boolean;
}

export const parsePositiveInt = (flag: string, value: string, max: number): number => {
  if (!/^\d+$/.test(value)) throw new UsageError(`${flag} expects a number, got ${JSON.stringify(value)}`);
  const n = Number.parseInt(value, 10);
  if (n < 1 || n > max) throw new UsageError(`${flag} must be between 1 and ${max}, got ${n}`);
  return n;
};

export const parsePorts = (value: string): number[] =>
  value.split(',').map((p) => parsePositiveInt('--ports', p.trim(), 65535));

export const scanTable = (devices: readonly DiscoveredDevice[]): string => {
  if (devices.length === 0) return 'No devices found.\n';
  const rows = devices.map((d) => [d.address, d.via, d.xaddrs.join(' '), d.endpoint, (d.quirks ?? []).join('; ')].map(terminalLine));
  const head = ['ADDRESS', 'VIA', 'XADDRS', 'ENDPOINT', 'NOTES'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
};

export const toScanJson = (d: DiscoveredDevice) => ({
  address: d.address,
  xaddrs: [...d.xaddrs],
  endpoint: d.endpoint,
  scopes: [...d.scopes],
  via: d.via,
  ...(d.interface === undefined ? {} : { interface: d.interface }),
  ...(d.quirks === undefined ? {} : { quirks: [...d.quirks] }),
});

export const runScan = async (input: ScanInput): Promise<void> => {
  const timeoutMs = parsePositiveInt('--timeout', input.timeout, 600_000);
  const ports = parsePorts(input.ports ?? '80,8080,8000,8899');
  const { discover } = await import('../../discovery/ws-discovery.js');
  const { sweep } = await import('../../discovery/sweep.js');
  const all: DiscoveredDevice[] = [];
  const { wsdPortFromEnv } = await import('../../discovery/probe-matches.js');
  const wsdPort = wsdPortFromEnv(process.env);
  const found = await discover({ ...(input.interface === undefined ? {} : { interfaces: input.interface }), durationMs: timeoutMs, ...(wsdPort === undefined ? {} : { port: wsdPort }) });
  if (!found.ok) throw new UsageError(describeError(found.error));
  all.push(...found.value);
  if (input.sweep !== undefined) {
    const swept = await sweep(input.sweep, { ports, timeoutMs: Math.min(timeoutMs, 3000), allowLarge: input.allowLarge === true, ...(wsdPort === undefined ? {} : { wsdPort }) });
    if (!swept.ok) throw new UsageError(describeError(swept.error));
    // Multicast and sweep may find the same device: keep the multicast answer (it has an endpoint).
    for (const d of swept.value) if (!all.some((a) => a.address === d.address)) all.push(d);
  }
  process.stdout.write(input.json ? `${JSON.stringify(all.map(toScanJson), null, 2)}\n` : scanTable(all));
};

interface ScanFlags {
  readonly interface?: string[];
  readonly sweep?: string;
  readonly ports?: string;
  readonly timeout: string;
  readonly allowLarge?: boolean;
  readonly json?: boolean;
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export const register = (program: Command): void => {
  program
    .command('scan')
    .description('Find ONVIF cameras: WS-Discovery on the chosen interfaces, and optionally a unicast sweep of a range')
    .option('--interface <addr|nic>', 'interface to probe from (repeatable; default: every up non-loopback IPv4 interface)', collect)
    .option('--sweep <cidr>', 'also sweep this IPv4 range by unicast (at most a /22 unless --allow-large)')
    .option('--ports <list>', 'ports for the sweep\'s GetSystemDateAndTime', '80,8080,8000,8899')
    .option('--timeout <ms>', 'multicast listening time; per-host budget of the sweep', '3000')
    .option('--allow-large', 'allow sweeping ranges larger than a /22')
    .option('--json', 'print a JSON array')
    .action(async (flags: ScanFlags) => {
      await runScan(flags);
    });
};
