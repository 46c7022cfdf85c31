/**
 * Explicit decoders from response elements (the first child of the SOAP Body) to our types.
 * Wire names follow the ONVIF WSDLs (device, media, media2, analytics, events); unknown extra
 * content is ignored, missing required content is a DecodeError with its path.
 */
import { decodeError, type DecodeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { AnalyticsItem, CameraProfile, DeviceIdentity, NetworkFacts, ServiceEntry } from '../core/types.js';
import { childOf, childrenOf, descendantsOf, pathOf, resolveQName, textOf, type XmlElement } from '../xml/parse.js';
import { NS } from './namespaces.js';

type Decoded<T> = Result<T, DecodeError>;

const expect = (el: XmlElement, local: string): DecodeError | null =>
  el.local === local ? null : decodeError(`/${el.local}`, `expected ${local}, got ${el.local}`);

const int = (el: XmlElement | undefined): number | null => {
  const t = textOf(el);
  if (t === null || !/^-?\d+$/.test(t)) return null;
  return Number.parseInt(t, 10);
};

export interface SystemDateAndTime {
  /** Device UTC time in ms since the epoch; null when the device gave none (some give local only). */
  readonly utcMs: number | null;
}

/** @see ONVIF Device WSDL GetSystemDateAndTimeResponse */
export const decodeSystemDateAndTime = (el: XmlElement): Decoded<SystemDateAndTime> => {
  const bad = expect(el, 'GetSystemDateAndTimeResponse');
  if (bad) return err(bad);
  const sdt = childOf(el, 'SystemDateAndTime');
  if (!sdt) return err(decodeError('/GetSystemDateAndTimeResponse', 'no SystemDateAndTime'));
  const utc = childOf(sdt, 'UTCDateTime');
  if (!utc) return ok({ utcMs: null });
  const time = childOf(utc, 'Time');
  const date = childOf(utc, 'Date');
  const parts = [date && int(childOf(date, 'Year')), date && int(childOf(date, 'Month')), date && int(childOf(date, 'Day')),
    time && int(childOf(time, 'Hour')), time && int(childOf(time, 'Minute')), time && int(childOf(time, 'Second'))];
  const [y, mo, d, h, mi, s] = parts;
  if (y == null || mo == null || d == null || h == null || mi == null || s == null) {
    return err(decodeError('/GetSystemDateAndTimeResponse/SystemDateAndTime/UTCDateTime', 'incomplete date or time'));
  }
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  return Number.isFinite(ms) ? ok({ utcMs: ms }) : err(decodeError('/UTCDateTime', 'invalid date'));
};

/** @see ONVIF Device WSDL GetDeviceInformationResponse */
export const decodeDeviceInformation = (el: XmlElement): Decoded<DeviceIdentity> => {
  const bad = expect(el, 'GetDeviceInformationResponse');
  if (bad) return err(bad);
  return ok({
    manufacturer: textOf(childOf(el, 'Manufacturer')),
    model: textOf(childOf(el, 'Model')),
    firmware: textOf(childOf(el, 'FirmwareVersion')),
    serial: textOf(childOf(el, 'SerialNumber')),
    hardwareId: textOf(childOf(el, 'HardwareId')),
  });
};

/** @see ONVIF Device WSDL GetServicesResponse */
export const decodeServices = (el: XmlElement): Decoded<ServiceEntry[]> => {
  const bad = expect(el, 'GetServicesResponse');
  if (bad) return err(bad);
  const out: ServiceEntry[] = [];
  for (const s of childrenOf(el, 'Service')) {
    const namespace = textOf(childOf(s, 'Namespace'));
    const xaddr = textOf(childOf(s, 'XAddr'));
    if (!namespace || !xaddr) continue;
    const v = childOf(s, 'Version');
    const major = v ? int(childOf(v, 'Major')) : null;
    const minor = v ? int(childOf(v, 'Minor')) : null;
    out.push({ namespace, xaddr, version: major === null ? null : `${major}.${minor ?? 0}` });
  }
  return ok(out);
};

const CAPABILITY_NAMESPACES: readonly (readonly [string, string])[] = [
  ['Device', NS.device],
  ['Media', NS.media],
  ['Analytics', NS.analytics],
  ['Events', NS.events],
];

/** GetCapabilities, mapped to service entries (the pre-GetServices way of finding endpoints). */
export const decodeCapabilities = (el: XmlElement): Decoded<ServiceEntry[]> => {
  const bad = expect(el, 'GetCapabilitiesResponse');
  if (bad) return err(bad);
  const caps = childOf(el, 'Capabilities');
  if (!caps) return err(decodeError('/GetCapabilitiesResponse', 'no Capabilities'));
  const out: ServiceEntry[] = [];
  for (const [local, namespace] of CAPABILITY_NAMESPACES) {
    const xaddr = textOf(pathOf(caps, local, 'XAddr'));
    if (xaddr) out.push({ namespace, xaddr, version: null });
  }
  return ok(out);
};

export const decodeScopes = (el: XmlElement): Decoded<string[]> => {
  const bad = expect(el, 'GetScopesResponse');
  if (bad) return err(bad);
  return ok(childrenOf(el, 'Scopes').map((s) => textOf(childOf(s, 'ScopeItem'))).filter((s): s is string => s !== null));
};

export const decodeNetworkInterfaces = (el: XmlElement): Decoded<NetworkFacts> => {
  const bad = expect(el, 'GetNetworkInterfacesResponse');
  if (bad) return err(bad);
  const macs: string[] = [];
  const addresses: string[] = [];
  for (const ni of childrenOf(el, 'NetworkInterfaces')) {
    const mac = textOf(pathOf(ni, 'Info', 'HwAddress'));
    if (mac) macs.push(mac.toLowerCase());
    const cfg = pathOf(ni, 'IPv4', 'Config');
    if (!cfg) continue;
    for (const kind of ['Manual', 'FromDHCP', 'LinkLocal']) {
      for (const a of childrenOf(cfg, kind)) {
        const addr = textOf(childOf(a, 'Address'));
        if (addr && !addresses.includes(addr)) addresses.push(addr);
      }
    }
  }
  return ok({ macs, addresses });
};

const parametersOf = (item: XmlElement): Record<string, string> => {
  const out: Record<string, string> = {};
  const params = childOf(item, 'Parameters');
  if (!params) return out;
  for (const s of childrenOf(params, 'SimpleItem')) {
    const name = s.attrs.Name;
    if (name !== undefined) out[name] = s.attrs.Value ?? '';
  }
  return out;
};

const analyticsItem = (el: XmlElement, kind: AnalyticsItem['kind'], configToken: string | null, call: string): AnalyticsItem => {
  const type = (el.attrs.Type ?? '').trim();
  const name = (el.attrs.Name ?? '').trim();
  return {
    kind,
    name: name || type,
    type: type || name,
    typeNamespace: type ? resolveQName(el, type).ns : null,
    parameters: parametersOf(el),
    configToken,
    call,
  };
};

/** Modules and rules of one (Video)AnalyticsConfiguration element. */
const analyticsOfConfiguration = (cfg: XmlElement, call: string): AnalyticsItem[] => {
  const token = cfg.attrs.token ?? null;
  const modules = descendantsOf(cfg, 'AnalyticsEngineConfiguration').flatMap((e) => childrenOf(e, 'AnalyticsModule'));
  const rules = descendantsOf(cfg, 'RuleEngineConfiguration').flatMap((e) => childrenOf(e, 'Rule'));
  return [...modules.map((m) => analyticsItem(m, 'module', token, call)), ...rules.map((r) => analyticsItem(r, 'rule', token, call))];
};

export interface DecodedProfiles {
  readonly profiles: CameraProfile[];
  readonly analytics: AnalyticsItem[];
}

/** Media1 and Media2 GetProfiles (Media2 nests the configurations under `Configurations`). */
export const decodeProfiles = (el: XmlElement): Decoded<DecodedProfiles> => {
  const bad = expect(el, 'GetProfilesResponse');
  if (bad) return err(bad);
  const profiles: CameraProfile[] = [];
  const analytics: AnalyticsItem[] = [];
  for (const p of childrenOf(el, 'Profiles')) {
    const token = p.attrs.token;
    if (!token) return err(decodeError('/GetProfilesResponse/Profiles', 'profile without token'));
    const holder = childOf(p, 'Configurations') ?? p;
    const enc = childOf(holder, 'VideoEncoderConfiguration') ?? childOf(holder, 'VideoEncoder');
    const ana = childOf(holder, 'VideoAnalyticsConfiguration') ?? childOf(holder, 'Analytics');
    profiles.push({
      token,
      name: textOf(childOf(p, 'Name')),
      // Media2 puts the encoding in an attribute-free child too, but some firmwares use the attribute.
      encoder: textOf(enc ? childOf(enc, 'Encoding') : undefined) ?? enc?.attrs.Encoding ?? null,
      width: enc ? int(pathOf(enc, 'Resolution', 'Width')) : null,
      height: enc ? int(pathOf(enc, 'Resolution', 'Height')) : null,
      rtsp: null,
      snapshot: null,
      analyticsToken: ana?.attrs.token ?? null,
    });
    if (ana) analytics.push(...analyticsOfConfiguration(ana, 'GetProfiles'));
  }
  return ok({ profiles, analytics });
};

/** GetStreamUri / GetSnapshotUri, Media1 (`MediaUri/Uri`) or Media2 (`Uri`). */
export const decodeMediaUri = (el: XmlElement): Decoded<string> => {
  if (el.local !== 'GetStreamUriResponse' && el.local !== 'GetSnapshotUriResponse') {
    return err(decodeError(`/${el.local}`, 'expected GetStreamUriResponse or GetSnapshotUriResponse'));
  }
  const uri = textOf(pathOf(el, 'MediaUri', 'Uri')) ?? textOf(childOf(el, 'Uri'));
  return uri ? ok(uri) : err(decodeError(`/${el.local}`, 'no Uri'));
};

export interface DecodedAnalyticsConfigurations {
  readonly tokens: string[];
  readonly items: AnalyticsItem[];
}

/** Media1 GetVideoAnalyticsConfigurations and Media2 GetAnalyticsConfigurations. */
export const decodeAnalyticsConfigurations = (el: XmlElement): Decoded<DecodedAnalyticsConfigurations> => {
  if (el.local !== 'GetVideoAnalyticsConfigurationsResponse' && el.local !== 'GetAnalyticsConfigurationsResponse') {
    return err(decodeError(`/${el.local}`, 'expected an analytics configurations response'));
  }
  const call = el.local.replace(/Response$/, '');
  const cfgs = childrenOf(el, 'Configurations');
  return ok({
    tokens: cfgs.map((c) => c.attrs.token).filter((t): t is string => t !== undefined),
    items: cfgs.flatMap((c) => analyticsOfConfiguration(c, call)),
  });
};

/** Analytics service GetAnalyticsModules / GetRules (configured), for one configuration token. */
export const decodeConfiguredAnalytics =
  (configToken: string) =>
  (el: XmlElement): Decoded<AnalyticsItem[]> => {
    if (el.local === 'GetAnalyticsModulesResponse') {
      return ok(childrenOf(el, 'AnalyticsModule').map((m) => analyticsItem(m, 'module', configToken, 'GetAnalyticsModules')));
    }
    if (el.local === 'GetRulesResponse') return ok(childrenOf(el, 'Rule').map((r) => analyticsItem(r, 'rule', configToken, 'GetRules')));
    return err(decodeError(`/${el.local}`, 'expected GetAnalyticsModulesResponse or GetRulesResponse'));
  };

/** Analytics service GetSupportedAnalyticsModules / GetSupportedRules. */
export const decodeSupportedAnalytics =
  (configToken: string) =>
  (el: XmlElement): Decoded<AnalyticsItem[]> => {
    const [holder, entry, kind] =
      el.local === 'GetSupportedAnalyticsModulesResponse'
        ? (['SupportedAnalyticsModules', 'AnalyticsModuleDescription', 'supported-module'] as const)
        : el.local === 'GetSupportedRulesResponse'
          ? (['SupportedRules', 'RuleDescription', 'supported-rule'] as const)
          : ([null, null, null] as const);
    if (!holder) return err(decodeError(`/${el.local}`, 'expected a supported modules or rules response'));
    const list = childOf(el, holder);
    if (!list) return ok([]);
    const call = el.local.replace(/Response$/, '');
    return ok(childrenOf(list, entry).map((d) => analyticsItem(d, kind, configToken, call)));
  };

/**
 * Below the TopicSet every element is a topic node but a MessageDescription (which says what a topic's
 * messages carry), whatever its namespace: vendors write intermediate and leaf nodes with their own prefix,
 * with none, in the default namespace, and some in `tt:`.
 */
const isTopicNode = (e: XmlElement): boolean => e.local !== 'MessageDescription';

/** `wstop:topic` is an xs:boolean: `true` or `1`, whitespace collapsed. */
const markedTopic = (e: XmlElement): boolean => {
  const v = e.attrs['topic']?.trim();
  return v === 'true' || v === '1';
};

/**
 * Flattens the TopicSet into topic paths (`tns1:RuleEngine/FaceDetector/Face`). The ONVIF topic
 * namespace is always written `tns1` (re-serialised captures use ns0, ns1...); vendor prefixes stay.
 */
export const decodeEventProperties = (el: XmlElement): Decoded<string[]> => {
  const bad = expect(el, 'GetEventPropertiesResponse');
  if (bad) return err(bad);
  const set = childOf(el, 'TopicSet');
  if (!set) return ok([]);
  const out: string[] = [];
  const walk = (node: XmlElement, prefix: string): void => {
    const p = node.ns === NS.topics ? 'tns1' : node.prefix;
    const path = `${prefix}${prefix ? '/' : ''}${p ? `${p}:` : ''}${node.local}`;
    const kids = node.children.filter(isTopicNode);
    // A leaf counts wherever it sits; an inner node only when marked or described as a topic itself.
    const marked = markedTopic(node) || node.children.some((c) => c.local === 'MessageDescription');
    if ((marked || kids.length === 0) && !out.includes(path)) out.push(path);
    for (const k of kids) walk(k, path);
  };
  for (const top of set.children.filter(isTopicNode)) walk(top, '');
  return ok(out);
};
