/**
 * Unicast sweep of a CIDR for cameras multicast misses (other VLAN segments, IGMP snooping, devices
 * with discovery off): a unicast WS-Discovery Probe to <ip>:3702 and an unauthenticated
 * GetSystemDateAndTime on the usual ONVIF ports. Bounded concurrency and rate; every destination
 * passes the range's `contains` first, so nothing outside the range is ever touched.
 */
import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import type { ProbeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { DiscoveredDevice } from '../core/types.js';
import { OnvifClient } from '../onvif/client.js';
import { onvifAnswersAt } from './onvif-check.js';
import { parseProbeMatches, probeMessage, WSD_PORT, type ProbeMatch } from './probe-matches.js';
import { parseSweepRange, type SweepRange } from './range.js';

export const DEFAULT_SWEEP_PORTS: readonly number[] = [80, 8080, 8000, 8899];

export interface SweepOptions {
  readonly ports?: readonly number[];
  readonly wsdPort?: number;
  readonly concurrency?: number;
  /** Hosts started per second. */
  readonly ratePerSec?: number;
  /** Per host: HTTP deadline and how long to wait for a unicast ProbeMatch. */
  readonly timeoutMs?: number;
  readonly allowLarge?: boolean;
  readonly signal?: AbortSignal;
  readonly devicePath?: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export const sweep = async (
  cidr: string,
  opts: SweepOptions = {},
  onDevice: (d: DiscoveredDevice) => void = () => undefined,
): Promise<Result<DiscoveredDevice[], ProbeError>> => {
  const range = parseSweepRange(cidr, opts.allowLarge);
  if (!range.ok) return range;
  return sweepRange(range.value, opts, onDevice);
};

const sweepRange = async (range: SweepRange, opts: SweepOptions, onDevice: (d: DiscoveredDevice) => void): Promise<Result<DiscoveredDevice[], ProbeError>> => {
  const ports = opts.ports ?? DEFAULT_SWEEP_PORTS;
  const wsdPort = opts.wsdPort ?? WSD_PORT;
  const concurrency = Math.max(1, opts.concurrency ?? 32);
  const intervalMs = 1000 / Math.max(1, opts.ratePerSec ?? 100);
  const timeoutMs = opts.timeoutMs ?? 1500;
  const devicePath = opts.devicePath ?? '/onvif/device_service';
  const messageId = `urn:uuid:${randomUUID()}`;
  const probe = Buffer.from(probeMessage(messageId), 'utf8');

  // One UDP socket for all unicast probes; answers are routed to the waiting host by source address.
  const udpAnswers = new Map<string, ProbeMatch[]>();
  const socket = dgram.createSocket('udp4');
  // ICMP port-unreachable from silent hosts surfaces here; a sweep expects plenty of those.
  socket.on('error', () => undefined);
  socket.on('message', (msg, rinfo) => {
    if (msg.length > 32 * 1024 || !range.contains(rinfo.address)) return;
    const parsed = parseProbeMatches(msg);
    if (!parsed.ok || (parsed.value.relatesTo !== null && parsed.value.relatesTo !== messageId)) return;
    udpAnswers.set(rinfo.address, [...(udpAnswers.get(rinfo.address) ?? []), ...parsed.value.matches]);
  });
  try {
    await new Promise<void>((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, () => resolve());
    });
  } catch (e) {
    socket.close();
    return err({ kind: 'transport', reason: 'other', message: `cannot open a sweep socket: ${e instanceof Error ? e.message : String(e)}` });
  }

  const found: DiscoveredDevice[] = [];
  const visit = async (host: string): Promise<void> => {
    // The guard every destination passes; a bug upstream cannot widen the sweep.
    if (!range.contains(host)) throw new Error(`sweep target ${host} outside ${range.cidr}`);
    const started = Date.now();
    socket.send(probe, wsdPort, host);
    const client = new OnvifClient({ timeoutMs, ...(opts.signal === undefined ? {} : { signal: opts.signal }), maxResponseBytes: 256 * 1024 });
    const answered = await Promise.all(
      ports.map(async (port) => {
        const url = `http://${host}:${port}${devicePath}`;
        return (await onvifAnswersAt(client, url)) === true ? url : null;
      }),
    );
    const rest = timeoutMs - (Date.now() - started);
    if (!udpAnswers.has(host) && rest > 0) {
      // Give the unicast ProbeMatch a little longer, bounded by the per-host budget.
      for (let waited = 0; waited < rest && !udpAnswers.has(host); waited += 50) await sleep(50);
    }
    const matches = udpAnswers.get(host) ?? [];
    const httpXaddrs = answered.filter((u): u is string => u !== null);
    if (matches.length === 0 && httpXaddrs.length === 0) return;
    const m = matches[0];
    const xaddrs = [...new Set([...(m?.xaddrs ?? []), ...httpXaddrs])];
    const d: DiscoveredDevice = {
      address: host,
      xaddrs,
      endpoint: m?.endpoint ?? `sweep:${host}`,
      scopes: m?.scopes ?? [],
      via: 'sweep',
      ...(m === undefined ? { quirks: ['no unicast ProbeMatch; found by GetSystemDateAndTime'] } : {}),
    };
    found.push(d);
    onDevice(d);
  };

  const queue = [...range.hosts];
  let nextStart = Date.now();
  const worker = async (): Promise<void> => {
    for (;;) {
      if (opts.signal?.aborted) return;
      const host = queue.shift();
      if (host === undefined) return;
      // Rate limit: hosts start at least intervalMs apart, across all workers.
      const wait = nextStart - Date.now();
      nextStart = Math.max(nextStart, Date.now()) + intervalMs;
      if (wait > 0) await sleep(wait);
      await visit(host);
    }
  };
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, worker));
  } finally {
    socket.close();
  }
  return ok(found);
};
