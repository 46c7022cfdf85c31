/** Pure display helpers shared by the screens: column fitting (CJK-aware), windows, bars, words. */
import { fitToWidth, type MessageKey } from '../i18n/index.js';
import type { Screen, VisitState } from './state.js';

/** The slice of a list to show so the cursor stays visible in `height` rows. */
export const windowOf = (count: number, cursor: number, height: number): { readonly start: number; readonly end: number } => {
  const rows = Math.max(1, height);
  const start = Math.max(0, Math.min(cursor - Math.floor(rows / 2), count - rows));
  return { start, end: Math.min(count, start + rows) };
};

/** Fixed-width columns joined by a space; widths in terminal columns, so CJK text lines up. */
export const row = (cells: readonly (readonly [string, number])[]): string => cells.map(([text, width]) => fitToWidth(text, width)).join(' ');

export const bar = (fraction: number, width: number): string => {
  const filled = Math.round(Math.max(0, Math.min(1, fraction)) * width);
  return '█'.repeat(filled) + '░'.repeat(width - filled);
};

/** The name a device gives in its discovery scopes (`onvif://www.onvif.org/name/DS-2CD%2FX`), decoded. */
export const scopeName = (scopes: readonly string[]): string => {
  const raw = scopes.find((x) => /\/(name|hardware)\//.test(x))?.split('/').pop() ?? '';
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
};

export const seconds = (ms: number): string => (ms / 1000).toFixed(1);

const STEP_OF: Readonly<Record<Screen, MessageKey>> = {
  start: 'step.start',
  'site-form': 'step.start',
  'case-form': 'step.start',
  network: 'step.network',
  discover: 'step.discover',
  credentials: 'step.credentials',
  'credential-form': 'step.credentials',
  probe: 'step.probe',
  devices: 'step.probe',
  device: 'step.probe',
  checklist: 'step.checklist',
  'text-form': 'step.checklist',
  finish: 'step.finish',
  'sign-form': 'step.finish',
  recheck: 'step.recheck',
};

export const STEPS: readonly MessageKey[] = [
  'step.start',
  'step.network',
  'step.discover',
  'step.credentials',
  'step.probe',
  'step.checklist',
  'step.finish',
  'step.recheck',
];

export const stepOf = (screen: Screen): MessageKey => STEP_OF[screen];

/** The keys the help line shows: always the ones that work on this screen right now. */
export const helpKeys = (s: VisitState): MessageKey[] => {
  const common: MessageKey[] = ['keys.back', 'keys.lang'];
  if (s.searching || s.editingSweep) return ['keys.next', 'keys.back', 'keys.langCtrl'];
  switch (s.screen) {
    case 'start':
      return ['keys.move', 'keys.select', 'keys.search', 'keys.newSite', 'keys.quit', 'keys.lang'];
    case 'site-form':
    case 'case-form':
    case 'text-form':
      return ['keys.field', 'keys.save', 'keys.back', 'keys.langCtrl'];
    case 'credential-form':
      return ['keys.field', 'keys.scope', 'keys.save', 'keys.back', 'keys.langCtrl'];
    case 'network':
      return ['keys.move', 'keys.select', 'keys.sweep', ...common];
    case 'discover':
      return s.discovering ? ['keys.cancel', 'keys.lang'] : ['keys.next', ...common];
    case 'credentials':
      return ['keys.move', 'keys.credential', 'keys.probe', ...common];
    case 'probe':
      return ['keys.cancel', 'keys.lang'];
    case 'devices':
      return ['keys.move', 'keys.view', 'keys.passwords', 'keys.rediscover', 'keys.checklist', ...common];
    case 'device':
      return ['keys.scroll', ...common];
    case 'checklist':
      return ['keys.move', 'keys.answer', 'keys.note', 'keys.photos', 'keys.finish', ...common];
    case 'finish':
      return ['keys.report', 'keys.bundle', 'keys.sign', ...(s.diff ? (['keys.recheck'] as const) : []), ...common];
    case 'sign-form':
      return ['keys.field', 'keys.choose', 'keys.save', 'keys.back', 'keys.langCtrl'];
    case 'recheck':
      return ['keys.scroll', ...common];
  }
};
