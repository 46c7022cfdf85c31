/**
 * A device probed again in the same inspection (a wrong password, then the right one) stays one device:
 * its latest result stands. Its key changes (the serial is readable only once authenticated), its address
 * does not.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CredentialLookup } from '../../src/pipeline/credentials.js';
import { discoverStep, probeStep } from '../../src/visit/device.js';
import { VisitEngine } from '../../src/visit/engine.js';
import { buildPlan } from '../../src/visit/plan.js';
import { deriveFindings } from '../../src/rules/derive.js';
import { DEFAULT_PORT_SETTINGS, realPorts } from '../../src/pipeline/ports.js';
import { startSite, type SiteHandle } from '../../src/sim/site.js';
import { openStore, verifyStore, type Store } from '../../src/store/store.js';
import { freeUdpPort } from '../../src/sim/listen.js';

const discoveryPort = await freeUdpPort();
let dir: string;
let site: SiteHandle;
let store: Store;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-reprobe-'));
  site = await startSite({ host: '127.0.0.1', discoveryPort, rtsp: false, cameras: ['entrance-face'] });
  store = openStore(join(dir, 'i.db'));
  store.upsertSite({ id: 'S1', name: 'Re-probe office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });
});

afterAll(async () => {
  store?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('probing a device again', () => {
  it('keeps one device per address with the latest result', async () => {
    const signal = new AbortController().signal;
    let password = 'wrong-password';
    const credentials: CredentialLookup = () => ({ username: 'admin', password });
    const plan = buildPlan(
      {
        siteId: 'S1', kind: 'first', previousInspectionId: null, caseNumber: 'P-1', inspectors: ['T'], experts: [], representative: '', witness: '',
        interfaces: [{ name: 'lo', address: '127.0.0.1', netmask: '255.0.0.0' }], sweep: null, credentials, streamTests: false,
        toolkitVersion: 'test', modelSha256: 'test',
      },
      signal,
    );
    const ports = realPorts({ ...DEFAULT_PORT_SETTINGS, discoveryPort, discoveryMs: 1200 });
    const started = new VisitEngine({ ports, store, deriveFindings }, () => undefined).open(plan.start);
    if (!started.ok) throw new Error(started.error);
    const found = await discoverStep(ports, plan.discover, () => undefined);
    if (!found.ok) throw new Error(found.error.kind);
    expect(found.value).toHaveLength(1);

    const [refused] = await probeStep(ports, store, started.value, found.value, plan, () => undefined, signal);
    expect(refused?.result.config?.authenticated).toBe(false);
    password = site.cameras[0]!.password;
    const [accepted] = await probeStep(ports, store, started.value, found.value, plan, () => undefined, signal);
    expect(accepted?.result.config?.authenticated).toBe(true);
    expect(accepted?.deviceKey).not.toBe(refused?.deviceKey);

    const record = store.loadInspection(started.value);
    expect(record?.devices).toHaveLength(1);
    expect(record?.devices[0]?.key).toBe(accepted?.deviceKey);
    expect(record?.devices[0]?.face.enabled).toBe(true);
    expect(verifyStore(join(dir, 'i.db')).ok).toBe(true);
  }, 60_000);
});
