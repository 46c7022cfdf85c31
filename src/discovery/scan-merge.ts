/**
 * One row per device from every discovery source. Pure: ONVIF answers (WS-Discovery, the sweep) and
 * vendor sightings (SADP, DHIP) are merged by MAC, serial, or the same address with the same web port;
 * on loopback many simulated devices share 127.0.0.1, so the address alone never merges two rows.
 */
import type { DiscoveredDevice } from '../core/types.js';
import { classOfModel, type DeviceClass } from './device-class.js';
import type { VendorSighting } from './vendor-discovery.js';

export type ScanVia = DiscoveredDevice['via'] | VendorSighting['via'];

export interface ScanEntry {
  readonly address: string;
  readonly xaddrs: readonly string[];
  readonly endpoint: string;
  readonly scopes: readonly string[];
  readonly via: readonly ScanVia[];
  readonly interface?: string;
  readonly quirks?: readonly string[];
  readonly vendor: string | null;
  readonly model: string | null;
  readonly serial: string | null;
  readonly mac: string | null;
  readonly deviceClass: DeviceClass;
  /** true: ONVIF answered; false: checked, and ONVIF did not answer where the device serves HTTP; null: not known. */
  readonly onvif: boolean | null;
  readonly ports: readonly number[];
  /** The port its web/ONVIF service answers on (ONVIF's XAddr, or the vendor answer's HttpPort). */
  readonly httpPort: number | null;
  readonly activated: boolean | null;
  readonly cloud?: { readonly supported: boolean | null; readonly enabled: boolean | null };
  /** False for a device that claims an address outside the inspector's range: recorded, never contacted. */
  readonly inScope: boolean;
}

const portOf = (xaddr: string): number | null => {
  try {
    const u = new URL(xaddr);
    return u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
  } catch {
    return null;
  }
};

const scopeValue = (scopes: readonly string[], kind: string): string | null => {
  const prefix = `onvif://www.onvif.org/${kind}/`;
  const hit = scopes.find((s) => s.toLowerCase().startsWith(prefix));
  if (hit === undefined) return null;
  try {
    return decodeURIComponent(hit.slice(prefix.length)) || null;
  } catch {
    return hit.slice(prefix.length) || null;
  }
};

const KNOWN_VENDORS: readonly (readonly [RegExp, string])[] = [
  [/hikvision|hik-?connect|ezviz/i, 'hikvision'],
  [/dahua|amcrest|lorex/i, 'dahua'],
  [/uniview|unv/i, 'uniview'],
  [/axis/i, 'axis'],
];
const vendorIn = (texts: readonly (string | null)[]): string | null =>
  KNOWN_VENDORS.find(([re]) => texts.some((t) => t !== null && re.test(t)))?.[1] ?? null;

const fromOnvif = (d: DiscoveredDevice): ScanEntry => {
  const model = scopeValue(d.scopes, 'hardware');
  const ports = [...new Set(d.xaddrs.map(portOf).filter((p): p is number => p !== null))];
  return {
    address: d.address,
    xaddrs: d.xaddrs,
    endpoint: d.endpoint,
    scopes: d.scopes,
    via: [d.via],
    ...(d.interface === undefined ? {} : { interface: d.interface }),
    ...(d.quirks === undefined ? {} : { quirks: d.quirks }),
    vendor: vendorIn([scopeValue(d.scopes, 'name'), scopeValue(d.scopes, 'mfr'), model]),
    model,
    serial: null,
    mac: null,
    deviceClass: classOfModel(model),
    onvif: true,
    ports,
    httpPort: ports[0] ?? null,
    activated: null,
    inScope: true,
  };
};

const sameDevice = (e: ScanEntry, s: VendorSighting): boolean =>
  (e.mac !== null && e.mac === s.mac) ||
  (e.serial !== null && e.serial === s.serial) ||
  // The web port, not every port: all Hikvision devices name SDK port 8000, all Dahua ones 37777.
  (e.address === s.address && (e.httpPort === null || s.httpPort === null || e.httpPort === s.httpPort));

const absorb = (e: ScanEntry, s: VendorSighting): ScanEntry => ({
  ...e,
  via: e.via.includes(s.via) ? e.via : [...e.via, s.via],
  quirks: [...new Set([...(e.quirks ?? []), ...s.quirks])],
  vendor: e.vendor ?? s.vendor,
  model: e.model ?? s.model,
  serial: e.serial ?? s.serial,
  mac: e.mac ?? s.mac,
  deviceClass: e.deviceClass === 'unknown' ? s.deviceClass : e.deviceClass,
  ports: [...new Set([...e.ports, ...s.ports])],
  httpPort: e.httpPort ?? s.httpPort,
  activated: e.activated ?? s.activated,
  ...(e.cloud ?? s.cloud ? { cloud: e.cloud ?? s.cloud } : {}),
});

const fromSighting = (s: VendorSighting): ScanEntry => ({
  address: s.address,
  xaddrs: [],
  endpoint: `${s.via}:${s.mac ?? s.serial ?? `${s.address}:${s.httpPort ?? ''}`}`,
  scopes: [],
  via: [s.via],
  interface: s.interface,
  ...(s.quirks.length > 0 ? { quirks: s.quirks } : {}),
  vendor: s.vendor,
  model: s.model,
  serial: s.serial,
  mac: s.mac,
  deviceClass: s.deviceClass,
  onvif: null,
  ports: s.ports,
  httpPort: s.httpPort,
  activated: s.activated,
  ...(s.cloud ? { cloud: s.cloud } : {}),
  inScope: true,
});

export const OUT_OF_SCOPE_QUIRK = 'address outside the chosen range: recorded, not contacted';

/** Merge every source's answers; `inScope` is the inspector's range (the chosen subnets and the sweep). */
export const mergeScan = (
  onvif: readonly DiscoveredDevice[],
  sightings: readonly VendorSighting[],
  inScope: (address: string) => boolean,
): ScanEntry[] => {
  const entries = onvif.map(fromOnvif);
  for (const s of sightings) {
    const i = entries.findIndex((e) => sameDevice(e, s));
    if (i >= 0) entries[i] = absorb(entries[i] as ScanEntry, s);
    else entries.push(fromSighting(s));
  }
  return entries.map((e) =>
    inScope(e.address) ? e : { ...e, inScope: false, quirks: [...new Set([...(e.quirks ?? []), OUT_OF_SCOPE_QUIRK])] },
  );
};

/** Where to ask for ONVIF on an in-range device that no ONVIF discovery found: the HTTP port its vendor answer names. */
export const onvifCheckUrl = (e: ScanEntry): string | null =>
  e.onvif !== null || !e.inScope || e.httpPort === null ? null : `http://${e.address}:${e.httpPort}/onvif/device_service`;
