/**
 * The first progress line of `inspect`/`recheck` says what was opened: a new first inspection, a new re-check,
 * or an unfinished one resumed (of which kind). Runs go through runFromFlags on a real SQLite file; discovery
 * listens on a private WS-Discovery port where nothing answers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFromFlags, type InspectionFlags } from '../../src/cli/inspection-command.js';
import { DEFAULT_PORT_SETTINGS } from '../../src/pipeline/ports.js';
import { freeUdpPort } from '../../src/sim/listen.js';
import { openStore, type Store } from '../../src/store/store.js';

describe('inspect progress: started or resumed', () => {
  let dir: string;
  let store: Store;
  let settings: typeof DEFAULT_PORT_SETTINGS;
  let flags: InspectionFlags;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'camaudit-progress-'));
    const file = join(dir, 'progress.db');
    store = openStore(file);
    store.upsertSite({ id: 'S1', name: 'Progress office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });
    settings = { ...DEFAULT_PORT_SETTINGS, discoveryPort: await freeUdpPort(), discoveryMs: 300 };
    flags = { db: file, site: 'S1', interface: ['127.0.0.1'], inspector: ['T. Tester'], expert: [], stream: false };
  });
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const firstLine = async (kind: 'first' | 'recheck', resume?: string): Promise<string | undefined> => {
    const lines: string[] = [];
    await runFromFlags(store, { flags: { ...flags, ...(resume === undefined ? {} : { resume }) }, kind, settings, log: (l) => lines.push(l) });
    return lines[0];
  };
  const open = (kind: 'first' | 'recheck', previousInspectionId: string | null): string => {
    const r = store.startInspection({
      siteId: 'S1', kind, ...(previousInspectionId === null ? {} : { previousInspectionId }), caseNumber: 'P-1', zones: [], inspectors: ['T. Tester'], experts: [],
      representative: '', witness: '', toolkitVersion: 't', modelSha256: 'm', interfaceAddress: '127.0.0.1', subnet: '127.0.0.0/8',
    });
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };

  it('new inspections say started, with their kind', async () => {
    expect(await firstLine('first')).toMatch(/^inspection \d+ started \(first inspection\) for site S1$/);
    expect(await firstLine('recheck')).toMatch(/^inspection \d+ started \(re-check\) for site S1$/);
  });

  it('inspect --resume says it resumed that inspection, of the kind it was opened as', async () => {
    const first = open('first', null);
    expect(await firstLine('first', first)).toBe(`inspection ${first} resumed (first inspection) for site S1`);
    const recheck = open('recheck', first);
    expect(await firstLine('first', recheck)).toBe(`inspection ${recheck} resumed (re-check) for site S1`);
  });
});
