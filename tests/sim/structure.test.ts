import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { salesOffice, type CameraDef } from '../../src/sim/definitions.js';
import { answerOnvif, type ResponseContext } from '../../src/sim/onvif-responses.js';
import { readSoapRequest } from '../../src/sim/soap.js';
import { parseXml, descendantsOf, textOf } from '../../src/xml/parse.js';
import { elementPaths, envelope, NS, parse } from './helpers.js';

const fixture = (name: string): string => readFileSync(join(import.meta.dirname, '../fixtures/sim', name), 'utf8');
const HIK = 'hikvision-DS-2CD2012-I';

/** Each answer, the real response it derives from. */
const CASES: ReadonlyArray<readonly [ns: string, action: string, fixture: string]> = [
  [NS.tds, 'GetSystemDateAndTime', `${HIK}/GetSystemDateAndTimeResponse.core.xml`],
  [NS.tds, 'GetDeviceInformation', `${HIK}/GetDeviceInformationResponse.core.xml`],
  [NS.tds, 'GetServices', `${HIK}/GetServicesResponse.core.xml`],
  [NS.tds, 'GetCapabilities', `${HIK}/GetCapabilitiesResponse.core.xml`],
  [NS.tds, 'GetScopes', `${HIK}/GetScopesResponse.core.xml`],
  [NS.tds, 'GetServiceCapabilities', `${HIK}/GetServiceCapabilitiesResponse.core.xml`],
  [NS.trt, 'GetProfiles', `${HIK}/GetProfilesResponse.media.xml`],
  [NS.trt, 'GetStreamUri', `${HIK}/GetStreamUriResponse.media.xml`],
  [NS.trt, 'GetSnapshotUri', `${HIK}/GetSnapshotUriResponse.media.xml`],
  [NS.trt, 'GetVideoAnalyticsConfigurations', `${HIK}/GetVideoAnalyticsConfigurationsResponse.media.xml`],
  [NS.tan, 'GetSupportedAnalyticsModules', `${HIK}/GetSupportedAnalyticsModulesResponse.analytics.xml`],
  [NS.tan, 'GetAnalyticsModules', `${HIK}/GetAnalyticsModulesResponse.analytics.xml`],
  [NS.tan, 'GetSupportedRules', `${HIK}/GetSupportedRulesResponse.analytics.xml`],
  [NS.tan, 'GetRules', `${HIK}/GetRulesResponse.analytics.xml`],
  [NS.tan, 'GetServiceCapabilities', `${HIK}/GetServiceCapabilitiesResponse.analytics.xml`],
  [NS.tev, 'GetEventProperties', `${HIK}/GetEventPropertiesResponse.events.xml`],
  [NS.tev, 'GetServiceCapabilities', `${HIK}/GetServiceCapabilitiesResponse.events.xml`],
];

const MEDIA2_CASES: ReadonlyArray<readonly [action: string, fixture: string]> = [
  ['GetProfiles', 'none-GX728MF-IR28/GetProfilesResponse.media2.xml'],
  ['GetStreamUri', 'h264-XM530_50X50-WG_8M/GetStreamUriResponse.media2.xml'],
  ['GetSnapshotUri', 'h264-XM530_50X50-WG_8M/GetStreamUriResponse.media2.xml'],
  ['GetAnalyticsConfigurations', `${HIK}/GetVideoAnalyticsConfigurationsResponse.media.xml`],
];

const ctxFor = (def: CameraDef): ResponseContext => ({
  def,
  origin: 'http://127.0.0.1:18080',
  nowMs: Date.parse('2026-03-01T08:00:00Z'),
  streamUri: (s) => `rtsp://127.0.0.1:8554/${def.name}/${s}`,
});

const answer = (def: CameraDef, ns: string, action: string, inner = ''): { status: number; body: string } => {
  const req = readSoapRequest(envelope(ns, action, '', inner));
  if (!req) throw new Error('test request did not parse');
  return answerOnvif(req, ctxFor(def));
};

/** The paths inserted from the real GX728MF-IR28 face module/rule, as suffixes from the module/rule element. */
const donorSuffixes = (() => {
  const out = new Set<string>();
  for (const p of elementPaths(parse(fixture('none-GX728MF-IR28/GetProfilesResponse.media1.xml')))) {
    const m = /\/(AnalyticsModule|Rule)(\/.*)?$/.exec(p);
    if (m) out.add(`${m[1]}${m[2] ?? ''}`);
  }
  return out;
})();

/** Renamed copies of the device's own CellMotion topic, and Media2 renames, map back to the original paths. */
const normalise = (p: string): string =>
  p
    .replace('/RuleEngine/FaceDetector/Face/', '/RuleEngine/CellMotionDetector/Motion/')
    .replace(/\/RuleEngine\/FaceDetector(\/Face)?$/, '/RuleEngine/CellMotionDetector$1')
    .replace(/\/RuleEngine\/FaceDetect(\/|$)/, '/RuleEngine/CellMotionDetector/Motion$1')
    .replace(/\/Face$/, '/Motion');

/** Media2 answers reuse a Media1 or GetStreamUri shape under their own response element. */
const media2Renamed = (p: string): string =>
  p.replace('/GetAnalyticsConfigurationsResponse', '/GetVideoAnalyticsConfigurationsResponse').replace('/GetSnapshotUriResponse', '/GetStreamUriResponse');

const explained = (p: string, real: Set<string>): boolean => {
  if (real.has(normalise(p))) return true;
  const m = /\/(AnalyticsModule|Rule)(\/.*)?$/.exec(p);
  return m !== null && donorSuffixes.has(`${m[1]}${m[2] ?? ''}`);
};

