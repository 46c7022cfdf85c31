/**
 * What a report needs besides the record. The rules catalog (src/rules `RULES`) satisfies `RuleText`
 * structurally; reports take it as a parameter so they stay independent of how rules are stored.
 */
import type { InspectionRecord, Lang, Localized } from '../core/record.js';

export interface CitationText {
  /** The instrument's short name (`PIPL`, `个人信息保护法`). */
  readonly law: Localized;
  readonly article: string;
  /** RULES.md's verification mark: ✔ checked, ◐ partly checked, ✘ not verified. */
  readonly mark: string;
}

export interface RuleText {
  readonly id: string;
  readonly title: Localized;
  readonly citations: readonly CitationText[];
}

export type RuleCatalog = ReadonlyMap<string, RuleText>;

export const ruleCatalog = (rules: readonly RuleText[]): RuleCatalog => new Map(rules.map((r) => [r.id, r]));

/** A signature or a refusal to sign, as recorded in the store. */
export interface SignatureEntry {
  readonly name: string;
  readonly role: string;
  readonly status: 'signed' | 'refused';
  readonly note?: string;
  readonly at: string;
}

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
  /** Checklist item id -> its question (src/rules `CHECKLIST_ITEMS`); unknown ids show as ids only. */
  readonly checklistQuestions?: ReadonlyMap<string, Localized>;
  /** Signatures and refusals recorded so far; the blank signature lines are printed regardless. */
  readonly signatures?: readonly SignatureEntry[];
}

export type ReportFormat = 'html' | 'md' | 'json';
