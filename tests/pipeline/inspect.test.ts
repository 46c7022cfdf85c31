/**
 * The whole pipeline against the simulated sales office: WS-Discovery over loopback multicast, the ONVIF and
 * vendor probes, real RTSP streams through ffmpeg and the real model, a real SQLite file, findings, and the
 * re-check after the office is switched to its rectified state.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceRecord, InspectionRecord } from '../../src/core/record.js';
import { runFromFlags, type InspectionFlags } from '../../src/cli/inspection-command.js';
import type { CredentialLookup } from '../../src/pipeline/credentials.js';
import { DEFAULT_PORT_SETTINGS } from '../../src/pipeline/ports.js';
import { diffInspections, removalChecklistItem } from '../../src/assess/recheck.js';
import { startSite, type SiteHandle } from '../../src/sim/site.js';
import { openStore, verifyStore, type Store } from '../../src/store/store.js';
import { freeUdpPort } from '../../src/sim/listen.js';

const discoveryPort = await freeUdpPort();
const settings = { ...DEFAULT_PORT_SETTINGS, discoveryPort, discoveryMs: 2000, streamFrames: 3, streamSeconds: 2 };

let dir: string;
let site: SiteHandle;
let store: Store;
let first: InspectionRecord;
let recheck: InspectionRecord;
let previous: InspectionRecord | null;
const logLines: string[] = [];

const byModel = (r: InspectionRecord, model: string): DeviceRecord[] => r.devices.filter((d) => d.identity.model === model);
const one = (r: InspectionRecord, model: string): DeviceRecord => {
  const found = byModel(r, model);
  expect(found).toHaveLength(1);
  return found[0]!;
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-pipeline-'));
  site = await startSite({ host: '127.0.0.1', discoveryPort });
  store = openStore(join(dir, 'inspection.db'));
  store.upsertSite({ id: 'S1', name: 'Test office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });
  const credentials: CredentialLookup = (address, port) => {
    const cam = site.cameras.find((c) => c.address === address && c.port === port);
    return cam ? { username: cam.username, password: cam.password } : null;
  };
  const flags: InspectionFlags = { db: join(dir, 'inspection.db'), site: 'S1', interface: ['127.0.0.1'], inspector: ['T. Tester'], expert: [], stream: true };
  const log = (l: string): void => void logLines.push(l);
  first = (await runFromFlags(store, { flags, kind: 'first', credentials, settings, log })).record;
  await site.setState('rectified');
  const again = await runFromFlags(store, {
    flags,
    kind: 'recheck',
    credentials,
    settings,
    log,
    beforeConclude: (_engine, id) => {
      const gone = first.devices.filter((d) => !store.loadInspection(id)?.devices.some((x) => x.key === d.key));
      for (const d of gone) store.recordChecklist(id, { item: removalChecklistItem(d.key), answer: 'yes', note: 'confirmed on site' });
    },
  });
  recheck = again.record;
  previous = again.previous;
}, 240_000);

afterAll(async () => {
  store?.close();
  await site?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('first inspection of the simulated office', () => {
  it('finds and records all six cameras, each once', () => {
    expect(first.devices).toHaveLength(6);
    expect(new Set(first.devices.map((d) => d.key)).size).toBe(6);
    expect(first.meta.endedAt).not.toBeNull();
  });

  it('calls each camera right from configuration, with reasons', () => {
    const entrance = one(first, 'iDS-2CD7146G0-IZS');
    expect(entrance.face).toMatchObject({ supported: true, enabled: true });
    expect(entrance.face.reasons.map((r) => r.source)).toEqual(expect.arrayContaining(['onvif-rule', 'hikvision-isapi']));
    const isapiOnly = one(first, 'DS-2CD2346G2-ISU/SL');
    expect(isapiOnly.face).toMatchObject({ supported: true, enabled: true });
    expect(new Set(isapiOnly.face.reasons.map((r) => r.source))).toEqual(new Set(['hikvision-isapi']));
    const dahua = one(first, 'DH-IPC-HFW5442E-ZE');
    expect(dahua.face).toMatchObject({ supported: true, enabled: true });
    expect(dahua.face.reasons.map((r) => r.source)).toContain('dahua-cgi');
    // The sand table and the negotiation area run the same ordinary model; only the latter has a face topic.
    const [a, b] = byModel(first, 'DS-2CD2012-I');
    const ordinary = [a, b].map((d) => d!.face);
    expect(ordinary).toEqual(expect.arrayContaining([expect.objectContaining({ supported: false, enabled: false }), expect.objectContaining({ supported: true, enabled: false })]));
  });

  it('grades the streams: faces at capture size at the entrances, too small at the sand table, none elsewhere', () => {
    for (const model of ['iDS-2CD7146G0-IZS', 'DS-2CD2346G2-ISU/SL', 'DH-IPC-HFW5442E-ZE']) {
      expect(one(first, model).streams[0]?.captureGrade).toBe('recognisable');
    }
    const grades = byModel(first, 'DS-2CD2012-I').map((d) => d.streams[0]?.captureGrade).sort();
    expect(grades).toEqual(['no-faces', 'too-small']);
  });

  it('does not over-call: no face-processing finding for the sand-table camera', () => {
    const sand = byModel(first, 'DS-2CD2012-I').find((d) => d.streams[0]?.captureGrade === 'too-small')!;
    expect(first.findings.filter((f) => f.deviceKey === sand.key && f.ruleId === 'FR-FACE-PROC' && f.severity !== 'info')).toEqual([]);
  });

  it('the broken device is recorded with its errors and does not stop the visit', () => {
    const broken = first.devices.find((d) => d.identity.manufacturer === null || d.identity.manufacturer === '')!;
    expect(broken).toBeDefined();
    expect(broken.errors.length).toBeGreaterThan(0);
  });

  it('cites evidence that exists for every finding', () => {
    const ids = new Set(first.evidence.map((e) => e.id));
    expect(first.findings.length).toBeGreaterThan(0);
    for (const f of first.findings) for (const id of f.evidenceIds) expect(ids.has(id)).toBe(true);
  });
});

describe('re-check after rectification', () => {
  it('is linked to the first inspection', () => {
    expect(recheck.meta.kind).toBe('recheck');
    expect(recheck.meta.previousInspectionId).toBe(first.meta.id);
    expect(previous?.meta.id).toBe(first.meta.id);
  });

  it('shows each change per device', () => {
    const diff = diffInspections(first, recheck);
    const change = (model: string): string | undefined =>
      diff.devices.find((d) => (d.after ?? d.before)?.label.endsWith(model))?.change;
    expect(change('iDS-2CD7146G0-IZS')).toBe('face-disabled');
    expect(change('DH-IPC-HFW5442E-ZE')).toBe('face-disabled');
    expect(diff.devices.filter((d) => d.change === 'removed')).toHaveLength(1);
    expect(diff.devices.filter((d) => d.change === 'newly-found')).toHaveLength(1);
  });

  it('the database verifies after both inspections', () => {
    const r = verifyStore(join(dir, 'inspection.db'));
    expect(r.ok).toBe(true);
  });
});
