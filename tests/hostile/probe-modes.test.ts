/**
 * Every hostile ONVIF mode against the real probe: it finishes within its budget, the device's
 * misbehaviour is recorded as evidence (status, error, raw bytes up to the cap), memory stays
 * bounded during a 100 MB answer, and a redirect to another host is never followed.
 */
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { afterEach, describe, expect, it } from 'vitest';
import type { CallRecord } from '../../src/core/types.js';
import { MAX_CONSECUTIVE_TIMEOUTS } from '../../src/onvif/client.js';
import { MAX_ANALYTICS_CONFIGURATIONS, MAX_URI_PROFILES, probeDevice } from '../../src/onvif/probe.js';
import { DEFAULT_MAX_RESPONSE_BYTES } from '../../src/http/exchange.js';
import { startHostileCamera, type HostileCameraHandle, type HostileMode } from '../../src/sim/hostile.js';

const TIMEOUT_MS = 1000;
/** No mode may cost more than the consecutive-timeout allowance (then calls stop), plus slack for a loaded CI box. */
const PROBE_BUDGET_MS = MAX_CONSECUTIVE_TIMEOUTS * TIMEOUT_MS + 1500;
const CREDS = { username: 'admin', password: 'not-the-password' };

const open: HostileCameraHandle[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

interface Run {
  readonly cam: HostileCameraHandle;
  readonly ms: number;
  readonly calls: CallRecord[];
  readonly ok: boolean;
}

const probe = async (mode: HostileMode, extra: Parameters<typeof startHostileCamera>[1] = {}, budgetMs = PROBE_BUDGET_MS): Promise<Run> => {
  const cam = await startHostileCamera(mode, { trickleIntervalMs: 100, ...extra });
  open.push(cam);
  const calls: CallRecord[] = [];
  const t0 = performance.now();
  const r = await probeDevice(cam.xaddr, { ...CREDS, timeoutMs: TIMEOUT_MS, onCall: (c) => calls.push(c) });
  const ms = Math.round(performance.now() - t0);
  console.log(`hostile ${mode}: ${ms} ms, ${calls.length} calls, ${cam.requests.length} requests, statuses ${[...new Set(calls.map((c) => c.status))].join('/')}`);
  expect(ms).toBeLessThan(budgetMs);
  expect(calls.length).toBeGreaterThan(0);
  if (r.ok) expect(r.value.calls).toEqual(calls);
  return { cam, ms, calls, ok: r.ok };
};

/** One probe of a hostile camera with its wall time, peak RSS growth and longest event-loop stall. */
const probeMeasured = async (mode: HostileMode) => {
  const cam = await startHostileCamera(mode);
  open.push(cam);
  global.gc?.();
  const before = process.memoryUsage().rss;
  let peak = before;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 5);
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const calls: CallRecord[] = [];
  const t0 = performance.now();
  const r = await probeDevice(cam.xaddr, { ...CREDS, timeoutMs: TIMEOUT_MS, onCall: (c) => calls.push(c) });
  const ms = performance.now() - t0;
  loop.disable();
  clearInterval(sampler);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { cam, calls, r, ms, growthMb: (peak - before) / 2 ** 20, stallMs: loop.max / 1e6 };
};

const messages = (calls: readonly CallRecord[]): string =>
  calls.map((c) => (c.error ? JSON.stringify(c.error) : 'ok')).join('\n');

