/**
 * ONVIF answers of a simulated camera, rendered from real captured responses.
 *
 * Base: Hikvision DS-2CD2012-I (the full set, analytics and events included). Edits made here, and only here:
 * - addresses (`http://10.10.1.65/...`) -> the simulated camera's host:port; stream/snapshot URIs -> ours;
 * - identity (manufacturer, model, firmware, serial, hardware id) and scopes (hardware, name, location);
 * - the clock (UTCDateTime/LocalDateTime from the camera's skewed clock; TZ set to China's CST-8);
 * - face features: the real GX728MF-IR28 `tt:FaceDetectorEngine` module (its `Enable` item set from the
 *   simulated state; the capture had `false`) and `tt:FaceDetector` rule are inserted into modules, rules,
 *   analytics configurations and profiles; supported-module/rule descriptions and the RuleEngine face topic
 *   are copies of the device's own CellMotion entries, renamed;
 * - Media2 (tr2) for cameras that offer it: GX728MF-IR28 Media2 GetProfiles (tokens aligned with Media1) and
 *   the SUNBA/XM530 Media2 GetStreamUri shape;
 * - GetNetworkInterfaces has no captured response in any fixture: it is synthetic (ONVIF schema), in the
 *   device's envelope.
 * The `broken` device answers with the real Axis fault, the real non-well-formed XM530 GetProfiles and the
 * real blank-manufacturer GetDeviceInformation, verbatim.
 */
import type { CameraDef } from './definitions.js';
import { actionNotSupported, escapeXml, type SoapRequest } from './soap.js';
import { REAL_RESPONSES } from './templates/real-responses.js';
import { childOf, textOf } from '../xml/parse.js';

export const NS = {
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tr2: 'http://www.onvif.org/ver20/media/wsdl',
  tan: 'http://www.onvif.org/ver20/analytics/wsdl',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
} as const;

/** A fictional vendor namespace for the negotiation camera's face topic. */
export const FICTIONAL_TOPIC_NS = 'http://www.example.com/fictional-vendor/2019/event/topics';

export interface ResponseContext {
  readonly def: CameraDef;
  /** `http://host:port` of the camera. */
  readonly origin: string;
  /** The camera's clock. */
  readonly nowMs: number;
  readonly streamUri: (stream: 'main' | 'sub') => string;
}

export interface OnvifAnswer {
  readonly status: number;
  readonly body: string;
  readonly delayMs: number;
}

const HIK = 'hikvision-DS-2CD2012-I';
const hik = (file: string): string => tpl(`${HIK}/${file}`);

const TEMPLATES = new Map<string, string>(Object.entries(REAL_RESPONSES));

const tpl = (name: string): string => {
  const found = TEMPLATES.get(name);
  if (found === undefined) throw new Error(`missing simulator template ${name}`);
  return found;
};

/** The first match of `re` in a template; a miss is a bug in the simulator, not device data. */
const extract = (xml: string, re: RegExp): string => {
  const m = re.exec(xml);
  if (!m) throw new Error(`simulator template lacks ${re.source}`);
  return m[0];
};

const insertBefore = (xml: string, closing: string, snippet: string): string =>
  xml.split(closing).join(`${snippet}\n${closing}`);

const setText = (xml: string, qname: string, value: string): string =>
  xml.replace(new RegExp(`<${qname}>[^<]*</${qname}>`), () => `<${qname}>${escapeXml(value)}</${qname}>`);

const GX728_PROFILES = tpl('none-GX728MF-IR28/GetProfilesResponse.media1.xml');
const FACE_MODULE = extract(GX728_PROFILES, /<tt:AnalyticsModule Name="MyFaceDetectModule"[\s\S]*?<\/tt:AnalyticsModule>/);
const FACE_RULE = extract(GX728_PROFILES, /<tt:Rule Name="MyFaceDetectRule"[\s\S]*?<\/tt:Rule>/);

const faceModule = (enabled: boolean, element: string): string =>
  FACE_MODULE.replace('Value="false" Name="Enable"', `Value="${String(enabled)}" Name="Enable"`)
    .replace(/tt:AnalyticsModule/g, element);

/** Face module/rule into analytics configurations, wherever the device lists its engine and rules. */
const withFaceAnalytics = (xml: string, def: CameraDef): string => {
  const mode = def.face.onvifModule;
  if (!mode) return xml;
  const withModule = insertBefore(xml, '</tt:AnalyticsEngineConfiguration>', faceModule(mode === 'enabled', 'tt:AnalyticsModule'));
  return mode === 'enabled' ? insertBefore(withModule, '</tt:RuleEngineConfiguration>', FACE_RULE) : withModule;
};

