/**
 * The canonical form of a stored row: what the hash chain commits to and what a bundle carries.
 * Every column is tagged with its SQLite storage class, so a value that changes type (TEXT '1' to
 * INTEGER 1) changes the hash; a BLOB is represented by its sha256 so evidence bytes are covered
 * without keeping them in the chain.
 */
import { createHash } from 'node:crypto';

export type CanonicalValue =
  | null
  | { readonly t: string }
  | { readonly i: string }
  | { readonly r: number }
  | { readonly b: string };

export type CanonicalRow = Readonly<Record<string, CanonicalValue>>;

export const sha256Hex = (data: Uint8Array | string): string => createHash('sha256').update(data).digest('hex');

export const canonicalValue = (v: unknown): CanonicalValue => {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return { t: v };
  if (typeof v === 'bigint') return { i: v.toString() };
  if (typeof v === 'number') return Number.isInteger(v) ? { i: String(v) } : { r: v };
  if (v instanceof Uint8Array) return { b: sha256Hex(v) };
  throw new TypeError(`unexpected SQLite value of type ${typeof v}`);
};

/** Columns sorted by name so the hash does not depend on the declared column order. */
export const canonicalRow = (row: Readonly<Record<string, unknown>>): CanonicalRow => {
  const out: Record<string, CanonicalValue> = {};
  for (const key of Object.keys(row).sort()) out[key] = canonicalValue(row[key]);
  return out;
};

export const rowHash = (table: string, row: CanonicalRow): string => {
  const sorted = Object.keys(row).sort().map((k) => [k, row[k] ?? null]);
  return sha256Hex(JSON.stringify([table, sorted]));
};

export const GENESIS_HASH = '0'.repeat(64);

export interface ChainLink {
  readonly seq: number;
  readonly tbl: string;
  readonly rowId: number;
  readonly rowHash: string;
  readonly prevHash: string;
}

export const entryHash = (l: ChainLink): string =>
  sha256Hex(`${l.prevHash}\n${l.seq}\n${l.tbl}\n${l.rowId}\n${l.rowHash}`);
