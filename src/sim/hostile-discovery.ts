/**
 * A WS-Discovery flood: one host that answers each Probe with thousands of ProbeMatches — the same
 * endpoint over and over, spoofed endpoint references, XAddrs naming hosts outside the inspector's
 * range, answers to someone else's Probe, and datagrams that are not XML at all.
 */
import { randomBytes } from 'node:crypto';
import dgram from 'node:dgram';
import { WSD_GROUP } from '../discovery/probe-matches.js';
import { probeMatches, readProbe } from './discovery.js';

export interface ProbeMatchesFloodOptions {
  /** The flooding host's 127.0.0.0/8 address, its answers' source (default 127.0.0.3: another host than the cameras). */
  readonly address?: string;
  /** The (private) WS-Discovery port. */
  readonly port: number;
  /** Datagrams per Probe (default 3000). */
  readonly replies?: number;
  /** Distinct spoofed endpoint references among them; the rest repeat them (default 500). */
  readonly endpoints?: number;
  /** XAddrs of the spoofed matches (default an address outside a 127.0.0.1/32 range). */
  readonly xaddr?: (i: number) => string;
  /** Datagrams per millisecond (default 10, about a 100 Mbit/s LAN's worth of 1.3 kB answers). */
  readonly ratePerMs?: number;
}

export interface ProbeMatchesFloodHandle {
  /** Datagrams sent so far. */
  readonly sent: () => number;
  readonly probes: () => number;
  close(): Promise<void>;
}

/** A burst every this many ms; Node timers are no finer. */
const BURST_INTERVAL_MS = 10;

export const floodEndpoint = (i: number): string => `urn:uuid:f100d000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

export const startProbeMatchesFlood = async (opts: ProbeMatchesFloodOptions): Promise<ProbeMatchesFloodHandle> => {
  const address = opts.address ?? '127.0.0.3';
  if (!address.startsWith('127.')) throw new Error(`the flood runs on 127.0.0.0/8 only, not ${address}`);
  const replies = opts.replies ?? 3000;
  const endpoints = Math.max(1, opts.endpoints ?? 500);
  const xaddr = opts.xaddr ?? ((i: number) => `http://127.0.0.2:${8000 + (i % 1000)}/onvif/device_service`);
  let sent = 0;
  let probes = 0;
  let closed = false;

  const out = dgram.createSocket('udp4');
  const group = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  out.on('error', () => undefined);
  group.on('error', () => undefined);
  await new Promise<void>((resolve) => out.bind(0, address, resolve));
  await new Promise<void>((resolve) => group.bind({ port: opts.port, address: WSD_GROUP, exclusive: false }, resolve));
  // Probes arrive over loopback's own address; only the answers come from the flooding host's.
  group.addMembership(WSD_GROUP, '127.0.0.1');
  const burstSize = Math.max(1, Math.round((opts.ratePerMs ?? 10) * BURST_INTERVAL_MS));
  const timers = new Set<NodeJS.Timeout>();

  const datagram = (i: number, relatesTo: string): Buffer => {
    if (i % 10 === 0) return randomBytes(200 + (i % 800));
    // An answer to a Probe nobody here sent.
    const rel = i % 10 === 1 ? `urn:uuid:${'0'.repeat(8)}-0000-4000-8000-${'0'.repeat(12)}` : relatesTo;
    const n = i % endpoints;
    return Buffer.from(probeMatches(rel, { endpoint: floodEndpoint(n), scopes: ['onvif://www.onvif.org/name/flood'], xaddrs: [xaddr(n)] }, i + 1, 1));
  };

  group.on('message', (data, rinfo) => {
    const probe = readProbe(data);
    if (!probe) return;
    probes += 1;
    let i = 0;
    const burst = (): void => {
      for (let k = 0; k < burstSize && i < replies && !closed; k++, i++) {
        out.send(datagram(i, probe.messageId), rinfo.port, rinfo.address, () => undefined);
        sent += 1;
      }
      if (i < replies && !closed) {
        const t = setTimeout(() => {
          timers.delete(t);
          burst();
        }, BURST_INTERVAL_MS);
        timers.add(t);
      }
    };
    burst();
  });

  return {
    sent: () => sent,
    probes: () => probes,
    close: async () => {
      closed = true;
      for (const t of timers) clearTimeout(t);
      await Promise.all([new Promise<void>((r) => out.close(() => r())), new Promise<void>((r) => group.close(() => r()))]);
    },
  };
};
