/**
 * The inspector's choice of network interfaces, and the subnet arithmetic every discovery protocol
 * judges answers by: which interfaces to send from, whether an address lies in an interface's subnet,
 * and the subnet's broadcast address (DHIP also asks there).
 */
import os from 'node:os';
import ipaddr from 'ipaddr.js';
import { err, ok, type Result } from '../core/result.js';
import type { ProbeError } from '../core/errors.js';

export interface InterfaceChoice {
  readonly name: string;
  readonly address: string;
  readonly netmask: string;
}

type NetworkInterfaces = ReturnType<typeof os.networkInterfaces>;

/** Resolve inspector input (address or NIC name) against the host's interfaces. */
export const chooseInterfaces = (
  wanted: readonly string[] | undefined,
  nics: NetworkInterfaces = os.networkInterfaces(),
): Result<InterfaceChoice[], Extract<ProbeError, { kind: 'policy' }>> => {
  const all = Object.entries(nics).flatMap(([name, infos]) =>
    (infos ?? []).filter((i) => i.family === 'IPv4').map((i) => ({ name, address: i.address, netmask: i.netmask, internal: i.internal })),
  );
  const strip = ({ name, address, netmask }: InterfaceChoice): InterfaceChoice => ({ name, address, netmask });
  if (!wanted || wanted.length === 0) return ok(all.filter((i) => !i.internal).map(strip));
  const out: InterfaceChoice[] = [];
  for (const w of wanted) {
    const found = all.filter((i) => i.address === w || i.name === w);
    if (found.length === 0) return err({ kind: 'policy', message: `no IPv4 interface named or addressed ${w}` });
    for (const f of found) if (!out.some((o) => o.address === f.address)) out.push(strip(f));
  }
  return ok(out);
};

/** The interfaces a discovery protocol sends from: the inspector's choice, and never none. */
export const sendingInterfaces = (wanted: readonly string[] | undefined): Result<InterfaceChoice[], Extract<ProbeError, { kind: 'policy' }>> => {
  const chosen = chooseInterfaces(wanted);
  if (chosen.ok && chosen.value.length === 0) return err({ kind: 'policy', message: 'no up IPv4 interface to probe from; name one with --interface' });
  return chosen;
};

const bytesOf = (address: string): number[] | null =>
  ipaddr.IPv4.isValidFourPartDecimal(address) ? ipaddr.IPv4.parse(address).toByteArray() : null;

export const sameSubnet = (a: string, b: string, netmask: string): boolean => {
  const m = bytesOf(netmask);
  const x = bytesOf(a);
  const y = bytesOf(b);
  if (!m || !x || !y) return false;
  return m.every((mb, i) => ((x[i] ?? 0) & mb) === ((y[i] ?? 0) & mb));
};

/** Whether `address` lies in the subnet of the chosen interface. */
export const inInterfaceSubnet = (iface: InterfaceChoice, address: string): boolean => sameSubnet(address, iface.address, iface.netmask);

/** The subnet's directed broadcast address (`192.168.1.255` for 192.168.1.10/24). */
export const broadcastAddress = (iface: InterfaceChoice): string | null => {
  const m = bytesOf(iface.netmask);
  const a = bytesOf(iface.address);
  if (!m || !a) return null;
  return a.map((b, i) => (b | (~(m[i] ?? 0) & 255)) & 255).join('.');
};
