/** Flag checks that several commands share; each failure is a UsageError that says what was expected. */
import { existsSync } from 'node:fs';
import type { Lang } from '../core/record.js';
import { parseLang } from '../i18n/index.js';
import { defaultDbPath } from '../store/paths.js';
import { UsageError } from './exit.js';

export const langFlag = (raw: string): Lang => {
  const lang = parseLang(raw);
  if (lang === null) throw new UsageError(`--lang expects zh-CN or en, got "${raw}"`);
  return lang;
};

/** Said on standard error when a command reads a database a newer camaudit wrote (the store opened it read-only). */
export const newerSchemaNote = (file: string, version: number): string =>
  `camaudit: note: ${file} was written by a newer camaudit (schema v${version}); reading it only, nothing will be written to it\n`;

/** A database that must already exist: opening creates a missing file, which would only hide a typo. */
export const existingDb = (flag: string | undefined): string => {
  const file = flag ?? defaultDbPath();
  if (!existsSync(file)) throw new UsageError(`no database at ${file}`);
  return file;
};
