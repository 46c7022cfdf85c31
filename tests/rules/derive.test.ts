import { describe, expect, it } from 'vitest';
import type { ChecklistEntry, DeviceRecord } from '../../src/core/record.js';
import type { FaceReason } from '../../src/core/types.js';
import { deriveFindings } from '../../src/rules/derive.js';
import { RULES } from '../../src/rules/catalog.js';
import { CHECKLIST_ITEMS } from '../../src/rules/checklist-items.js';
import { toDeviceRecord, toStoredFacts } from '../../src/rules/device-facts.js';
import { device } from '../store/synth.js';

const reason = (name: string, bears: FaceReason['bears'], call = 'GetAnalyticsModules'): FaceReason => ({ source: 'onvif-module', name, pattern: '/face/i', bears, call });

const dev = (o: Partial<DeviceRecord> = {}): DeviceRecord => ({
  key: 'serial:hik:1', address: '127.0.0.5', xaddr: null, macs: [],
  identity: { manufacturer: 'HIKVISION', model: 'iDS-2CD7146G0', firmware: null, serial: '1', hardwareId: null },
  face: { supported: false, enabled: false, reasons: [] }, streams: [], securityNotes: [], errors: [], evidenceIds: [1, 2, 3, 4],
  calls: [
    { action: 'GetAnalyticsModules', service: 'analytics', status: 'ok', requestEvidenceId: 1, responseEvidenceId: 2 },
    { action: '/ISAPI/System/capabilities', service: 'hikvision-isapi', status: 'ok', requestEvidenceId: 3, responseEvidenceId: 4 },
  ],
  vendorFacts: [],
  ...o,
});

const stream = (captureGrade: 'recognisable' | 'marginal' | 'too-small' | 'no-faces') => ({
  profile: 'main', uri: 'rtsp://127.0.0.5/main', frames: 10, facesSeen: 4, maxEyeDistance: 40, medianFaceWidth: 90, captureGrade, evidenceIds: [9], error: null,
});

const answer = (item: string, a: ChecklistEntry['answer'], evidenceIds: number[] = []): ChecklistEntry => ({ item, answer: a, note: '', photos: [], evidenceIds });

const summary = (devices: DeviceRecord[], checklist: ChecklistEntry[] = []) =>
  deriveFindings({ devices, checklist }).map((f) => `${f.ruleId}/${f.severity}/${f.deviceKey ?? '-'}/${f.evidenceIds.join(',')}`);

