/**
 * Hikvision ISAPI, read-only: device info, capability flags (isSupportFaceSnap...) and event
 * triggers. Face capture on many Hikvision cameras shows only here, not through ONVIF.
 */
import type { VendorFacts } from '../core/types.js';
import { childOf, childrenOf, parseXmlInSlices, textOf, type XmlElement } from '../xml/parse.js';
import { vendorGet, type VendorHttpOptions } from './vendor-http.js';

export const ISAPI_PATHS = {
  deviceInfo: '/ISAPI/System/deviceInfo',
  capabilities: '/ISAPI/System/capabilities',
  triggers: '/ISAPI/Event/triggers',
} as const;

/** Leaf texts as dotted paths below the root; repeated siblings get an index. */
export const flattenXml = (root: XmlElement, prefix: string, out: Record<string, string> = {}): Record<string, string> => {
  const counts = new Map<string, number>();
  for (const c of root.children) counts.set(c.local, (counts.get(c.local) ?? 0) + 1);
  const seen = new Map<string, number>();
  for (const c of root.children) {
    const i = seen.get(c.local) ?? 0;
    seen.set(c.local, i + 1);
    const key = `${prefix}.${c.local}${(counts.get(c.local) ?? 0) > 1 ? `[${i}]` : ''}`;
    if (c.children.length === 0) {
      const t = textOf(c);
      if (t !== null) out[key] = t;
    } else flattenXml(c, key, out);
  }
  return out;
};

/** EventTriggerList -> `triggers.<id>.eventType`, `.notifications`, `.enabled` (has any notification). */
export const triggerFacts = (root: XmlElement): Record<string, string> => {
  const out: Record<string, string> = {};
  childrenOf(root, 'EventTrigger').forEach((t, i) => {
    const id = textOf(childOf(t, 'id')) ?? String(i);
    const type = textOf(childOf(t, 'eventType'));
    if (type === null) return;
    const list = childOf(t, 'EventTriggerNotificationList');
    const methods = list
      ? childrenOf(list, 'EventTriggerNotification').map((n) => textOf(childOf(n, 'notificationMethod'))).filter((m): m is string => m !== null)
      : [];
    out[`triggers.${id}.eventType`] = type;
    out[`triggers.${id}.notifications`] = methods.join(',');
    out[`triggers.${id}.enabled`] = String(methods.length > 0);
  });
  return out;
};

export const readHikvision = async (base: URL, opts: VendorHttpOptions): Promise<VendorFacts | null> => {
  const values: Record<string, string> = {};
  let answered = false;
  for (const [key, path] of Object.entries(ISAPI_PATHS)) {
    const r = await vendorGet(base, path, 'hikvision-isapi', opts);
    if (!r.body) continue;
    // Up to 4 MiB from the device: parsed in slices within what the exchange left of the call's deadline.
    const parsed = await parseXmlInSlices(r.body, { deadline: performance.now() + Math.max(0, opts.timeoutMs - r.record.ms) });
    if (!parsed.ok) continue;
    answered = true;
    if (key === 'triggers') Object.assign(values, triggerFacts(parsed.value));
    else flattenXml(parsed.value, key, values);
  }
  return answered ? { vendor: 'hikvision', values } : null;
};
