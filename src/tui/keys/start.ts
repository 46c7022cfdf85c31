/** Keys of the start screen and the site and case forms. */
import { splitList } from '../../core/list.js';
import type { CaseInfo, Form, KeyPress, Update, VisitState } from '../visit-state.js';
import { editForm, editText, fieldValue, form, go, move } from './edit.js';

const siteForm = (): Form => form([['site.name', ''], ['field.address', ''], ['field.district', ''], ['field.developer', ''], ['field.contact', '']]);

export const caseForm = (c: CaseInfo | null, zones: readonly string[]): Form =>
  form([
    ['field.caseNumber', c?.caseNumber ?? ''],
    ['case.inspectors', c?.inspectors.join(', ') ?? ''],
    ['field.experts', c?.experts.join(', ') ?? ''],
    ['field.representative', c?.representative ?? ''],
    ['field.witness', c?.witness ?? ''],
    ['case.zones', zones.join(', ')],
  ]);

const startRows = (s: VisitState): number => s.unfinished.length + s.sites.length;

export const onStart = (s: VisitState, key: KeyPress): Update => {
  if (s.searching) {
    if (key.return || key.escape) return [{ ...s, searching: false }, []];
    const search = editText(s.search, key);
    if (search !== null) return [{ ...s, search, cursor: 0 }, [{ type: 'list-sites', search }]];
    return [s, []];
  }
  const moved = move(s, key, startRows(s));
  if (moved) return [moved, []];
  if (key.input === '/') return [{ ...s, searching: true }, []];
  if (key.input === 'n') return [go(s, 'site-form', { form: siteForm() }), []];
  if (key.input === 'q' || key.escape) return [s, [{ type: 'quit' }]];
  if (key.return) {
    const resume = s.unfinished[s.cursor];
    if (resume) return [s, [{ type: 'resume', inspectionId: resume.inspectionId }]];
    const site = s.sites[s.cursor - s.unfinished.length];
    if (site) return [s, [{ type: 'choose-site', siteId: site.id }]];
  }
  return [s, []];
};

export const onSiteForm = (s: VisitState, f: Form, key: KeyPress): Update => {
  if (key.escape) return [go(s, 'start', { form: null }), []];
  if (key.return) {
    if (f.focus < f.fields.length - 1) return [{ ...s, form: { ...f, focus: f.focus + 1 } }, []];
    const [name, address, district, developer, contact] = f.fields.map((x) => x.value.trim());
    if (!name) return [{ ...s, error: { key: 'site.name' }, form: { ...f, focus: 0 } }, []];
    return [s, [{ type: 'save-site', site: { name, address: address ?? '', district: district ?? '', developer: developer ?? '', contact: contact ?? '' } }]];
  }
  const edited = editForm(f, key);
  return [edited ? { ...s, form: edited } : s, []];
};

export const onCaseForm = (s: VisitState, f: Form, key: KeyPress): Update => {
  if (key.escape) return [go(s, 'start', { form: null, site: null, previous: null }), []];
  if (key.return) {
    if (f.focus < f.fields.length - 1) return [{ ...s, form: { ...f, focus: f.focus + 1 } }, []];
    const caseInfo: CaseInfo = {
      caseNumber: fieldValue(f, 0).trim(),
      inspectors: splitList(fieldValue(f, 1)),
      experts: splitList(fieldValue(f, 2)),
      representative: fieldValue(f, 3).trim(),
      witness: fieldValue(f, 4).trim(),
      zones: splitList(fieldValue(f, 5)),
    };
    if (caseInfo.caseNumber === '' || caseInfo.inspectors.length === 0) return [{ ...s, error: { key: 'case.required' }, form: { ...f, focus: 0 } }, []];
    // The inspection opens now, with the case details, so quitting before the network is chosen loses nothing.
    return [go(s, 'network', { form: null, caseInfo }), s.site ? [{ type: 'begin', site: s.site, previous: s.previous, caseInfo }] : []];
  }
  const edited = editForm(f, key);
  return [edited ? { ...s, form: edited, error: null } : s, []];
};

