/** Keys of the device table and the device view. */
import { deviceRows } from '../device-lines.js';
import type { KeyPress, Update, VisitState } from '../visit-state.js';
import { latestDevices } from '../visit-state.js';
import { go, move } from './edit.js';

export const onDevices = (s: VisitState, key: KeyPress): Update => {
  const moved = move(s, key, latestDevices(s.record).length);
  if (moved) return [moved, []];
  if (key.return && latestDevices(s.record)[s.cursor]) return [{ ...s, screen: 'device', deviceIndex: s.cursor, cursor: 0 }, []];
  if (key.input === 'k') return [go(s, 'credentials'), []];
  // Discover again (a resumed visit, a camera switched on late): same inspection, new answers added.
  if (key.input === 'd') return [go(s, 'network'), []];
  if (key.input === 'c') return [go(s, 'checklist'), []];
  if (key.escape || key.input === 'q') return [go(s, 'start'), [{ type: 'list-sites', search: s.search }]];
  return [s, []];
};

export const onDevice = (s: VisitState, key: KeyPress): Update => {
  if (key.escape || key.input === 'q' || key.return) return [{ ...s, screen: 'devices', cursor: s.deviceIndex }, []];
  const device = latestDevices(s.record)[s.deviceIndex];
  if (!device) return [s, []];
  const rows = deviceRows({ lang: s.lang, device, evidence: s.record?.evidence ?? [], snapshots: s.snapshots[device.key] ?? [], colours: s.colours });
  return [move(s, key, rows.length) ?? s, []];
};

