/** The visit rules every front end shares: which streams, which previous inspection, which devices are missing. */
import { describe, expect, it } from 'vitest';
import type { InspectionMeta, InspectionRecord } from '../../src/core/record.js';
import { missingDevices, previousInspection, streamTargets } from '../../src/visit/rules.js';
import { firstInspection } from '../report/sample-records.js';

const meta = (id: string, startedAt: string, endedAt: string | null): InspectionMeta => ({ ...firstInspection().meta, id, startedAt, endedAt });

describe('previousInspection', () => {
  it('is the latest finished inspection by start time, not the highest id; unfinished ones never count', () => {
    const imported = meta('9', '2026-01-01T09:00:00Z', '2026-01-01T10:00:00Z');
    const later = meta('3', '2026-03-01T09:00:00Z', '2026-03-01T10:00:00Z');
    const open = meta('12', '2026-04-01T09:00:00Z', null);
    expect(previousInspection([later, imported, open])?.id).toBe('3');
    expect(previousInspection([open])).toBeNull();
    // Same start: the later id.
    expect(previousInspection([meta('4', later.startedAt, later.endedAt), later])?.id).toBe('4');
  });
});

describe('missingDevices', () => {
  const withDevices = (devices: InspectionRecord['devices']): InspectionRecord => ({ ...firstInspection(), devices });
  const [a, b] = firstInspection().devices;
  if (!a || !b) throw new Error('sample has devices');
  const onOneHost = [
    { ...a, address: '127.0.0.1', xaddr: 'http://127.0.0.1:8001/onvif/device_service' },
    { ...b, address: '127.0.0.1', xaddr: 'http://127.0.0.1:8002/onvif/device_service' },
  ];

  it('a device on a host that still serves another device is missing (the demo office: every camera on 127.0.0.1)', () => {
    const first = onOneHost[0];
    if (!first) throw new Error('two devices');
    expect(missingDevices(withDevices(onOneHost), withDevices([first])).map((m) => m.key)).toEqual([b.key]);
  });

  it('the same service address under another key (its serial read with the password) is not missing', () => {
    const relabelled = onOneHost.map((d) => ({ ...d, key: `${d.key}-with-serial` }));
    expect(missingDevices(withDevices(onOneHost), withDevices(relabelled))).toEqual([]);
  });

  it('nothing is missing without a previous inspection', () => {
    expect(missingDevices(null, withDevices([]))).toEqual([]);
  });
});

describe('streamTargets', () => {
  const profile = (token: string, width: number, rtsp: string | null, snapshot: string | null) => ({ token, name: null, encoder: 'H264', width, height: (width * 9) / 16, rtsp, snapshot, analyticsToken: null });
  const profiles = [profile('sub', 640, 'rtsp://10.0.0.5/sub', null), profile('main', 1920, 'rtsp://10.0.0.5/main', 'http://10.0.0.5/snap')];

  it('an inspection tests the main stream, with its snapshot as the fallback; probe tests every stream', () => {
    expect(streamTargets(profiles, 'main').map((t) => [t.uri, t.snapshot])).toEqual([['rtsp://10.0.0.5/main', 'http://10.0.0.5/snap']]);
    expect(streamTargets(profiles, 'every').map((t) => [t.uri, t.snapshot])).toEqual([
      ['rtsp://10.0.0.5/main', 'http://10.0.0.5/snap'],
      ['rtsp://10.0.0.5/sub', null],
    ]);
  });
});
