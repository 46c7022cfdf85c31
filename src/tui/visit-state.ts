/**
 * The terminal UI's view state: what each screen shows and the messages and effects between the screens and the
 * controller. Plain data; the key handlers of each screen live in src/tui/keys/, the update function in state.ts.
 */
import type { ChecklistAnswer, DeviceRecord, InspectionMeta, InspectionRecord, Lang, Localized, SiteDetails } from '../core/record.js';
import type { DiscoveredDevice } from '../core/types.js';
import type { MessageKey } from '../i18n/index.js';
import type { RecheckDiff } from '../assess/recheck.js';
import type { VisitEvent } from '../visit/events.js';
import type { SignatureInput } from '../visit/ports.js';
import type { MissingDevice } from '../visit/rules.js';
import type { DeviceSnapshot } from './device-lines.js';
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
  | 'sign-form'
  | 'recheck';

export interface FormField {
  readonly label: MessageKey;
  readonly value: string;
  readonly masked: boolean;
  /** A field picked from these (←→), not typed; `value` is the chosen one's value. */
  readonly choices?: readonly { readonly value: string; readonly label: MessageKey }[];
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

export type { MissingDevice };

/** A signature as recorded: who, in which role, signed or refused, when. */
export type SignatureRow = SignatureInput & { readonly at: string };

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
  readonly error: { readonly key: MessageKey } | { readonly text: string } | null;
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
  readonly signatures: readonly SignatureRow[];
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
  | { readonly type: 'event'; readonly event: VisitEvent }
  | { readonly type: 'record'; readonly record: InspectionRecord; readonly missing: readonly MissingDevice[] }
  | {
      readonly type: 'resumed';
      readonly record: InspectionRecord;
      readonly previous: InspectionMeta | null;
      readonly missing: readonly MissingDevice[];
      readonly signatures: readonly SignatureRow[];
    }
  | { readonly type: 'signatures'; readonly signatures: readonly SignatureRow[] }
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
  | { readonly type: 'sign'; readonly signature: SignatureInput }
  | { readonly type: 'write-report'; readonly format: 'html' | 'md'; readonly lang: Lang }
  | { readonly type: 'export-bundle' }
  | { readonly type: 'quit' };

export type Update = readonly [VisitState, readonly Effect[]];

/** What belongs to one inspection: cleared when another one starts or resumes. */
export const freshVisit = {
  inspectionId: null,
  discovered: [],
  probe: {},
  snapshots: {},
  record: null,
  answers: {},
  missing: [],
  signatures: [],
  concluded: false,
  reportPaths: [],
  bundlePath: null,
  diff: null,
} satisfies Partial<VisitState>;

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
  discovering: false,
  discoverMs: 0,
  discoverProgress: null,
  auth: {},
  probing: false,
  deviceIndex: 0,
  ...freshVisit,
});

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

