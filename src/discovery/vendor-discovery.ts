/**
 * Vendor discovery: SADP (Hikvision) and DHIP (Dahua) inquiries from each chosen interface, answers read
 * into sightings. Both protocols are inquire-and-listen over UDP like WS-Discovery, and share its
 * per-interface sockets; only the message, the port and the parser differ.
 *
 * A sighting records what the device claims (its IPv4 address, ports, model) beside who sent it; whether
 * that address may be contacted is decided later against the inspector's range (src/discovery/scan.ts),
 * never here.
 */
import { randomUUID } from 'node:crypto';
import type dgram from 'node:dgram';
import type { DecodeError, ProbeError } from '../core/errors.js';
import { ok, type Result } from '../core/result.js';
import { dhipClass, sadpClass, type DeviceClass } from './device-class.js';
import { DHIP_GROUP, DHIP_MAX_PACKET_BYTES, DHIP_PORT, dhipSearch, parseDhipReply, type DhipDevice } from './dhip.js';
import { closeSockets, openInterfaceSockets, sleep } from './interface-sockets.js';
import { broadcastAddress, sendingInterfaces, type InterfaceChoice } from './interfaces.js';
import { parseSadpMatch, SADP_GROUP, SADP_MAX_PACKET_BYTES, SADP_PORT, sadpInquiry, type SadpDevice } from './sadp.js';

export type VendorVia = 'sadp' | 'dhip';

export interface VendorSighting {
  readonly via: VendorVia;
  /** The datagram's source address. */
  readonly sender: string;
  /** The interface address the answer arrived on. */
  readonly interface: string;
  /** The IPv4 address the device claims (the sender's when it claims none or an invalid one). */
  readonly address: string;
  readonly vendor: string;
  readonly model: string | null;
  readonly serial: string | null;
  readonly mac: string | null;
  readonly firmware: string | null;
  readonly deviceClass: DeviceClass;
  readonly httpPort: number | null;
  /** Every port the answer names (HTTP, SDK/private protocol). */
  readonly ports: readonly number[];
  readonly activated: boolean | null;
  /** Hik-Connect from SADP; absent when the device sent neither field. */
  readonly cloud?: { readonly supported: boolean | null; readonly enabled: boolean | null };
  readonly quirks: readonly string[];
}

export interface VendorDiscoveryOptions {
  readonly interfaces?: readonly string[];
  /** Listening time from the first send (default 3000). */
  readonly durationMs?: number;
  /** Inquiries per interface, 100 ms apart (default 3: a lost datagram costs one answer, not the device). */
  readonly repeats?: number;
  /** Destination port (tests use a private one: CAMAUDIT_SADP_PORT, CAMAUDIT_DHIP_PORT). */
  readonly port?: number;
  readonly maxDevices?: number;
  readonly signal?: AbortSignal;
}

interface Protocol<T> {
  readonly via: VendorVia;
  readonly group: string;
  readonly port: number;
  readonly broadcast: boolean;
  readonly maxPacketBytes: number;
  /** A new inquiry, and the token its answers must echo (null: the protocol echoes nothing). */
  inquiry(): { readonly payload: Buffer; readonly token: string | null };
  parse(datagram: Buffer): Result<T, DecodeError>;
  tokenOf(device: T): string | null;
  toSighting(device: T): Omit<VendorSighting, 'via' | 'sender' | 'interface' | 'quirks' | 'address'> & { readonly claimed: string | null };
}

const ports = (...ps: (number | null)[]): number[] => [...new Set(ps.filter((p): p is number => p !== null && p > 0))];

export const SADP: Protocol<SadpDevice> = {
  via: 'sadp',
  group: SADP_GROUP,
  port: SADP_PORT,
  broadcast: false,
  maxPacketBytes: SADP_MAX_PACKET_BYTES,
  inquiry: () => {
    const uuid = randomUUID().toUpperCase();
    return { payload: Buffer.from(sadpInquiry(uuid), 'utf8'), token: uuid };
  },
  parse: (datagram) => parseSadpMatch(datagram),
  tokenOf: (d) => d.uuid?.toUpperCase() ?? null,
  toSighting: (d) => ({
    vendor: 'hikvision',
    model: d.model,
    serial: d.serial,
    mac: d.mac,
    firmware: d.firmware,
    deviceClass: sadpClass(d),
    httpPort: d.httpPort,
    ports: ports(d.httpPort, d.commandPort),
    activated: d.activated,
    ...(d.cloudSupported === null && d.cloudEnabled === null ? {} : { cloud: { supported: d.cloudSupported, enabled: d.cloudEnabled } }),
    claimed: d.ipv4,
  }),
};

