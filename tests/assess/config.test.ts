import { describe, expect, it } from 'vitest';
import { assessFace, type FaceFacts } from '../../src/assess/config.js';
import { matchFace } from '../../src/assess/face-patterns.js';
import type { AnalyticsItem } from '../../src/core/types.js';
import { factsOfFixture } from './fixture-facts.js';

/** Every shared real camera, assessed from its captured analytics (no vendor APIs in the captures). */
const REAL: readonly (readonly [dir: string, supported: boolean | null, enabled: boolean | null])[] = [
  ['axis-Q6045-E', false, null], // 25 event topics, none face; no analytics config captured
  ['blank-IPD-H4K8M05-BS', false, false], // cell motion only
  ['dlink-DCS-6511', null, null], // no analytics evidence captured
  ['h264-XM530_50X50-WG_8M', null, null], // its profiles capture is malformed
  ['hikvision-DS-2CD2012-I', false, false],
  ['hikvision-DS-2DF7276-AEL', false, false],
  ['hikvision-unknown-exonvif', false, false],
  ['milesight-MS-C8165-PE', null, null],
  ['none-GX728MF-IR28', true, false], // tt:FaceDetectorEngine with Enable=false, tt:FaceDetector rule under it
  ['onvif-ENP1A14-IR_25X', false, false],
  ['onvif_ipnc-IPG-8150PSS', false, false],
  ['pelco-D6230L', false, false],
  ['sunba-Performance-Series', true, false], // same firmware family as GX728MF
  ['trendnet-TV-IP320PI', false, false],
  ['videotec-PREDATOR-anonymized', false, null],
];

describe('assessFace on real cameras', () => {
  it.each(REAL)('%s -> supported %s, enabled %s', (dir, supported, enabled) => {
    const a = assessFace(factsOfFixture(dir));
    expect(a.supported).toBe(supported);
    expect(a.enabled).toBe(enabled);
    if (supported) {
      expect(a.reasons.map((r) => r.name)).toEqual(expect.arrayContaining(['tt:FaceDetectorEngine', 'tt:FaceDetector']));
      for (const r of a.reasons) {
        expect(r.source).toBe('profile-analytics');
        expect(r.call).toBe('GetProfiles');
        expect(r.bears).toBe('disabled');
      }
    } else expect(a.reasons).toEqual([]);
  });
});

const item = (over: Partial<AnalyticsItem>): AnalyticsItem => ({
  kind: 'module',
  name: 'M',
  type: 'tt:CellMotionEngine',
  typeNamespace: 'http://www.onvif.org/ver10/schema',
  parameters: {},
  configToken: 'VA',
  call: 'GetAnalyticsModules',
  ...over,
});
const facts = (over: Partial<FaceFacts>): FaceFacts => ({ analytics: [], eventTopics: [], vendor: [], ...over });

