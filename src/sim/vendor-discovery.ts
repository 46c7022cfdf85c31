/**
 * A simulated device's vendor discovery: SADP for the Hikvision cameras, DHIP for the Dahua ones. Each
 * answers only the inquiry (SADP `Types` `inquiry`, DHIP `DHDiscover.search`) and ignores every other
 * message, as a test-safe device would; the answer goes to the sender's address and port.
 *
 * SYNTHETIC: no captured SADP or DHIP datagram is in the shared fixtures. The answers follow the field
 * layout that Hikvision's SADP tool and Dahua's ConfigTool receive, as published in open-source
 * discovery tools (tests/fixtures/discovery/SOURCES.md); every value is the simulated device's own.
 */
import { createHash } from 'node:crypto';
import dgram from 'node:dgram';
import { DHIP_GROUP, DHIP_PORT, dhipJson, dhipPacket } from '../discovery/dhip.js';
import { SADP_GROUP, SADP_PORT } from '../discovery/sadp.js';
import { childOf, parseXml, textOf } from '../xml/parse.js';
import type { CameraDef } from './definitions.js';
import { bindUdp, closeUdp } from './listen.js';
import { escapeXml } from './soap.js';

export interface VendorDiscoveryTarget {
  readonly def: CameraDef;
  readonly address: string;
  readonly httpPort: number;
}

/** A locally administered MAC (02:...) derived from the endpoint uuid, so each simulator instance has its own. */
export const simulatedMac = (def: CameraDef): string => {
  const h = createHash('sha256').update(def.endpoint).digest();
  return ['02', ...[...h.subarray(0, 5)].map((b) => b.toString(16).padStart(2, '0'))].join(':');
};

/** The inquiry's Uuid, or null for any other SADP message (activation, password reset, SetHCPlatform...). */
export const readSadpInquiry = (data: Buffer): string | null => {
  const parsed = parseXml(data, { maxDepth: 4, maxElements: 32 });
  if (!parsed.ok || parsed.value.local !== 'Probe') return null;
  if (textOf(childOf(parsed.value, 'Types'))?.trim() !== 'inquiry') return null;
  return textOf(childOf(parsed.value, 'Uuid'))?.trim() ?? null;
};

const el = (name: string, value: string | number | boolean): string => `<${name}>${escapeXml(String(value))}</${name}>`;

export const sadpAnswer = (uuid: string, t: VendorDiscoveryTarget): string => {
  const { def } = t;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ProbeMatch>',
    el('Uuid', uuid),
    el('Types', 'inquiry'),
    el('DeviceType', 139),
    el('DeviceDescription', def.model),
    el('DeviceSN', def.serial),
    el('CommandPort', 8000),
    el('HttpPort', t.httpPort),
    el('MAC', simulatedMac(def).replaceAll(':', '-')),
    el('IPv4Address', t.address),
    el('IPv4SubnetMask', '255.0.0.0'),
    el('IPv4Gateway', '0.0.0.0'),
    el('DHCP', false),
    el('AnalogChannelNum', 0),
    el('DigitalChannelNum', 1),
    el('SoftwareVersion', def.firmware.replace(' ', '')),
    el('DSPVersion', 'V7.3 build 210628'),
    el('DiskNumber', 0),
    el('Activated', true),
    el('SupportHCPlatform', true),
    // Real devices spell false "flase" here.
    el('HCPlatformEnable', def.cloud === 'enabled' ? 'true' : 'flase'),
    el('OEMInfo', 'N/A'),
    '</ProbeMatch>',
  ].join('\n');
};

export const isDhipSearch = (data: Buffer): boolean => {
  const json = dhipJson(data);
  const v = json.ok ? json.value : null;
  return typeof v === 'object' && v !== null && 'method' in v && v.method === 'DHDiscover.search';
};

export const dhipAnswer = (t: VendorDiscoveryTarget): Buffer => {
  const { def } = t;
  const mac = simulatedMac(def);
  return dhipPacket(
    JSON.stringify({
      mac,
      method: 'client.notifyDevInfo',
      params: {
        deviceInfo: {
          DeviceClass: 'IPC',
          DeviceType: def.model,
          HttpPort: t.httpPort,
          IPv4Address: { DefaultGateway: '0.0.0.0', DhcpEnable: false, IPAddress: t.address, SubnetMask: '255.0.0.0' },
          Init: 1,
          MachineName: def.name,
          Manufacturer: def.manufacturer,
          Port: 37777,
          RemoteVideoInputChannels: 0,
          SerialNo: def.serial,
          Vendor: def.manufacturer,
          Version: def.firmware,
          VideoInputChannels: 1,
        },
      },
    }),
  );
};

export interface VendorResponderOptions {
  readonly protocol: 'sadp' | 'dhip';
  /** Read at each inquiry, so a state switch shows in the next answer. */
  readonly target: () => VendorDiscoveryTarget;
  /** The multicast port (37020 / 37810); tests use private ones (CAMAUDIT_SADP_PORT, CAMAUDIT_DHIP_PORT). */
  readonly port?: number;
  readonly lossRate?: number;
  readonly random?: () => number;
}

export interface VendorResponder {
  close(): Promise<void>;
}

export const startVendorResponder = async (opts: VendorResponderOptions): Promise<VendorResponder> => {
  const sadp = opts.protocol === 'sadp';
  const group = sadp ? SADP_GROUP : DHIP_GROUP;
  const port = opts.port ?? (sadp ? SADP_PORT : DHIP_PORT);
  const random = opts.random ?? Math.random;
  const lossRate = opts.lossRate ?? 0;
  const { address } = opts.target();
  // Bound to the group address, the socket sees only group traffic, and several devices can share it.
  const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  await bindUdp(socket, port, group);
  socket.addMembership(group, address);
  socket.setMulticastInterface(address);
  // A malformed or hostile datagram must never take the device down.
  socket.on('error', () => undefined);
  socket.on('message', (data, rinfo) => {
    if (random() < lossRate || data.length > 4096) return;
    const t = opts.target();
    let reply: Buffer | null = null;
    if (sadp) {
      const uuid = readSadpInquiry(data);
      reply = uuid === null ? null : Buffer.from(sadpAnswer(uuid, t), 'utf8');
    } else if (isDhipSearch(data)) {
      reply = dhipAnswer(t);
    }
    if (reply !== null && random() >= lossRate) socket.send(reply, rinfo.port, rinfo.address, () => undefined);
  });
  return { close: () => closeUdp(socket) };
};
