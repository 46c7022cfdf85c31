/**
 * Every command with --out goes through the shared writer: onto a FIFO, a folder, a character device node
 * (made in a temp dir, never /dev itself) or into a missing folder it exits 2 with one clear line, leaves
 * the node as it was and no temporary file behind.
 */
import { execFile, spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedStore } from '../store/synth.js';

const run = promisify(execFile);
const cli = (args: readonly string[]) => run(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { timeout: 60_000 });
const isRoot = process.getuid?.() === 0;

let dir = '';
let db = '';
let id = '';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-writers-'));
  db = join(dir, 'visit.db');
  id = seedStore(db);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const noTemporaries = (folder: string): void => expect(readdirSync(folder).filter((f) => f.endsWith('.tmp'))).toEqual([]);

describe('report --out', () => {
  it('onto a FIFO: exit 2, one line, still a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(cli(['report', '--db', db, '--inspection', id, '--out', fifo])).rejects.toMatchObject({
      code: 2, stderr: `camaudit: ${fifo} is a named pipe (FIFO), not a regular file: camaudit only replaces regular files; choose another --out\n`,
    });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    noTemporaries(dir);
  });

  it('onto an existing folder: exit 2 instead of EISDIR, no temporary file left', async () => {
    const folder = join(dir, 'reports');
    mkdirSync(folder);
    await expect(cli(['report', '--db', db, '--inspection', id, '--out', folder])).rejects.toMatchObject({
      code: 2, stderr: expect.stringMatching(/is a folder, not a regular file/),
    });
    expect(lstatSync(folder).isDirectory()).toBe(true);
    noTemporaries(dir);
  });

  it('into a missing folder: exit 2 naming it, not a raw ENOENT', async () => {
    const missing = join(dir, 'nope');
    await expect(cli(['report', '--db', db, '--inspection', id, '--out', join(missing, 'r.html')])).rejects.toMatchObject({
      code: 2, stderr: `camaudit: the folder ${missing} does not exist; create it or choose another --out\n`,
    });
  });

  it.runIf(isRoot)('onto a character device node: exit 2, same node, same rdev', async () => {
    const node = join(dir, 'chardev');
    expect(spawnSync('mknod', [node, 'c', '1', '3']).status).toBe(0);
    const before = lstatSync(node);
    await expect(cli(['report', '--db', db, '--inspection', id, '--format', 'md', '--out', node])).rejects.toMatchObject({
      code: 2, stderr: expect.stringMatching(/is a character device, not a regular file/),
    });
    const after = lstatSync(node);
    expect(after.isCharacterDevice()).toBe(true);
    expect({ rdev: after.rdev, ino: after.ino }).toEqual({ rdev: before.rdev, ino: before.ino });
    noTemporaries(dir);
  });
  it.runIf(!isRoot)('character-device check skipped: mknod needs root', () => {
    expect(isRoot).toBe(false);
  });

  it('still writes a regular file, replacing the one there', async () => {
    const out = join(dir, 'r.md');
    writeFileSync(out, 'old');
    await cli(['report', '--db', db, '--inspection', id, '--format', 'md', '--lang', 'en', '--out', out]);
    expect(lstatSync(out).size).toBeGreaterThan(100);
    noTemporaries(dir);
  });
});

describe('campaign --out', () => {
  it('onto a FIFO: exit 2, still a FIFO', async () => {
    const fifo = join(dir, 'campaign-pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    await expect(cli(['campaign', '--db', db, '--format', 'csv', '--out', fifo])).rejects.toMatchObject({ code: 2, stderr: expect.stringMatching(/named pipe/) });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
  });
});

describe('export --out', () => {
  it('onto a file: exit 2 instead of ENOTDIR, the file untouched', async () => {
    const file = join(dir, 'not-a-folder');
    writeFileSync(file, 'keep');
    await expect(cli(['export', '--db', db, '--inspection', id, '--out', file])).rejects.toMatchObject({
      code: 2, stderr: `camaudit: ${file} is a file, not a folder; choose another --out\n`,
    });
    expect(lstatSync(file).size).toBe(4);
  });

  it('into a non-empty folder: exit 2 (the bundle would fail its own import)', async () => {
    const folder = join(dir, 'busy');
    mkdirSync(folder);
    writeFileSync(join(folder, 'notes.txt'), 'x');
    await expect(cli(['export', '--db', db, '--inspection', id, '--out', folder])).rejects.toMatchObject({
      code: 2, stderr: `camaudit: the folder ${folder} is not empty; a bundle goes into a new or empty folder\n`,
    });
    expect(readdirSync(folder)).toEqual(['notes.txt']);
  });

  it('into a new folder, then imports', async () => {
    const folder = join(dir, 'bundle');
    await cli(['export', '--db', db, '--inspection', id, '--out', folder]);
    const { stdout } = await cli(['import', '--db', join(dir, 'campaign.db'), folder]);
    expect(stdout).toMatch(/imported as inspection 1/);
  });
});
