/**
 * The visit's state and its update function: (state, message) -> [state, effects]. Pure, so every
 * key and every pipeline event can be tested without ink. Effects are requests to the controller
 * (src/tui/controller.ts), which answers with messages; components only render state.
 */
import type { ChecklistAnswer, DeviceRecord, InspectionMeta, InspectionRecord, Lang, Localized, SiteDetails } from '../core/record.js';
import { describeError } from '../core/errors.js';
import { splitList } from '../core/list.js';
import type { DiscoveredDevice } from '../core/types.js';
import type { InspectionEvent } from '../pipeline/events.js';
import { isRange } from '../pipeline/scope.js';
import { removalChecklistItem, type RecheckDiff } from '../report/recheck-diff.js';
import { CHECKLIST_ITEMS } from '../rules/checklist-items.js';
import { deviceRows, type DeviceSnapshot } from './device-lines.js';
import { tt, type TuiKey } from './strings.js';
import type { ColourMode } from './terminal-colours.js';

export interface KeyPress {
  readonly input: string;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly leftArrow?: boolean;
  readonly rightArrow?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly tab?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly ctrl?: boolean;
}

export interface NetInterface {
  readonly name: string;
  readonly address: string;
  /** Address and prefix, e.g. 192.168.1.23/24: as a scope range it covers the whole subnet. */
  readonly cidr: string;
}

/** What the site form asks for: the site's details, without the id, version and campaign the store assigns. */
export type SiteInput = Omit<SiteDetails, 'id' | 'version' | 'campaign'>;

export interface CaseInfo {
  readonly caseNumber: string;
  readonly inspectors: readonly string[];
  readonly experts: readonly string[];
  readonly representative: string;
  readonly witness: string;
  readonly zones: readonly string[];
}

export interface ResumeRow {
  readonly inspectionId: string;
  readonly caseNumber: string;
  readonly siteName: string;
  readonly startedAt: string;
}

export type CredentialTarget =
  | { readonly kind: 'device'; readonly address: string }
  | { readonly kind: 'vendor'; readonly vendor: string }
  | { readonly kind: 'all' };

export type Screen =
  | 'start'
  | 'site-form'
  | 'case-form'
  | 'network'
  | 'discover'
  | 'credentials'
  | 'credential-form'
  | 'probe'
  | 'devices'
  | 'device'
  | 'checklist'
  | 'text-form'
  | 'finish'
  | 'recheck';

export interface FormField {
  readonly label: TuiKey;
  readonly value: string;
  readonly masked: boolean;
}

export interface Form {
  readonly fields: readonly FormField[];
  readonly focus: number;
}

export type AuthStatus = 'unknown' | 'set' | 'needed' | 'wrong' | 'ok';

export interface DeviceProgress {
  readonly calls: number;
  readonly lastAction: string | null;
  readonly frame: number;
  readonly of: number;
  readonly state: 'waiting' | 'running' | 'done' | 'failed';
  readonly error: string | null;
}

/** A device of the earlier inspection that did not answer this time: was it removed? */
export interface MissingDevice {
  readonly key: string;
  readonly label: string;
}

export interface ChecklistRow {
  readonly id: string;
  readonly question: Localized;
}

export interface Answer {
  readonly answer: ChecklistAnswer | null;
  readonly note: string;
  readonly photos: readonly string[];
}