/** A copy of the device's own CellMotion description block, renamed to the face engine/rule. */
const faceDescription = (xml: string, element: string, from: string, to: string): string =>
  extract(xml, new RegExp(`<tt:${element} Name="${from}">[\\s\\S]*?</tt:${element}>`))
    .replace(`Name="${from}"`, `Name="${to}"`)
    .replace('tns1:RuleEngine/CellMotionDetector/Motion', 'tns1:RuleEngine/FaceDetector/Face')
    .replace('Name="IsMotion"', 'Name="IsFace"');

const eventProperties = (def: CameraDef): string => {
  const xml = hik('GetEventPropertiesResponse.events.xml');
  const motion = extract(xml, /<CellMotionDetector wstop:topic="true">[\s\S]*?<\/CellMotionDetector>/);
  const description = extract(motion, /<tt:MessageDescription[\s\S]*?<\/tt:MessageDescription>/).replace('Name="IsMotion"', 'Name="IsFace"');
  const open = '<tns1:RuleEngine wstop:topic="true">';
  switch (def.face.eventTopic) {
    case null:
      return xml;
    case 'onvif':
      return xml.replace(open, `${open}\n<FaceDetector wstop:topic="true"><Face wstop:topic="true">${description}</Face></FaceDetector>`);
    case 'vendor':
      return xml.replace(
        open,
        `${open}\n<tnsvendor:FaceDetect xmlns:tnsvendor="${FICTIONAL_TOPIC_NS}" wstop:topic="true">${description}</tnsvendor:FaceDetect>`,
      );
  }
};

const dateTimeBlock = (element: string, d: Date): string =>
  [
    `<tt:${element}>`,
    `<tt:Time><tt:Hour>${String(d.getUTCHours())}</tt:Hour><tt:Minute>${String(d.getUTCMinutes())}</tt:Minute><tt:Second>${String(d.getUTCSeconds())}</tt:Second></tt:Time>`,
    `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${String(d.getUTCMonth() + 1)}</tt:Month><tt:Day>${String(d.getUTCDate())}</tt:Day></tt:Date>`,
    `</tt:${element}>`,
  ].join('');

const CHINA_OFFSET_MS = 8 * 3_600_000;

const systemDateAndTime = (nowMs: number): string =>
  hik('GetSystemDateAndTimeResponse.core.xml')
    .replace(/<tt:TZ>[^<]*<\/tt:TZ>/, '<tt:TZ>CST-8:00:00</tt:TZ>')
    .replace(/<tt:UTCDateTime>[\s\S]*?<\/tt:UTCDateTime>/, () => dateTimeBlock('UTCDateTime', new Date(nowMs)))
    .replace(/<tt:LocalDateTime>[\s\S]*?<\/tt:LocalDateTime>/, () => dateTimeBlock('LocalDateTime', new Date(nowMs + CHINA_OFFSET_MS)));

/** The scopes a camera announces (GetScopes and WS-Discovery agree). */
export const scopesOf = (def: CameraDef): string[] => [
  'onvif://www.onvif.org/type/video_encoder',
  'onvif://www.onvif.org/Profile/Streaming',
  'onvif://www.onvif.org/Profile/G',
  `onvif://www.onvif.org/hardware/${encodeURIComponent(def.model)}`,
  `onvif://www.onvif.org/name/${encodeURIComponent(def.name)}`,
  `onvif://www.onvif.org/location/${def.location.split('/').map(encodeURIComponent).join('/')}`,
];

const getScopes = (def: CameraDef): string => {
  const [, , , hardware, name, location] = scopesOf(def);
  return hik('GetScopesResponse.core.xml')
    .replace('onvif://www.onvif.org/hardware/DS-2CD2012-I', () => hardware ?? '')
    .replace('onvif://www.onvif.org/name/HIKVISION%20DS-2CD2012-I', () => name ?? '')
    .replace('onvif://www.onvif.org/location/city/hangzhou', () => location ?? '');
};

const deviceInformation = (def: CameraDef): string => {
  if (def.quirks?.blankManufacturer) return tpl('blank-IPD-H4K8M05-BS/GetDeviceInformationResponse.xml');
  let xml = hik('GetDeviceInformationResponse.core.xml');
  xml = setText(xml, 'tds:Manufacturer', def.manufacturer);
  xml = setText(xml, 'tds:Model', def.model);
  xml = setText(xml, 'tds:FirmwareVersion', def.firmware);
  xml = setText(xml, 'tds:SerialNumber', def.serial);
  return setText(xml, 'tds:HardwareId', def.hardwareId);
};

const inHikBody = (inner: string): string =>
  hik('GetDeviceInformationResponse.core.xml').replace(/<env:Body>[\s\S]*<\/env:Body>/, () => `<env:Body>\n${inner}\n  </env:Body>`);

