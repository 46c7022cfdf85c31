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
  /** The flooding host's 127.0.0.0/8 address (default 127.0.0.1). */
  readonly address?: string;
  /** The (private) WS-Discovery port. */
  readonly port: number;
  /** Datagrams per Probe (default 3000). */
  readonly replies?: number;
  /** Distinct spoofed endpoint references among them; the rest repeat them (default 500). */
  readonly endpoints?: number;
  /** XAddrs of the spoofed matches (default an address outside a 127.0.0.1/32 range). */
  readonly xaddr?: (i: number) => string;
}

export interface ProbeMatchesFloodHandle {
  /** Datagrams sent so far. */
  readonly sent: () => number;
  readonly probes: () => number;
  close(): Promise<void>;
}

const BURST = 100;

export const floodEndpoint = (i: number): string => `urn:uuid:f100d000-0000-4000-8000-${i.toString(16).padStart(12, '0')}`;

export const startProbeMatchesFlood = async (opts: ProbeMatchesFloodOptions): Promise<ProbeMatchesFloodHandle> => {
  const address = opts.address ?? '127.0.0.1';
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
  group.addMembership(WSD_GROUP, address);

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
    // Bursts yield to the event loop so the flood is fast but the sending process stays alive.
    const burst = (): void => {
      for (let k = 0; k < BURST && i < replies && !closed; k++, i++) {
        out.send(datagram(i, probe.messageId), rinfo.port, rinfo.address, () => undefined);
        sent += 1;
      }
      if (i < replies && !closed) setImmediate(burst);
    };
    burst();
  });

  return {
    sent: () => sent,
    probes: () => probes,
    close: async () => {
      closed = true;
      await Promise.all([new Promise<void>((r) => out.close(() => r())), new Promise<void>((r) => group.close(() => r()))]);
    },
  };
};
