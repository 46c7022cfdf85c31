/**
 * Fake ports for TUI tests: cameras that answer discovery and a config probe, some with a password.
 * Synthetic: no device data here comes from a real camera.
 */
import type { ProbePorts } from '../../src/visit/ports.js';
import type { AnalyticsItem, DeviceFacts, DiscoveredDevice, StreamFacts } from '../../src/core/types.js';
import { ok } from '../../src/core/result.js';

export interface FakeCamera {
  readonly address: string;
  readonly manufacturer: string;
  readonly model: string;
  readonly face: boolean;
  /** null: answers anonymously. */
  readonly password: string | null;
}

export const CAMERAS: readonly FakeCamera[] = [
  { address: '127.0.0.11', manufacturer: 'HIKVISION', model: 'DS-2CD7A26G0', face: true, password: 'right-pw' },
  { address: '127.0.0.12', manufacturer: 'Generic', model: 'IPC-100', face: false, password: null },
];

const discovered = (c: FakeCamera): DiscoveredDevice => ({
  address: c.address,
  xaddrs: [`http://${c.address}:8080/onvif/device_service`],
  endpoint: `urn:uuid:00000000-0000-4000-8000-0000000000${c.address.slice(-2)}`,
  scopes: [`onvif://www.onvif.org/name/${c.model}`],
  via: 'ws-discovery',
});

const analyticsModule = (type: string): AnalyticsItem => ({
  kind: 'module', name: type.split(':').pop() ?? type, type, typeNamespace: null, parameters: {}, configToken: 'VAC_1', call: 'GetAnalyticsModules',
});

const config = (c: FakeCamera, authenticated: boolean): DeviceFacts => ({
  xaddr: discovered(c).xaddrs[0] ?? '',
  address: c.address,
  probedAt: '2026-01-01T00:00:00.000Z',
  device: { manufacturer: c.manufacturer, model: c.model, firmware: 'V1.0', serial: authenticated ? `SN${c.address.slice(-2)}` : null, hardwareId: null },
  services: [],
  scopes: [],
  network: { macs: [], addresses: [c.address] },
  profiles: [],
  // What the engine's assess stage reads: a face module on the face camera, a motion module on the other; an
  // anonymous answer shows no analytics at all.
  analytics: !authenticated ? [] : [analyticsModule(c.face ? 'tt:FaceDetector' : 'tt:CellMotionEngine')],
  eventTopics: [],
  vendor: [],
  clockOffsetMs: 0,
  authenticated,
  calls: [],
  errors: [],
});

export const fakePorts = (cameras: readonly FakeCamera[] = CAMERAS, discoverDelayMs = 0): ProbePorts => ({
  async discover(opts, onDevice) {
    for (const c of cameras) {
      if (discoverDelayMs) await new Promise((r) => setTimeout(r, discoverDelayMs));
      if (opts.signal.aborted) break;
      onDevice(discovered(c));
    }
    return ok(cameras.map(discovered));
  },
  async probeConfig(xaddr, credential, { onCall }) {
    const c = cameras.find((x) => xaddr.includes(x.address));
    if (!c) throw new Error(`fake: no camera at ${xaddr}`);
    onCall('GetDeviceInformation', 'ok', 1);
    return ok(config(c, c.password === null || credential?.password === c.password));
  },
  async probeStream(uri) {
    return this.skippedStream(uri, { kind: 'unsupported', action: 'GetStreamUri', message: 'fake' });
  },
  skippedStream(uri, error): StreamFacts {
    return {
      uri, source: 'rtsp', frames: 0, windowMs: 0, facesPerFrame: [], facesSeen: 0, maxEyeDistance: null, medianEyeDistance: null,
      largestFaceWidth: null, medianFaceWidth: null, sharpness: null, captureGrade: 'no-frames', evidence: [], error,
    };
  },
});

/**
 * The same cameras with one RTSP profile each, whose stream test keeps one blurred snapshot: what the
 * store records as snapshot evidence. The bytes are a stand-in (not a decodable JPEG).
 */
export const snapshotPorts = (cameras: readonly FakeCamera[] = CAMERAS): ProbePorts => {
  const base = fakePorts(cameras);
  return {
    ...base,
    async probeConfig(xaddr, credential, opts) {
      const probed = await base.probeConfig(xaddr, credential, opts);
      if (!probed.ok) return probed;
      const address = probed.value.address;
      const profile = { token: 'main', name: null, encoder: 'H264', width: 640, height: 360, rtsp: `rtsp://${address}:554/main`, snapshot: null, analyticsToken: null };
      return ok({ ...probed.value, profiles: [profile] });
    },
    async probeStream(uri) {
      const bytes = new TextEncoder().encode(`blurred snapshot of ${uri}`);
      return {
        ...base.skippedStream(uri, { kind: 'unsupported', action: 'GetStreamUri', message: 'fake' }),
        frames: 1,
        captureGrade: 'no-faces',
        error: null,
        evidence: [{ sha256: 'fake', width: 640, height: 360, facesBlurred: 0, mime: 'image/jpeg', bytes }],
      };
    },
  };
};
