/**
 * The camera-model catalog (inventories/camera-models.json): which product lines are sold with face
 * features. Context for the inspector only; a finding never rests on a catalog match alone, because
 * the same model ships with face functions off, and names are not used consistently.
 */
import { err, ok, type Result } from '../core/result.js';

export interface ModelEntry {
  readonly vendor: string;
  readonly pattern: RegExp;
  readonly line: string;
  readonly faceFeatures: readonly string[];
  readonly source: string;
  readonly certain: boolean;
}

const isObj = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);

export const decodeModelCatalog = (raw: unknown): Result<ModelEntry[], string> => {
  if (!Array.isArray(raw)) return err('model catalog: expected an array');
  const out: ModelEntry[] = [];
  for (const [i, x] of raw.entries()) {
    if (!isObj(x)) return err(`model catalog entry ${i}: expected an object`);
    const { vendor, pattern, line, faceFeatures, source, certain } = x;
    if (typeof vendor !== 'string' || typeof pattern !== 'string' || typeof line !== 'string' || typeof source !== 'string' || typeof certain !== 'boolean'
      || !Array.isArray(faceFeatures) || !faceFeatures.every((f): f is string => typeof f === 'string')) {
      return err(`model catalog entry ${i}: missing or mistyped field`);
    }
    let re: RegExp;
    try {
      re = new RegExp(pattern, 'i');
    } catch {
      return err(`model catalog entry ${i}: bad pattern ${pattern}`);
    }
    out.push({ vendor: vendor.toLowerCase(), pattern: re, line, faceFeatures, source, certain });
  }
  return ok(out);
};

/** Every entry that matches, most specific (listed first) first. Vendor is matched loosely. */
export const lookupModel = (catalog: readonly ModelEntry[], manufacturer: string | null, model: string | null): ModelEntry[] => {
  if (!model) return [];
  const m = model.trim();
  const vendor = (manufacturer ?? '').toLowerCase();
  return catalog.filter((e) => (!vendor || vendor.includes(e.vendor)) && e.pattern.test(m));
};
