/**
 * The one way an inspection record becomes a report, for `camaudit report`, the terminal UI and the demo: the
 * render input is assembled here (the record, the inspection it re-checks, the checklist questions, the
 * signatures, the blurred snapshots for HTML) and rendered by the pure report code.
 */
import type { Lang } from '../core/record.js';
import { err, ok, type Result } from '../core/result.js';
import { renderInspection, ruleCatalog, type ReportFormat } from '../report/index.js';
import { RULES } from '../rules/catalog.js';
import { CHECKLIST_ITEMS } from '../rules/checklist-items.js';
import type { VisitStore } from './ports.js';

export type ReportSource = Pick<VisitStore, 'loadInspection' | 'evidenceBlob' | 'signatures'>;

export interface ReportRequest {
  readonly format: ReportFormat;
  readonly lang: Lang;
}

const CHECKLIST_QUESTIONS = new Map(CHECKLIST_ITEMS.map((i) => [i.id, i.question]));

/** The report text; an unknown inspection is an error value. Snapshot bytes are read only for HTML, which embeds them. */
export const renderReport = (store: ReportSource, inspectionId: string, request: ReportRequest): Result<string, string> => {
  const record = store.loadInspection(inspectionId);
  if (record === null) return err(`no inspection "${inspectionId}"`);
  const previousId = record.meta.previousInspectionId;
  const previous = previousId === null ? null : store.loadInspection(previousId);
  const snapshots = new Map(
    request.format !== 'html'
      ? []
      : record.evidence.flatMap((e) => {
          const bytes = e.kind === 'snapshot' ? store.evidenceBlob(e.id) : null;
          return bytes === null ? [] : [[e.id, { mime: e.mime, bytes }] as const];
        }),
  );
  return ok(
    renderInspection(record, request.format, {
      lang: request.lang,
      rules: ruleCatalog(RULES),
      snapshots,
      checklistQuestions: CHECKLIST_QUESTIONS,
      signatures: store.signatures(inspectionId),
      ...(previous ? { previous } : {}),
    }),
  );
};
