/** Keys of the checklist and its note/photos form. */
import type { ChecklistAnswer } from '../../core/record.js';
import { splitList } from '../../core/list.js';
import { t } from '../../i18n/index.js';
import { removalChecklistItem } from '../../assess/recheck.js';
import { CHECKLIST_ITEMS } from '../../rules/checklist-items.js';
import type { Answer, ChecklistRow, Form, KeyPress, Update, VisitState } from '../visit-state.js';
import { editForm, fieldValue, form, go, move } from './edit.js';

/**
 * The manual items, then on a re-check one question per earlier device that did not answer: only
 * the inspector's "yes, removed" lets the re-check call its findings rectified.
 */
export const checklistRows = (s: VisitState): ChecklistRow[] => [
  ...CHECKLIST_ITEMS,
  ...s.missing.map((m) => ({
    id: removalChecklistItem(m.key),
    question: { 'zh-CN': t('zh-CN', 'checklist.removed', { device: m.label }), en: t('en', 'checklist.removed', { device: m.label }) },
  })),
];

const ANSWER_KEYS: Readonly<Record<string, ChecklistAnswer>> = { y: 'yes', n: 'no', a: 'n/a' };

const answerOf = (s: VisitState, item: string): Answer => s.answers[item] ?? { answer: null, note: '', photos: [] };

export const onChecklist = (s: VisitState, key: KeyPress): Update => {
  const rows = checklistRows(s);
  const moved = move(s, key, rows.length);
  if (moved) return [moved, []];
  const item = rows[s.cursor];
  if (!item) return [s, []];
  const current = answerOf(s, item.id);
  const answer = ANSWER_KEYS[key.input];
  if (answer) {
    const next = { ...current, answer };
    return [
      { ...s, answers: { ...s.answers, [item.id]: next }, cursor: Math.min(rows.length - 1, s.cursor + 1) },
      [{ type: 'answer', item: item.id, answer, note: next.note, photos: next.photos }],
    ];
  }
  if (key.input === 'e' || key.input === 'f') {
    const what = key.input === 'e' ? 'note' : 'photos';
    const value = what === 'note' ? current.note : current.photos.join(', ');
    return [{ ...s, screen: 'text-form', editing: { item: item.id, what }, form: form([[what === 'note' ? 'check.editNote' : 'check.editPhotos', value]]) }, []];
  }
  if (key.input === 'F') return [go(s, 'finish', { concluded: false }), [{ type: 'conclude' }]];
  if (key.escape || key.input === 'q') return [go(s, 'devices'), []];
  return [s, []];
};

export const onTextForm = (s: VisitState, f: Form, key: KeyPress): Update => {
  if (key.escape || !s.editing) return [{ ...s, screen: 'checklist', form: null, editing: null }, []];
  if (key.return) {
    const { item, what } = s.editing;
    const current = answerOf(s, item);
    const next = what === 'note' ? { ...current, note: fieldValue(f, 0).trim() } : { ...current, photos: splitList(fieldValue(f, 0)) };
    const back = { ...s, screen: 'checklist' as const, form: null, editing: null, answers: { ...s.answers, [item]: next } };
    // A note on an unanswered item waits for the answer; the store keeps answers, not drafts.
    return [back, next.answer ? [{ type: 'answer', item, answer: next.answer, note: next.note, photos: next.photos }] : []];
  }
  const edited = editForm(f, key);
  return [edited ? { ...s, form: edited } : s, []];
};