export interface VisitState {
  readonly lang: Lang;
  /** What the terminal draws: snapshot previews need colours; null shows their paths only. */
  readonly colours: ColourMode | null;
  readonly screen: Screen;
  readonly cursor: number;
  /** A validation message (a key) or a failure reported by the controller (its text). */
  readonly error: { readonly key: TuiKey } | { readonly text: string } | null;
  readonly search: string;
  readonly searching: boolean;
  readonly sites: readonly SiteDetails[];
  readonly unfinished: readonly ResumeRow[];
  readonly site: SiteDetails | null;
  readonly previous: InspectionMeta | null;
  readonly form: Form | null;
  /** Which item a note/photos form edits. */
  readonly editing: { readonly item: string; readonly what: 'note' | 'photos' } | null;
  /** Which of `credentialTargets` (device, vendor when known, all) the credential form applies to. */
  readonly credentialScope: number;
  readonly caseInfo: CaseInfo | null;
  readonly interfaces: readonly NetInterface[];
  readonly sweep: string;
  readonly editingSweep: boolean;
  readonly inspectionId: string | null;
  readonly discovered: readonly DiscoveredDevice[];
  readonly discovering: boolean;
  readonly discoverMs: number;
  readonly discoverProgress: { readonly sent: number; readonly planned: number } | null;
  readonly auth: Readonly<Record<string, { readonly status: AuthStatus; readonly vendor: string | null }>>;
  readonly probing: boolean;
  readonly probe: Readonly<Record<string, DeviceProgress>>;
  /**
   * The blurred snapshots by device key: the file each was copied to (the bytes stay in the store)
   * and a small preview decoded from the stored bytes, held here in memory only.
   */
  readonly snapshots: Readonly<Record<string, readonly DeviceSnapshot[]>>;
  readonly record: InspectionRecord | null;
  /** The device the device view shows (the cursor scrolls its lines there). */
  readonly deviceIndex: number;
  readonly answers: Readonly<Record<string, Answer>>;
  readonly missing: readonly MissingDevice[];
  readonly concluded: boolean;
  readonly reportPaths: readonly string[];
  readonly bundlePath: string | null;
  readonly diff: RecheckDiff | null;
}

export type Msg =
  | { readonly type: 'key'; readonly key: KeyPress }
  | { readonly type: 'tick'; readonly elapsedMs: number }
  | { readonly type: 'sites'; readonly sites: readonly SiteDetails[]; readonly unfinished: readonly ResumeRow[] }
  | { readonly type: 'site-chosen'; readonly site: SiteDetails; readonly previous: InspectionMeta | null }
  | { readonly type: 'interfaces'; readonly interfaces: readonly NetInterface[] }
  | { readonly type: 'event'; readonly event: InspectionEvent }
  | { readonly type: 'record'; readonly record: InspectionRecord; readonly missing: readonly MissingDevice[] }
  | { readonly type: 'resumed'; readonly record: InspectionRecord; readonly previous: InspectionMeta | null; readonly missing: readonly MissingDevice[] }
  | { readonly type: 'concluded'; readonly record: InspectionRecord; readonly diff: RecheckDiff | null }
  | { readonly type: 'snapshots'; readonly snapshots: Readonly<Record<string, readonly DeviceSnapshot[]>> }
  | { readonly type: 'report'; readonly path: string }
  | { readonly type: 'bundle'; readonly path: string }
  | { readonly type: 'error'; readonly message: string };

export type Effect =
  | { readonly type: 'list-sites'; readonly search: string }
  | { readonly type: 'choose-site'; readonly siteId: string }
  | { readonly type: 'save-site'; readonly site: SiteInput }
  | { readonly type: 'resume'; readonly inspectionId: string }
  | { readonly type: 'begin'; readonly site: SiteDetails; readonly previous: InspectionMeta | null; readonly caseInfo: CaseInfo }
  | {
      readonly type: 'discover';
      readonly site: SiteDetails;
      readonly previous: InspectionMeta | null;
      readonly caseInfo: CaseInfo;
      readonly iface: NetInterface;
      readonly sweep: string | null;
    }
  | { readonly type: 'stop' }
  | { readonly type: 'set-credential'; readonly target: CredentialTarget; readonly username: string; readonly password: string }
  | { readonly type: 'probe'; readonly addresses: readonly string[] }
  | { readonly type: 'answer'; readonly item: string; readonly answer: ChecklistAnswer; readonly note: string; readonly photos: readonly string[] }
  | { readonly type: 'conclude' }
  | { readonly type: 'write-report'; readonly format: 'html' | 'md'; readonly lang: Lang }
  | { readonly type: 'export-bundle' }
  | { readonly type: 'quit' };

export type Update = readonly [VisitState, readonly Effect[]];

