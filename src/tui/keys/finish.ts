/** Keys of the finish screen, its signature form, and the re-check diff. */
import type { MessageKey } from '../../i18n/index.js';
import type { SignatureInput } from '../../visit/ports.js';
import { SIGNATURE_ROLES, type SignatureRole } from '../../visit/rules.js';
import type { Form, KeyPress, Update, VisitState } from '../visit-state.js';
import { choice, editForm, fieldValue, form, go, move } from './edit.js';

/** How the screens name each signature role. */
export const ROLE_LABEL: Readonly<Record<SignatureRole, MessageKey>> = {
  inspector: 'role.inspector',
  expert: 'role.expert',
  representative: 'signature.representative',
  witness: 'signature.witness',
};

/** Who signs the record, in which role, and whether they sign or refuse (refusals are recorded too). */
const signForm = (): Form =>
  form([
    ['col.name', ''],
    choice('col.role', SIGNATURE_ROLES.map((r) => ({ value: r, label: ROLE_LABEL[r] }))),
    choice('col.status', [
      { value: 'signed', label: 'signature.status.signed' },
      { value: 'refused', label: 'signature.status.refused' },
    ]),
    ['col.note', ''],
  ]);

export const onFinish = (s: VisitState, key: KeyPress): Update => {
  if (key.escape || key.input === 'q') return [go(s, 'checklist'), []];
  if (!s.concluded) return [s, []];
  if (key.input === 'h' || key.input === 'm') return [s, [{ type: 'write-report', format: key.input === 'h' ? 'html' : 'md', lang: s.lang }]];
  if (key.input === 'x') return [s, [{ type: 'export-bundle' }]];
  if (key.input === 's') return [{ ...s, screen: 'sign-form', form: signForm(), error: null }, []];
  if (key.input === 'r' && s.diff) return [go(s, 'recheck'), []];
  const moved = move(s, key, s.record?.findings.length ?? 0);
  return [moved ?? s, []];
};

export const onSignForm = (s: VisitState, f: Form, key: KeyPress): Update => {
  if (key.escape) return [{ ...s, screen: 'finish', form: null }, []];
  if (key.return) {
    if (f.focus < f.fields.length - 1) return [{ ...s, form: { ...f, focus: f.focus + 1 } }, []];
    const name = fieldValue(f, 0).trim();
    if (name === '') return [{ ...s, error: { key: 'sign.nameRequired' }, form: { ...f, focus: 0 } }, []];
    const note = fieldValue(f, 3).trim();
    const signature: SignatureInput = { name, role: fieldValue(f, 1), status: fieldValue(f, 2) === 'refused' ? 'refused' : 'signed', ...(note ? { note } : {}) };
    return [{ ...s, screen: 'finish', form: null, error: null }, [{ type: 'sign', signature }]];
  }
  const edited = editForm(f, key);
  return [edited ? { ...s, form: edited, error: null } : s, []];
};

export const onRecheck = (s: VisitState, key: KeyPress): Update => {
  if (key.escape || key.input === 'q') return [go(s, 'finish'), []];
  // Two heading rows (devices, verdicts) sit between the entries.
  const moved = move(s, key, (s.diff?.devices.length ?? 0) + (s.diff?.verdicts.length ?? 0) + 2);
  return [moved ?? s, []];
};

