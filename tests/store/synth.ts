/** Synthetic (not captured) device results for store tests and the 16-camera measurement. */
import { randomBytes } from 'node:crypto';
import type { CallRecord, DeviceResult } from '../../src/core/types.js';
import { openStore, type InspectionInput, type SiteInput } from '../../src/store/store.js';

export const site: SiteInput = {
  id: 'S-001', name: '示例花园售楼处 (fictional)', address: '虚构市示例路 1 号', district: '示例区',
  developer: '示例置业 (fictional)', contact: '张三 (fictional)', campaign: '2026-demo',
};

export const inspectionInput: InspectionInput = {
  siteId: 'S-001', kind: 'first', caseNumber: 'DEMO-2026-001', zones: ['入口', '沙盘区'], inspectors: ['李四'], experts: ['王五'],
  representative: '赵六', witness: '钱七', toolkitVersion: '0.1.0', modelSha256: 'ab'.repeat(32),
  interfaceAddress: '127.0.0.1', subnet: '127.0.0.0/24',
};

const soap = (bytes: number, body: string): Uint8Array => {
  const head = `<?xml version="1.0"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope"><s:Body>${body}`;
  const pad = '<!-- ' + 'x'.repeat(Math.max(0, bytes - head.length - 40)) + ' -->';
  return new TextEncoder().encode(`${head}${pad}</s:Body></s:Envelope>`);
};

export const call = (action: string, i: number, bytes = 1000, service = 'onvif'): CallRecord => ({
  action, service, url: `http://127.0.0.1:8000/onvif/${service}`, status: 'ok', ms: 12,
  sha256: null, requestSha256: '00', startedAt: new Date(Date.UTC(2026, 0, 1, 10, 0, i)).toISOString(),
  request: `<s:Envelope><s:Body><${action}/></s:Body></s:Envelope>`, response: soap(bytes, `<${action}Response/>`), error: null,
});

export const jpeg = (bytes: number): Uint8Array => {
  const b = new Uint8Array(randomBytes(bytes));
  b[0] = 0xff; b[1] = 0xd8;
  return b;
};

export interface SynthOptions {
  readonly calls?: number;
  readonly responseBytes?: () => number;
  readonly images?: number;
  readonly imageBytes?: number;
  readonly faceEnabled?: boolean;
}

export const device = (n: number, o: SynthOptions = {}): DeviceResult => {
  const calls = Array.from({ length: o.calls ?? 3 }, (_, i) => call(i === 0 ? 'GetAnalyticsModules' : `GetCall${i}`, i, o.responseBytes?.() ?? 800));
  const address = `127.0.0.${10 + n}`;
  return {
    discovered: { address, xaddrs: [`http://${address}/onvif/device_service`], endpoint: `urn:uuid:dev-${n}`, scopes: [], via: 'ws-discovery' },
    config: {
      xaddr: `http://${address}/onvif/device_service`, address, probedAt: '2026-01-01T10:00:00Z',
      device: { manufacturer: 'HIKVISION', model: `iDS-2CD7146G0-IZS`, firmware: 'V5.5', serial: `SN${1000 + n}`, hardwareId: null },
      services: [], scopes: [], network: { macs: [`44:19:b6:00:00:${(n % 256).toString(16).padStart(2, '0')}`], addresses: [address] },
      profiles: [{ token: 'main', name: 'main', encoder: 'H264', width: 1920, height: 1080, rtsp: `rtsp://${address}/main`, snapshot: null, analyticsToken: null }],
      analytics: [], eventTopics: [], vendor: [], clockOffsetMs: 0, authenticated: true,
      face: o.faceEnabled
        ? { supported: true, enabled: true, reasons: [{ source: 'onvif-module', name: 'FaceDetect', pattern: '/face/i', bears: 'enabled', call: 'GetAnalyticsModules' }] }
        : { supported: false, enabled: false, reasons: [] },
      calls, errors: [],
    },
    streams: [{
      uri: `rtsp://${address}/main`, source: 'rtsp', frames: 10, windowMs: 5000, facesPerFrame: [], facesSeen: o.faceEnabled ? 7 : 0,
      maxEyeDistance: o.faceEnabled ? 64 : null, medianEyeDistance: null, largestFaceWidth: null, medianFaceWidth: null, sharpness: null,
      captureGrade: o.faceEnabled ? 'recognisable' : 'no-faces',
      evidence: Array.from({ length: o.images ?? 1 }, () => {
        const bytes = jpeg(o.imageBytes ?? 2000);
        return { sha256: '', width: 640, height: 360, facesBlurred: 1, mime: 'image/jpeg' as const, bytes };
      }),
      error: null,
    }],
    error: null,
  };
};

/** A store file with the site and one finished inspection of one face-enabled camera; returns the inspection id. */
export const seedStore = (file: string): string => {
  const store = openStore(file);
  try {
    store.upsertSite(site);
    const r = store.startInspection(inspectionInput);
    if (!r.ok) throw new Error(r.error);
    store.recordDevice(r.value, device(1, { faceEnabled: true }));
    store.finishInspection(r.value);
    return r.value;
  } finally {
    store.close();
  }
};