describe('hostile ONVIF devices', () => {
  it('malformed XML: each call recorded as a decode error with the bytes it sent', async () => {
    const { calls } = await probe('malformed-xml');
    for (const c of calls) {
      expect(c.status).toBe('error');
      expect(c.error?.kind).toBe('decode');
      expect(c.response?.length).toBeGreaterThan(100);
      expect(c.sha256).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('truncated answers: a transport error with the half that arrived', async () => {
    const { calls } = await probe('truncated');
    for (const c of calls) {
      expect(c.status).toBe('error');
      expect(c.error).toMatchObject({ kind: 'transport' });
      expect(c.response?.length ?? 0).toBeGreaterThan(0);
    }
  });

  it('SOAP 1.1 envelopes are read (tolerated), the device identity decodes', async () => {
    const { calls } = await probe('soap11');
    const info = calls.find((c) => c.action === 'GetDeviceInformation');
    expect(info?.status).toBe('ok');
  });

  it('no namespaces at all: refused as "not a SOAP Envelope", recorded', async () => {
    const { calls } = await probe('no-namespace');
    for (const c of calls) expect(c.error).toMatchObject({ kind: 'decode', message: expect.stringMatching(/SOAP Envelope/) });
  });

  it('ONVIF names in a foreign namespace: no ONVIF service is taken from them', async () => {
    const cam = await startHostileCamera('foreign-namespace');
    open.push(cam);
    const r = await probeDevice(cam.xaddr, { ...CREDS, timeoutMs: TIMEOUT_MS });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // GetServices lists only foreign namespaces: no Media2/analytics/events URL is derived from them.
    expect(r.value.services.every((s) => !s.namespace.startsWith('http://www.onvif.org/'))).toBe(true);
    expect(r.value.calls.filter((c) => c.action === 'GetEventProperties')).toEqual([]);
  });

  it('SOAP faults on every call: each recorded as a fault, the probe still completes', async () => {
    const { calls, ok } = await probe('fault-everywhere');
    expect(ok).toBe(true);
    for (const c of calls) expect(c.status).toBe('fault');
  });

  it.each(['entity-bomb', 'external-entity'] as const)('%s: the DTD is refused before any expansion', async (mode) => {
    const { calls, cam } = await probe(mode);
    for (const c of calls) {
      expect(c.error).toMatchObject({ kind: 'decode', message: 'document type declarations are refused' });
      // Kept verbatim (what the device sent), never expanded or resolved.
      expect(c.response?.length).toBe(cam.bytesSent() / cam.requests.length);
    }
    expect(messages(calls)).not.toMatch(/root:x:0:0|lollollol/);
  });

  it('a 100 MB answer is cut at the byte cap, with memory bounded', async () => {
    const { cam, calls, r, ms, growthMb } = await probeMeasured('huge-response');
    console.log(`hostile huge-response: ${Math.round(ms)} ms, ${calls.length} calls, rss growth ${growthMb.toFixed(1)} MB, device wrote ${(cam.bytesSent() / 2 ** 20).toFixed(1)} MB`);
    expect(r.ok).toBe(true);
    expect(ms).toBeLessThan(PROBE_BUDGET_MS);
    for (const c of calls) {
      expect(c.error).toMatchObject({ kind: 'transport', reason: 'too-large' });
      expect(c.response?.length).toBe(DEFAULT_MAX_RESPONSE_BYTES);
    }
    // Every kept answer is 4 MB (evidence); the device offered 100 MB per call.
    expect(growthMb).toBeLessThan(calls.length * 4 + 120);
    expect(cam.bytesSent()).toBeLessThan(calls.length * 100 * 2 ** 20);
  });

  it('520 000 attributes on one element in a 4 MiB answer: refused at the cap, bounded in time, memory and event-loop stall', async () => {
    const { calls, r, ms, growthMb, stallMs } = await probeMeasured('attribute-bomb');
    console.log(`hostile attribute-bomb: ${Math.round(ms)} ms, ${calls.length} calls, rss growth ${growthMb.toFixed(1)} MB, longest event-loop stall ${stallMs.toFixed(0)} ms`);
    expect(r.ok).toBe(true);
    const onvif = calls.filter((c) => c.service !== 'hikvision-isapi' && c.service !== 'dahua-cgi');
    expect(onvif.length).toBeGreaterThan(0);
    for (const c of onvif) {
      expect(c.error).toMatchObject({ kind: 'decode', message: 'more than 512 attributes on one element' });
      // The answer is kept whole as evidence: what the device sent, not what we read of it.
      expect(c.response?.length).toBeGreaterThan(4 * 1024 * 1024 - 2048);
    }
    // Unbounded, this probe took 32 s, grew 743 MB and held the loop 2.4 s per answer (2-core machine, loaded).
    expect(ms).toBeLessThan(PROBE_BUDGET_MS);
    expect(growthMb).toBeLessThan(250);
    expect(stallMs).toBeLessThan(250);
  });

  it('a one-byte-per-tick answer times out; after two timeouts no more calls are sent', async () => {
    const { calls, cam } = await probe('trickle');
    const sent = calls.filter((c) => c.response !== null);
    expect(sent).toHaveLength(MAX_CONSECUTIVE_TIMEOUTS);
    for (const c of sent) expect(c.error).toMatchObject({ kind: 'transport', reason: 'timeout' });
    for (const c of calls.slice(MAX_CONSECUTIVE_TIMEOUTS)) expect(c.error).toMatchObject({ message: expect.stringMatching(/^not sent/) });
    expect(cam.requests).toHaveLength(MAX_CONSECUTIVE_TIMEOUTS);
  });

  it('a connection that never answers: the probe fails as unreachable, both calls recorded', async () => {
    const { calls, ok } = await probe('silent');
    expect(ok).toBe(false);
    expect(calls.map((c) => [c.action, c.status, c.response])).toEqual([
      ['GetSystemDateAndTime', 'error', null],
      ['GetDeviceInformation', 'error', null],
    ]);
  });

  it('a redirect to another host is recorded and never followed', async () => {
    const elsewhere = net.createServer();
    let contacted = 0;
    elsewhere.on('connection', (s) => {
      contacted += 1;
      s.destroy();
    });
    await new Promise<void>((r) => elsewhere.listen(0, '127.0.0.2', r));
    const addr = elsewhere.address();
    if (addr === null || typeof addr === 'string') throw new Error('no address');
    try {
      const { calls } = await probe('redirect', { redirectTo: `http://127.0.0.2:${addr.port}/onvif/device_service` });
      for (const c of calls) expect(c.error).toMatchObject({ kind: 'transport', reason: 'redirect', httpStatus: 302 });
      expect(contacted).toBe(0);
    } finally {
      await new Promise<void>((r) => elsewhere.close(() => r()));
    }
  });

  it('an endless 401 loop: one digest retry per call, then auth-failed', async () => {
    const { calls, cam } = await probe('auth-loop');
    for (const c of calls) expect(c.status).toBe('auth-failed');
    expect(cam.requests.length).toBeLessThanOrEqual(2 * calls.length);
  });

  it.each(['digest-sha512-256', 'digest-foo', 'digest-md5-sess', 'digest-no-nonce'] as const)(
    '%s: a challenge we cannot answer safely is not answered',
    async (mode) => {
      const { calls, cam } = await probe(mode);
      for (const c of calls) expect(c.error).toMatchObject({ kind: 'auth', message: expect.stringMatching(/Digest challenge we do not answer/) });
      // No Authorization guessed with another algorithm: one request per call.
      expect(cam.requests).toHaveLength(calls.length);
    },
  );

  it('5000 profiles, each with its own analytics configuration: the calls stay capped', async () => {
    // Hundreds of quick calls: bounded by count, so the time budget is per call.
    const { calls, cam } = await probe('profile-flood', {}, 400 * 50);
    const uriCalls = calls.filter((c) => c.action === 'GetStreamUri' || c.action === 'GetSnapshotUri');
    expect(uriCalls).toHaveLength(2 * MAX_URI_PROFILES);
    expect(calls.filter((c) => c.service === 'analytics').length).toBeLessThanOrEqual(4 * MAX_ANALYTICS_CONFIGURATIONS);
    expect(cam.requests.length).toBeLessThan(2 * MAX_URI_PROFILES + 4 * MAX_ANALYTICS_CONFIGURATIONS + 20);
  });
});