/** Synthetic: no fixture holds a GetNetworkInterfaces answer. */
const networkInterfaces = (ctx: ResponseContext): string => {
  const host = new URL(ctx.origin).hostname;
  const mac = `00:5e:1f:${ctx.def.endpoint.slice(-6).replace(/(..)(?=.)/g, '$1:')}`;
  return inHikBody(
    `<tds:GetNetworkInterfacesResponse><tds:NetworkInterfaces token="eth0"><tt:Enabled>true</tt:Enabled>` +
      `<tt:Info><tt:Name>eth0</tt:Name><tt:HwAddress>${mac}</tt:HwAddress><tt:MTU>1500</tt:MTU></tt:Info>` +
      `<tt:IPv4><tt:Enabled>true</tt:Enabled><tt:Config><tt:Manual><tt:Address>${escapeXml(host)}</tt:Address>` +
      `<tt:PrefixLength>24</tt:PrefixLength></tt:Manual><tt:DHCP>false</tt:DHCP></tt:Config></tt:IPv4>` +
      `</tds:NetworkInterfaces></tds:GetNetworkInterfacesResponse>`,
  );
};

const MEDIA2_SERVICE_NS = 'xmlns:tr2="http://www.onvif.org/ver20/media/wsdl"';

const services = (def: CameraDef): string => {
  const xml = hik('GetServicesResponse.core.xml');
  if (!def.media2) return xml;
  const media1 = extract(xml, /<tds:Service>\s*<tds:Namespace>http:\/\/www\.onvif\.org\/ver10\/media\/wsdl<\/tds:Namespace>[\s\S]*?<\/tds:Service>/);
  const media2 = media1
    .replace('http://www.onvif.org/ver10/media/wsdl', NS.tr2)
    .replace('/onvif/Media<', '/onvif/Media2<')
    .replace(/<trt:Capabilities /, `<tr2:Capabilities ${MEDIA2_SERVICE_NS} `)
    .replace(/trt:/g, 'tr2:');
  return xml.replace(media1, `${media1}\n${media2}`);
};

const profileToken = (req: SoapRequest): string => textOf(childOf(req.body, 'ProfileToken')) ?? 'Profile_1';
const streamOf = (req: SoapRequest): 'main' | 'sub' => (/2$/.test(profileToken(req)) ? 'sub' : 'main');

const streamUri = (ctx: ResponseContext, req: SoapRequest): string =>
  hik('GetStreamUriResponse.media.xml').replace(/<tt:Uri>[^<]*<\/tt:Uri>/, () => `<tt:Uri>${escapeXml(ctx.streamUri(streamOf(req)))}</tt:Uri>`);

export const snapshotPath = '/onvif-http/snapshot';

const snapshotUrl = (ctx: ResponseContext, req: SoapRequest): string => `${ctx.origin}${snapshotPath}?profile=${streamOf(req)}`;

const media2Uri = (uri: string, response: 'GetStreamUriResponse' | 'GetSnapshotUriResponse'): string =>
  tpl('h264-XM530_50X50-WG_8M/GetStreamUriResponse.media2.xml')
    .replace(/<trt2:Uri>[^<]*<\/trt2:Uri>/, () => `<trt2:Uri>${escapeXml(uri)}</trt2:Uri>`)
    .replace(/trt2:GetStreamUriResponse/g, `trt2:${response}`);

const media2Profiles = (): string =>
  tpl('none-GX728MF-IR28/GetProfilesResponse.media2.xml')
    .replace(/\s*<tr2:Profiles token="media_profile3">[\s\S]*?<\/tr2:Profiles>/, '')
    .replace(/media_profile1/g, 'Profile_1')
    .replace(/media_profile2/g, 'Profile_2');

const analyticsConfigurations = (def: CameraDef): string =>
  withFaceAnalytics(hik('GetVideoAnalyticsConfigurationsResponse.media.xml'), def);

type Handler = (ctx: ResponseContext, req: SoapRequest) => string;

