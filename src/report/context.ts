/**
 * What a report needs besides the record. The rules catalog (src/rules) satisfies `RuleText`
 * structurally; reports take it as a parameter so they stay independent of how rules are stored.
 */
import type { InspectionRecord, Lang, Localized } from '../core/record.js';

export interface RuleText {
  readonly id: string;
  readonly title: Localized;
  /** Provisions as cited in RULES.md, e.g. `PIPL 28 ✔`. */
  readonly citations: readonly string[];
}

export type RuleCatalog = ReadonlyMap<string, RuleText>;

/** A blurred snapshot's bytes, read by the caller from the evidence store. */
export interface SnapshotBytes {
  readonly mime: string;
  readonly bytes: Uint8Array;
}

export interface ReportContext {
  readonly lang: Lang;
  readonly rules: RuleCatalog;
  /** Evidence id -> image bytes; snapshots without bytes are listed but not shown. */
  readonly snapshots?: ReadonlyMap<number, SnapshotBytes>;
  /** The inspection a re-check follows; with it the report includes the re-check diff. */
  readonly previous?: InspectionRecord;
}

export type ReportFormat = 'html' | 'md' | 'json';
