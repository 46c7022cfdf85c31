/**
 * Vendor HTTP APIs of the simulated cameras. SYNTHETIC: no captured ISAPI or Dahua CGI response is in the
 * shared fixtures, so these follow the public ISAPI (Hikvision `ver20/XMLSchema`) and Dahua HTTP API
 * documents' formats: ISAPI XML documents, and Dahua `key=value` lines with `table.<Name>[ch][n].<Key>`.
 * Only reads are answered; anything else is refused (and the camera logs it as a state-changing attempt).
 */
import type { CameraDef } from './definitions.js';
import { escapeXml } from './soap.js';

export interface HttpAnswer {
  readonly status: number;
  readonly contentType: string;
  readonly body: string;
}

const ISAPI_NS = 'http://www.hikvision.com/ver20/XMLSchema';
const XML_TYPE = 'application/xml; charset="UTF-8"';
const TEXT_TYPE = 'text/plain;charset=utf-8';

const xmlDoc = (root: string, inner: string): HttpAnswer => ({
  status: 200,
  contentType: XML_TYPE,
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<${root} version="2.0" xmlns="${ISAPI_NS}">\n${inner}\n</${root}>\n`,
});

const el = (name: string, value: string | boolean | number): string => `<${name}>${escapeXml(String(value))}</${name}>`;

const isapiDeviceInfo = (def: CameraDef): HttpAnswer => {
  const [version = def.firmware, ...build] = def.firmware.split(' ');
  return xmlDoc(
    'DeviceInfo',
    [
      el('deviceName', def.name),
      el('deviceID', def.endpoint.replace('urn:uuid:', '')),
      el('model', def.model),
      el('serialNumber', def.serial),
      el('firmwareVersion', version),
      el('firmwareReleasedDate', build.join(' ')),
      el('deviceType', 'IPCamera'),
      el('manufacturer', def.manufacturer.toLowerCase()),
    ].join('\n'),
  );
};

const isapiCapabilities = (def: CameraDef): HttpAnswer => {
  // Face snap is a hardware/licence capability: it stays advertised when the feature is switched off.
  const face = def.face.isapiFaceSnap !== null;
  return xmlDoc(
    'DeviceCap',
    [
      `<SysCap>${el('isSupportDst', true)}<VideoCap>${el('videoInputPortNums', 1)}${el('isSupportHeatmap', false)}</VideoCap></SysCap>`,
      `<SmartCap>${el('isSupportROI', true)}${el('isSupportFaceDetect', face)}${el('isSupportIntrusionDetection', true)}${el('isSupportLineDetection', true)}</SmartCap>`,
      `<EventCap>${el('isSupportMotionDetection', true)}${el('isSupportTamperDetection', true)}${el('isSupportFaceSnap', face)}</EventCap>`,
      el('isSupportFaceCaptureStatistics', face),
      el('isSupportSnapshot', true),
    ].join('\n'),
  );
};

const trigger = (id: string, eventType: string, notify: boolean): string =>
  `<EventTrigger>${el('id', id)}${el('eventType', eventType)}${el('eventDescription', `${eventType} Event trigger Information`)}` +
  `${el('videoInputChannelID', 1)}${el('dynVideoInputChannelID', 1)}<EventTriggerNotificationList>` +
  (notify
    ? ['center', 'record'].map((m) => `<EventTriggerNotification>${el('id', m)}${el('notificationMethod', m)}${el('notificationRecurrence', 'beginning')}</EventTriggerNotification>`).join('')
    : '') +
  `</EventTriggerNotificationList></EventTrigger>`;

const isapiTriggers = (def: CameraDef): HttpAnswer => {
  const entries = [trigger('VMD-1', 'VMD', true), trigger('tamperdetection-1', 'tamperdetection', false)];
  // A disabled face snap keeps its trigger entry but notifies no one, as the device UI leaves it.
  if (def.face.isapiFaceSnap) entries.push(trigger('faceSnap-1', 'faceSnap', def.face.isapiFaceSnap === 'enabled'));
  return xmlDoc('EventTriggerList', entries.join('\n'));
};

const ISAPI_ROUTES: Readonly<Record<string, (def: CameraDef) => HttpAnswer>> = {
  '/ISAPI/System/deviceInfo': isapiDeviceInfo,
  '/ISAPI/System/capabilities': isapiCapabilities,
  '/ISAPI/Event/triggers': isapiTriggers,
};

const text = (lines: readonly string[]): HttpAnswer => ({ status: 200, contentType: TEXT_TYPE, body: `${lines.join('\r\n')}\r\n` });

const dahuaIdentity = (def: CameraDef, action: string): HttpAnswer | null => {
  switch (action) {
    case 'getDeviceType':
      return text([`type=${def.model}`]);
    case 'getSystemInfo':
      return text([`deviceType=${def.model}`, 'processor=S3LM', `serialNumber=${def.serial}`, `updateSerial=${def.model}`]);
    case 'getSoftwareVersion':
      return text([`version=${def.firmware},build:2023-03-14`]);
    case 'getHardwareVersion':
      return text([`version=${def.hardwareId}`]);
    case 'getSerialNo':
      return text([`sn=${def.serial}`]);
    case 'getMachineName':
      return text([`name=${def.name}`]);
    case 'getVendor':
      return text([`vendor=${def.manufacturer}`]);
    default:
      return null;
  }
};

const ruleLines = (index: number, rule: { name: string; type: string; enable: boolean; id: number }): string[] => {
  const p = `table.VideoAnalyseRule[0][${index}]`;
  return [`${p}.Class=Normal`, `${p}.Enable=${String(rule.enable)}`, `${p}.Id=${rule.id}`, `${p}.Name=${rule.name}`, `${p}.Type=${rule.type}`];
};

const dahuaAnalyseRules = (def: CameraDef): HttpAnswer => {
  const rules = [{ name: 'CrossLine-1', type: 'CrossLineDetection', enable: true, id: 1 }];
  if (def.face.dahuaFaceRule) rules.unshift({ name: 'FaceDetection-1', type: 'FaceDetection', enable: def.face.dahuaFaceRule === 'enabled', id: 2 });
  return text(rules.flatMap((r, i) => ruleLines(i, r)));
};

const BAD_REQUEST: HttpAnswer = { status: 400, contentType: TEXT_TYPE, body: 'Error\r\nBad Request!\r\n' };
const NOT_FOUND: HttpAnswer = { status: 404, contentType: TEXT_TYPE, body: 'Not Found\r\n' };

/** True when the path belongs to this camera's vendor API (so it needs HTTP digest first). */
export const isVendorPath = (def: CameraDef, path: string): boolean =>
  (def.vendor === 'hikvision' && path.startsWith('/ISAPI/')) || (def.vendor === 'dahua' && path.startsWith('/cgi-bin/'));

/** A GET on the vendor API, already authenticated. */
export const answerVendor = (def: CameraDef, method: string, url: URL): HttpAnswer => {
  if (method !== 'GET') return BAD_REQUEST;
  const isapi = ISAPI_ROUTES[url.pathname];
  if (def.vendor === 'hikvision' && isapi) return isapi(def);
  if (def.vendor !== 'dahua') return NOT_FOUND;
  const action = url.searchParams.get('action') ?? '';
  if (url.pathname === '/cgi-bin/magicBox.cgi') return dahuaIdentity(def, action) ?? BAD_REQUEST;
  if (url.pathname === '/cgi-bin/configManager.cgi' && action === 'getConfig') {
    return url.searchParams.get('name') === 'VideoAnalyseRule' ? dahuaAnalyseRules(def) : BAD_REQUEST;
  }
  return url.pathname.startsWith('/cgi-bin/') ? BAD_REQUEST : NOT_FOUND;
};
