/** The per-device stages: which stream URIs are tested, with which snapshot fallback, and what is never contacted. */
import { describe, expect, it } from 'vitest';
import { ok } from '../../src/core/result.js';
import type { DiscoveredDevice } from '../../src/core/types.js';
import { makeScope } from '../../src/pipeline/scope.js';
import { gate, probeOne } from '../../src/visit/device.js';
import type { VisitEvent } from '../../src/visit/events.js';
import type { ProbePorts } from '../../src/visit/ports.js';
import { fakePorts } from '../tui/fakes.js';

const profile = (token: string, width: number, rtsp: string | null, snapshot: string | null) => ({ token, name: null, encoder: 'H264', width, height: (width * 9) / 16, rtsp, snapshot, analyticsToken: null });

/** The fake Generic camera with two profiles; every stream test it is asked for is written down. */
const portsWith = (profiles: ReturnType<typeof profile>[], asked: { uri: string; snapshotUri: string | undefined }[]): ProbePorts => {
  const base = fakePorts();
  return {
    ...base,
    async probeConfig(xaddr, credential, opts) {
      const probed = await base.probeConfig(xaddr, credential, opts);
      return probed.ok ? ok({ ...probed.value, profiles }) : probed;
    },
    async probeStream(uri, _credential, opts) {
      asked.push({ uri, snapshotUri: opts.snapshotUri });
      return base.skippedStream(uri, { kind: 'unsupported', action: 'GetStreamUri', message: 'fake' });
    },
  };
};

const device: DiscoveredDevice = { address: '127.0.0.12', xaddrs: ['http://127.0.0.12:8080/onvif/device_service'], endpoint: 'urn:uuid:device-test', scopes: [], via: 'ws-discovery' };

const run = async (policy: 'main' | 'every', profiles: ReturnType<typeof profile>[]) => {
  const asked: { uri: string; snapshotUri: string | undefined }[] = [];
  const events: VisitEvent[] = [];
  await probeOne(
    portsWith(profiles, asked),
    { scope: makeScope(['127.0.0.12/32']), credentials: () => null, streamTests: true, streamPolicy: policy },
    device,
    new AbortController().signal,
    (e) => void events.push(e),
    gate(1),
  );
  return { asked, done: events.flatMap((e) => (e.type === 'stream-done' ? [[e.profile, e.contacted] as const] : [])) };
};

describe('stream tests of one device', () => {
  const profiles = [
    profile('sub', 640, 'rtsp://127.0.0.12/sub', 'http://127.0.0.12/sub.jpg'),
    profile('main', 1920, 'rtsp://127.0.0.12/main', 'http://127.0.0.12/main.jpg'),
  ];

  it('an inspection tests the main stream, with the profile snapshot as its fallback', async () => {
    expect((await run('main', profiles)).asked).toEqual([{ uri: 'rtsp://127.0.0.12/main', snapshotUri: 'http://127.0.0.12/main.jpg' }]);
  });

  it('probe tests every stream, each with its own snapshot', async () => {
    expect((await run('every', profiles)).asked.map((a) => a.snapshotUri)).toEqual(['http://127.0.0.12/main.jpg', 'http://127.0.0.12/sub.jpg']);
  });

  it('a snapshot or a stream outside the scope is never contacted; the refusal is reported as not contacted', async () => {
    const outside = [profile('main', 1920, 'rtsp://127.0.0.12/main', 'http://203.0.113.9/main.jpg'), profile('cloud', 1280, 'rtsp://203.0.113.9/live', null)];
    const r = await run('every', outside);
    expect(r.asked).toEqual([{ uri: 'rtsp://127.0.0.12/main', snapshotUri: undefined }]);
    expect(r.done).toEqual([['main', true], ['cloud', false]]);
  });
});