export const DHIP: Protocol<DhipDevice> = {
  via: 'dhip',
  group: DHIP_GROUP,
  port: DHIP_PORT,
  broadcast: true,
  maxPacketBytes: DHIP_MAX_PACKET_BYTES,
  inquiry: () => ({ payload: dhipSearch(), token: null }),
  parse: (datagram) => parseDhipReply(datagram),
  tokenOf: () => null,
  toSighting: (d) => ({
    vendor: d.vendor !== null && !/^(private|general|oem)$/i.test(d.vendor) ? d.vendor.toLowerCase() : 'dahua',
    model: d.model,
    serial: d.serial,
    mac: d.mac,
    firmware: d.firmware,
    deviceClass: dhipClass(d),
    httpPort: d.httpPort,
    ports: ports(d.httpPort, d.port),
    activated: null,
    claimed: d.ipv4,
  }),
};

const IPV4 = /^(?:(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(?:25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const INQUIRY_GAP_MS = 100;

export const inquire = async <T>(
  protocol: Protocol<T>,
  opts: VendorDiscoveryOptions,
  onSighting: (s: VendorSighting) => void = () => undefined,
): Promise<Result<VendorSighting[], ProbeError>> => {
  const chosen = sendingInterfaces(opts.interfaces);
  if (!chosen.ok) return chosen;
  const durationMs = opts.durationMs ?? 3000;
  const repeats = Math.max(1, opts.repeats ?? 3);
  const maxDevices = opts.maxDevices ?? 4096;
  const port = opts.port ?? protocol.port;
  const tokens = new Set<string>();
  const found = new Map<string, VendorSighting>();

  const onMessage = (iface: InterfaceChoice, msg: Buffer, rinfo: dgram.RemoteInfo): void => {
    if (msg.length > protocol.maxPacketBytes || found.size >= maxDevices) return;
    const parsed = protocol.parse(msg);
    if (!parsed.ok) return;
    const token = protocol.tokenOf(parsed.value);
    // SADP echoes the inquiry's Uuid: an answer to somebody else's inquiry is not ours to record.
    if (tokens.size > 0 && token !== null && !tokens.has(token)) return;
    const { claimed, ...facts } = protocol.toSighting(parsed.value);
    const validClaim = claimed !== null && IPV4.test(claimed);
    const quirks: string[] = [];
    if (!validClaim) quirks.push(claimed === null ? 'no IPv4 address in the answer' : `IPv4 address not valid: ${claimed.slice(0, 40)}`);
    else if (claimed !== rinfo.address) quirks.push(`claims ${claimed}, answered from ${rinfo.address}`);
    if (token === null && protocol.via === 'sadp') quirks.push('no Uuid echoed');
    const address = validClaim ? claimed : rinfo.address;
    const key = facts.mac ?? facts.serial ?? `${address}:${facts.httpPort ?? ''}`;
    if (found.has(key)) return;
    const s: VendorSighting = { via: protocol.via, sender: rinfo.address, interface: iface.address, address, ...facts, quirks };
    found.set(key, s);
    onSighting(s);
  };

  const opened = await openInterfaceSockets(chosen.value, { broadcast: protocol.broadcast, onMessage });
  if (!opened.ok) return opened;
  const sockets = opened.value;
  const started = Date.now();
  for (let i = 0; i < repeats && !opts.signal?.aborted; i++) {
    if (i > 0) await sleep(INQUIRY_GAP_MS, opts.signal);
    const { payload, token } = protocol.inquiry();
    if (token !== null) tokens.add(token);
    for (const { socket, iface } of sockets) {
      socket.send(payload, port, protocol.group);
      const bcast = protocol.broadcast && !iface.address.startsWith('127.') ? broadcastAddress(iface) : null;
      // The subnet's own broadcast address stays on the chosen LAN; loopback has none.
      if (bcast !== null) socket.send(payload, port, bcast);
    }
  }
  await sleep(Math.max(durationMs - (Date.now() - started), 500), opts.signal);
  closeSockets(sockets);
  return ok([...found.values()]);
};
