/** Every shared real-camera response decodes (or fails with a clear DecodeError, never a crash). */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeError } from '../../src/core/errors.js';
import type { Result } from '../../src/core/result.js';
import {
  decodeAnalyticsConfigurations,
  decodeCapabilities,
  decodeConfiguredAnalytics,
  decodeDeviceInformation,
  decodeEventProperties,
  decodeMediaUri,
  decodeProfiles,
  decodeScopes,
  decodeServices,
  decodeSupportedAnalytics,
  decodeSystemDateAndTime,
} from '../../src/onvif/decode.js';
import { decodeEnvelope } from '../../src/onvif/soap.js';
import type { XmlElement } from '../../src/xml/parse.js';
import { FIXTURES } from './replay-server.js';

const DECODERS: Readonly<Record<string, (el: XmlElement) => Result<unknown, ProbeError>>> = {
  GetSystemDateAndTime: decodeSystemDateAndTime,
  GetDeviceInformation: decodeDeviceInformation,
  GetServices: decodeServices,
  GetCapabilities: decodeCapabilities,
  GetScopes: decodeScopes,
  GetProfiles: decodeProfiles,
  GetStreamUri: decodeMediaUri,
  GetSnapshotUri: decodeMediaUri,
  GetVideoAnalyticsConfigurations: decodeAnalyticsConfigurations,
  GetAnalyticsModules: decodeConfiguredAnalytics('t'),
  GetRules: decodeConfiguredAnalytics('t'),
  GetSupportedAnalyticsModules: decodeSupportedAnalytics('t'),
  GetSupportedRules: decodeSupportedAnalytics('t'),
  GetEventProperties: decodeEventProperties,
};

/** Captures that are not well-formed XML, kept on purpose (fixtures README). */
const MALFORMED = new Set([
  'h264-XM530_50X50-WG_8M/GetProfilesResponse.media1.xml',
  'h264-XM530_50X50-WG_8M/GetProfilesResponse.media2.xml',
  'videotec-PREDATOR-anonymized/GetSnapshotUriResponse.xml',
]);
/** Well-formed, but the capture holds the request, not the response: the decoder must say so. */
const NOT_A_RESPONSE = new Set(['h264-XM530_50X50-WG_8M/GetStreamUriResponse.media1.xml']);

const dirs = readdirSync(FIXTURES, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
const files = dirs.flatMap((d) => readdirSync(join(FIXTURES, d)).filter((f) => f.endsWith('.xml') && f !== 'ProbeMatches.xml').map((f) => `${d}/${f}`));

describe('real camera fixtures', () => {
  it('covers all 15 cameras', () => {
    expect(dirs).toHaveLength(15);
  });

  it.each(files)('%s', (file) => {
    const raw = readFileSync(join(FIXTURES, file));
    const op = /^(\w+?)(Response|Fault)/.exec(file.split('/')[1] ?? '');
    expect(op).not.toBeNull();
    const [, action = '', kind] = op ?? [];
    const env = decodeEnvelope(raw, action);
    if (MALFORMED.has(file)) {
      expect(env.ok).toBe(false);
      if (!env.ok) {
        expect(env.error.kind).toBe('decode');
        if (env.error.kind === 'decode') expect(env.error.message.length).toBeGreaterThan(0);
      }
      return;
    }
    if (kind === 'Fault') {
      expect(env.ok).toBe(false);
      if (!env.ok) expect(['fault', 'unsupported']).toContain(env.error.kind);
      return;
    }
    expect(env.ok).toBe(true);
    const decoder = DECODERS[action];
    if (!env.ok || !decoder) return; // GetServiceCapabilities, PullMessages...: envelope-level only
    const decoded = decoder(env.value);
    if (NOT_A_RESPONSE.has(file)) {
      expect(decoded).toMatchObject({ ok: false, error: { kind: 'decode', message: expect.stringMatching(/expected GetStreamUriResponse/) } });
      return;
    }
    expect(decoded.ok, JSON.stringify(decoded)).toBe(true);
  });
});

const decodeFile = <T>(file: string, decoder: (el: XmlElement) => Result<T, ProbeError>): T => {
  const env = decodeEnvelope(readFileSync(join(FIXTURES, file)), 'test');
  if (!env.ok) throw new Error(JSON.stringify(env.error));
  const r = decoder(env.value);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value;
};

describe('decoded values', () => {
  it('reads identity, including a blank manufacturer', () => {
    expect(decodeFile('hikvision-DS-2CD2012-I/GetDeviceInformationResponse.core.xml', decodeDeviceInformation)).toMatchObject({
      manufacturer: 'HIKVISION',
      model: 'DS-2CD2012-I',
      firmware: 'V5.2.0 build 140721',
    });
    expect(decodeFile('blank-IPD-H4K8M05-BS/GetDeviceInformationResponse.xml', decodeDeviceInformation).manufacturer).toBeNull();
  });

  it('reads profiles with encoder, resolution and analytics (Media1)', () => {
    const p = decodeFile('none-GX728MF-IR28/GetProfilesResponse.media1.xml', decodeProfiles);
    expect(p.profiles.length).toBeGreaterThan(0);
    expect(p.profiles[0]).toMatchObject({ encoder: 'H264' });
    expect(p.profiles[0]?.width).toBeGreaterThan(0);
    const face = p.analytics.filter((a) => a.type.includes('Face'));
    expect(face.map((a) => a.type)).toEqual(expect.arrayContaining(['tt:FaceDetectorEngine', 'tt:FaceDetector']));
    expect(face.find((a) => a.kind === 'module')?.parameters.Enable).toBe('false');
    expect(face[0]?.typeNamespace).toBe('http://www.onvif.org/ver10/schema');
  });

  it('resolves vendor prefixes of analytics types', () => {
    const items = decodeFile('hikvision-DS-2CD2012-I/GetAnalyticsModulesResponse.analytics.xml', decodeConfiguredAnalytics('VideoAnalyticsToken'));
    const tamper = items.find((i) => i.type.startsWith('hikxsd:'));
    expect(tamper?.typeNamespace).toMatch(/^http/);
  });

  it('flattens event topics keeping vendor prefixes', () => {
    const topics = decodeFile('hikvision-DS-2CD2012-I/GetEventPropertiesResponse.events.xml', decodeEventProperties);
    expect(topics).toContain('tns1:RuleEngine/CellMotionDetector/Motion');
    expect(topics).toContain('tns1:Device/HardwareFailure/tnshik:HardDiskFull');
    const axis = decodeFile('axis-Q6045-E/GetEventPropertiesResponse.events.xml', decodeEventProperties);
    expect(axis).toContain('tns1:VideoAnalytics/tnsaxis:MotionDetection');
  });

  it('reads stream URIs from Media1 and Media2 shapes', () => {
    expect(decodeFile('onvif-ENP1A14-IR_25X/GetStreamUriResponse.media1.xml', decodeMediaUri)).toMatch(/^rtsp:\/\//);
    expect(decodeFile('onvif-ENP1A14-IR_25X/GetStreamUriResponse.media2.xml', decodeMediaUri)).toMatch(/^rtsp:\/\//);
  });

  it('maps ActionNotSupported-style faults to unsupported and others to fault', () => {
    const env = decodeEnvelope(readFileSync(join(FIXTURES, 'axis-Q6045-E/GetServicesFault.core.xml')), 'GetServices');
    expect(env.ok).toBe(false);
    if (!env.ok) expect(env.error).toMatchObject({ kind: 'fault', subcode: 'ter:Action', reason: 'Action failed' });
  });
});
