/**
 * The shared writer against real special files made in a temp dir (never /dev itself): it replaces regular
 * files only, leaves every other node untouched and leaves no temporary file behind.
 */
import { spawnSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { prepareEmptyFolder, writeFileAtomic, writeRefusalMessage } from '../../src/io/write-file.js';

const isRoot = process.getuid?.() === 0;
let dir = '';
let server: Server | null = null;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-writer-'));
});
afterAll(() => {
  server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const leftovers = (folder: string): string[] => readdirSync(folder).filter((f) => f.endsWith('.tmp'));

describe('writeFileAtomic', () => {
  it('writes a new file and replaces a regular one, leaving no temporary file', () => {
    const target = join(dir, 'report.html');
    expect(writeFileAtomic(target, 'first')).toMatchObject({ ok: true, value: { bytes: 5 } });
    writeFileSync(join(dir, 'other'), 'x');
    expect(writeFileAtomic(target, new Uint8Array([1, 2, 3])).ok).toBe(true);
    expect([...readFileSync(target)]).toEqual([1, 2, 3]);
    expect(leftovers(dir)).toEqual([]);
  });

  it('refuses a FIFO without opening it (opening would block) and leaves it a FIFO', () => {
    const fifo = join(dir, 'pipe');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const r = writeFileAtomic(fifo, 'data');
    expect(r).toMatchObject({ ok: false, error: { kind: 'not-a-file', found: 'fifo' } });
    expect(lstatSync(fifo).isFIFO()).toBe(true);
    expect(leftovers(dir)).toEqual([]);
  });

  it('refuses a directory and a socket', async () => {
    const sub = join(dir, 'folder');
    mkdirSync(sub);
    expect(writeFileAtomic(sub, 'x')).toMatchObject({ ok: false, error: { kind: 'not-a-file', found: 'directory' } });
    expect(lstatSync(sub).isDirectory()).toBe(true);
    const sock = join(dir, 'sock');
    server = createServer();
    await new Promise<void>((resolve) => server?.listen(sock, resolve));
    expect(writeFileAtomic(sock, 'x')).toMatchObject({ ok: false, error: { kind: 'not-a-file', found: 'socket' } });
    expect(lstatSync(sock).isSocket()).toBe(true);
  });

  it('never follows a link at the target, even to a regular file outside the folder', () => {
    const outside = mkdtempSync(join(tmpdir(), 'camaudit-outside-'));
    try {
      writeFileSync(join(outside, 'victim'), 'keep me');
      const link = join(dir, 'link');
      symlinkSync(join(outside, 'victim'), link);
      expect(writeFileAtomic(link, 'overwritten')).toMatchObject({ ok: false, error: { kind: 'not-a-file', found: 'symlink' } });
      expect(readFileSync(join(outside, 'victim'), 'utf8')).toBe('keep me');
      expect(lstatSync(link).isSymbolicLink()).toBe(true);
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });

  it('names a missing folder and a file standing where the folder should be', () => {
    const r = writeFileAtomic(join(dir, 'no-such-folder', 'r.html'), 'x');
    expect(r).toMatchObject({ ok: false, error: { kind: 'no-folder', path: join(dir, 'no-such-folder') } });
    if (!r.ok) expect(writeRefusalMessage(r.error)).toBe(`the folder ${join(dir, 'no-such-folder')} does not exist; create it or choose another --out`);
    writeFileSync(join(dir, 'plain'), 'x');
    expect(writeFileAtomic(join(dir, 'plain', 'r.html'), 'x')).toMatchObject({ ok: false, error: { kind: 'not-a-folder', found: 'file' } });
  });

  it.runIf(isRoot)('refuses a character device node and leaves it with the same rdev', () => {
    const node = join(dir, 'chardev');
    // 1:3 is what /dev/null is: harmless even if something did write into it. Made here, never /dev itself.
    expect(spawnSync('mknod', [node, 'c', '1', '3']).status).toBe(0);
    const before = lstatSync(node);
    const r = writeFileAtomic(node, 'data');
    expect(r).toMatchObject({ ok: false, error: { kind: 'not-a-file', found: 'character-device' } });
    if (!r.ok) expect(writeRefusalMessage(r.error, 'zh-CN')).toContain('字符设备');
    const after = lstatSync(node);
    expect(after.isCharacterDevice()).toBe(true);
    expect({ rdev: after.rdev, ino: after.ino }).toEqual({ rdev: before.rdev, ino: before.ino });
  });
  it.runIf(!isRoot)('character-device check skipped: mknod needs root', () => {
    expect(isRoot).toBe(false);
  });
});

describe('prepareEmptyFolder', () => {
  it('creates a missing folder, accepts an empty one, refuses a non-empty one, a file and a link', () => {
    expect(prepareEmptyFolder(join(dir, 'b1', 'deep')).ok).toBe(true);
    expect(prepareEmptyFolder(join(dir, 'b1', 'deep')).ok).toBe(true);
    expect(prepareEmptyFolder(join(dir, 'b1'))).toMatchObject({ ok: false, error: { kind: 'folder-not-empty' } });
    writeFileSync(join(dir, 'afile'), 'x');
    expect(prepareEmptyFolder(join(dir, 'afile'))).toMatchObject({ ok: false, error: { kind: 'not-a-folder', found: 'file' } });
    symlinkSync('/', join(dir, 'rootlink'));
    expect(prepareEmptyFolder(join(dir, 'rootlink'))).toMatchObject({ ok: false, error: { kind: 'not-a-folder', found: 'symlink' } });
  });
});
