/**
 * SADP, the discovery protocol of Hikvision and its OEM brands: an XML `<Probe>` with `Types` `inquiry`
 * multicast to 239.255.255.250:37020, answered by a `<ProbeMatch>` per device. Hikvision cameras on
 * firmware V5.5.0 or later and Hikvision recorders ship with ONVIF off, so SADP is often the only way
 * they show themselves.
 *
 * SADP also carries commands that change a device (activation, IP change, password reset,
 * SetHCPlatform, bind lists): `sadpInquiry` is the only message this module can build, and
 * `isSadpInquiry` is the check a test runs over every datagram discovery sends.
 */
import { randomUUID } from 'node:crypto';
import { decodeError, type DecodeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { childOf, parseXml, textOf, type XmlElement } from '../xml/parse.js';

export const SADP_GROUP = '239.255.255.250';
export const SADP_PORT = 37020;
/** Real answers are 1.5-2.5 kB; anything far larger is not a device describing itself. */
export const SADP_MAX_PACKET_BYTES = 16 * 1024;

/** The inquiry, as Hikvision's SADP tool sends it; the device echoes `Uuid` (upper case) in its answer. */
export const sadpInquiry = (uuid: string = randomUUID().toUpperCase()): string =>
  `<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>${uuid}</Uuid><Types>inquiry</Types></Probe>`;

/** True only for an inquiry exactly as `sadpInquiry` builds it. */
export const isSadpInquiry = (datagram: string | Uint8Array): boolean => {
  const text = typeof datagram === 'string' ? datagram : new TextDecoder().decode(datagram);
  return /^<\?xml version="1\.0" encoding="utf-8"\?><Probe><Uuid>[0-9A-F-]{36}<\/Uuid><Types>inquiry<\/Types><\/Probe>$/.test(text);
};

export interface SadpDevice {
  /** The inquiry's Uuid the device echoed. */
  readonly uuid: string | null;
  /** SADP's numeric DeviceType code (as sent; the meaning of the codes is not published). */
  readonly deviceType: string | null;
  /** DeviceDescription: the model (`DS-2CD2346G2-ISU/SL`), or a class name such as `IPCamera` on some firmware. */
  readonly model: string | null;
  readonly serial: string | null;
  /** Normalised `aa:bb:cc:dd:ee:ff`. */
  readonly mac: string | null;
  readonly ipv4: string | null;
  readonly commandPort: number | null;
  readonly httpPort: number | null;
  readonly firmware: string | null;
  readonly analogChannels: number | null;
  readonly digitalChannels: number | null;
  readonly disks: number | null;
  readonly activated: boolean | null;
  readonly oemInfo: string | null;
  /** Hik-Connect (cloud P2P): whether the device supports it and whether it is switched on. */
  readonly cloudSupported: boolean | null;
  readonly cloudEnabled: boolean | null;
}

/** `aa-bb-cc-dd-ee-ff`, `AA:BB:...` or `aabbccddeeff` to `aa:bb:cc:dd:ee:ff`; null for anything else. */
export const normaliseMac = (raw: string | null): string | null => {
  const hex = (raw ?? '').replace(/[-:.\s]/g, '').toLowerCase();
  return /^[0-9a-f]{12}$/.test(hex) ? (hex.match(/../g) ?? []).join(':') : null;
};

/** Real devices spell false `flase` in HCPlatformEnable and DeviceLock. */
const bool = (raw: string | null): boolean | null => {
  const t = raw?.trim().toLowerCase();
  if (t === 'true') return true;
  if (t === 'false' || t === 'flase') return false;
  return null;
};

const int = (raw: string | null, max: number): number | null => {
  const t = raw?.trim() ?? '';
  if (!/^\d{1,6}$/.test(t)) return null;
  const n = Number.parseInt(t, 10);
  return n <= max ? n : null;
};

const MAX_FIELD_CHARS = 128;
const field = (root: XmlElement, name: string): string | null => {
  const t = textOf(childOf(root, name))?.trim() ?? '';
  return t === '' ? null : t.slice(0, MAX_FIELD_CHARS);
};

/** Pure: one SADP answer datagram to its device; a Probe (ours, looped back) or anything else is a DecodeError. */
export const parseSadpMatch = (datagram: string | Uint8Array): Result<SadpDevice, DecodeError> => {
  if (datagram.length > SADP_MAX_PACKET_BYTES) return err(decodeError('/', `datagram of ${datagram.length} bytes exceeds ${SADP_MAX_PACKET_BYTES}`));
  const parsed = parseXml(datagram, { maxDepth: 8, maxElements: 400 });
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (root.local !== 'ProbeMatch') return err(decodeError('/', `expected ProbeMatch, got ${root.local}`, datagram));
  return ok({
    uuid: field(root, 'Uuid'),
    deviceType: field(root, 'DeviceType'),
    model: field(root, 'DeviceDescription'),
    serial: field(root, 'DeviceSN'),
    mac: normaliseMac(field(root, 'MAC')),
    ipv4: field(root, 'IPv4Address'),
    commandPort: int(field(root, 'CommandPort'), 65535),
    httpPort: int(field(root, 'HttpPort'), 65535),
    firmware: field(root, 'SoftwareVersion'),
    analogChannels: int(field(root, 'AnalogChannelNum'), 4096),
    digitalChannels: int(field(root, 'DigitalChannelNum'), 4096),
    disks: int(field(root, 'DiskNumber'), 1024),
    activated: bool(field(root, 'Activated')),
    oemInfo: field(root, 'OEMInfo'),
    cloudSupported: bool(field(root, 'SupportHCPlatform')),
    cloudEnabled: bool(field(root, 'HCPlatformEnable')),
  });
};
