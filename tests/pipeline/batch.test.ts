/**
 * One bad device never aborts a batch, and forged discovery answers cannot multiply the work: the
 * pipeline with fake ports (the real adapters are exercised in inspect.test.ts) and a real SQLite store.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ok } from '../../src/core/result.js';
import type { ConfigProbe, DiscoveredDevice } from '../../src/core/types.js';
import { VisitEngine } from '../../src/visit/engine.js';
import { buildPlan } from '../../src/visit/plan.js';
import type { ProbePorts } from '../../src/visit/ports.js';
import { mergeDiscovered } from '../../src/pipeline/ports.js';
import { deriveFindings } from '../../src/rules/derive.js';
import { openStore } from '../../src/store/store.js';

const dir = mkdtempSync(join(tmpdir(), 'camaudit-batch-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const device = (i: number, endpoint = `urn:uuid:0000-${i}`): DiscoveredDevice => ({
  address: '10.1.1.' + i,
  xaddrs: [`http://10.1.1.${i}/onvif/device_service`],
  endpoint,
  scopes: [],
  via: 'ws-discovery',
});

const config = (xaddr: string): ConfigProbe => ({
  xaddr, address: new URL(xaddr).hostname, probedAt: new Date(0).toISOString(),
  device: { manufacturer: 'ACME', model: 'C1', firmware: '1', serial: `S-${xaddr}`, hardwareId: null },
  services: [], scopes: [], network: { macs: [], addresses: [] }, profiles: [], analytics: [], eventTopics: [], vendor: [],
  clockOffsetMs: 0, authenticated: true, face: { supported: false, enabled: false, reasons: [] }, calls: [], errors: [],
});

describe('mergeDiscovered', () => {
  it('keeps one device per service address whatever endpoint references claim', () => {
    const forged = Array.from({ length: 50 }, (_, i) => device(7, `urn:uuid:forged-${i}`));
    const sweepAnswer: DiscoveredDevice = { ...device(7), endpoint: 'sweep:10.1.1.7', via: 'sweep' };
    expect(mergeDiscovered([[device(7), ...forged], [sweepAnswer]])).toHaveLength(1);
  });
  it('keeps cameras that share an address but serve on different ports apart', () => {
    const a = { ...device(1), xaddrs: ['http://10.1.1.1:8001/onvif/device_service'] };
    const b = { ...device(1, 'urn:uuid:other'), xaddrs: ['http://10.1.1.1:8002/onvif/device_service'] };
    expect(mergeDiscovered([[a, b]])).toHaveLength(2);
  });
});

describe('one bad device', () => {
  it('is recorded with an error while the others complete', async () => {
    const ports: ProbePorts = {
      discover: async (_opts, onDevice) => {
        const found = [1, 2, 3].map((i) => device(i));
        found.forEach(onDevice);
        return ok(found);
      },
      probeConfig: async (xaddr) => {
        if (xaddr.includes('10.1.1.2')) throw new Error('decoder bug on odd data');
        return ok(config(xaddr));
      },
      probeStream: () => Promise.reject(new Error('no streams here')),
      skippedStream: () => {
        throw new Error('not used');
      },
    };
    const store = openStore(join(dir, 'batch.db'));
    store.upsertSite({ id: 'S', name: 'n', address: 'a', district: 'd', developer: 'v', contact: 'c', campaign: null });
    const signal = new AbortController().signal;
    const plan = buildPlan(
      {
        siteId: 'S', kind: 'first', previousInspectionId: null, caseNumber: '', inspectors: [], experts: [], representative: '', witness: '',
        interfaces: [{ name: 'eth0', address: '10.1.1.100', netmask: '255.255.255.0' }], sweep: null, credentials: () => null,
        streamTests: true, toolkitVersion: 't', modelSha256: 'm',
      },
      signal,
    );
    const errors: string[] = [];
    const r = await new VisitEngine({ ports, store, deriveFindings }, (e) => {
      if (e.type === 'device-error') errors.push(`${e.address}: ${e.error.kind === 'transport' ? e.error.message : e.error.kind}`);
    }).run(plan, signal);
    store.close();
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.record.devices).toHaveLength(3);
    expect(r.value.record.devices.filter((d) => d.identity.manufacturer === 'ACME')).toHaveLength(2);
    expect(errors).toEqual(['10.1.1.2: internal error while probing: decoder bug on odd data']);
    expect(r.value.record.meta.endedAt).not.toBeNull();
  });
});

describe('a flood of forged service addresses from one host', () => {
  it('probes the first 32 per host and records the rest as not probed', async () => {
    const { limitPerHost, MAX_SERVICES_PER_HOST } = await import('../../src/visit/device.js');
    const flood = Array.from({ length: 500 }, (_, i): DiscoveredDevice => ({ ...device(9, `urn:uuid:flood-${i}`), xaddrs: [`http://10.1.1.9:${10_000 + i}/onvif/device_service`] }));
    const honest = [device(1), device(2)];
    const { kept, excess } = limitPerHost([...flood.slice(0, 250), ...honest, ...flood.slice(250)], MAX_SERVICES_PER_HOST);
    expect(kept).toHaveLength(MAX_SERVICES_PER_HOST + 2);
    expect(kept).toEqual(expect.arrayContaining(honest));
    expect(excess).toHaveLength(500 - MAX_SERVICES_PER_HOST);
    expect(excess.every((d) => d.address === '10.1.1.9')).toBe(true);
  });
});

describe('streamTargets', () => {
  it('tests each stream once, the largest resolution first, a snapshot where a profile has no RTSP', async () => {
    const { streamTargets } = await import('../../src/visit/rules.js');
    const profile = (token: string, width: number, rtsp: string | null, snapshot: string | null) => ({ token, name: null, encoder: 'H264', width, height: (width * 9) / 16, rtsp, snapshot, analyticsToken: null });
    const targets = streamTargets([
      profile('sub', 640, 'rtsp://10.0.0.5/sub', null),
      profile('main', 1920, 'rtsp://10.0.0.5/main', 'http://10.0.0.5/snap'),
      profile('main-again', 1920, 'rtsp://10.0.0.5/main', null),
      profile('still', 1280, null, 'http://10.0.0.5/still.jpg'),
      profile('none', 3840, null, null),
    ]);
    expect(targets.map((t) => [t.uri, t.profile.token])).toEqual([
      ['rtsp://10.0.0.5/main', 'main'],
      ['http://10.0.0.5/still.jpg', 'still'],
      ['rtsp://10.0.0.5/sub', 'sub'],
    ]);
  });
});
