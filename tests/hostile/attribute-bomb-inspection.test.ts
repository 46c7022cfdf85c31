/**
 * One camera's hostile answer must never change another camera's verdict: the same ordinary camera is
 * inspected alone and beside a camera whose every answer is a 4 MiB attribute bomb. Unbounded, the
 * synchronous parse held the event loop for seconds and the ordinary camera's stream test ended with
 * "no frames (timeout)".
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeviceRecord, InspectionRecord } from '../../src/core/record.js';
import { VisitEngine } from '../../src/visit/engine.js';
import type { InspectionPlan } from '../../src/visit/plan.js';
import { DEFAULT_PORT_SETTINGS, realPorts } from '../../src/pipeline/ports.js';
import { makeScope } from '../../src/pipeline/scope.js';
import { deriveFindings } from '../../src/rules/derive.js';
import { startHostileCamera } from '../../src/sim/hostile.js';
import { freeUdpPort } from '../../src/sim/listen.js';
import { openStore } from '../../src/store/store.js';
import { startNormalCamera, type NormalCamera } from './helpers.js';

const dir = mkdtempSync(join(tmpdir(), 'camaudit-bomb-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Inspect 127.0.0.1/32 on a private discovery port; the ordinary camera gets its own credentials. */
const inspect = async (name: string, discoveryPort: number, normal: NormalCamera): Promise<InspectionRecord> => {
  const store = openStore(join(dir, `${name}.db`));
  try {
    store.upsertSite({ id: 'B1', name: 'Bomb office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });
    const controller = new AbortController();
    const plan: InspectionPlan = {
      start: { siteId: 'B1', kind: 'first', previousInspectionId: null, caseNumber: 'B-1', zones: [], inspectors: ['T. Tester'], experts: [], representative: '', witness: '', toolkitVersion: 'test', modelSha256: 'test', interfaceAddress: '127.0.0.1', subnet: '127.0.0.1/32' },
      discover: { interfaces: ['127.0.0.1'], sweep: null, signal: controller.signal },
      scope: makeScope(['127.0.0.1/32']),
      credentials: (_address, port) => (port === normal.cam.port ? { username: normal.def.username, password: normal.def.password } : { username: 'admin', password: 'wrong-guess' }),
      streamTests: true,
      configConcurrency: 4,
      streamConcurrency: 2,
    };
    const ports = realPorts({ ...DEFAULT_PORT_SETTINGS, callTimeoutMs: 1500, discoveryMs: 1500, streamFrames: 3, streamSeconds: 1, discoveryPort });
    const outcome = await new VisitEngine({ ports, store, deriveFindings }, () => undefined).run(plan, controller.signal);
    if (!outcome.ok) throw new Error(outcome.error);
    return outcome.value.record;
  } finally {
    store.close();
  }
};

const verdictOf = (record: InspectionRecord, port: number): unknown => {
  const d: DeviceRecord | undefined = record.devices.find((x) => x.xaddr !== null && new URL(x.xaddr).port === String(port));
  return d?.streams.map((s) => ({ frames: s.frames, grade: s.captureGrade, error: s.error ?? null }));
};

describe('an attribute bomb beside an ordinary camera', () => {
  it("leaves the ordinary camera's stream verdict as it is without the bomb", async () => {
    const alonePort = await freeUdpPort();
    const alone = await startNormalCamera(640, alonePort, { scene: 'faces-near' });
    let baseline: unknown;
    try {
      baseline = verdictOf(await inspect('alone', alonePort, alone), alone.cam.port);
    } finally {
      await alone.close();
    }
    expect(baseline).toEqual([{ frames: 3, grade: expect.any(String), error: null }]);

    const mixedPort = await freeUdpPort();
    const normal = await startNormalCamera(641, mixedPort, { scene: 'faces-near' });
    const bomb = await startHostileCamera('attribute-bomb', { index: 741, discoveryPort: mixedPort });
    try {
      const record = await inspect('mixed', mixedPort, normal);
      expect(verdictOf(record, normal.cam.port)).toEqual(baseline);
      const hostile = record.devices.find((x) => x.xaddr !== null && new URL(x.xaddr).port === String(bomb.port));
      expect(hostile?.errors.join('\n')).toMatch(/more than 512 attributes on one element/);
    } finally {
      await Promise.all([normal.close(), bomb.close()]);
    }
  }, 120_000);
});