const cameras = [...salesOffice('normal'), ...salesOffice('rectified').filter((c) => c.name === 'reception')].filter((c) => !c.quirks);
const entranceFace = (state: 'normal' | 'rectified'): CameraDef => {
  const def = salesOffice(state).find((c) => c.name === 'entrance-face');
  if (!def) throw new Error('entrance-face missing');
  return def;
};

describe('simulated ONVIF answers keep the structure of the real responses', () => {
  for (const def of cameras) {
    it(`${def.name}: every answer parses and has the real response's element paths, and no unexplained ones`, () => {
      for (const [ns, action, file] of CASES) {
        const got = answer(def, ns, action, '<ProfileToken>Profile_1</ProfileToken>');
        expect(got.status, action).toBe(200);
        // The captured device's own address must never leak into a simulated answer.
        expect(got.body, action).not.toContain('10.10.1.65');
        const simPaths = elementPaths(parse(got.body));
        const real = elementPaths(parse(fixture(file)));
        for (const p of real) expect(simPaths.has(p), `${action}: real path ${p} missing`).toBe(true);
        for (const p of simPaths) expect(explained(p, real), `${action}: unexplained path ${p}`).toBe(true);
      }
    });
  }

  it('entrance-face offers Media2 whose answers have the real Media2 shapes', () => {
    for (const [action, file] of MEDIA2_CASES) {
      const got = answer(entranceFace('normal'), NS.tr2, action, '<ProfileToken>Profile_1</ProfileToken>');
      expect(got.status, action).toBe(200);
      const real = elementPaths(parse(fixture(file)));
      const simPaths = elementPaths(parse(got.body));
      for (const p of simPaths) expect(explained(media2Renamed(p), real), `${action}: unexplained path ${p}`).toBe(true);
    }
    // An ordinary camera has no Media2 service, like the real DS-2CD2012-I.
    const sandtable = salesOffice('normal').find((c) => c.name === 'sandtable');
    if (!sandtable) throw new Error('sandtable missing');
    expect(answer(sandtable, NS.tr2, 'GetProfiles').body).toContain('ter:ActionNotSupported');
  });

  it('GetNetworkInterfaces (synthetic) names the camera address', () => {
    const got = parse(answer(entranceFace('normal'), NS.tds, 'GetNetworkInterfaces').body);
    expect(descendantsOf(got, 'Address').map(textOf)).toEqual(['127.0.0.1']);
  });

  it('entrance-face carries the real GX728MF-IR28 face module and rule, switched by state', () => {
    const modules = (state: 'normal' | 'rectified'): string => answer(entranceFace(state), NS.tan, 'GetAnalyticsModules').body;
    expect(modules('normal')).toMatch(/<tan:AnalyticsModule Name="MyFaceDetectModule" Type="tt:FaceDetectorEngine">[\s\S]*?Value="true" Name="Enable"/);
    expect(modules('rectified')).toMatch(/<tan:AnalyticsModule Name="MyFaceDetectModule" Type="tt:FaceDetectorEngine">[\s\S]*?Value="false" Name="Enable"/);
    expect(answer(entranceFace('normal'), NS.tan, 'GetRules').body).toContain('Type="tt:FaceDetector"');
    expect(answer(entranceFace('rectified'), NS.tan, 'GetRules').body).not.toContain('FaceDetector');
    expect(answer(entranceFace('normal'), NS.trt, 'GetProfiles').body).toContain('Type="tt:FaceDetectorEngine"');
  });

  it('event topics: ONVIF face topic on entrance-face, vendor-namespace face topic on negotiation, none on sandtable', () => {
    const topics = (name: string): string[] => {
      const def = salesOffice('normal').find((c) => c.name === name);
      if (!def) throw new Error(name);
      const root = parse(answer(def, NS.tev, 'GetEventProperties').body);
      const ruleEngine = descendantsOf(root, 'RuleEngine')[0];
      return (ruleEngine?.children ?? []).map((c) => `${c.ns}|${c.local}`);
    };
    expect(topics('entrance-face')).toContain('|FaceDetector');
    expect(topics('negotiation').some((t) => t.endsWith('|FaceDetect') && !t.startsWith('http://www.onvif.org'))).toBe(true);
    expect(topics('sandtable').some((t) => /Face/.test(t))).toBe(false);
  });

  it('the broken device answers with the real quirky responses', () => {
    const broken = salesOffice('normal').find((c) => c.name === 'broken');
    if (!broken) throw new Error('broken missing');
    const profiles = answer(broken, NS.trt, 'GetProfiles');
    expect(profiles.status).toBe(200);
    expect(parseXml(profiles.body).ok).toBe(false);
    const info = parse(answer(broken, NS.tds, 'GetDeviceInformation').body);
    expect(descendantsOf(info, 'Manufacturer').map((e) => e.text)).toEqual(['']);
    const fault = answer(broken, NS.tan, 'GetRules');
    expect(fault.status).toBe(500);
    expect(descendantsOf(parse(fault.body), 'Fault')).toHaveLength(1);
  });

  it('anything outside the answered set is a ter:ActionNotSupported fault', () => {
    const got = answer(entranceFace('normal'), NS.tds, 'SetSystemDateAndTime');
    expect(got.status).toBe(500);
    const values = descendantsOf(parse(got.body), 'Value').map(textOf);
    expect(values).toEqual(['env:Receiver', 'ter:ActionNotSupported']);
  });
});
