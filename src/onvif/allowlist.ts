/**
 * The one place that decides what may be sent to a device under inspection. An inspection must not
 * alter the device (it is evidence), so every SOAP body and every vendor URL passes through here
 * just before it is written; anything else is refused with a `policy` error and never leaves.
 */
import { err, ok, type Result } from '../core/result.js';
import type { ProbeError } from '../core/errors.js';
import { parseXml } from '../xml/parse.js';
import { NS, SERVICE_NAMESPACES } from './namespaces.js';

type PolicyError = Extract<ProbeError, { kind: 'policy' }>;

/** Read-only ONVIF operations (all services). */
export const ALLOWED_SOAP_ACTIONS: ReadonlySet<string> = new Set([
  'GetSystemDateAndTime',
  'GetDeviceInformation',
  'GetServices',
  'GetCapabilities',
  'GetScopes',
  'GetNetworkInterfaces',
  'GetProfiles',
  'GetStreamUri',
  'GetSnapshotUri',
  'GetVideoAnalyticsConfigurations',
  'GetAnalyticsConfigurations',
  'GetSupportedAnalyticsModules',
  'GetAnalyticsModules',
  'GetSupportedRules',
  'GetRules',
  'GetEventProperties',
  'GetServiceCapabilities',
]);

const SERVICE_NS: ReadonlySet<string> = new Set(Object.values(SERVICE_NAMESPACES));

const policy = (message: string): PolicyError => ({ kind: 'policy', message });

/**
 * Checks the first element of the SOAP Body of the exact bytes about to be sent.
 * Returns the action name when allowed.
 */
export const checkSoapRequest = (envelope: string): Result<string, PolicyError> => {
  const parsed = parseXml(envelope);
  if (!parsed.ok) return err(policy(`request is not well-formed XML: ${parsed.error.message}`));
  const root = parsed.value;
  if (root.local !== 'Envelope' || root.ns !== NS.soap12) return err(policy('request is not a SOAP 1.2 envelope'));
  const bodies = root.children.filter((c) => c.local === 'Body' && c.ns === NS.soap12);
  const body = bodies[0];
  if (!body || bodies.length !== 1) return err(policy('request must have exactly one SOAP Body'));
  const first = body.children[0];
  if (!first) return err(policy('request has an empty SOAP Body'));
  if (body.children.length !== 1) return err(policy('request SOAP Body must hold one operation'));
  if (!SERVICE_NS.has(first.ns)) return err(policy(`operation namespace ${first.ns || '(none)'} is not an ONVIF service`));
  if (!ALLOWED_SOAP_ACTIONS.has(first.local)) return err(policy(`${first.local} is not on the read-only allowlist`));
  return ok(first.local);
};

/** Vendor HTTP APIs: read-only GETs, path and query matched exactly. */
const ALLOWED_VENDOR_URLS: ReadonlySet<string> = new Set([
  '/ISAPI/System/deviceInfo',
  '/ISAPI/System/capabilities',
  '/ISAPI/Event/triggers',
  '/cgi-bin/magicBox.cgi?action=getDeviceType',
  '/cgi-bin/magicBox.cgi?action=getSystemInfo',
  '/cgi-bin/magicBox.cgi?action=getSoftwareVersion',
  '/cgi-bin/magicBox.cgi?action=getVendor',
  '/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseRule',
]);

export const checkVendorRequest = (method: string, url: URL): Result<string, PolicyError> => {
  if (method !== 'GET') return err(policy(`${method} is refused: vendor APIs are read with GET only`));
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return err(policy(`scheme ${url.protocol} is refused`));
  if (url.username || url.password) return err(policy('credentials in the URL are refused'));
  const target = `${url.pathname}${url.search}`;
  if (!ALLOWED_VENDOR_URLS.has(target)) return err(policy(`${target} is not on the read-only allowlist`));
  return ok(target);
};
