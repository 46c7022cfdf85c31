/**
 * The fixed request templates: the only operations this client can even express. The allowlist
 * (allowlist.ts) still checks the serialised bytes, so a template bug cannot widen what is sent.
 */
import { NS, SERVICE_NAMESPACES, type ServiceKey } from './namespaces.js';
import { xmlEscape } from './soap.js';

export type OnvifRequest =
  | { readonly action: 'GetSystemDateAndTime' | 'GetDeviceInformation' | 'GetScopes' | 'GetNetworkInterfaces' }
  | { readonly action: 'GetServices' }
  | { readonly action: 'GetCapabilities' }
  | { readonly action: 'GetProfiles'; readonly media: 1 | 2 }
  | { readonly action: 'GetStreamUri'; readonly media: 1 | 2; readonly profileToken: string }
  | { readonly action: 'GetSnapshotUri'; readonly media: 1 | 2; readonly profileToken: string }
  | { readonly action: 'GetVideoAnalyticsConfigurations' }
  | { readonly action: 'GetAnalyticsConfigurations' }
  | {
      readonly action: 'GetSupportedAnalyticsModules' | 'GetAnalyticsModules' | 'GetSupportedRules' | 'GetRules';
      readonly configurationToken: string;
    }
  | { readonly action: 'GetEventProperties' }
  | { readonly action: 'GetServiceCapabilities'; readonly service: ServiceKey };

export type OnvifAction = OnvifRequest['action'];

/** Which service endpoint a request goes to. */
export const serviceOf = (r: OnvifRequest): ServiceKey => {
  switch (r.action) {
    case 'GetProfiles':
    case 'GetStreamUri':
    case 'GetSnapshotUri':
      return r.media === 2 ? 'media2' : 'media';
    case 'GetVideoAnalyticsConfigurations':
      return 'media';
    case 'GetAnalyticsConfigurations':
      return 'media2';
    case 'GetSupportedAnalyticsModules':
    case 'GetAnalyticsModules':
    case 'GetSupportedRules':
    case 'GetRules':
      return 'analytics';
    case 'GetEventProperties':
      return 'events';
    case 'GetServiceCapabilities':
      return r.service;
    default:
      return 'device';
  }
};

const el = (ns: string, name: string, inner = ''): string => `<${name} xmlns="${ns}">${inner}</${name}>`;
const tokenEl = (ns: string, name: string, value: string): string => `<${name} xmlns="${ns}">${xmlEscape(value)}</${name}>`;

/** The SOAP Body content of a request. */
export const requestBody = (r: OnvifRequest): string => {
  switch (r.action) {
    case 'GetServices':
      return el(NS.device, r.action, el(NS.device, 'IncludeCapability', 'false'));
    case 'GetCapabilities':
      return el(NS.device, r.action, el(NS.device, 'Category', 'All'));
    case 'GetProfiles':
      // Media2 returns only names and tokens unless asked for the configurations.
      return r.media === 2 ? el(NS.media2, r.action, el(NS.media2, 'Type', 'All')) : el(NS.media, r.action);
    case 'GetStreamUri':
      return r.media === 2
        ? el(NS.media2, r.action, el(NS.media2, 'Protocol', 'RTSP') + tokenEl(NS.media2, 'ProfileToken', r.profileToken))
        : el(
            NS.media,
            r.action,
            el(NS.media, 'StreamSetup', el(NS.tt, 'Stream', 'RTP-Unicast') + el(NS.tt, 'Transport', el(NS.tt, 'Protocol', 'RTSP'))) +
              tokenEl(NS.media, 'ProfileToken', r.profileToken),
          );
    case 'GetSnapshotUri':
      return el(r.media === 2 ? NS.media2 : NS.media, r.action, tokenEl(r.media === 2 ? NS.media2 : NS.media, 'ProfileToken', r.profileToken));
    case 'GetVideoAnalyticsConfigurations':
      return el(NS.media, r.action);
    case 'GetAnalyticsConfigurations':
      return el(NS.media2, r.action);
    case 'GetSupportedAnalyticsModules':
    case 'GetAnalyticsModules':
    case 'GetSupportedRules':
    case 'GetRules':
      return el(NS.analytics, r.action, tokenEl(NS.analytics, 'ConfigurationToken', r.configurationToken));
    case 'GetEventProperties':
      return el(NS.events, r.action);
    case 'GetServiceCapabilities':
      return el(serviceNamespace(r.service), r.action);
    default:
      return el(NS.device, r.action);
  }
};

const serviceNamespace = (s: ServiceKey): string => SERVICE_NAMESPACES[s];

/** SOAP 1.2 action parameter for the Content-Type header. */
export const soapActionUri = (r: OnvifRequest): string => `${serviceNamespace(serviceOf(r))}/${r.action}`;