describe('assessFace table', () => {
  const rows: readonly (readonly [string, FaceFacts, boolean | null, boolean | null, string?])[] = [
    ['nothing read', facts({}), null, null],
    ['configured face module, no Enable param', facts({ analytics: [item({ type: 'tt:FaceDetectorEngine' })] }), true, true, 'onvif-module'],
    ['face module Enable=false', facts({ analytics: [item({ type: 'tt:FaceDetectorEngine', parameters: { Enable: 'false' } })] }), true, false],
    ['face rule under disabled face engine', facts({ analytics: [
      item({ type: 'tt:FaceDetectorEngine', parameters: { Enable: 'false' } }),
      item({ kind: 'rule', type: 'tt:FaceDetector', call: 'GetRules' }),
    ] }), true, false],
    ['face rule, own Enable=true beats a disabled engine', facts({ analytics: [
      item({ type: 'tt:FaceDetectorEngine', parameters: { Enable: 'false' } }),
      item({ kind: 'rule', type: 'tt:FaceDetector', parameters: { Enable: 'true' }, call: 'GetRules' }),
    ] }), true, true, 'onvif-rule'],
    ['face recognition rule', facts({ analytics: [item({ kind: 'rule', type: 'tt:FaceRecognition', call: 'GetRules' })] }), true, true],
    ['supported module only', facts({ analytics: [item({ kind: 'supported-module', type: 'tt:FaceDetectorEngine', call: 'GetSupportedAnalyticsModules' })] }), true, null, 'onvif-supported-module'],
    ['vendor module type', facts({ analytics: [item({ type: 'hikxsd:FaceSnapEngine' })] }), true, true],
    ['Chinese name', facts({ analytics: [item({ kind: 'rule', name: '人脸抓拍', type: 'xx:Rule1' })] }), true, true],
    ['FD abbreviation', facts({ analytics: [item({ kind: 'rule', name: 'MyFDRule', type: 'xx:FD' })] }), true, true],
    ['ObjectDetection with Face class filter', facts({ analytics: [item({ kind: 'rule', type: 'tt:ObjectDetection', parameters: { ClassFilter: 'Human Face' } })] }), true, true],
    ['ObjectDetection with vehicle classes', facts({ analytics: [item({ kind: 'rule', type: 'tt:ObjectDetection', parameters: { ClassFilter: 'Vehicle Human' } })] }), false, false],
    ['Interface / Surface are not faces', facts({ analytics: [item({ name: 'NetworkInterfaceMonitor', type: 'xx:SurfaceAnalyzer' }), item({ name: 'INTERFACE', type: 'xx:SURFACE' })] }), false, false],
    ['face event topic', facts({ eventTopics: ['tns1:RuleEngine/FaceDetector/Face'] }), true, null, 'event-topic'],
    ['vendor face topic', facts({ eventTopics: ['tns1:RuleEngine/MyRuleDetector/FaceDetect'] }), true, null],
    ['recognition topic', facts({ eventTopics: ['tns1:RuleEngine/Recognition/Face'] }), true, null],
    ['topics without faces', facts({ eventTopics: ['tns1:VideoSource/MotionAlarm', 'tns1:Device/tnsaxis:IO/Port'] }), false, null],
    ['metadata HumanFace type', facts({ analytics: [item({ kind: 'supported-rule', type: 'xx:HumanFaceDetection' })] }), true, null],
    ['ISAPI capability flag', facts({ vendor: [{ vendor: 'hikvision', values: { 'capabilities.SmartCap.isSupportFaceSnap': 'true' } }] }), true, null, 'hikvision-isapi'],
    ['ISAPI flag false', facts({ vendor: [{ vendor: 'hikvision', values: { 'capabilities.SmartCap.isSupportFaceSnap': 'false', 'capabilities.SmartCap.isSupportIntrusion': 'true' } }] }), false, null],
    ['ISAPI faceSnap trigger with notifications', facts({ vendor: [{ vendor: 'hikvision', values: { 'triggers.faceSnap-1.eventType': 'faceSnap', 'triggers.faceSnap-1.notifications': 'center', 'triggers.faceSnap-1.enabled': 'true' } }] }), true, true],
    ['ISAPI faceSnap trigger without notifications', facts({ vendor: [{ vendor: 'hikvision', values: { 'triggers.faceSnap-1.eventType': 'faceSnap', 'triggers.faceSnap-1.notifications': '', 'triggers.faceSnap-1.enabled': 'false' } }] }), true, false],
    ['Dahua FaceDetection rule enabled', facts({ vendor: [{ vendor: 'dahua', values: { 'table.VideoAnalyseRule[0][1].Type': 'FaceDetection', 'table.VideoAnalyseRule[0][1].Enable': 'true' } }] }), true, true, 'dahua-cgi'],
    ['Dahua FaceRecognition rule disabled', facts({ vendor: [{ vendor: 'dahua', values: { 'table.VideoAnalyseRules[0][1].Type': 'FaceRecognition', 'table.VideoAnalyseRules[0][1].Enable': 'false' } }] }), true, false],
    ['Dahua CrossLine only', facts({ vendor: [{ vendor: 'dahua', values: { 'table.VideoAnalyseRule[0][0].Type': 'CrossLineDetection', 'table.VideoAnalyseRule[0][0].Enable': 'true' } }] }), false, false],
    ['model name alone decides nothing', facts({ vendor: [{ vendor: 'hikvision', values: { 'deviceInfo.model': 'iDS-2CD7146G0-IZS FaceCapture' } }] }), null, null],
  ];

  for (const [name, input, supported, enabled, source] of rows) it(name, () => {
    const a = assessFace(input);
    expect(a.supported).toBe(supported);
    expect(a.enabled).toBe(enabled);
    if (source) expect(a.reasons.map((r) => r.source)).toContain(source);
    for (const r of a.reasons) {
      expect(r.pattern).toMatch(/^\/.*\/[a-z]*$/);
      expect(r.name.length).toBeGreaterThan(0);
    }
  });

  it('records the matching pattern and the raw name', () => {
    const a = assessFace(facts({ analytics: [item({ kind: 'rule', name: 'Door', type: 'tt:FaceDetector', call: 'GetRules' })] }));
    expect(a.reasons[0]).toMatchObject({ source: 'onvif-rule', name: 'tt:FaceDetector', bears: 'enabled', call: 'GetRules' });
    expect(a.reasons[0]?.pattern).toContain('Detect');
  });

  it('deduplicates identical reasons from repeated profiles', () => {
    const m = item({ type: 'tt:FaceDetectorEngine', call: 'GetProfiles' });
    expect(assessFace(facts({ analytics: [m, m, m] })).reasons).toHaveLength(1);
  });
});

describe('matchFace', () => {
  it.each(['FaceDetect', 'faceSnap', 'isSupportFaceLib', 'HumanFace', 'FACE_CAPTURE', 'Faces', '人脸识别', 'FD', 'tt:FaceDetector'])('matches %s', (s) => {
    expect(matchFace(s)).not.toBeNull();
  });
  it.each(['Interface', 'Surface', 'SURFACE', 'NetworkInterfaces', 'Facebook', 'HDFD', 'Preface', 'tt:CellMotionEngine'])('does not match %s', (s) => {
    expect(matchFace(s)).toBeNull();
  });
});
