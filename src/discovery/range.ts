/** The one function that decides whether an address may be touched by a sweep. */
import ipaddr from 'ipaddr.js';
import { err, ok, type Result } from '../core/result.js';
import type { ProbeError } from '../core/errors.js';

type PolicyError = Extract<ProbeError, { kind: 'policy' }>;

export interface SweepRange {
  readonly cidr: string;
  /** Host addresses to visit, in order. */
  readonly hosts: readonly string[];
  readonly contains: (address: string) => boolean;
}

/** Larger ranges take long and reach beyond one office LAN; the inspector must ask for them. */
export const MAX_PREFIX_WITHOUT_ALLOW = 22;

export const parseSweepRange = (cidr: string, allowLarge = false): Result<SweepRange, PolicyError> => {
  if (!ipaddr.IPv4.isValidCIDR(cidr)) return err({ kind: 'policy', message: `${cidr} is not an IPv4 CIDR range` });
  const [net, bits] = ipaddr.IPv4.parseCIDR(cidr);
  if (bits < MAX_PREFIX_WITHOUT_ALLOW && !allowLarge) {
    return err({ kind: 'policy', message: `${cidr} is larger than a /${MAX_PREFIX_WITHOUT_ALLOW}; pass allowLarge to sweep it` });
  }
  const size = 2 ** (32 - bits);
  const base = (net.toByteArray().reduce((a, b) => a * 256 + b, 0) & ~(size - 1)) >>> 0;
  const first = base;
  const last = base + size - 1;
  const toText = (n: number): string => [24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.');
  // Network and broadcast addresses are not hosts, except in /31 and /32.
  const hosts: string[] = [];
  for (let n = bits >= 31 ? first : first + 1; n <= (bits >= 31 ? last : last - 1); n++) hosts.push(toText(n));
  const contains = (address: string): boolean => {
    if (!ipaddr.IPv4.isValidFourPartDecimal(address)) return false;
    const n = ipaddr.IPv4.parse(address).toByteArray().reduce((a, b) => a * 256 + b, 0);
    return n >= first && n <= last;
  };
  return ok({ cidr, hosts, contains });
};
