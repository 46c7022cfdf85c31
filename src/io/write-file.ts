/**
 * The one way camaudit writes a file it produces (reports, campaign tables, bundles, snapshots): a temporary
 * file beside the target, fsync, rename, so a reader never sees half a file and a crash leaves the old one.
 * What stands at the target is looked at first, never opened: renaming over a FIFO or a device node would
 * unlink it (the issue this answers), opening one would block or write into the device. Only a regular file
 * is replaced; a link is refused rather than followed, so nothing lands outside the folder chosen.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, constants, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync, writeSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import type { Lang } from '../core/record.js';
import { err, ok, type Result } from '../core/result.js';
import { t } from '../i18n/index.js';

export type FileKind = 'directory' | 'fifo' | 'character-device' | 'block-device' | 'socket' | 'symlink' | 'other';

export type WriteRefusal =
  /** Something that is not a regular file stands at the target. */
  | { readonly kind: 'not-a-file'; readonly path: string; readonly found: FileKind }
  /** The folder the target goes into does not exist. */
  | { readonly kind: 'no-folder'; readonly path: string }
  /** The target's folder (or a folder to write into) is not a folder. */
  | { readonly kind: 'not-a-folder'; readonly path: string; readonly found: FileKind | 'file' }
  /** A bundle goes into a new or empty folder only: stray files would fail its verification. */
  | { readonly kind: 'folder-not-empty'; readonly path: string }
  /** The system refused the write itself (disk full, read-only medium, permissions). */
  | { readonly kind: 'failed'; readonly path: string; readonly code: string; readonly detail: string };

const kindOf = (s: Stats): FileKind | 'file' =>
  s.isFile() ? 'file'
  : s.isDirectory() ? 'directory'
  : s.isSymbolicLink() ? 'symlink'
  : s.isFIFO() ? 'fifo'
  : s.isCharacterDevice() ? 'character-device'
  : s.isBlockDevice() ? 'block-device'
  : s.isSocket() ? 'socket'
  : 'other';

/** (l)stat that says "nothing there" as null; any other failure is the caller's to report. */
const orNull = (fn: (path: string) => Stats) => (path: string): Stats | null => {
  try {
    return fn(path);
  } catch (e) {
    // ENOTDIR: a file stands where a folder of the path should be, so nothing is there either.
    if (codeOf(e) === 'ENOENT' || codeOf(e) === 'ENOTDIR') return null;
    throw e;
  }
};
const lstatOrNull = orNull((p) => lstatSync(p));
const statOrNull = orNull((p) => statSync(p));

const codeOf = (e: unknown): string => (typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : 'EIO');

const failed = (path: string, e: unknown): WriteRefusal => ({ kind: 'failed', path, code: codeOf(e), detail: e instanceof Error ? e.message : String(e) });

/** The target's standing: null when it may be written (absent, or a regular file). */
const checkTarget = (target: string): WriteRefusal | null => {
  const folder = dirname(target);
  // The folder may be a link the user chose (/tmp on macOS): what it resolves to counts; the target does not.
  const f = statOrNull(folder);
  if (f === null) return { kind: 'no-folder', path: folder };
  if (!f.isDirectory()) return { kind: 'not-a-folder', path: folder, found: kindOf(f) };
  const s = lstatOrNull(target);
  if (s === null) return null;
  const kind = kindOf(s);
  return kind === 'file' ? null : { kind: 'not-a-file', path: target, found: kind };
};

const syncFolder = (folder: string): void => {
  // A directory cannot be opened for fsync on Windows; the rename is as durable as NTFS makes it.
  if (process.platform === 'win32') return;
  const fd = openSync(folder, constants.O_RDONLY);
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
};

/**
 * Writes `data` to `target`: refused (and nothing touched) unless the target is absent or a regular file and
 * its folder exists. The temporary file is created exclusively and never through a link.
 */
export const writeFileAtomic = (target: string, data: string | Uint8Array): Result<{ readonly path: string; readonly bytes: number }, WriteRefusal> => {
  const path = resolve(target);
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  let refusal: WriteRefusal | null;
  try {
    refusal = checkTarget(path);
  } catch (e) {
    return err(failed(path, e));
  }
  if (refusal) return err(refusal);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let created = false;
  try {
    const fd = openSync(tmp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o666);
    created = true;
    try {
      for (let off = 0; off < bytes.byteLength; ) off += writeSync(fd, bytes, off, bytes.byteLength - off);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    // Looked at again just before the rename: a node made meanwhile is still never replaced.
    const late = checkTarget(path);
    if (late) {
      rmSync(tmp, { force: true });
      return err(late);
    }
    renameSync(tmp, path);
    created = false;
    syncFolder(dirname(path));
    return ok({ path, bytes: bytes.byteLength });
  } catch (e) {
    if (created) rmSync(tmp, { force: true });
    return err(failed(path, e));
  }
};

/**
 * A folder to fill with new files (a bundle): created when absent (with its parents), accepted when it is an
 * empty folder, refused when it is anything else, a link to a folder included.
 */
export const prepareEmptyFolder = (dir: string): Result<string, WriteRefusal> => {
  const path = resolve(dir);
  try {
    const s = lstatOrNull(path);
    if (s === null) {
      mkdirSync(path, { recursive: true });
      return ok(path);
    }
    if (!s.isDirectory()) return err({ kind: 'not-a-folder', path, found: kindOf(s) });
    if (readdirSync(path).length > 0) return err({ kind: 'folder-not-empty', path });
    return ok(path);
  } catch (e) {
    return err(failed(path, e));
  }
};

/** One line for the person at the keyboard, in their language. */
export const writeRefusalMessage = (r: WriteRefusal, lang: Lang = 'en'): string => {
  switch (r.kind) {
    case 'not-a-file':
      return t(lang, 'write.notAFile', { path: r.path, found: t(lang, `write.kind.${r.found}`) });
    case 'no-folder':
      return t(lang, 'write.noFolder', { path: r.path });
    case 'not-a-folder':
      return t(lang, 'write.notAFolder', { path: r.path, found: t(lang, `write.kind.${r.found}`) });
    case 'folder-not-empty':
      return t(lang, 'write.folderNotEmpty', { path: r.path });
    case 'failed':
      return t(lang, 'write.failed', { path: r.path, detail: r.detail });
  }
};
