/** The scale benchmark's camera fleet: distinct hosts, distinct stream URLs, one shared encoder. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeDevice } from '../../src/onvif/probe.js';
import { startFleet, type FleetHandle } from '../../src/sim/fleet.js';
import { grabRtspFrames } from '../../src/stream/frames.js';

describe('a fleet of generated cameras', () => {
  let fleet: FleetHandle;
  beforeAll(async () => {
    fleet = await startFleet({ count: 3, discovery: false });
  });
  afterAll(() => fleet.close());

  it('puts each camera on its own loopback address and plays every camera stream from one encoder', async () => {
    expect(new Set(fleet.cameras.map((c) => c.host)).size).toBe(3);
    expect(fleet.cameras.every((c) => c.host.startsWith('127.88.'))).toBe(true);
    const uris: string[] = [];
    for (const cam of fleet.cameras.slice(0, 2)) {
      const probed = await probeDevice(cam.xaddr, { username: fleet.username, password: fleet.password, timeoutMs: 5000 });
      expect(probed.ok).toBe(true);
      const uri = probed.ok ? probed.value.profiles.find((p) => p.rtsp)?.rtsp : undefined;
      expect(uri).toBeDefined();
      uris.push(uri ?? '');
    }
    expect(new Set(uris).size).toBe(2);
    const grabs = await Promise.all(uris.map((u) => grabRtspFrames(u, { frames: 2, seconds: 1, credentials: { user: fleet.username, password: fleet.password } })));
    expect(grabs.map((g) => g.ok && g.value.frames.length)).toEqual([2, 2]);
    expect(fleet.rtsp?.encoderPids()).toHaveLength(1);
  }, 20_000);
});
