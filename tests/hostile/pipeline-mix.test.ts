/**
 * A whole inspection (real discovery, probes, ffmpeg stream tests, SQLite store, findings) over two
 * ordinary cameras, a crowd of hostile ones and a ProbeMatches flood whose XAddrs point outside the
 * range: the inspection finishes in bounded time, the ordinary cameras' results are complete, every
 * hostile device is recorded with its error, and nothing outside 127.0.0.1/32 is contacted.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceRecord, InspectionRecord } from '../../src/core/record.js';
import type { VisitEvent } from '../../src/visit/events.js';
import { VisitEngine } from '../../src/visit/engine.js';
import type { InspectionPlan } from '../../src/visit/plan.js';
import { DEFAULT_PORT_SETTINGS, realPorts } from '../../src/pipeline/ports.js';
import { makeScope } from '../../src/pipeline/scope.js';
import { deriveFindings } from '../../src/rules/derive.js';
import { startProbeMatchesFlood, type ProbeMatchesFloodHandle } from '../../src/sim/hostile-discovery.js';
import { startHostileCamera, type HostileCameraHandle, type HostileMode } from '../../src/sim/hostile.js';
import { openStore, verifyStore, type Store } from '../../src/store/store.js';
import { startNormalCamera, startTripwire, type NormalCamera, type Tripwire } from './helpers.js';
import { freeUdpPort } from '../../src/sim/listen.js';

const discoveryPort = await freeUdpPort();
const CALL_TIMEOUT_MS = 1500;
/** Discovery 2 s, the slowest config probe 2 timeouts, the slowest stream test two 5 s first-frame deadlines, slack. */
const INSPECTION_BUDGET_MS = 60_000;
const HOSTILE: readonly HostileMode[] = [
  'malformed-xml',
  'truncated',
  'no-namespace',
  'fault-everywhere',
  'entity-bomb',
  'external-entity',
  'huge-response',
  'trickle',
  'silent',
  'redirect',
  'auth-loop',
  'digest-foo',
  'rtsp-garbage',
  'rtsp-stall',
  'stream-elsewhere',
  'stream-uri-malformed',
];

let dir: string;
let store: Store;
let normal: NormalCamera[] = [];
let hostile: HostileCameraHandle[] = [];
let flood: ProbeMatchesFloodHandle;
let tripwire: Tripwire;
let record: InspectionRecord;
let wallMs = 0;
let peakRssGrowthMb = 0;
const events: VisitEvent[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-hostile-'));
  tripwire = await startTripwire('127.0.0.2');
  normal = await Promise.all([1, 2].map((i) => startNormalCamera(600 + i, discoveryPort, { scene: 'faces-near' })));
  hostile = await Promise.all(
    HOSTILE.map((mode, i) =>
      startHostileCamera(mode, {
        index: 700 + i,
        discoveryPort,
        trickleIntervalMs: 200,
        redirectTo: `http://127.0.0.2:${tripwire.port}/onvif/device_service`,
        streamElsewhere: `rtsp://127.0.0.2:${tripwire.port}/live`,
      }),
    ),
  );
  // A gentle flood here (the flood test has the fast one): this test is about scope, and every honest device must be found.
  flood = await startProbeMatchesFlood({ port: discoveryPort, replies: 300, endpoints: 40, ratePerMs: 1, xaddr: () => `http://127.0.0.2:${tripwire.port}/onvif/device_service` });
  store = openStore(join(dir, 'inspection.db'));
  store.upsertSite({ id: 'H1', name: 'Hostile office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });

  const controller = new AbortController();
  const plan: InspectionPlan = {
    start: {
      siteId: 'H1',
      kind: 'first',
      previousInspectionId: null,
      caseNumber: 'H-1',
      zones: [],
      inspectors: ['T. Tester'],
      experts: [],
      representative: '',
      witness: '',
      toolkitVersion: 'test',
      modelSha256: 'test',
      interfaceAddress: '127.0.0.1',
      subnet: '127.0.0.1/32',
    },
    discover: { interfaces: ['127.0.0.1'], sweep: null, signal: controller.signal },
    // The chosen range is the one host: 127.0.0.2 (the flood's XAddrs, the redirect) is outside it.
    scope: makeScope(['127.0.0.1/32']),
    credentials: (address, port) => {
      const n = normal.find((c) => c.cam.port === port);
      return n ? { username: n.def.username, password: n.def.password } : { username: 'admin', password: 'wrong-guess' };
    },
    streamTests: true,
    configConcurrency: 8,
    streamConcurrency: 2,
  };
  const ports = realPorts({ ...DEFAULT_PORT_SETTINGS, callTimeoutMs: CALL_TIMEOUT_MS, discoveryMs: 2000, streamFrames: 3, streamSeconds: 1, discoveryPort });
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 20);
  const t0 = performance.now();
  try {
    const outcome = await new VisitEngine({ ports, store, deriveFindings }, (e) => void events.push(e)).run(plan, controller.signal);
    if (!outcome.ok) throw new Error(outcome.error);
    record = outcome.value.record;
  } finally {
    clearInterval(sampler);
  }
  wallMs = Math.round(performance.now() - t0);
  peakRssGrowthMb = (peak - before) / 2 ** 20;
  console.log(`hostile pipeline: ${record.devices.length} devices in ${wallMs} ms, rss growth ${peakRssGrowthMb.toFixed(0)} MB, flood sent ${flood.sent()}`);
}, 180_000);

