/**
 * A ProbeMatches flood (thousands of datagrams: duplicates, spoofed endpoint references, XAddrs outside
 * the range, answers to other Probes, non-XML) next to one honest camera: discovery ends on time, keeps
 * each endpoint once, stays within its device cap, and still finds the honest camera.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DiscoveredDevice } from '../../src/core/types.js';
import { discover } from '../../src/discovery/ws-discovery.js';
import { startCamera, type CameraHandle } from '../../src/sim/camera.js';
import { ordinaryCamera } from '../../src/sim/definitions.js';
import { floodEndpoint, startProbeMatchesFlood, type ProbeMatchesFloodHandle } from '../../src/sim/hostile-discovery.js';
import { freeUdpPort } from '../../src/sim/listen.js';

const port = await freeUdpPort();
const DURATION_MS = 1500;
const REPLIES = 3000;
const ENDPOINTS = 400;

let flood: ProbeMatchesFloodHandle;
let honest: CameraHandle;

beforeAll(async () => {
  flood = await startProbeMatchesFlood({ port, replies: REPLIES, endpoints: ENDPOINTS });
  honest = await startCamera(ordinaryCamera(1), { discoveryPort: port });
});

afterAll(async () => {
  await Promise.all([flood?.close(), honest?.close()]);
});

const run = async (maxDevices?: number): Promise<{ devices: DiscoveredDevice[]; ms: number; streamed: number }> => {
  let streamed = 0;
  const t0 = performance.now();
  const r = await discover({ interfaces: ['127.0.0.1'], port, durationMs: DURATION_MS, ...(maxDevices ? { maxDevices } : {}) }, () => {
    streamed += 1;
  });
  const ms = Math.round(performance.now() - t0);
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { devices: r.value, ms, streamed };
};

describe('ProbeMatches flood', () => {
  it(`ends on time with each endpoint once and the honest camera found (${REPLIES} datagrams per Probe)`, async () => {
    const { devices, ms, streamed } = await run();
    console.log(`discovery flood: ${ms} ms, ${flood.probes()} probes answered with ${flood.sent()} datagrams, ${devices.length} devices kept`);
    expect(ms).toBeLessThan(DURATION_MS + 1500);
    expect(flood.sent()).toBeGreaterThanOrEqual(REPLIES);
    expect(streamed).toBe(devices.length);
    expect(new Set(devices.map((d) => d.endpoint)).size).toBe(devices.length);
    expect(devices.map((d) => d.endpoint)).toContain(honest.def.endpoint);
    const spoofed = devices.filter((d) => d.endpoint !== honest.def.endpoint);
    expect(spoofed.length).toBeLessThanOrEqual(ENDPOINTS);
    expect(spoofed.every((d) => d.endpoint.startsWith(floodEndpoint(0).slice(0, 20)))).toBe(true);
    // The spoofed XAddrs name another host than the sender: flagged for the inspector.
    for (const d of spoofed) {
      expect(d.address).toBe('127.0.0.3');
      expect(d.quirks?.join(' ')).toMatch(/XAddr 127\.0\.0\.2:\d+ differs from sender 127\.0\.0\.3/);
    }
  });

  it('never keeps more than maxDevices', async () => {
    const { devices, ms } = await run(50);
    expect(ms).toBeLessThan(DURATION_MS + 1500);
    expect(devices.length).toBeLessThanOrEqual(50);
  });
});
