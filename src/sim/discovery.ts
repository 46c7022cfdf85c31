/**
 * A simulated camera's WS-Discovery (2005/04, as ONVIF devices use it) target service: answers multicast
 * Probes on 239.255.255.250:3702 joined on the camera's own address, and unicast Probes to <address>:3702.
 */
import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import { childOf, parseXml, textOf } from '../xml/parse.js';
import { WSD_GROUP, WSD_PORT } from '../discovery/probe-matches.js';
import { bindUdp, closeUdp } from './listen.js';
import { escapeXml } from './soap.js';

/** WS-Discovery APP_MAX_DELAY: a target waits a random 0..500 ms before answering a multicast Probe. */
export const APP_MAX_DELAY_MS = 500;

const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const WSA = 'http://schemas.xmlsoap.org/ws/2004/08/addressing';
const WSD = 'http://schemas.xmlsoap.org/ws/2005/04/discovery';

export interface DiscoveryTarget {
  readonly endpoint: string;
  readonly scopes: readonly string[];
  readonly xaddrs: readonly string[];
}

export interface DiscoveryOptions {
  /** The camera's IPv4 address; multicast is joined on this interface. */
  readonly address: string;
  /** Read at each Probe, so a state switch shows in the next answer. */
  readonly target: () => DiscoveryTarget;
  /** Fraction (0..1) of packets dropped, each way. */
  readonly lossRate?: number;
  readonly maxDelayMs?: number;
  readonly random?: () => number;
  /** The multicast port (3702); tests use a private one so concurrent simulators never answer each other's probes. */
  readonly port?: number;
}

export interface DiscoveryResponder {
  /** The port unicast Probes reach (3702 unless it was taken). */
  readonly unicastPort: number;
  close(): Promise<void>;
}

interface Probe {
  readonly messageId: string;
}

/** A Probe for devices, or null for anything else (other message, other types, not XML). */
export const readProbe = (data: Buffer): Probe | null => {
  const parsed = parseXml(data, { maxDepth: 16, maxElements: 200 });
  if (!parsed.ok || parsed.value.local !== 'Envelope' || parsed.value.ns !== SOAP12) return null;
  const env = parsed.value;
  const probe = childOf(env, 'Body', SOAP12)?.children.find((c) => c.local === 'Probe' && c.ns === WSD);
  const messageId = textOf(childOf(childOf(env, 'Header', SOAP12) ?? env, 'MessageID', WSA));
  if (!probe || !messageId) return null;
  const types = textOf(childOf(probe, 'Types', WSD));
  // Empty Types match every target; otherwise we answer for the ONVIF transmitter and device types.
  if (types && !types.split(/\s+/).some((t) => /(?:^|:)(NetworkVideoTransmitter|Device)$/.test(t))) return null;
  return { messageId };
};

export const probeMatches = (relatesTo: string, t: DiscoveryTarget, messageNumber: number, instanceId: number): string =>
  [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<env:Envelope xmlns:env="${SOAP12}" xmlns:wsa="${WSA}" xmlns:d="${WSD}" xmlns:dn="http://www.onvif.org/ver10/network/wsdl" xmlns:tds="http://www.onvif.org/ver10/device/wsdl">`,
    '<env:Header>',
    `<wsa:MessageID>urn:uuid:${randomUUID()}</wsa:MessageID>`,
    `<wsa:RelatesTo>${escapeXml(relatesTo)}</wsa:RelatesTo>`,
    '<wsa:To env:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2004/08/addressing/role/anonymous</wsa:To>',
    '<wsa:Action env:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</wsa:Action>',
    `<d:AppSequence InstanceId="${instanceId}" MessageNumber="${messageNumber}"/>`,
    '</env:Header>',
    '<env:Body><d:ProbeMatches><d:ProbeMatch>',
    `<wsa:EndpointReference><wsa:Address>${escapeXml(t.endpoint)}</wsa:Address></wsa:EndpointReference>`,
    '<d:Types>dn:NetworkVideoTransmitter tds:Device</d:Types>',
    `<d:Scopes>${t.scopes.map(escapeXml).join(' ')}</d:Scopes>`,
    `<d:XAddrs>${t.xaddrs.map(escapeXml).join(' ')}</d:XAddrs>`,
    '<d:MetadataVersion>1</d:MetadataVersion>',
    '</d:ProbeMatch></d:ProbeMatches></env:Body>',
    '</env:Envelope>',
  ].join('\n');


export const startDiscoveryResponder = async (opts: DiscoveryOptions): Promise<DiscoveryResponder> => {
  const random = opts.random ?? Math.random;
  const lossRate = opts.lossRate ?? 0;
  const maxDelayMs = opts.maxDelayMs ?? APP_MAX_DELAY_MS;
  const wsdPort = opts.port ?? WSD_PORT;
  const instanceId = Math.floor(Date.now() / 1000);
  let messageNumber = 0;
  const timers = new Set<NodeJS.Timeout>();

  // Answers leave from <address>:3702 like a real device's; if another process holds that port without
  // SO_REUSEADDR we fall back to an ephemeral port, and unicast Probes then cannot reach us.
  const unicast = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  try {
    await bindUdp(unicast, wsdPort, opts.address);
  } catch {
    await closeUdp(unicast);
    return startWithUnicast(dgram.createSocket({ type: 'udp4' }), 0);
  }
  return startWithUnicast(unicast, wsdPort);

  async function startWithUnicast(socket: dgram.Socket, port: number): Promise<DiscoveryResponder> {
    if (port === 0) await bindUdp(socket, 0, opts.address);
    // Bound to the group address, the socket sees only group traffic, and several cameras can share it.
    const multicast = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    await bindUdp(multicast, wsdPort, WSD_GROUP);
    multicast.addMembership(WSD_GROUP, opts.address);
    multicast.setMulticastInterface(opts.address);

    const answer = (data: Buffer, rinfo: dgram.RemoteInfo, delayMs: number): void => {
      if (random() < lossRate) return;
      const probe = readProbe(data);
      if (!probe) return;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (random() < lossRate) return;
        messageNumber += 1;
        const reply = Buffer.from(probeMatches(probe.messageId, opts.target(), messageNumber, instanceId));
        socket.send(reply, rinfo.port, rinfo.address, () => undefined);
      }, delayMs);
      timers.add(timer);
    };
    multicast.on('message', (data, rinfo) => answer(data, rinfo, random() * maxDelayMs));
    socket.on('message', (data, rinfo) => answer(data, rinfo, 0));
    // A malformed or hostile packet must never take the camera down; errors on UDP sockets are per-packet.
    multicast.on('error', () => undefined);
    socket.on('error', () => undefined);

    return {
      unicastPort: socket.address().port,
      close: async () => {
        for (const t of timers) clearTimeout(t);
        timers.clear();
        await Promise.all([closeUdp(multicast), closeUdp(socket)]);
      },
    };
  }
};
