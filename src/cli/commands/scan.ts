/** `camaudit scan`: discovery, then a table or JSON. */
import type { Command } from 'commander';
import { describeError } from '../../core/errors.js';
import type { DiscoveredDevice } from '../../core/types.js';
import type { ScanEntry } from '../../discovery/scan-merge.js';
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

const yesNo = (v: boolean | null): string => (v === null ? '?' : v ? 'yes' : 'no');

export const scanTable = (devices: readonly ScanEntry[]): string => {
  if (devices.length === 0) return 'No devices found.\n';
  const rows = devices.map((d) => [
    d.httpPort === null ? d.address : `${d.address}:${d.httpPort}`,
    d.via.join(','),
    [d.vendor, d.model].filter((x) => x !== null).join(' '),
    d.deviceClass,
    yesNo(d.onvif),
    d.cloud ? yesNo(d.cloud.enabled) : '',
    d.xaddrs.join(' '),
    (d.quirks ?? []).join('; '),
  ].map(terminalLine));
  const head = ['ADDRESS', 'VIA', 'DEVICE', 'CLASS', 'ONVIF', 'CLOUD', 'XADDRS', 'NOTES'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: readonly string[]): string => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd();
  return [line(head), ...rows.map(line)].join('\n') + '\n';
};

/** The documented `scan --json` shape: the ONVIF fields first, then what vendor discovery adds. */
export const toScanJson = (d: ScanEntry) => ({
  address: d.address,
  xaddrs: [...d.xaddrs],
  endpoint: d.endpoint,
  scopes: [...d.scopes],
  via: [...d.via],
  ...(d.interface === undefined ? {} : { interface: d.interface }),
  ...(d.quirks === undefined || d.quirks.length === 0 ? {} : { quirks: [...d.quirks] }),
  vendor: d.vendor,
  model: d.model,
  serial: d.serial,
  mac: d.mac,
  deviceClass: d.deviceClass,
  onvif: d.onvif,
  ports: [...d.ports],
  httpPort: d.httpPort,
  activated: d.activated,
  ...(d.cloud === undefined ? {} : { cloud: { ...d.cloud } }),
  inScope: d.inScope,
});

export const runScan = async (input: ScanInput, env: Readonly<Record<string, string | undefined>> = process.env): Promise<void> => {
  const timeoutMs = parsePositiveInt('--timeout', input.timeout, 600_000);
  const ports = parsePorts(input.ports ?? '80,8080,8000,8899');
  const { chooseInterfaces, inInterfaceSubnet } = await import('../../discovery/interfaces.js');
  const { parseSweepRange } = await import('../../discovery/range.js');
  const chosen = chooseInterfaces(input.interface);
  if (!chosen.ok) throw new UsageError(describeError(chosen.error));
  const range = input.sweep === undefined ? null : parseSweepRange(input.sweep, input.allowLarge === true);
  if (range !== null && !range.ok) throw new UsageError(describeError(range.error));
  const { discover } = await import('../../discovery/ws-discovery.js');
  const { sweep } = await import('../../discovery/sweep.js');
  const { DHIP, inquire, SADP } = await import('../../discovery/vendor-discovery.js');
  const { discoveryPortsFromEnv } = await import('../../discovery/env-ports.js');
  const { mergeScan, onvifCheckUrl } = await import('../../discovery/scan-merge.js');
  const envPorts = discoveryPortsFromEnv(env);
  const interfaces = input.interface === undefined ? {} : { interfaces: input.interface };
  // The three multicast inquiries listen side by side: the scan takes one listening window, not three.
  const [wsd, sadp, dhip] = await Promise.all([
    discover({ ...interfaces, durationMs: timeoutMs, ...(envPorts.wsd === undefined ? {} : { port: envPorts.wsd }) }),
    inquire(SADP, { ...interfaces, durationMs: timeoutMs, ...(envPorts.sadp === undefined ? {} : { port: envPorts.sadp }) }),
    inquire(DHIP, { ...interfaces, durationMs: timeoutMs, ...(envPorts.dhip === undefined ? {} : { port: envPorts.dhip }) }),
  ]);
  if (!wsd.ok) throw new UsageError(describeError(wsd.error));
  const onvif: DiscoveredDevice[] = [...wsd.value];
  if (range !== null && input.sweep !== undefined) {
    const swept = await sweep(input.sweep, { ports, timeoutMs: Math.min(timeoutMs, 3000), allowLarge: input.allowLarge === true, ...(envPorts.wsd === undefined ? {} : { wsdPort: envPorts.wsd }) });
    if (!swept.ok) throw new UsageError(describeError(swept.error));
    // Multicast and sweep may find the same device: keep the multicast answer (it has an endpoint).
    for (const d of swept.value) if (!onvif.some((a) => a.address === d.address)) onvif.push(d);
  }
  const inScope = (address: string): boolean => chosen.value.some((i) => inInterfaceSubnet(i, address)) || (range?.ok === true && range.value.contains(address));
  const sightings = [...(sadp.ok ? sadp.value : []), ...(dhip.ok ? dhip.value : [])];
  const merged = mergeScan(onvif, sightings, inScope);
  // A device only SADP or DHIP found: one unauthenticated GetSystemDateAndTime on its HTTP port says whether ONVIF is off.
  const { OnvifClient } = await import('../../onvif/client.js');
  const { onvifAnswersAt } = await import('../../discovery/onvif-check.js');
  const client = new OnvifClient({ timeoutMs: Math.min(timeoutMs, 3000), maxResponseBytes: 256 * 1024 });
  const all: ScanEntry[] = await Promise.all(
    merged.map(async (e) => {
      const url = onvifCheckUrl(e);
      return url === null ? e : { ...e, onvif: await onvifAnswersAt(client, url) };
    }),
  );
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
    .description('Find cameras and recorders: WS-Discovery, SADP (Hikvision) and DHIP (Dahua) on the chosen interfaces, and optionally a unicast sweep of a range')
    .option('--interface <addr|nic>', 'interface to probe from (repeatable; default: every up non-loopback IPv4 interface)', collect)
    .option('--sweep <cidr>', 'also sweep this IPv4 range by unicast (at most a /22 unless --allow-large)')
    .option('--ports <list>', 'ports for the sweep\'s GetSystemDateAndTime', '80,8080,8000,8899')
    .option('--timeout <ms>', 'listening time of the multicast inquiries; per-host budget of the sweep', '3000')
    .option('--allow-large', 'allow sweeping ranges larger than a /22')
    .option('--json', 'print a JSON array')
    .action(async (flags: ScanFlags) => {
      await runScan(flags);
    });
};
