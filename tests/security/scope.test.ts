/**
 * Nothing outside the read-only allowlist or the chosen range is sent: vendor adapter URLs (paths not on
 * the list, another host smuggled in as an absolute or protocol-relative target) and stream URIs that
 * point outside the range are refused and recorded, and tripwires on 127.0.0.2 see no connection.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallRecord, DeviceResult } from '../../src/core/types.js';
import type { VisitEvent } from '../../src/visit/events.js';
import { gate, probeOne } from '../../src/visit/device.js';
import { DEFAULT_PORT_SETTINGS, realPorts } from '../../src/pipeline/ports.js';
import { makeScope } from '../../src/pipeline/scope.js';
import { startHostileCamera, type HostileCameraHandle } from '../../src/sim/hostile.js';
import { vendorGet } from '../../src/vendors/vendor-http.js';
import { startTripwire, type Tripwire } from '../hostile/helpers.js';

let device: Tripwire;
let elsewhere: Tripwire;
let cam: HostileCameraHandle;

beforeAll(async () => {
  device = await startTripwire('127.0.0.1');
  elsewhere = await startTripwire('127.0.0.2');
  cam = await startHostileCamera('stream-elsewhere', { streamElsewhere: `rtsp://127.0.0.2:${elsewhere.port}/live` });
});

afterAll(async () => {
  await Promise.all([device?.close(), elsewhere?.close(), cam?.close()]);
});

describe('vendor adapter URLs outside the allowlist are never sent', () => {
  it.each([
    '/ISAPI/Security/users',
    '/ISAPI/System/reboot',
    '/ISAPI/System/deviceInfo?format=json',
    '/cgi-bin/configManager.cgi?action=setConfig&VideoAnalyseRule[0][0].Enable=false',
    '/cgi-bin/magicBox.cgi?action=reboot',
    '/ISAPI/System/../Security/users',
  ])('%s is refused before any byte leaves', async (target) => {
    const calls: CallRecord[] = [];
    const r = await vendorGet(new URL(`http://127.0.0.1:${device.port}`), target, 'test', { timeoutMs: 1000, onCall: (c) => calls.push(c) });
    expect(r.record.status).toBe('refused');
    expect(r.record.error?.kind).toBe('policy');
    expect(calls).toHaveLength(1);
    expect(device.contacts()).toBe(0);
  });

  it.each(['//127.0.0.2:PORT/ISAPI/System/deviceInfo', 'http://127.0.0.2:PORT/ISAPI/System/deviceInfo'])(
    'an allowed path on another host (%s) is refused',
    async (template) => {
      const r = await vendorGet(new URL(`http://127.0.0.1:${device.port}`), template.replace('PORT', String(elsewhere.port)), 'test', { timeoutMs: 1000 });
      expect(r.record).toMatchObject({ status: 'refused', error: { kind: 'policy' } });
      expect(elsewhere.contacts()).toBe(0);
    },
  );
});

describe('the pipeline keeps to the chosen range', () => {
  const scope = makeScope(['127.0.0.1/32']);
  const run = async (xaddrs: readonly string[]): Promise<{ result: DeviceResult; events: VisitEvent[] }> => {
    const events: VisitEvent[] = [];
    const result = await probeOne(
      realPorts({ ...DEFAULT_PORT_SETTINGS, callTimeoutMs: 1000, streamFrames: 1, streamSeconds: 1 }),
      { scope, credentials: () => null, streamTests: true },
      { address: '127.0.0.1', xaddrs, endpoint: 'urn:uuid:scope-test', scopes: [], via: 'ws-discovery' },
      new AbortController().signal,
      (e) => void events.push(e),
      gate(1),
    );
    return { result, events };
  };

  it('an RTSP URI outside the range is refused, recorded, and never contacted', async () => {
    const { result } = await run([cam.xaddr]);
    expect(result.config?.profiles.some((p) => p.rtsp?.startsWith('rtsp://127.0.0.2:'))).toBe(true);
    expect(result.streams).toHaveLength(1);
    expect(result.streams[0]?.error).toMatchObject({ kind: 'policy', message: expect.stringMatching(/outside the chosen range/) });
    expect(elsewhere.contacts()).toBe(0);
  });

  it('a device whose only service address is outside the range is not probed at all', async () => {
    const { result, events } = await run([`http://127.0.0.2:${elsewhere.port}/onvif/device_service`]);
    expect(result.config).toBeNull();
    expect(result.error).toMatchObject({ kind: 'policy' });
    expect(events.map((e) => e.type)).toEqual(['device-error']);
    expect(elsewhere.contacts()).toBe(0);
  });
});
