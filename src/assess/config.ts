/**
 * Face assessment from configuration facts alone (PURE). Each verdict carries reasons that name
 * the source, the raw name and the pattern that matched, so an inspector can find the evidence.
 * The model name is never read: a name says what a product line can do, not what this device does.
 */
import type { AnalyticsItem, ConfigProbe, DeviceFacts, FaceAssessment, FaceReason, FaceSource, VendorFacts } from '../core/types.js';
import { matchFace } from './face-patterns.js';

export type FaceFacts = Pick<ConfigProbe, 'analytics' | 'eventTopics' | 'vendor'>;

const FALSE = /^(?:false|0|off|no|disabled?)$/i;
const TRUE = /^(?:true|1|on|yes|enabled?)$/i;
/** Parameter names whose value lists object classes (ObjectDetection ClassFilter="Face Human"). */
const CLASS_PARAM = /class|objecttype|object_type|targettype|detecttype/i;

const enableValue = (params: Readonly<Record<string, string>>): boolean | null => {
  for (const [k, v] of Object.entries(params)) {
    if (!/^(?:enable|enabled|isenable|active)$/i.test(k)) continue;
    if (FALSE.test(v.trim())) return false;
    if (TRUE.test(v.trim())) return true;
  }
  return null;
};

const sourceOf = (item: AnalyticsItem): FaceSource => {
  if (item.call === 'GetProfiles') return 'profile-analytics';
  switch (item.kind) {
    case 'module':
      return 'onvif-module';
    case 'rule':
      return 'onvif-rule';
    case 'supported-module':
      return 'onvif-supported-module';
    case 'supported-rule':
      return 'onvif-supported-rule';
  }
};

/** What in an analytics item names a face: its type, its name, or a class-filter parameter. */
const faceMatchOf = (item: AnalyticsItem): { readonly name: string; readonly pattern: string; readonly via: string } | null => {
  for (const [text, via] of [[item.type, 'type'], [item.name, 'name']] as const) {
    const m = matchFace(text);
    if (m) return { name: text, pattern: m.pattern, via };
  }
  for (const [k, v] of Object.entries(item.parameters)) {
    if (!CLASS_PARAM.test(k)) continue;
    const m = matchFace(v);
    if (m) return { name: `${item.type} ${k}=${v}`, pattern: m.pattern, via: `parameter ${k}` };
  }
  return null;
};

const analyticsReasons = (items: readonly AnalyticsItem[]): FaceReason[] => {
  const out: FaceReason[] = [];
  // A configured rule needs its engine: a face rule under an explicitly disabled face module is off.
  const disabledFaceModuleTokens = new Set(
    items.filter((i) => i.kind === 'module' && faceMatchOf(i) && enableValue(i.parameters) === false).map((i) => i.configToken),
  );
  for (const item of items) {
    const m = faceMatchOf(item);
    if (!m) continue;
    const configured = item.kind === 'module' || item.kind === 'rule';
    const enable = enableValue(item.parameters);
    const engineOff = item.kind === 'rule' && enable !== true && disabledFaceModuleTokens.has(item.configToken);
    const bears: FaceReason['bears'] = !configured ? 'supported' : enable === false || engineOff ? 'disabled' : 'enabled';
    const detail = [
      `matched on ${m.via}`,
      item.configToken ? `configuration ${item.configToken}` : null,
      enable === false ? 'Enable=false' : null,
      engineOff ? 'its face engine module is disabled' : null,
    ].filter((d): d is string => d !== null);
    out.push({ source: sourceOf(item), name: m.name, pattern: m.pattern, bears, call: item.call ?? null, detail: detail.join('; ') });
  }
  return out;
};

const topicReasons = (topics: readonly string[]): FaceReason[] =>
  topics.flatMap((t) => {
    const m = matchFace(t);
    return m ? [{ source: 'event-topic' as const, name: t, pattern: m.pattern, bears: 'supported' as const, call: 'GetEventProperties' }] : [];
  });

