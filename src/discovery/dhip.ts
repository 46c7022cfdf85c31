/**
 * DHIP discovery, as Dahua devices and their OEM brands answer it: UDP to 239.255.255.251:37810 (and the
 * subnet's broadcast address) carrying a 32-byte header and the JSON `DHDiscover.search`; each device
 * answers `client.notifyDevInfo` to the sender's port. Bare JSON without the header gets no answer from
 * real devices.
 *
 * Header (little-endian): bytes 0-3 `20 00 00 00` (header length), 4-7 `DHIP`, 8-15 session and request
 * id (zero), 16-19 JSON length, 20-23 zero, 24-27 JSON length again, 28-31 zero.
 */
import { decodeError, type DecodeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { normaliseMac } from './sadp.js';

export const DHIP_GROUP = '239.255.255.251';
export const DHIP_PORT = 37810;
export const DHIP_MAX_PACKET_BYTES = 16 * 1024;
const HEADER_BYTES = 32;
const MAGIC = 'DHIP';

/** The only request this module can build: the search, with an empty MAC (every device answers). */
export const DHIP_SEARCH_JSON = '{"method":"DHDiscover.search","params":{"mac":"","uni":1}}';

export const dhipPacket = (json: string): Buffer => {
  const body = Buffer.from(json, 'utf8');
  const header = Buffer.alloc(HEADER_BYTES);
  header.writeUInt32LE(HEADER_BYTES, 0);
  header.write(MAGIC, 4, 'ascii');
  header.writeUInt32LE(body.length, 16);
  header.writeUInt32LE(body.length, 24);
  return Buffer.concat([header, body]);
};

export const dhipSearch = (): Buffer => dhipPacket(DHIP_SEARCH_JSON);

/** The JSON of a well-formed DHIP datagram, or a DecodeError saying what is wrong with its framing. */
export const dhipJson = (datagram: Uint8Array): Result<unknown, DecodeError> => {
  if (datagram.length > DHIP_MAX_PACKET_BYTES) return err(decodeError('/', `datagram of ${datagram.length} bytes exceeds ${DHIP_MAX_PACKET_BYTES}`));
  if (datagram.length < HEADER_BYTES) return err(decodeError('/', `datagram of ${datagram.length} bytes is shorter than the DHIP header`));
  const buf = Buffer.from(datagram.buffer, datagram.byteOffset, datagram.byteLength);
  if (buf.toString('ascii', 4, 8) !== MAGIC) return err(decodeError('/', 'no DHIP magic at offset 4', datagram));
  const length = buf.readUInt32LE(16);
  if (length > buf.length - HEADER_BYTES) return err(decodeError('/', `JSON length ${length} runs past the datagram (${buf.length - HEADER_BYTES} bytes)`));
  try {
    return ok(JSON.parse(buf.toString('utf8', HEADER_BYTES, HEADER_BYTES + length)));
  } catch (e) {
    return err(decodeError('/json', `not JSON: ${e instanceof Error ? e.message : String(e)}`, buf.subarray(HEADER_BYTES)));
  }
};

export interface DhipDevice {
  /** DeviceClass: `IPC`, `NVR`, `DVR`, `XVR`, `IVSS`, `VTO`... */
  readonly deviceClass: string | null;
  /** DeviceType: the model (`IPC-HDW1431T1-S4`). */
  readonly model: string | null;
  readonly serial: string | null;
  readonly mac: string | null;
  readonly ipv4: string | null;
  readonly httpPort: number | null;
  /** The private protocol's TCP port (37777 by default). */
  readonly port: number | null;
  readonly firmware: string | null;
  /** `Vendor` (`Dahua`, or `Private`/an OEM name on rebranded devices). */
  readonly vendor: string | null;
  readonly videoInputs: number | null;
  readonly remoteVideoInputs: number | null;
  /** The `Init` field as sent (its encoding of the initialisation state is not published). */
  readonly init: number | null;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_FIELD_CHARS = 128;
const str = (v: unknown): string | null => (typeof v === 'string' && v.trim() !== '' ? v.trim().slice(0, MAX_FIELD_CHARS) : null);
const num = (v: unknown, max: number): number | null => (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max ? v : null);

/** Pure: one `client.notifyDevInfo` datagram to its device. Our own search, looped back, is a DecodeError. */
export const parseDhipReply = (datagram: Uint8Array): Result<DhipDevice, DecodeError> => {
  const json = dhipJson(datagram);
  if (!json.ok) return json;
  const msg = json.value;
  if (!isRecord(msg) || msg.method !== 'client.notifyDevInfo') return err(decodeError('/json/method', 'not a client.notifyDevInfo answer'));
  const params = msg.params;
  const info = isRecord(params) ? params.deviceInfo : undefined;
  if (!isRecord(info)) return err(decodeError('/json/params/deviceInfo', 'no deviceInfo object'));
  const v4 = info.IPv4Address;
  return ok({
    deviceClass: str(info.DeviceClass),
    model: str(info.DeviceType),
    serial: str(info.SerialNo),
    mac: normaliseMac(str(msg.mac)),
    ipv4: isRecord(v4) ? str(v4.IPAddress) : null,
    httpPort: num(info.HttpPort, 65535),
    port: num(info.Port, 65535),
    firmware: str(info.Version),
    vendor: str(info.Vendor),
    videoInputs: num(info.VideoInputChannels, 4096),
    remoteVideoInputs: num(info.RemoteVideoInputChannels, 4096),
    init: num(info.Init, 0xffff_ffff),
  });
};