const HANDLERS: Readonly<Record<string, Handler>> = {
  [`${NS.tds}#GetSystemDateAndTime`]: (ctx) => systemDateAndTime(ctx.nowMs),
  [`${NS.tds}#GetDeviceInformation`]: (ctx) => deviceInformation(ctx.def),
  [`${NS.tds}#GetServices`]: (ctx) => services(ctx.def),
  [`${NS.tds}#GetCapabilities`]: () => hik('GetCapabilitiesResponse.core.xml'),
  [`${NS.tds}#GetScopes`]: (ctx) => getScopes(ctx.def),
  [`${NS.tds}#GetNetworkInterfaces`]: (ctx) => networkInterfaces(ctx),
  [`${NS.tds}#GetServiceCapabilities`]: () => hik('GetServiceCapabilitiesResponse.core.xml'),
  [`${NS.trt}#GetProfiles`]: (ctx) => withFaceAnalytics(hik('GetProfilesResponse.media.xml'), ctx.def),
  [`${NS.trt}#GetStreamUri`]: (ctx, req) => streamUri(ctx, req),
  [`${NS.trt}#GetSnapshotUri`]: (ctx, req) =>
    hik('GetSnapshotUriResponse.media.xml').replace(/<tt:Uri>[^<]*<\/tt:Uri>/, () => `<tt:Uri>${escapeXml(snapshotUrl(ctx, req))}</tt:Uri>`),
  [`${NS.trt}#GetVideoAnalyticsConfigurations`]: (ctx) => analyticsConfigurations(ctx.def),
  [`${NS.tan}#GetServiceCapabilities`]: () => hik('GetServiceCapabilitiesResponse.analytics.xml'),
  [`${NS.tan}#GetSupportedAnalyticsModules`]: (ctx) => {
    const xml = hik('GetSupportedAnalyticsModulesResponse.analytics.xml');
    if (!ctx.def.face.onvifModule) return xml;
    const face = faceDescription(xml, 'AnalyticsModuleDescription', 'tt:CellMotionEngine', 'tt:FaceDetectorEngine');
    return insertBefore(xml, '</tan:SupportedAnalyticsModules>', face);
  },
  [`${NS.tan}#GetAnalyticsModules`]: (ctx) => {
    const xml = hik('GetAnalyticsModulesResponse.analytics.xml');
    const mode = ctx.def.face.onvifModule;
    return mode ? insertBefore(xml, '</tan:GetAnalyticsModulesResponse>', faceModule(mode === 'enabled', 'tan:AnalyticsModule')) : xml;
  },
  [`${NS.tan}#GetSupportedRules`]: (ctx) => {
    const xml = hik('GetSupportedRulesResponse.analytics.xml');
    if (!ctx.def.face.onvifModule) return xml;
    return insertBefore(xml, '</tan:SupportedRules>', faceDescription(xml, 'RuleDescription', 'tt:CellMotionDetector', 'tt:FaceDetector'));
  },
  [`${NS.tan}#GetRules`]: (ctx) => {
    const xml = hik('GetRulesResponse.analytics.xml');
    return ctx.def.face.onvifModule === 'enabled'
      ? insertBefore(xml, '</tan:GetRulesResponse>', FACE_RULE.replace(/tt:Rule/g, 'tan:Rule'))
      : xml;
  },
  [`${NS.tev}#GetEventProperties`]: (ctx) => eventProperties(ctx.def),
  [`${NS.tev}#GetServiceCapabilities`]: () => hik('GetServiceCapabilitiesResponse.events.xml'),
};

const MEDIA2_HANDLERS: Readonly<Record<string, Handler>> = {
  [`${NS.tr2}#GetProfiles`]: () => media2Profiles(),
  [`${NS.tr2}#GetStreamUri`]: (ctx, req) => media2Uri(ctx.streamUri(streamOf(req)), 'GetStreamUriResponse'),
  [`${NS.tr2}#GetSnapshotUri`]: (ctx, req) => media2Uri(snapshotUrl(ctx, req), 'GetSnapshotUriResponse'),
  [`${NS.tr2}#GetAnalyticsConfigurations`]: (ctx) =>
    analyticsConfigurations(ctx.def)
      .replace('<trt:GetVideoAnalyticsConfigurationsResponse>', `<tr2:GetAnalyticsConfigurationsResponse ${MEDIA2_SERVICE_NS}>`)
      .replace('</trt:GetVideoAnalyticsConfigurationsResponse>', '</tr2:GetAnalyticsConfigurationsResponse>')
      .replace(/trt:Configurations/g, 'tr2:Configurations'),
};

const localize = (xml: string, origin: string): string => xml.split('http://10.10.1.65/').join(`${origin}/`);

const FAULT_HTTP_STATUS = 500;

/** The camera's answer to one authenticated (or unauthenticated GetSystemDateAndTime) request. */
export const answerOnvif = (req: SoapRequest, ctx: ResponseContext): OnvifAnswer => {
  const key = `${req.ns}#${req.action}`;
  const quirks = ctx.def.quirks;
  const delayMs = quirks?.slowActions.includes(req.action) ? quirks.slowMs : 0;
  if (quirks?.faultActions.includes(req.action)) {
    return { status: FAULT_HTTP_STATUS, body: tpl('axis-Q6045-E/GetServicesFault.core.xml'), delayMs };
  }
  if (quirks?.malformedActions.includes(req.action)) {
    return { status: 200, body: tpl('h264-XM530_50X50-WG_8M/GetProfilesResponse.media1.xml'), delayMs };
  }
  const handler = HANDLERS[key] ?? (ctx.def.media2 ? MEDIA2_HANDLERS[key] : undefined);
  if (!handler) return { status: FAULT_HTTP_STATUS, body: actionNotSupported(), delayMs };
  return { status: 200, body: localize(handler(ctx, req), ctx.origin), delayMs };
};