export const initialState = (lang: Lang, colours: ColourMode | null = null): VisitState => ({
  lang,
  colours,
  screen: 'start',
  cursor: 0,
  error: null,
  search: '',
  searching: false,
  sites: [],
  unfinished: [],
  site: null,
  previous: null,
  form: null,
  editing: null,
  credentialScope: 0,
  caseInfo: null,
  interfaces: [],
  sweep: '',
  editingSweep: false,
  inspectionId: null,
  discovered: [],
  discovering: false,
  discoverMs: 0,
  discoverProgress: null,
  auth: {},
  probing: false,
  probe: {},
  snapshots: {},
  record: null,
  deviceIndex: 0,
  answers: {},
  missing: [],
  concluded: false,
  reportPaths: [],
  bundlePath: null,
  diff: null,
});

const form = (fields: readonly (readonly [TuiKey, string] | readonly [TuiKey, string, 'masked'])[]): Form => ({
  fields: fields.map(([label, value, masked]) => ({ label, value, masked: masked === 'masked' })),
  focus: 0,
});

const siteForm = (): Form => form([['site.name', ''], ['site.address', ''], ['site.district', ''], ['site.developer', ''], ['site.contact', '']]);

const caseForm = (c: CaseInfo | null, zones: readonly string[]): Form =>
  form([
    ['case.caseNumber', c?.caseNumber ?? ''],
    ['case.inspectors', c?.inspectors.join(', ') ?? ''],
    ['case.experts', c?.experts.join(', ') ?? ''],
    ['case.representative', c?.representative ?? ''],
    ['case.witness', c?.witness ?? ''],
    ['case.zones', zones.join(', ')],
  ]);

/** Printable text of a key chunk: a paste can carry newlines and escapes, which no field takes. */
// eslint-disable-next-line no-control-regex
const printable = (input: string): string => input.replace(/[\u0000-\u001f\u007f]/g, '');

const fieldValue = (f: Form, i: number): string => f.fields[i]?.value ?? '';

/** Typing, deleting and moving between fields; returns null when the key is not an edit. */
const editForm = (f: Form, key: KeyPress): Form | null => {
  const last = f.fields.length - 1;
  if (key.tab || key.downArrow) return { ...f, focus: Math.min(last, f.focus + 1) };
  if (key.upArrow) return { ...f, focus: Math.max(0, f.focus - 1) };
  const set = (value: string): Form => ({ ...f, fields: f.fields.map((x, i) => (i === f.focus ? { ...x, value } : x)) });
  if (key.backspace || key.delete) return set([...fieldValue(f, f.focus)].slice(0, -1).join(''));
  const text = printable(key.input);
  if (text !== '' && !key.ctrl && !key.return && !key.escape) return set(fieldValue(f, f.focus) + text);
  return null;
};

const editText = (text: string, key: KeyPress): string | null => {
  if (key.backspace || key.delete) return [...text].slice(0, -1).join('');
  const typed = printable(key.input);
  if (typed !== '' && !key.ctrl && !key.return && !key.escape && !key.tab) return text + typed;
  return null;
};

const move = (s: VisitState, key: KeyPress, count: number): VisitState | null => {
  if (key.upArrow) return { ...s, cursor: Math.max(0, s.cursor - 1) };
  if (key.downArrow) return { ...s, cursor: Math.max(0, Math.min(count - 1, s.cursor + 1)) };
  return null;
};

const go = (s: VisitState, screen: Screen, extra: Partial<VisitState> = {}): VisitState => ({ ...s, screen, cursor: 0, error: null, ...extra });

/**
 * One row per service address (the IP where there is none), the latest result: a retry with the right
 * password can reveal a serial the first answer hid, so the store keeps it under a new key next to the
 * refused attempt. Not per IP: cameras behind one address (a simulated office, an NVR) are devices each.
 */
export const latestDevices = (record: InspectionRecord | null): DeviceRecord[] => [
  ...new Map((record?.devices ?? []).map((d) => [d.xaddr ?? d.address, d])).values(),
];

/** Devices the credential screen lists: those discovered, then any recorded earlier (a resumed visit). */
export const deviceAddresses = (s: VisitState): string[] => [
  ...new Set([...s.discovered.map((d) => d.address), ...(s.record?.devices.map((d) => d.address) ?? [])]),
];

const startRows = (s: VisitState): number => s.unfinished.length + s.sites.length;

