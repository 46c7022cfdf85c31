/**
 * The inspector's chosen range: every address the tool may send a packet to. Device answers can
 * name other hosts (a forged XAddr, a stream URI on the Internet, a redirect); those are refused
 * and recorded, never contacted.
 */
import ipaddr from 'ipaddr.js';

export interface Scope {
  /** CIDR ranges (the interface's subnet, the sweep range). */
  readonly ranges: readonly (readonly [ipaddr.IPv4 | ipaddr.IPv6, number])[];
  /** Single addresses the inspector named. */
  readonly hosts: ReadonlySet<string>;
}

export const makeScope = (cidrs: readonly string[], hosts: readonly string[] = []): Scope => ({
  ranges: cidrs.map((c) => ipaddr.parseCIDR(c)),
  hosts: new Set(hosts),
});

/** True when makeScope takes the range: the UI refuses a mistyped sweep before anything is recorded or sent. */
export const isRange = (cidr: string): boolean => ipaddr.isValidCIDR(cidr);

const hostOf = (url: string): string | null => {
  try {
    const h = new URL(url).hostname;
    return h.startsWith('[') ? h.slice(1, -1) : h;
  } catch {
    return null;
  }
};

/** True when the URL's host is a literal IP address inside the scope (names are never resolved). */
export const urlInScope = (scope: Scope, url: string): boolean => {
  const host = hostOf(url);
  if (host === null) return false;
  if (scope.hosts.has(host)) return true;
  if (!ipaddr.isValid(host)) return false;
  const addr = ipaddr.process(host);
  return scope.ranges.some(([net, bits]) => addr.kind() === net.kind() && addr.match([net, bits]));
};