afterAll(async () => {
  store?.close();
  await Promise.all([...normal.map((n) => n.close()), ...hostile.map((h) => h.close()), flood?.close(), tripwire?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const deviceOn = (port: number): DeviceRecord | undefined => record.devices.find((d) => d.xaddr !== null && new URL(d.xaddr).port === String(port));

describe('an inspection among hostile devices', () => {
  it('finishes, within its budget, with the record closed and the chain intact', () => {
    expect(record.meta.endedAt).not.toBeNull();
    expect(wallMs).toBeLessThan(INSPECTION_BUDGET_MS);
    expect(verifyStore(join(dir, 'inspection.db')).ok).toBe(true);
    expect(peakRssGrowthMb).toBeLessThan(500);
  });

  it('the ordinary cameras are complete: identity, profiles, and a stream test with frames', () => {
    for (const n of normal) {
      const d = deviceOn(n.cam.port);
      expect(d, n.def.name).toBeDefined();
      expect(d?.identity).toMatchObject({ manufacturer: 'HIKVISION', model: 'DS-2CD2012-I', serial: n.def.serial });
      expect(d?.streams).toHaveLength(1);
      expect(d?.streams[0]?.frames).toBe(3);
      expect(d?.streams[0]?.error ?? null).toBeNull();
    }
  });

  it('every hostile device is recorded, with what went wrong', () => {
    for (const h of hostile) {
      const d = deviceOn(h.port);
      expect(d, h.mode).toBeDefined();
      if (!d) continue;
      const problems = [...d.errors, ...d.streams.flatMap((s) => (s.error ? [s.error] : []))];
      console.log(`hostile pipeline ${h.mode}: ${problems.length} problem(s), first: ${String(problems[0]).slice(0, 120)}`);
      expect(problems.length, h.mode).toBeGreaterThan(0);
      // The RTSP modes answer ONVIF properly: their stream test is where the failure must show.
      if (h.mode.startsWith('rtsp-')) expect(d.streams[0]?.error, h.mode).toMatch(/no frame|not RTSP/);
      if (h.mode === 'stream-elsewhere') expect(d.streams[0]?.error, h.mode).toMatch(/outside the chosen range/);
      if (h.mode === 'stream-uri-malformed') expect(d.streams[0]?.error, h.mode).toMatch(/malformed percent-encoding/);
    }
  });

  it('nothing outside the range is contacted: spoofed XAddrs and the redirect are refused', () => {
    expect(tripwire.contacts()).toBe(0);
    const refused = events.filter((e) => e.type === 'device-error' && e.error.kind === 'policy');
    expect(refused.length).toBeGreaterThan(0);
    expect(flood.sent()).toBeGreaterThanOrEqual(300);
  });
});
