/** Keys of the network and discovery screens. */
import { isRange } from '../../pipeline/scope.js';
import type { KeyPress, Update, VisitState } from '../visit-state.js';
import { editText, go, move } from './edit.js';
import { caseForm } from './start.js';

export const onNetwork = (s: VisitState, key: KeyPress): Update => {
  if (s.editingSweep) {
    if (key.return || key.escape) return [{ ...s, editingSweep: false }, []];
    const sweep = editText(s.sweep, key);
    return [sweep !== null ? { ...s, sweep } : s, []];
  }
  const moved = move(s, key, s.interfaces.length);
  if (moved) return [moved, []];
  if (key.input === 's') return [{ ...s, editingSweep: true, error: null }, []];
  if (key.escape || key.input === 'q') {
    // Back to the case form, with what was typed, while no inspection is open (opening it failed). Once it is open
    // its case details are recorded: back to the device table when there is one, else to the start screen, which
    // offers the inspection for resumption.
    if (!s.inspectionId) return [go(s, 'case-form', { form: caseForm(s.caseInfo, s.caseInfo?.zones ?? []) }), []];
    return s.record ? [go(s, 'devices'), []] : [go(s, 'start'), [{ type: 'list-sites', search: s.search }]];
  }
  const iface = s.interfaces[s.cursor];
  if (key.return && iface && s.site && s.caseInfo) {
    const sweep = s.sweep.trim() === '' ? null : s.sweep.trim();
    // Refused here, before the network is recorded or a packet sent: the inspector corrects it on this screen.
    if (sweep !== null && !isRange(sweep)) return [{ ...s, error: { key: 'net.badSweep' } }, []];
    return [
      go(s, 'discover', { discovered: [], discovering: true, discoverMs: 0, discoverProgress: null }),
      [{ type: 'discover', site: s.site, previous: s.previous, caseInfo: s.caseInfo, iface, sweep }],
    ];
  }
  return [s, []];
};

export const onDiscover = (s: VisitState, key: KeyPress): Update => {
  const moved = move(s, key, s.discovered.length);
  if (moved) return [moved, []];
  if (key.escape || key.input === 'q') return s.discovering ? [s, [{ type: 'stop' }]] : [go(s, 'network'), []];
  if (key.return && !s.discovering) return [go(s, 'credentials'), []];
  return [s, []];
};

