/**
 * An inspection interrupted after some devices were recorded is resumed: recorded devices stay as they
 * were, the others are probed, nothing is recorded twice, and the chain verifies.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialLookup } from '../../src/pipeline/credentials.js';
import { discoverStep, probeStep } from '../../src/visit/device.js';
import { VisitEngine } from '../../src/visit/engine.js';
import { buildPlan } from '../../src/visit/plan.js';
import { DEFAULT_PORT_SETTINGS, realPorts } from '../../src/pipeline/ports.js';
import { deriveFindings } from '../../src/rules/derive.js';
import { startSite, type SiteHandle } from '../../src/sim/site.js';
import { openStore, verifyStore, type Store } from '../../src/store/store.js';
import { freeUdpPort } from '../../src/sim/listen.js';

const discoveryPort = await freeUdpPort();
let dir: string;
let site: SiteHandle;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-resume-'));
  site = await startSite({ host: '127.0.0.1', discoveryPort, rtsp: false });
  store = openStore(join(dir, 'i.db'));
  store.upsertSite({ id: 'S1', name: 'Resume office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });
});

afterAll(async () => {
  store?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('resuming an interrupted inspection', () => {
  it('keeps what was recorded and probes only the rest', async () => {
    const credentials: CredentialLookup = (address, port) => {
      const cam = site.cameras.find((c) => c.address === address && c.port === port);
      return cam ? { username: cam.username, password: cam.password } : null;
    };
    const signal = new AbortController().signal;
    const plan = buildPlan(
      {
        siteId: 'S1', kind: 'first', previousInspectionId: null, caseNumber: 'R-1', inspectors: ['T'], experts: [], representative: '', witness: '',
        interfaces: [{ name: 'lo', address: '127.0.0.1', netmask: '255.0.0.0' }], sweep: null, credentials, streamTests: false,
        toolkitVersion: 'test', modelSha256: 'test',
      },
      signal,
    );
    const ports = realPorts({ ...DEFAULT_PORT_SETTINGS, discoveryPort, discoveryMs: 1500 });
    const started = new VisitEngine({ ports, store, deriveFindings }, () => undefined).open(plan.start);
    expect(started.ok).toBe(true);
    if (!started.ok) return;
    const found = await discoverStep(ports, plan.discover, () => undefined);
    expect(found.ok && found.value.length).toBe(6);
    if (!found.ok) return;
    // The lid closes after two devices.
    await probeStep(ports, store, started.value, found.value.slice(0, 2), plan, () => undefined, signal);
    const before = store.loadInspection(started.value);
    expect(before?.devices).toHaveLength(2);
    expect(store.unfinishedInspections().map((m) => m.id)).toContain(started.value);

    const probed: string[] = [];
    const resumed = await new VisitEngine({ ports, store, deriveFindings }, (e) => {
      if (e.type === 'device-probed') probed.push(e.config.xaddr);
    }).resume(started.value, plan, signal);
    expect(resumed.ok).toBe(true);
    if (!resumed.ok) return;
    expect(probed).toHaveLength(4);
    expect(resumed.value.record.devices).toHaveLength(6);
    expect(new Set(resumed.value.record.devices.map((d) => d.key)).size).toBe(6);
    expect(resumed.value.record.meta.endedAt).not.toBeNull();
    expect(store.unfinishedInspections().map((m) => m.id)).not.toContain(started.value);
    expect(verifyStore(join(dir, 'i.db')).ok).toBe(true);

    const again = await new VisitEngine({ ports, store, deriveFindings }, () => undefined).resume(started.value, plan, signal);
    expect(again.ok).toBe(false);
  }, 120_000);
});