const onStart = (s: VisitState, key: KeyPress): Update => {
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

const onSiteForm = (s: VisitState, f: Form, key: KeyPress): Update => {
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

const onCaseForm = (s: VisitState, f: Form, key: KeyPress): Update => {
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

const onNetwork = (s: VisitState, key: KeyPress): Update => {
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

const onDiscover = (s: VisitState, key: KeyPress): Update => {
  const moved = move(s, key, s.discovered.length);
  if (moved) return [moved, []];
  if (key.escape || key.input === 'q') return s.discovering ? [s, [{ type: 'stop' }]] : [go(s, 'network'), []];
  if (key.return && !s.discovering) return [go(s, 'credentials'), []];
  return [s, []];
};

const credentialForm = (): Form => form([['cred.user', 'admin'], ['cred.password', '', 'masked']]);

const onCredentials = (s: VisitState, key: KeyPress): Update => {
  const addresses = deviceAddresses(s);
  const moved = move(s, key, addresses.length);
  if (moved) return [moved, []];
  if (key.escape || key.input === 'q') return [go(s, s.record ? 'devices' : 'discover'), []];
  if (key.return && addresses[s.cursor]) return [{ ...s, screen: 'credential-form', form: credentialForm(), credentialScope: 0 }, []];
  // With no device at all, probing records that nothing answered and leads on to the checklist.
  if (key.input === 'p') {
    // Re-probe only what is not yet accepted; a first probe covers every device.
    const pending = addresses.filter((a) => s.auth[a]?.status !== 'ok');
    const targets = s.record ? pending : addresses;
    return [
      go(s, 'probe', { probing: true, probe: Object.fromEntries(targets.map((a) => [a, { calls: 0, lastAction: null, frame: 0, of: 0, state: 'waiting', error: null }])) }),
      [{ type: 'probe', addresses: targets }],
    ];
  }
  return [s, []];
};

/** The scope choices for the credential form, in order; the vendor one only when the vendor is known. */
export const credentialTargets = (s: VisitState): CredentialTarget[] => {
  const address = deviceAddresses(s)[s.cursor];
  if (address === undefined) return [];
  const vendor = s.auth[address]?.vendor;
  return [{ kind: 'device', address }, ...(vendor ? [{ kind: 'vendor' as const, vendor }] : []), { kind: 'all' }];
};

const onCredentialForm = (s: VisitState, f: Form, key: KeyPress): Update => {
  // The password never outlives the form: leaving it, either way, drops the typed text.
  if (key.escape) return [{ ...s, screen: 'credentials', form: null }, []];
  const targets = credentialTargets(s);
  if (key.leftArrow || key.rightArrow) {
    const step = key.rightArrow ? 1 : targets.length - 1;
    return [{ ...s, credentialScope: (s.credentialScope + step) % Math.max(1, targets.length) }, []];
  }
  if (key.return) {
    if (f.focus < f.fields.length - 1) return [{ ...s, form: { ...f, focus: f.focus + 1 } }, []];
    const target = targets[s.credentialScope] ?? targets[0];
    if (!target) return [s, []];
    const covered = deviceAddresses(s).filter(
      (a) => target.kind === 'all' || (target.kind === 'device' ? a === target.address : s.auth[a]?.vendor === target.vendor),
    );
    const auth = { ...s.auth };
    for (const a of covered) auth[a] = { status: 'set', vendor: s.auth[a]?.vendor ?? null };
    return [{ ...s, screen: 'credentials', form: null, auth }, [{ type: 'set-credential', target, username: fieldValue(f, 0), password: fieldValue(f, 1) }]];
  }
  const edited = editForm(f, key);
  return [edited ? { ...s, form: edited } : s, []];
};

const onDevices = (s: VisitState, key: KeyPress): Update => {
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

const onDevice = (s: VisitState, key: KeyPress): Update => {
  if (key.escape || key.input === 'q' || key.return) return [{ ...s, screen: 'devices', cursor: s.deviceIndex }, []];
  const device = latestDevices(s.record)[s.deviceIndex];
  if (!device) return [s, []];
  const rows = deviceRows({ lang: s.lang, device, evidence: s.record?.evidence ?? [], snapshots: s.snapshots[device.key] ?? [], colours: s.colours });
  return [move(s, key, rows.length) ?? s, []];
};

/**
 * The manual items, then on a re-check one question per earlier device that did not answer: only
 * the inspector's "yes, removed" lets the re-check call its findings rectified.
 */
export const checklistRows = (s: VisitState): ChecklistRow[] => [
  ...CHECKLIST_ITEMS,
  ...s.missing.map((m) => ({
    id: removalChecklistItem(m.key),
    question: { 'zh-CN': tt('zh-CN', 'check.removed', { device: m.label }), en: tt('en', 'check.removed', { device: m.label }) },
  })),
];

const ANSWER_KEYS: Readonly<Record<string, ChecklistAnswer>> = { y: 'yes', n: 'no', a: 'n/a' };

const answerOf = (s: VisitState, item: string): Answer => s.answers[item] ?? { answer: null, note: '', photos: [] };

const onChecklist = (s: VisitState, key: KeyPress): Update => {
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

const onTextForm = (s: VisitState, f: Form, key: KeyPress): Update => {
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

const onFinish = (s: VisitState, key: KeyPress): Update => {
  if (key.escape || key.input === 'q') return [go(s, 'checklist'), []];
  if (!s.concluded) return [s, []];
  if (key.input === 'h' || key.input === 'm') return [s, [{ type: 'write-report', format: key.input === 'h' ? 'html' : 'md', lang: s.lang }]];
  if (key.input === 'x') return [s, [{ type: 'export-bundle' }]];
  if (key.input === 'r' && s.diff) return [go(s, 'recheck'), []];
  const moved = move(s, key, s.record?.findings.length ?? 0);
  return [moved ?? s, []];
};

const onRecheck = (s: VisitState, key: KeyPress): Update => {
  if (key.escape || key.input === 'q') return [go(s, 'finish'), []];
  // Two heading rows (devices, verdicts) sit between the entries.
  const moved = move(s, key, (s.diff?.devices.length ?? 0) + (s.diff?.verdicts.length ?? 0) + 2);
  return [moved ?? s, []];
};

/** True while the focused element takes free text, so letters are typed rather than read as keys. */
const typing = (s: VisitState): boolean =>
  s.searching || s.editingSweep || s.screen === 'site-form' || s.screen === 'case-form' || s.screen === 'credential-form' || s.screen === 'text-form';

const onKey = (s: VisitState, key: KeyPress): Update => {
  if ((key.ctrl && key.input === 'l') || (key.input === 'L' && !typing(s))) return [{ ...s, lang: s.lang === 'zh-CN' ? 'en' : 'zh-CN' }, []];
  const f = s.form;
  switch (s.screen) {
    case 'start':
      return onStart(s, key);
    case 'site-form':
      return f ? onSiteForm(s, f, key) : [s, []];
    case 'case-form':
      return f ? onCaseForm(s, f, key) : [s, []];
    case 'network':
      return onNetwork(s, key);
    case 'discover':
      return onDiscover(s, key);
    case 'credentials':
      return onCredentials(s, key);
    case 'credential-form':
      return f ? onCredentialForm(s, f, key) : [s, []];
    case 'probe':
      return key.escape && s.probing ? [s, [{ type: 'stop' }]] : [s, []];
    case 'devices':
      return onDevices(s, key);
    case 'device':
      return onDevice(s, key);
    case 'checklist':
      return onChecklist(s, key);
    case 'text-form':
      return f ? onTextForm(s, f, key) : [s, []];
    case 'finish':
      return onFinish(s, key);
    case 'recheck':
      return onRecheck(s, key);
  }
};

const progressOf = (s: VisitState, address: string): DeviceProgress =>
  s.probe[address] ?? { calls: 0, lastAction: null, frame: 0, of: 0, state: 'waiting', error: null };

const withProgress = (s: VisitState, address: string, change: Partial<DeviceProgress>): VisitState => ({
  ...s,
  probe: { ...s.probe, [address]: { ...progressOf(s, address), ...change } },
});

const onEvent = (s: VisitState, e: InspectionEvent): VisitState => {
  switch (e.type) {
    case 'inspection-started':
      return { ...s, inspectionId: e.inspectionId };
    case 'device-found':
      return s.discovered.some((d) => d.address === e.device.address) ? s : { ...s, discovered: [...s.discovered, e.device], discoverMs: e.elapsedMs };
    case 'discovery-progress':
      return { ...s, discoverProgress: { sent: e.sent, planned: e.planned }, discoverMs: e.elapsedMs };
    case 'stage-done':
      if (e.stage === 'discover') return { ...s, discovering: false, discoverMs: e.ms };
      if (e.stage === 'probe') return { ...s, probing: false };
      return s;
    case 'probe-call':
      return withProgress(s, e.address, { state: 'running', calls: progressOf(s, e.address).calls + 1, lastAction: e.action });
    case 'auth-needed':
      return { ...s, auth: { ...s.auth, [e.address]: { status: e.failed ? 'wrong' : 'needed', vendor: e.vendor } } };
    case 'device-probed': {
      const vendor = e.config.device.manufacturer;
      const status = e.config.authenticated ? 'ok' : (s.auth[e.address]?.status ?? 'needed');
      return withProgress({ ...s, auth: { ...s.auth, [e.address]: { status, vendor } } }, e.address, { state: 'running' });
    }
    case 'stream-frame':
      return withProgress(s, e.address, { frame: e.frame, of: e.of });
    case 'stream-done':
      return withProgress(s, e.address, { frame: e.facts.frames, of: e.facts.frames });
    case 'device-error':
      return withProgress(s, e.address, { state: 'failed', error: describeError(e.error) });
    case 'recorded': {
      const address = e.what.replace(/^device /, '');
      const p = s.probe[address];
      return p && p.state !== 'failed' ? withProgress(s, address, { state: 'done' }) : s;
    }
    case 'stage-started':
    case 'inspection-done':
      return s;
  }
};

const answersOf = (record: InspectionRecord): Record<string, Answer> =>
  Object.fromEntries(record.checklist.map((c) => [c.item, { answer: c.answer, note: c.note, photos: c.photos }]));

/** What belongs to one inspection: cleared when another one starts or resumes. */
const freshVisit = {
  inspectionId: null,
  discovered: [],
  probe: {},
  snapshots: {},
  record: null,
  answers: {},
  missing: [],
  concluded: false,
  reportPaths: [],
  bundlePath: null,
  diff: null,
} satisfies Partial<VisitState>;

export const update = (s: VisitState, msg: Msg): Update => {
  switch (msg.type) {
    case 'key':
      return onKey(s, msg.key);
    case 'tick':
      return [s.discovering ? { ...s, discoverMs: msg.elapsedMs } : s, []];
    case 'sites':
      return [{ ...s, sites: msg.sites, unfinished: msg.unfinished, cursor: Math.min(s.cursor, Math.max(0, msg.sites.length + msg.unfinished.length - 1)) }, []];
    case 'site-chosen': {
      // A re-check starts from the zones of the inspection it follows: the same office is walked again.
      const zones = msg.previous?.zones ?? s.caseInfo?.zones ?? [];
      return [go(s, 'case-form', { ...freshVisit, site: msg.site, previous: msg.previous, form: caseForm(s.caseInfo, zones) }), []];
    }
    case 'interfaces':
      return [{ ...s, interfaces: msg.interfaces }, []];
    case 'event':
      return [onEvent(s, msg.event), []];
    case 'record':
      // A finished probe lands on the device table.
      return [s.screen === 'probe' ? go(s, 'devices', { record: msg.record, missing: msg.missing }) : { ...s, record: msg.record, missing: msg.missing }, []];
    case 'resumed':
      // An inspection opened at the case form and left before its network was chosen goes on from that choice.
      return [
        go(s, msg.record.meta.interfaceAddress === '' ? 'network' : 'devices', {
          ...freshVisit,
          record: msg.record,
          site: msg.record.site,
          previous: msg.previous,
          inspectionId: msg.record.meta.id,
          answers: answersOf(msg.record),
          missing: msg.missing,
          caseInfo: msg.record.meta,
        }),
        [],
      ];
    case 'concluded':
      return [{ ...s, record: msg.record, diff: msg.diff, concluded: true, cursor: 0 }, []];
    case 'snapshots':
      return [{ ...s, snapshots: msg.snapshots }, []];
    case 'report':
      return [{ ...s, reportPaths: [...s.reportPaths, msg.path] }, []];
    case 'bundle':
      return [{ ...s, bundlePath: msg.path }, []];
    case 'error':
      return [{ ...s, error: { text: msg.message }, discovering: false, probing: false }, []];
  }
};
