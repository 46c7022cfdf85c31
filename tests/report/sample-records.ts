/**
 * Synthetic inspection records for report tests. All names, addresses and people are fictional.
 * `hostile` strings imitate a camera that answers with markup, bidi overrides and spreadsheet
 * formulas in its identity fields.
 */
import type { DeviceRecord, EvidenceRef, Finding, InspectionRecord, Localized, StreamSummary } from '../../src/core/record.js';
import { ruleCatalog, type RuleCatalog } from '../../src/report/index.js';
import { RULES as CATALOG } from '../../src/rules/catalog.js';

export const HOSTILE = {
  manufacturer: '<script>alert("pwn")</script>',
  model: '"><img src=x onerror=alert(1)>',
  reasonName: '</td></tr></table><iframe src="http://evil.example/">',
  firmware: 'v1.0\u202Egpj.exe',
  markdownLink: '[click](javascript:alert(1)) | broken | ![x](http://evil.example/t.png)',
  formula: '=HYPERLINK("http://evil.example","x")',
} as const;

const sha = (n: number): string => n.toString(16).padStart(2, '0').repeat(32);

const loc = (en: string, zh: string): Localized => ({ en, 'zh-CN': zh });

const stream = (over: Partial<StreamSummary> = {}): StreamSummary => ({
  profile: 'MainStream',
  uri: 'rtsp://192.0.2.10:554/Streaming/Channels/101',
  frames: 25,
  facesSeen: 0,
  maxEyeDistance: null,
  medianFaceWidth: null,
  captureGrade: 'no-faces',
  evidenceIds: [],
  error: null,
  ...over,
});

const device = (over: Partial<DeviceRecord> & Pick<DeviceRecord, 'key' | 'address'>): DeviceRecord => ({
  xaddr: `http://${over.address}/onvif/device_service`,
  macs: [],
  identity: { manufacturer: 'Generic', model: 'IPC', firmware: '1.0', serial: null, hardwareId: null },
  face: { supported: false, enabled: false, reasons: [] },
  streams: [],
  securityNotes: [],
  errors: [],
  evidenceIds: [],
  ...over,
});

const evidence = (id: number, kind: EvidenceRef['kind'], call: string, deviceKey: string | null): EvidenceRef => ({
  id,
  kind,
  call,
  deviceKey,
  sha256: sha(id),
  bytes: 1000 + id,
  mime: kind === 'snapshot' ? 'image/jpeg' : 'application/soap+xml',
  recordedAt: `2026-03-02T10:${String(id).padStart(2, '0')}:00+08:00`,
});

export const KEYS = {
  entrance: 'serial:hikvision:DS2CD0001',
  dahua: 'serial:dahua:7C0002',
  sandTable: 'mac:00:11:22:33:44:03',
  negotiation: 'mac:00:11:22:33:44:04',
  broken: 'address:192.0.2.15',
  added: 'mac:00:11:22:33:44:06',
} as const;

const entrance = device({
  key: KEYS.entrance,
  address: '192.0.2.11',
  macs: ['44:19:b6:00:00:01'],
  identity: { manufacturer: 'HIKVISION', model: 'iDS-2CD7A46G0-IZHS', firmware: 'V5.5.800', serial: 'DS2CD0001', hardwareId: '88' },
  face: {
    supported: true,
    enabled: true,
    reasons: [
      { source: 'onvif-module', name: 'FaceDetector-1', pattern: '/face/i', bears: 'enabled', call: 'GetAnalyticsModules' },
      { source: 'hikvision-isapi', name: 'isSupportFaceSnap', pattern: '/^isSupportFace/', bears: 'supported', call: '/ISAPI/System/capabilities' },
    ],
  },
  streams: [stream({ facesSeen: 14, maxEyeDistance: 48.26, medianFaceWidth: 131.5, captureGrade: 'recognisable', evidenceIds: [5] })],
  evidenceIds: [1, 2, 3, 4, 5],
});

const dahua = device({
  key: KEYS.dahua,
  address: '192.0.2.12',
  identity: { manufacturer: 'Dahua', model: 'DH-IPC-HFW5442E', firmware: '2.800', serial: '7C0002', hardwareId: null },
  face: { supported: true, enabled: true, reasons: [{ source: 'dahua-cgi', name: 'FaceDetection', pattern: '/face/i', bears: 'enabled', call: 'configManager.cgi?name=VideoAnalyseRule' }] },
  streams: [stream({ uri: 'rtsp://192.0.2.12/cam/realmonitor', facesSeen: 6, maxEyeDistance: 22.4, medianFaceWidth: 60, captureGrade: 'marginal', evidenceIds: [7] })],
  evidenceIds: [6, 7],
});

