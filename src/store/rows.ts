/** Reading rows back: better-sqlite3 hands out `unknown`; these check each column once. */
import { isRecord } from './chain.js';

export type Row = Readonly<Record<string, unknown>>;

export const asRow = (x: unknown): Row => {
  if (!isRecord(x)) throw new Error('expected a row');
  return x;
};

export const text = (r: Row, c: string): string => {
  const v = r[c];
  if (typeof v !== 'string') throw new Error(`column ${c} is not text`);
  return v;
};

export const textOrNull = (r: Row, c: string): string | null => (r[c] === null ? null : text(r, c));

export const int = (r: Row, c: string): number => {
  const v = r[c];
  if (typeof v !== 'number' || !Number.isInteger(v)) throw new Error(`column ${c} is not an integer`);
  return v;
};

export const intOrNull = (r: Row, c: string): number | null => (r[c] === null ? null : int(r, c));

export const jsonStrings = (r: Row, c: string): string[] => {
  const v: unknown = JSON.parse(text(r, c));
  if (!Array.isArray(v) || !v.every((x): x is string => typeof x === 'string')) throw new Error(`column ${c} is not a string list`);
  return v;
};

export const jsonInts = (r: Row, c: string): number[] => {
  const v: unknown = JSON.parse(text(r, c));
  if (!Array.isArray(v) || !v.every((x): x is number => Number.isInteger(x))) throw new Error(`column ${c} is not an id list`);
  return v;
};
