/**
 * The configuration probe: a fixed, read-only sequence of ONVIF calls (and vendor GETs when the
 * device looks like one). A call the device does not support is recorded and the probe goes on;
 * only a device that cannot be reached at all makes the probe fail.
 */
import type { ProbeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { AnalyticsItem, CallRecord, CameraProfile, DeviceFacts, DeviceIdentity, NetworkFacts, ServiceEntry, VendorFacts } from '../core/types.js';
import { readDahua } from '../vendors/dahua-cgi.js';
import { suggestVendors } from '../vendors/detect.js';
import { readHikvision } from '../vendors/hikvision-isapi.js';
import { OnvifClient } from './client.js';
import {
  decodeAnalyticsConfigurations,
  decodeCapabilities,
  decodeConfiguredAnalytics,
  decodeDeviceInformation,
  decodeEventProperties,
  decodeMediaUri,
  decodeNetworkInterfaces,
  decodeProfiles,
  decodeScopes,
  decodeServices,
  decodeSupportedAnalytics,
} from './decode.js';
import { NS } from './namespaces.js';

export interface ProbeOptions {
  readonly username?: string;
  readonly password?: string;
  /** Per call, total (not idle). */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  readonly onCall?: (record: CallRecord) => void;
  readonly maxResponseBytes?: number;
  /** Try vendor HTTP APIs when the device looks like one (default true). */
  readonly vendors?: boolean;
  readonly now?: () => number;
}

/**
 * A device may list thousands of profiles or analytics configurations, and each costs calls (a hostile
 * one made a 4 MB GetProfiles answer worth 10 000 calls). Profiles beyond the first MAX_URI_PROFILES are
 * kept as listed, without their URIs; an NVR with 64 channels lists about 128.
 */
export const MAX_URI_PROFILES = 128;
export const MAX_ANALYTICS_CONFIGURATIONS = 32;

const EMPTY_IDENTITY: DeviceIdentity = { manufacturer: null, model: null, firmware: null, serial: null, hardwareId: null };

/**
 * Service addresses as the device states them may name an internal address or another host (NAT,
 * or a forged answer). We only ever talk to the host the inspector named: keep the path, use its origin.
 */
const onProbedHost = (probed: URL, xaddr: string): string => {
  try {
    const u = new URL(xaddr);
    return u.host === probed.host ? u.toString() : new URL(`${u.pathname}${u.search}`, probed.origin).toString();
  } catch {
    return probed.toString();
  }
};

const uniqueItems = (items: readonly AnalyticsItem[]): AnalyticsItem[] => {
  const seen = new Set<string>();
  return items.filter((i) => {
    const k = [i.kind, i.name, i.type, i.configToken, i.call].join('\u0000');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

const unreachable = (e: ProbeError): boolean =>
  e.kind === 'transport' && e.httpStatus === undefined && ['refused', 'unreachable', 'timeout', 'reset', 'other'].includes(e.reason);

export const probeDevice = async (xaddr: string, opts: ProbeOptions): Promise<Result<DeviceFacts, ProbeError>> => {
  let probed: URL;
  try {
    probed = new URL(xaddr);
  } catch {
    return err({ kind: 'policy', message: `not a URL: ${xaddr}` });
  }
  const credentials = opts.username !== undefined && opts.password !== undefined ? { username: opts.username, password: opts.password } : undefined;
  const client = new OnvifClient({
    timeoutMs: opts.timeoutMs,
    ...(opts.maxResponseBytes === undefined ? {} : { maxResponseBytes: opts.maxResponseBytes }),
    ...(opts.signal === undefined ? {} : { signal: opts.signal }),
    ...(credentials === undefined ? {} : { credentials }),
    ...(opts.onCall === undefined ? {} : { onCall: opts.onCall }),
    ...(opts.now === undefined ? {} : { now: opts.now }),
  });
  const probedAt = new Date().toISOString();
  const deviceUrl = probed.toString();

  const clock = await client.measureClock(deviceUrl);
  const info = await client.call(deviceUrl, { action: 'GetDeviceInformation' }, decodeDeviceInformation);
  // A device that dropped only the clock call still answers the next one; both failing means unreachable.
  if (!clock.ok && unreachable(clock.error) && !info.ok && unreachable(info.error)) return err(info.error);
  const device = info.ok ? info.value : EMPTY_IDENTITY;

  let services: ServiceEntry[] = [];
  const svc = await client.call(deviceUrl, { action: 'GetServices' }, decodeServices);
  if (svc.ok && svc.value.length > 0) services = svc.value;
  else {
    const caps = await client.call(deviceUrl, { action: 'GetCapabilities' }, decodeCapabilities);
    if (caps.ok) services = caps.value;
  }
  const urlOf = (ns: string): string | null => {
    const s = services.find((e) => e.namespace === ns);
    return s ? onProbedHost(probed, s.xaddr) : null;
  };

  const scopesR = await client.call(deviceUrl, { action: 'GetScopes' }, decodeScopes);
  const scopes = scopesR.ok ? scopesR.value : [];
  const netR = await client.call(deviceUrl, { action: 'GetNetworkInterfaces' }, decodeNetworkInterfaces);
  const network: NetworkFacts = netR.ok ? netR.value : { macs: [], addresses: [] };

  // Media2 first (it carries the newer codecs), Media1 when the device has no Media2 or it fails.
  const media2Url = urlOf(NS.media2);
  // Devices that list no services usually serve Media1 on the device endpoint.
  const media1Url = urlOf(NS.media) ?? (services.length === 0 ? deviceUrl : null);
  let profiles: CameraProfile[] = [];
  let analytics: AnalyticsItem[] = [];
  let mediaVersion: 1 | 2 | null = null;
  if (media2Url) {
    const r = await client.call(media2Url, { action: 'GetProfiles', media: 2 }, decodeProfiles);
    if (r.ok && r.value.profiles.length > 0) {
      ({ profiles, analytics } = r.value);
      mediaVersion = 2;
    }
  }
  if (mediaVersion === null && media1Url) {
    const r = await client.call(media1Url, { action: 'GetProfiles', media: 1 }, decodeProfiles);
    if (r.ok) {
      ({ profiles, analytics } = r.value);
      mediaVersion = 1;
    }
  }
  if (mediaVersion === 2 && media1Url && (analytics.length === 0 || profiles.some((p) => p.encoder === null))) {
    // Many firmwares fill analytics and encoder settings only into Media1 profiles (Media2 lists
    // names and tokens); complete the Media2 profiles from the Media1 profile of the same token.
    const r = await client.call(media1Url, { action: 'GetProfiles', media: 1 }, decodeProfiles);
    if (r.ok) {
      if (analytics.length === 0) analytics = r.value.analytics;
      const byToken = new Map(r.value.profiles.map((p) => [p.token, p]));
      profiles = profiles.map((p) => {
        const m1 = byToken.get(p.token);
        return {
          ...p,
          encoder: p.encoder ?? m1?.encoder ?? null,
          width: p.width ?? m1?.width ?? null,
          height: p.height ?? m1?.height ?? null,
          analyticsToken: p.analyticsToken ?? m1?.analyticsToken ?? null,
        };
      });
    }
  }
  const mediaUrl = mediaVersion === 2 ? media2Url : media1Url;
  if (mediaVersion !== null && mediaUrl) {
    const media = mediaVersion;
    const withUris: CameraProfile[] = [];
    for (const [i, p] of profiles.entries()) {
      if (i >= MAX_URI_PROFILES) {
        withUris.push(p);
        continue;
      }
      const stream = await client.call(mediaUrl, { action: 'GetStreamUri', media, profileToken: p.token }, decodeMediaUri);
      const snap = await client.call(mediaUrl, { action: 'GetSnapshotUri', media, profileToken: p.token }, decodeMediaUri);
      withUris.push({ ...p, rtsp: stream.ok ? stream.value : null, snapshot: snap.ok ? snap.value : null });
    }
    profiles = withUris;
  }

  const tokens = new Set(profiles.map((p) => p.analyticsToken).filter((t): t is string => t !== null));
  if (media1Url) {
    const r = await client.call(media1Url, { action: 'GetVideoAnalyticsConfigurations' }, decodeAnalyticsConfigurations);
    if (r.ok) {
      analytics.push(...r.value.items);
      r.value.tokens.forEach((t) => tokens.add(t));
    }
  }
  if (media2Url) {
    const r = await client.call(media2Url, { action: 'GetAnalyticsConfigurations' }, decodeAnalyticsConfigurations);
    if (r.ok) {
      analytics.push(...r.value.items);
      r.value.tokens.forEach((t) => tokens.add(t));
    }
  }
  const analyticsUrl = urlOf(NS.analytics);
  if (analyticsUrl) {
    for (const configurationToken of [...tokens].slice(0, MAX_ANALYTICS_CONFIGURATIONS)) {
      for (const action of ['GetSupportedAnalyticsModules', 'GetSupportedRules'] as const) {
        const r = await client.call(analyticsUrl, { action, configurationToken }, decodeSupportedAnalytics(configurationToken));
        if (r.ok) analytics.push(...r.value);
      }
      for (const action of ['GetAnalyticsModules', 'GetRules'] as const) {
        const r = await client.call(analyticsUrl, { action, configurationToken }, decodeConfiguredAnalytics(configurationToken));
        if (r.ok) analytics.push(...r.value);
      }
    }
  }
  analytics = uniqueItems(analytics);

  let eventTopics: string[] = [];
  const eventsUrl = urlOf(NS.events);
  if (eventsUrl) {
    const r = await client.call(eventsUrl, { action: 'GetEventProperties' }, decodeEventProperties);
    if (r.ok) eventTopics = r.value;
  }

  const vendor: VendorFacts[] = [];
  const vendorCalls: CallRecord[] = [];
  if (opts.vendors !== false) {
    const vOpts = {
      timeoutMs: opts.timeoutMs,
      ...(credentials === undefined ? {} : { credentials }),
      ...(opts.signal === undefined ? {} : { signal: opts.signal }),
      ...(opts.maxResponseBytes === undefined ? {} : { maxResponseBytes: opts.maxResponseBytes }),
      onCall: (rec: CallRecord) => {
        vendorCalls.push(rec);
        opts.onCall?.(rec);
      },
    };
    const base = new URL(probed.origin);
    for (const v of suggestVendors(device, scopes)) {
      const facts = v === 'hikvision' ? await readHikvision(base, vOpts) : await readDahua(base, vOpts);
      if (facts) vendor.push(facts);
    }
  }

  const calls = [...client.calls, ...vendorCalls];
  return ok({
    xaddr: deviceUrl,
    address: probed.hostname,
    probedAt,
    device,
    services,
    scopes,
    network,
    profiles,
    analytics,
    eventTopics,
    vendor,
    clockOffsetMs: client.clockOffsetMs,
    authenticated: credentials !== undefined && calls.some((c) => c.status === 'ok' && c.action !== 'GetSystemDateAndTime'),
    calls,
    errors: calls.flatMap((c) => (c.error ? [{ action: c.action, error: c.error }] : [])),
  });
};
