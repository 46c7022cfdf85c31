/**
 * From what the inspector chose (interface, sweep range, people) to an inspection plan: the scope
 * every packet must stay in, and the record's header. The interface's own subnet is the range.
 */
import ipaddr from 'ipaddr.js';
import type { InspectionNetwork, InspectionStart } from '../core/record.js';
import type { CredentialLookup } from '../pipeline/credentials.js';
import { makeScope, type Scope } from '../pipeline/scope.js';
import type { DiscoverOptions } from './ports.js';
import { BATCH_CONCURRENCY, type StreamPolicy } from './rules.js';

/** What probing one device takes: where packets may go, whose password, which streams. */
export interface DevicePlan {
  readonly scope: Scope;
  readonly credentials: CredentialLookup;
  /** false skips the stream tests (configuration only). */
  readonly streamTests: boolean;
  /** Which of the device's streams are tested; an inspection tests the main one. */
  readonly streamPolicy?: StreamPolicy;
}

/** One scripted inspection: its header, where to discover, and how to probe what answers. */
export interface InspectionPlan extends DevicePlan {
  readonly start: InspectionStart;
  readonly discover: DiscoverOptions;
  readonly configConcurrency: number;
  readonly streamConcurrency: number;
}

export interface ChosenInterface {
  readonly name: string;
  readonly address: string;
  readonly netmask: string;
}

export type PlanInput = Omit<InspectionStart, 'interfaceAddress' | 'subnet' | 'zones'> & {
  /** Zones inspected; none named when absent (a scripted run, a benchmark). */
  readonly zones?: readonly string[];
  readonly interfaces: readonly ChosenInterface[];
  readonly sweep: string | null;
  readonly credentials: CredentialLookup;
  readonly streamTests: boolean;
};

/**
 * `192.168.1.23/24` -> `192.168.1.0/24`: the range an interface's subnet covers, recorded the same way whichever
 * front end chose it (the terminal UI lists interfaces by address and prefix, the CLI by address and netmask).
 */
export const networkOf = (cidr: string): string => {
  const [, bits] = ipaddr.IPv4.parseCIDR(cidr);
  return `${ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()}/${bits}`;
};

/** `192.168.1.23` + `255.255.255.0` -> `192.168.1.0/24`. */
export const subnetOf = (address: string, netmask: string): string =>
  networkOf(`${address}/${ipaddr.IPv4.parse(netmask).prefixLengthFromSubnetMask() ?? 32}`);

/**
 * The record's network fields: every interface used, and every range inspected (the interfaces' subnets,
 * then the sweep), each list joined with ", ". recordedScope reads them back. No interface and no range:
 * an inspection opened before its network is chosen.
 */
export const networkFields = (interfaceAddresses: readonly string[], ranges: readonly string[]): InspectionNetwork => ({
  interfaceAddress: interfaceAddresses.join(', '),
  subnet: ranges.join(', ') || null,
});

/** The scope an inspection recorded, for resuming it: the same ranges and interfaces, nothing wider. */
export const recordedScope = (meta: InspectionNetwork): Scope => {
  const list = (s: string | null): string[] => (s ?? '').split(',').map((x) => x.trim()).filter((x) => x !== '');
  return makeScope(list(meta.subnet), list(meta.interfaceAddress));
};

export const buildPlan = (input: PlanInput, signal: AbortSignal): InspectionPlan => {
  const subnets = input.interfaces.map((i) => subnetOf(i.address, i.netmask));
  const { interfaces, sweep, credentials, streamTests, zones, ...header } = input;
  const start: InspectionStart = {
    ...header,
    zones: zones ?? [],
    ...networkFields(
      interfaces.map((i) => i.address),
      [...subnets, ...(sweep ? [sweep] : [])],
    ),
  };
  return {
    start,
    discover: { interfaces: interfaces.map((i) => i.address), sweep, signal },
    scope: makeScope([...subnets, ...(sweep ? [sweep] : [])]),
    credentials,
    streamTests,
    configConcurrency: BATCH_CONCURRENCY.config,
    streamConcurrency: BATCH_CONCURRENCY.stream,
  };
};
