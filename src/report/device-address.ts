/**
 * The address each device is shown under in a list of devices. Usually its IP; where IPs repeat (a simulated
 * office on 127.0.0.1, cameras behind one NVR or NAT), the IP with the port of its service address; where even
 * that repeats or there is none, with its key too. One decision for the CLI, the terminal UI and the reports.
 */
import type { DeviceRecord } from '../core/record.js';

type Addressed = Pick<DeviceRecord, 'key' | 'address' | 'xaddr'>;

const portOf = (xaddr: string | null): string | null => {
  if (xaddr === null) return null;
  try {
    const url = new URL(xaddr);
    return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80';
  } catch {
    return null;
  }
};

const repeated = (labels: readonly string[]): ReadonlySet<string> => {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const l of labels) (seen.has(l) ? twice : seen).add(l);
  return twice;
};

/** Device key -> the address to show for it among these devices. */
export const addressLabels = (devices: readonly Addressed[]): ReadonlyMap<string, string> => {
  const sameIp = repeated(devices.map((d) => d.address));
  const withPorts = devices.map((d) => {
    const port = sameIp.has(d.address) ? portOf(d.xaddr) : null;
    return port === null ? d.address : `${d.address}:${port}`;
  });
  const still = repeated(withPorts);
  return new Map(devices.map((d, i) => {
    const label = withPorts[i] ?? d.address;
    return [d.key, still.has(label) ? `${label} (${d.key})` : label];
  }));
};
