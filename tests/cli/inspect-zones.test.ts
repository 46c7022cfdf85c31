/**
 * `--zones` on `camaudit inspect` and `recheck`: the flag as commander parses it, the separators, the carry-over
 * to a re-check, and zones named on resume. The runs go through runFromFlags on a real SQLite file; discovery
 * listens on a private WS-Discovery port where nothing answers, so each inspection records no device.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectionOptions } from '../../src/cli/commands/inspect.js';
import { runFromFlags, zonesFor, type InspectionFlags } from '../../src/cli/inspection-command.js';
import { DEFAULT_PORT_SETTINGS } from '../../src/pipeline/ports.js';
import { freeUdpPort } from '../../src/sim/listen.js';
import { openStore, verifyStore, type Store } from '../../src/store/store.js';

describe('zones from the command line', () => {
  it('commander hands --zones over as typed', async () => {
    let zones: unknown;
    const cmd = inspectionOptions(new Command('inspect')).exitOverride().action((flags: { zones?: string }) => {
      zones = flags.zones;
    });
    await cmd.parseAsync(['--site', 'S1', '--zones', '入口、沙盘区'], { from: 'user' });
    expect(zones).toBe('入口、沙盘区');
  });

  it.each([
    ['入口,沙盘区', ['入口', '沙盘区']],
    ['入口、沙盘区', ['入口', '沙盘区']],
    ['入口，沙盘区', ['入口', '沙盘区']],
    [' 入口 、沙盘区，洽谈区,, ,签约室 ', ['入口', '沙盘区', '洽谈区', '签约室']],
    ['', []],
  ])('splits %j at , ， and 、, trimmed, empty items dropped', (flag, zones) => {
    expect(zonesFor(flag, null)).toEqual(zones);
  });

  it('a re-check without the flag takes the previous zones; with it, the flag wins, even empty', () => {
    expect(zonesFor(undefined, ['入口', '沙盘区'])).toEqual(['入口', '沙盘区']);
    expect(zonesFor('签约室', ['入口', '沙盘区'])).toEqual(['签约室']);
    expect(zonesFor('', ['入口'])).toEqual([]);
    expect(zonesFor(undefined, null)).toEqual([]);
  });
});

describe('zones through inspect, recheck and resume', () => {
  let dir: string;
  let file: string;
  let store: Store;
  let settings: typeof DEFAULT_PORT_SETTINGS;
  const base: InspectionFlags = { db: '', site: 'S1', interface: ['127.0.0.1'], inspector: ['T. Tester'], expert: [], stream: false };
  const log = (): void => undefined;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'camaudit-zones-'));
    file = join(dir, 'zones.db');
    store = openStore(file);
    store.upsertSite({ id: 'S1', name: 'Zones office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });
    settings = { ...DEFAULT_PORT_SETTINGS, discoveryPort: await freeUdpPort(), discoveryMs: 300 };
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('records the zones of inspect, carries them to a re-check, and lets recheck --zones replace them', async () => {
    const flags = { ...base, db: file };
    const first = await runFromFlags(store, { flags: { ...flags, zones: '入口，沙盘区、洽谈区' }, kind: 'first', settings, log });
    expect(first.record.meta.zones).toEqual(['入口', '沙盘区', '洽谈区']);
    const carried = await runFromFlags(store, { flags, kind: 'recheck', settings, log });
    expect(carried.record.meta).toMatchObject({ kind: 'recheck', previousInspectionId: first.record.meta.id, zones: ['入口', '沙盘区', '洽谈区'] });
    const replaced = await runFromFlags(store, { flags: { ...flags, zones: '签约室' }, kind: 'recheck', settings, log });
    expect(replaced.record.meta).toMatchObject({ previousInspectionId: carried.record.meta.id, zones: ['签约室'] });
    expect(verifyStore(file).ok).toBe(true);
  });

  it('inspect --resume --zones records the zones named late; without --zones they stay', async () => {
    const open = (zones: readonly string[]): string => {
      const r = store.startInspection({
        siteId: 'S1', kind: 'first', caseNumber: 'R-1', zones, inspectors: ['T. Tester'], experts: [], representative: '', witness: '',
        toolkitVersion: 't', modelSha256: 'm', interfaceAddress: '127.0.0.1', subnet: '127.0.0.0/8',
      });
      if (!r.ok) throw new Error(r.error);
      return r.value;
    };
    const late = open(['入口']);
    const resumed = await runFromFlags(store, { flags: { ...base, db: file, resume: late, zones: '入口,签约室' }, kind: 'first', settings, log });
    expect(resumed.record.meta).toMatchObject({ id: late, zones: ['入口', '签约室'] });
    const kept = open(['入口']);
    const untouched = await runFromFlags(store, { flags: { ...base, db: file, resume: kept }, kind: 'first', settings, log });
    expect(untouched.record.meta).toMatchObject({ id: kept, zones: ['入口'] });
    expect(verifyStore(file).ok).toBe(true);
  });

  it('inspect --resume of an inspection opened before its network (as the terminal UI does) records this run\'s network', async () => {
    const r = store.startInspection({
      siteId: 'S1', kind: 'first', caseNumber: 'N-1', zones: [], inspectors: ['T. Tester'], experts: [], representative: '', witness: '',
      toolkitVersion: 't', modelSha256: 'm', interfaceAddress: '', subnet: null,
    });
    if (!r.ok) throw new Error(r.error);
    const resumed = await runFromFlags(store, { flags: { ...base, db: file, resume: r.value, sweep: '127.0.0.40/29' }, kind: 'first', settings, log });
    expect(resumed.record.meta).toMatchObject({ id: r.value, interfaceAddress: '127.0.0.1', subnet: '127.0.0.0/8, 127.0.0.40/29' });
    expect(verifyStore(file).ok).toBe(true);
  });
});
