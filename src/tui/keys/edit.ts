/** Editing and moving shared by every screen's keys: forms, free text, the cursor, going to a screen. */
import type { MessageKey } from '../../i18n/index.js';
import type { Form, FormField, KeyPress, Screen, Update, VisitState } from '../visit-state.js';

export type { Update };

export const form = (fields: readonly (readonly [MessageKey, string] | readonly [MessageKey, string, 'masked'] | FormField)[]): Form => ({
  fields: fields.map((f) => ('label' in f ? f : { label: f[0], value: f[1], masked: f[2] === 'masked' })),
  focus: 0,
});

export const choice = (label: MessageKey, choices: readonly { readonly value: string; readonly label: MessageKey }[]): FormField => ({
  label,
  value: choices[0]?.value ?? '',
  masked: false,
  choices,
});

/** Printable text of a key chunk: a paste can carry newlines and escapes, which no field takes. */
// eslint-disable-next-line no-control-regex
const printable = (input: string): string => input.replace(/[\u0000-\u001f\u007f]/g, '');

export const fieldValue = (f: Form, i: number): string => f.fields[i]?.value ?? '';

/** Typing, deleting and moving between fields; returns null when the key is not an edit. */
export const editForm = (f: Form, key: KeyPress): Form | null => {
  const last = f.fields.length - 1;
  if (key.tab || key.downArrow) return { ...f, focus: Math.min(last, f.focus + 1) };
  if (key.upArrow) return { ...f, focus: Math.max(0, f.focus - 1) };
  const set = (value: string): Form => ({ ...f, fields: f.fields.map((x, i) => (i === f.focus ? { ...x, value } : x)) });
  const choices = f.fields[f.focus]?.choices;
  if (choices) {
    if (!key.leftArrow && !key.rightArrow) return null;
    const at = choices.findIndex((c) => c.value === fieldValue(f, f.focus));
    return set(choices[(at + (key.rightArrow ? 1 : choices.length - 1)) % choices.length]?.value ?? '');
  }
  if (key.backspace || key.delete) return set([...fieldValue(f, f.focus)].slice(0, -1).join(''));
  const text = printable(key.input);
  if (text !== '' && !key.ctrl && !key.return && !key.escape) return set(fieldValue(f, f.focus) + text);
  return null;
};

export const editText = (text: string, key: KeyPress): string | null => {
  if (key.backspace || key.delete) return [...text].slice(0, -1).join('');
  const typed = printable(key.input);
  if (typed !== '' && !key.ctrl && !key.return && !key.escape && !key.tab) return text + typed;
  return null;
};

export const move = (s: VisitState, key: KeyPress, count: number): VisitState | null => {
  if (key.upArrow) return { ...s, cursor: Math.max(0, s.cursor - 1) };
  if (key.downArrow) return { ...s, cursor: Math.max(0, Math.min(count - 1, s.cursor + 1)) };
  return null;
};

export const go = (s: VisitState, screen: Screen, extra: Partial<VisitState> = {}): VisitState => ({ ...s, screen, cursor: 0, error: null, ...extra });