const sandTable = device({
  key: KEYS.sandTable,
  address: '192.0.2.13',
  macs: ['00:11:22:33:44:03'],
  streams: [stream({ facesSeen: 9, maxEyeDistance: 6.2, medianFaceWidth: 18, captureGrade: 'too-small' })],
});

const negotiation = device({
  key: KEYS.negotiation,
  address: '192.0.2.14',
  macs: ['00:11:22:33:44:04'],
  face: { supported: true, enabled: null, reasons: [{ source: 'event-topic', name: 'tns1:RuleEngine/MyRuleDetector/FaceDetect', pattern: '/face/i', bears: 'supported', call: 'GetEventProperties' }] },
  streams: [stream()],
});

const broken = device({
  key: KEYS.broken,
  address: '192.0.2.15',
  identity: { manufacturer: null, model: null, firmware: null, serial: null, hardwareId: null },
  face: { supported: null, enabled: null, reasons: [] },
  securityNotes: ['RTSP stream opens without credentials'],
  errors: ['GetAnalyticsModules: SOAP fault ter:ActionNotSupported'],
  streams: [stream({ frames: 12, captureGrade: 'no-faces' })],
});

const finding = (ruleId: string, deviceKey: string | null, observation: Localized, evidenceIds: readonly number[], severity: Finding['severity'] = 'high'): Finding => ({
  ruleId,
  severity,
  deviceKey,
  observation,
  evidenceIds,
});

const baseMeta = {
  siteId: 'site-0001',
  siteVersion: 2,
  caseNumber: '示例检公益调〔2026〕1号 (fictional)',
  zones: ['入口', '沙盘区', '洽谈区'],
  inspectors: ['张检察官 (fictional)', 'Li Inspector (fictional)'],
  experts: ['王工程师 (fictional)'],
  representative: '赵经理 (fictional)',
  witness: '钱女士 (fictional)',
  toolkitVersion: '0.1.0',
  modelSha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2',
  interfaceAddress: '192.0.2.200',
  subnet: '192.0.2.0/24',
};

const site = {
  id: 'site-0001',
  version: 2,
  name: '阳光花园售楼处 Sunshine Garden sales office (fictional)',
  address: '示例市示例区虚构路 1 号 (fictional)',
  district: '示例区',
  developer: '示例置业有限公司 (fictional)',
  contact: '赵经理 (fictional)',
  campaign: 'camp-2026',
};

export const firstInspection = (): InspectionRecord => ({
  meta: { ...baseMeta, id: 'insp-first-0001', kind: 'first', previousInspectionId: null, startedAt: '2026-03-02T10:00:00+08:00', endedAt: '2026-03-02T11:20:00+08:00' },
  site,
  devices: [entrance, dahua, sandTable, negotiation, broken],
  findings: [
    finding('FR-FACE-PROC', KEYS.entrance, loc('Face detection is enabled and the entrance stream shows faces at 48 px eye distance.', '已启用人脸检测，入口视频流中人脸眼距达 48 像素。'), [3, 5]),
    finding('FR-FACE-PROC', KEYS.dahua, loc('A FaceDetection rule is configured.', '配置了 FaceDetection 规则。'), [6]),
    finding('FR-PURPOSE', KEYS.negotiation, loc('A face event topic is advertised.', '设备提供人脸事件主题。'), [], 'medium'),
    finding('FR-SECURITY', KEYS.broken, loc('The RTSP stream opens without credentials.', 'RTSP 视频流无需认证即可打开。'), [], 'medium'),
    finding('FR-SIGNAGE', null, loc('No sign mentions face recognition at the entrance.', '入口处无提及人脸识别的标识。'), [9]),
  ],
  checklist: [{ item: 'signage', answer: 'no', note: 'only a generic 监控 sign', photos: ['photos/entrance-sign.jpg'], evidenceIds: [9] }],
  evidence: [
    evidence(1, 'request', 'GetAnalyticsModules', KEYS.entrance),
    evidence(2, 'response', 'GetAnalyticsModules', KEYS.entrance),
    evidence(3, 'response', '/ISAPI/System/capabilities', KEYS.entrance),
    evidence(4, 'facts', 'assess', KEYS.entrance),
    evidence(5, 'snapshot', 'stream-test MainStream', KEYS.entrance),
    evidence(6, 'response', 'configManager.cgi?name=VideoAnalyseRule', KEYS.dahua),
    evidence(7, 'snapshot', 'stream-test', KEYS.dahua),
    evidence(9, 'photo', 'checklist FR-SIGNAGE', null),
  ],
  notes: [{ at: '2026-03-02T10:05:00+08:00', text: 'Representative present throughout.' }],
  chainHead: 'c0ffee'.repeat(10) + 'abcd',
});

