/**
 * The database could not take a step: the disk is full, the file or its medium is read-only, it cannot
 * be opened, another process holds it, it is not a database, or a newer camaudit wrote it. SQLite rolls the step's transaction back,
 * so nothing is half-written; the message says what to do.
 */
export type StorageReason = 'full' | 'read-only' | 'cannot-open' | 'busy' | 'corrupt' | 'newer-schema';

const ADVICE: Readonly<Record<StorageReason, string>> = {
  full: 'the disk is full; nothing of the step in progress was written. Free space, then continue (camaudit inspect --resume ID, or reopen the visit)',
  'read-only': 'the file or its medium is read-only; nothing was written. Copy the database to a writable place, or choose another --db',
  'cannot-open': 'the database cannot be opened or created there; choose another --db',
  busy: 'another camaudit process holds the database; finish or close it, then try again',
  corrupt: 'the file is not a camaudit database or is damaged; check it with camaudit verify and use a copy',
  'newer-schema': 'the database was written by a newer camaudit; nothing was written. Update camaudit to record in it; report, verify, campaign and sites list can still read it',
};

export class StorageError extends Error {
  constructor(
    readonly reason: StorageReason,
    readonly file: string,
    readonly detail: string,
  ) {
    super(`${file}: ${ADVICE[reason]} (${detail})`);
    this.name = 'StorageError';
  }
}

const reasonOf = (code: string): StorageReason | null => {
  if (code === 'SQLITE_FULL' || code === 'ENOSPC') return 'full';
  if (code.startsWith('SQLITE_READONLY') || code === 'EROFS' || code === 'EACCES' || code === 'EPERM') return 'read-only';
  if (code.startsWith('SQLITE_CANTOPEN')) return 'cannot-open';
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) return 'busy';
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') return 'corrupt';
  return null;
};

/** A storage failure as a StorageError; anything else (a bug) is returned as null and rethrown by the caller. */
export const toStorageError = (e: unknown, file: string): StorageError | null => {
  if (e instanceof StorageError) return e;
  const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : null;
  const reason = code === null ? null : reasonOf(code);
  return reason === null ? null : new StorageError(reason, file, e instanceof Error ? e.message : String(e));
};

/** Run `fn`; a storage failure comes out as a StorageError. */
export const guardStorage = <T>(file: string, fn: () => T): T => {
  try {
    return fn();
  } catch (e) {
    throw toStorageError(e, file) ?? e;
  }
};
