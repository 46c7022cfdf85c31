/** `camaudit sign`: a signature or a refusal onto the record, through the visit engine; bad input is a usage error. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/store.js';
import { inspectionInput, site } from '../store/synth.js';

const run = promisify(execFile);
const cli = async (args: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
  try {
    const r = await run(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { timeout: 60_000 });
    return { code: 0, ...r };
  } catch (e) {
    const x = e as { code: number; stdout: string; stderr: string };
    return { code: x.code, stdout: x.stdout, stderr: x.stderr };
  }
};

let dir = '';
let db = '';
let id = '';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'camaudit-sign-'));
  db = join(dir, 'sign.db');
  const store = openStore(db);
  store.upsertSite(site);
  const started = store.startInspection(inspectionInput);
  if (!started.ok) throw new Error(started.error);
  id = started.value;
  store.close();
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('camaudit sign', () => {
  it('records a refusal with its note, and a signature, in order', async () => {
    const refused = await cli(['sign', '--db', db, '--inspection', id, '--name', '赵六', '--role', 'representative', '--status', 'refused', '--note', '需请示公司']);
    expect(refused).toMatchObject({ code: 0, stdout: `recorded the refusal to sign of 赵六 (representative) on inspection ${id}\n` });
    expect((await cli(['sign', '--db', db, '--inspection', id, '--name', '李明', '--role', 'inspector', '--status', 'signed'])).code).toBe(0);
    const store = openStore(db);
    try {
      expect(store.signatures(id).map(({ name, role, status, note }) => ({ name, role, status, note }))).toEqual([
        { name: '赵六', role: 'representative', status: 'refused', note: '需请示公司' },
        { name: '李明', role: 'inspector', status: 'signed', note: '' },
      ]);
    } finally {
      store.close();
    }
  });

  it.each([
    [['--role', 'boss', '--status', 'signed'], '--role must be one of inspector, expert, representative, witness, got "boss"'],
    [['--role', 'witness', '--status', 'maybe'], '--status must be signed or refused, got "maybe"'],
  ])('refuses %j with one line and exit 2', async (flags, message) => {
    const r = await cli(['sign', '--db', db, '--inspection', id, '--name', 'X', ...flags]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toContain(message);
  });

  it('refuses an unknown inspection and a missing database', async () => {
    const unknown = await cli(['sign', '--db', db, '--inspection', '999', '--name', 'X', '--role', 'witness', '--status', 'signed']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no inspection "999"');
    const missing = await cli(['sign', '--db', join(dir, 'nope.db'), '--inspection', id, '--name', 'X', '--role', 'witness', '--status', 'signed']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no database at');
  });
});