/**
 * The re-check: entrance face off, Dahua unreachable (not confirmed removed), the broken device
 * confirmed removed, negotiation camera half-answering, a new camera, signage still missing.
 */
export const recheckInspection = (): InspectionRecord => {
  const first = firstInspection();
  return {
    ...first,
    meta: { ...first.meta, id: 'insp-recheck-0002', kind: 'recheck', previousInspectionId: first.meta.id, startedAt: '2026-05-10T09:00:00+08:00', endedAt: '2026-05-10T09:40:00+08:00' },
    devices: [
      { ...entrance, face: { supported: true, enabled: false, reasons: [{ ...entrance.face.reasons[0]!, bears: 'disabled' }] }, streams: [stream({ facesSeen: 0, captureGrade: 'no-faces', evidenceIds: [25] })], evidenceIds: [21, 22, 25] },
      sandTable,
      { ...negotiation, face: { supported: null, enabled: null, reasons: [] }, streams: [], errors: ['connection reset'] },
      device({ key: KEYS.added, address: '192.0.2.16', macs: ['00:11:22:33:44:06'], streams: [stream()] }),
    ],
    findings: [finding('FR-SIGNAGE', null, loc('Still no sign mentions face recognition.', '仍无提及人脸识别的标识。'), [29])],
    checklist: [
      { item: 'signage', answer: 'no', note: '', photos: [], evidenceIds: [29] },
      { item: `device-removed:${KEYS.broken}`, answer: 'yes', note: 'camera taken down, bracket empty', photos: [], evidenceIds: [28] },
    ],
    evidence: [
      evidence(21, 'request', 'GetAnalyticsModules', KEYS.entrance),
      evidence(22, 'response', 'GetAnalyticsModules', KEYS.entrance),
      evidence(25, 'snapshot', 'stream-test', KEYS.entrance),
      evidence(28, 'photo', 'checklist device-removed', null),
      evidence(29, 'photo', 'checklist FR-SIGNAGE', null),
    ],
    notes: [],
    chainHead: 'beef'.repeat(16),
  };
};

/** A record whose every device-sourced string is hostile. */
export const hostileInspection = (): InspectionRecord => {
  const first = firstInspection();
  const evil = {
    ...entrance,
    address: HOSTILE.model,
    identity: { manufacturer: HOSTILE.manufacturer, model: HOSTILE.model, firmware: HOSTILE.firmware, serial: HOSTILE.markdownLink, hardwareId: HOSTILE.formula },
    face: { ...entrance.face, reasons: [{ source: 'onvif-rule' as const, name: HOSTILE.reasonName, pattern: HOSTILE.markdownLink, bears: 'enabled' as const, call: HOSTILE.manufacturer }] },
    streams: [stream({ uri: HOSTILE.reasonName, error: HOSTILE.manufacturer, captureGrade: 'recognisable', evidenceIds: [5] })],
    errors: [HOSTILE.reasonName],
  };
  return {
    ...first,
    meta: { ...first.meta, zones: [HOSTILE.reasonName, HOSTILE.markdownLink] },
    site: { ...first.site, name: HOSTILE.formula, address: HOSTILE.manufacturer },
    devices: [evil],
    findings: [finding('FR-FACE-PROC', evil.key, loc(HOSTILE.reasonName, HOSTILE.markdownLink), [5])],
    notes: [{ at: '2026-03-02T10:05:00+08:00', text: HOSTILE.markdownLink }],
  };
};

/** The real catalog of src/rules, as the CLI passes it. */
export const RULES: RuleCatalog = ruleCatalog(CATALOG);