describe('deriveFindings', () => {
  it.each<[string, DeviceRecord[], ChecklistEntry[], string[]]>([
    ['an ordinary camera: nothing', [dev()], [], []],
    ['face detection enabled: FACE-PROC high + consent pending', [dev({ face: { supported: true, enabled: true, reasons: [reason('FaceDetect', 'enabled')] } })], [],
      ['FR-FACE-PROC/high/serial:hik:1/2', 'FR-CONSENT/medium/serial:hik:1/2']],
    ['capture-grade faces only', [dev({ streams: [stream('recognisable')] })], [], ['FR-FACE-PROC/high/serial:hik:1/9', 'FR-CONSENT/medium/serial:hik:1/9']],
    ['marginal faces: medium', [dev({ streams: [stream('marginal')] })], [], ['FR-FACE-PROC/medium/serial:hik:1/9', 'FR-CONSENT/medium/serial:hik:1/9']],
    ['small distant faces: no over-call', [dev({ streams: [stream('too-small')] })], [], []],
    ['supported but disabled: info only', [dev({ face: { supported: true, enabled: false, reasons: [reason('FaceDetect', 'supported')] } })], [], ['FR-FACE-PROC/info/serial:hik:1/2']],
    ['consent answered yes: no pending flag', [dev({ streams: [stream('recognisable')] })], [answer('consent', 'yes')], ['FR-FACE-PROC/high/serial:hik:1/9']],
    ['consent answered no: one site-level finding', [dev({ streams: [stream('recognisable')] })], [answer('consent', 'no', [20])], ['FR-FACE-PROC/high/serial:hik:1/9', 'FR-CONSENT/high/-/20']],
    ['face library flag: PURPOSE + RAW-BIOMETRIC', [dev({ face: { supported: true, enabled: null, reasons: [{ ...reason('isSupportFaceLib', 'supported', '/ISAPI/System/capabilities'), source: 'hikvision-isapi' }] } })], [],
      ['FR-FACE-PROC/info/serial:hik:1/4', 'FR-PURPOSE/medium/serial:hik:1/4', 'FR-RAW-BIOMETRIC/medium/serial:hik:1/4']],
    ['enabled face recognition rule: PURPOSE high', [dev({ face: { supported: true, enabled: true, reasons: [reason('FaceRecognition', 'enabled')] } })], [answer('consent', 'yes')],
      ['FR-FACE-PROC/high/serial:hik:1/2', 'FR-PURPOSE/high/serial:hik:1/2', 'FR-RAW-BIOMETRIC/medium/serial:hik:1/2']],
    ['disabled comparison: no PURPOSE', [dev({ face: { supported: true, enabled: false, reasons: [reason('FaceContrast', 'disabled')] } })], [], ['FR-FACE-PROC/info/serial:hik:1/2']],
    ['anonymous RTSP: SECURITY high', [dev({ securityNotes: ['anonymous-rtsp: rtsp://127.0.0.5/main'] })], [], ['FR-SECURITY/high/serial:hik:1/2,4']],
    ['anonymous ONVIF calls: SECURITY medium citing those calls', [dev({ securityNotes: ['anonymous-onvif: GetAnalyticsModules'] })], [], ['FR-SECURITY/medium/serial:hik:1/2']],
    ['cloud/P2P on: LOCAL-STORE', [dev({ vendorFacts: [{ vendor: 'hikvision', values: { 'Ezviz.enabled': 'true', 'isSupportFaceLib': 'false' } }] })], [], ['FR-LOCAL-STORE/medium/serial:hik:1/4']],
    ['cloud/P2P off: nothing', [dev({ vendorFacts: [{ vendor: 'dahua', values: { 'T2UServer.Enable': 'false' } }] })], [], []],
    ['face count over 100,000: FILING unless answered yes', [dev({ vendorFacts: [{ vendor: 'hikvision', values: { FDLibFaceCount: '150000' } }] })], [], ['FR-FILING/medium/serial:hik:1/4']],
    ['face count with filing yes: nothing', [dev({ vendorFacts: [{ vendor: 'hikvision', values: { FDLibFaceCount: '150000' } }] })], [answer('filing', 'yes')], []],
    ['checklist: signage no, bundled yes, private-space no, latest answer wins', [], [answer('signage', 'yes'), answer('signage', 'no', [7]), answer('bundled', 'yes'), answer('private-space', 'no'), answer('alternative', 'n/a')],
      ['FR-SIGNAGE/medium/-/7', 'FR-BUNDLED/high/-/']],
  ])('%s', (_what, devices, checklist, expected) => {
    expect(summary(devices, checklist)).toEqual(expected);
  });

  it('states observations with evidence references, never guilt, in both languages', () => {
    const [f] = deriveFindings({ devices: [dev({ face: { supported: true, enabled: true, reasons: [reason('FaceDetect', 'enabled')] } })], checklist: [] });
    expect(f?.observation.en).toMatch(/^Device HIKVISION iDS-2CD7146G0 \(127\.0\.0\.5\) has face detection.*FaceDetect.*evidence #2/);
    expect(f?.observation['zh-CN']).toMatch(/证据 #2/);
    for (const x of deriveFindings({ devices: [dev({ streams: [stream('recognisable')] })], checklist: CHECKLIST_ITEMS.map((i) => answer(i.id, i.raisesOn)) })) {
      expect(x.observation.en).not.toMatch(/violat|illegal|guilty|unlawful/i);
      expect(x.observation['zh-CN']).not.toMatch(/违法|违规/);
    }
  });

  it('every checklist item raises its rule on its raising answer only', () => {
    for (const item of CHECKLIST_ITEMS) {
      expect(summary([], [answer(item.id, item.raisesOn)])).toEqual([`${item.ruleId}/${RULES.find((r) => r.id === item.ruleId)?.severity}/-/`]);
      expect(summary([], [answer(item.id, item.raisesOn === 'yes' ? 'no' : 'yes')])).toEqual([]);
      expect(summary([], [answer(item.id, 'n/a')])).toEqual([]);
    }
  });
});

describe('catalog', () => {
  it('holds every rule of RULES.md with both languages and citations', () => {
    expect(RULES.map((r) => r.id)).toEqual(['FR-FACE-PROC', 'FR-CONSENT', 'FR-BUNDLED', 'FR-NOTICE', 'FR-SIGNAGE', 'FR-PURPOSE', 'FR-NO-ALT', 'FR-COERCION',
      'FR-PRIVATE-SPACE', 'FR-LOCAL-STORE', 'FR-RETENTION', 'FR-RAW-BIOMETRIC', 'FR-SECURITY', 'FR-THIRD-PARTY', 'FR-PIA', 'FR-FILING', 'FR-MINORS']);
    for (const r of RULES) {
      expect(r.title['zh-CN'] && r.title.en && r.text['zh-CN'] && r.text.en).toBeTruthy();
      expect(r.citations.length).toBeGreaterThan(0);
    }
    expect(RULES.find((r) => r.id === 'FR-THIRD-PARTY')?.citations.map((c) => c.mark)).toEqual(['✘', '✘', '✔']);
  });
});

describe('toDeviceRecord', () => {
  it('keeps evidence ids per call and stream, and derives anonymous ONVIF access', () => {
    const r = device(1, { faceEnabled: true });
    const rec = toDeviceRecord(toStoredFacts('k', { ...r, config: r.config && { ...r.config, authenticated: false, calls: r.config.calls.map((c, i) => (i === 1 ? { ...c, action: 'GetProfiles' } : c)) } },
      { calls: [{ request: 1, response: 2 }, { request: 3, response: 4 }, { request: 5, response: null }], images: [[6]] }));
    expect(rec.evidenceIds).toEqual([1, 2, 3, 4, 5, 6]);
    expect(rec.streams[0]).toMatchObject({ profile: 'main', evidenceIds: [6], captureGrade: 'recognisable' });
    expect(rec.securityNotes).toEqual(['anonymous-onvif: GetAnalyticsModules, GetProfiles']);
  });
});
