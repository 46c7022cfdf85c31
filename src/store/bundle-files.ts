/**
 * Reading a bundle folder without ever following a link: the listing and every read stay inside the folder.
 */
import { closeSync, constants, fstatSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { err, ok, type Result } from '../core/result.js';

/**
 * Every regular file under the bundle folder, as manifest paths. Nothing is followed: a symbolic link (to `/`,
 * to a file outside) or any other special file inside a bundle makes it invalid, so verify and import only
 * ever read what the folder itself holds.
 */
export const listFiles = (dir: string): Result<string[], string> => {
  const out: string[] = [];
  const walk = (rel: string): string | null => {
    for (const e of readdirSync(join(dir, rel), { withFileTypes: true })) {
      const path = rel === '' ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) {
        const bad = walk(path);
        if (bad !== null) return bad;
      } else if (e.isFile()) out.push(path);
      else return `${path}: ${e.isSymbolicLink() ? 'a symbolic link inside the bundle (links are never followed)' : 'not a regular file'}`;
    }
    return null;
  };
  const bad = walk('');
  return bad === null ? ok(out) : err(bad);
};

/** A file of the bundle, opened without following a link (one swapped in after the listing is refused too). */
export const readBundleFile = (dir: string, path: string): Result<Buffer, string> => {
  try {
    const fd = openSync(join(dir, path), constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0));
    try {
      if (!fstatSync(fd).isFile()) return err(`${path}: not a regular file`);
      return ok(readFileSync(fd));
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    const code = typeof e === 'object' && e !== null && 'code' in e ? String(e.code) : '';
    return err(code === 'ENOENT' ? `${path}: listed in the manifest but missing` : code === 'ELOOP' ? `${path}: a symbolic link inside the bundle (links are never followed)` : `${path}: cannot be read (${code || String(e)})`);
  }
};

export const parseJson = (path: string, bytes: Buffer): Result<unknown, string> => {
  try {
    const value: unknown = JSON.parse(bytes.toString('utf8'));
    return ok(value);
  } catch (e) {
    return err(`${path}: not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
};