const ISAPI_CAPABILITIES = '/ISAPI/System/capabilities';
const ISAPI_TRIGGERS = '/ISAPI/Event/triggers';
const DAHUA_RULES = '/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseRule';
/** Dahua writes `table.VideoAnalyseRule[ch][n]`; some firmwares pluralise it. */
const VENDOR_RULE_KEY = /^table\.VideoAnalyseRules?\[/;

const hikvisionReasons = (values: Readonly<Record<string, string>>): FaceReason[] => {
  const out: FaceReason[] = [];
  for (const [key, value] of Object.entries(values)) {
    const leaf = key.slice(key.lastIndexOf('.') + 1);
    if (key.startsWith('capabilities.') && /^isSupport/i.test(leaf) && TRUE.test(value)) {
      const m = matchFace(leaf);
      if (m) out.push({ source: 'hikvision-isapi', name: leaf, pattern: m.pattern, bears: 'supported', call: ISAPI_CAPABILITIES, detail: `${key}=${value}` });
    }
    if (key.startsWith('triggers.') && leaf === 'eventType') {
      const m = matchFace(value);
      if (!m) continue;
      const base = key.slice(0, -'.eventType'.length);
      const enabled = values[`${base}.enabled`];
      const bears: FaceReason['bears'] = enabled === 'true' ? 'enabled' : enabled === 'false' ? 'disabled' : 'supported';
      out.push({ source: 'hikvision-isapi', name: value, pattern: m.pattern, bears, call: ISAPI_TRIGGERS, detail: `${base} notifications=${values[`${base}.notifications`] ?? ''}` });
    }
  }
  return out;
};

const dahuaReasons = (values: Readonly<Record<string, string>>): FaceReason[] => {
  const out: FaceReason[] = [];
  for (const [key, value] of Object.entries(values)) {
    if (!VENDOR_RULE_KEY.test(key) || !key.endsWith('.Type')) continue;
    const m = matchFace(value);
    if (!m) continue;
    const base = key.slice(0, -'.Type'.length);
    const enable = values[`${base}.Enable`];
    const bears: FaceReason['bears'] = enable === undefined ? 'supported' : TRUE.test(enable) ? 'enabled' : 'disabled';
    out.push({ source: 'dahua-cgi', name: value, pattern: m.pattern, bears, call: DAHUA_RULES, detail: `${key}=${value}${enable === undefined ? '' : `; ${base}.Enable=${enable}`}` });
  }
  return out;
};

const vendorReasons = (v: VendorFacts): FaceReason[] => (v.vendor === 'hikvision' ? hikvisionReasons(v.values) : dahuaReasons(v.values));

const dedupe = (reasons: readonly FaceReason[]): FaceReason[] => {
  const seen = new Set<string>();
  return reasons.filter((r) => {
    const k = [r.source, r.name, r.pattern, r.bears, r.call, r.detail].join('\u0000');
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/**
 * supported: any reason -> true; evidence was read and none names a face -> false; nothing read -> null.
 * enabled: any configured face item on -> true; else any explicitly off, or configured analytics
 * without a face item -> false; else null.
 */
/** The assess stage for configuration: a device's facts as read, with what they say about face functions. */
export const assessConfig = (facts: DeviceFacts): ConfigProbe => ({ ...facts, face: assessFace(facts) });

export const assessFace = (facts: FaceFacts): FaceAssessment => {
  const reasons = dedupe([...analyticsReasons(facts.analytics), ...topicReasons(facts.eventTopics), ...facts.vendor.flatMap(vendorReasons)]);
  const vendorKeys = facts.vendor.flatMap((v) => Object.keys(v.values));
  // Identity answers (deviceInfo, magicBox) say nothing about analytics; capabilities and rules do.
  const vendorConfig = vendorKeys.some((k) => k.startsWith('triggers.') || VENDOR_RULE_KEY.test(k));
  const vendorEvidence = vendorConfig || vendorKeys.some((k) => k.startsWith('capabilities.'));
  const evidence = facts.analytics.length > 0 || facts.eventTopics.length > 0 || vendorEvidence;
  const configuredKnown = facts.analytics.some((i) => i.kind === 'module' || i.kind === 'rule') || vendorConfig;
  const supported = reasons.length > 0 ? true : evidence ? false : null;
  const enabled = reasons.some((r) => r.bears === 'enabled')
    ? true
    : reasons.some((r) => r.bears === 'disabled') || configuredKnown
      ? false
      : null;
  return { supported, enabled, reasons };
};
