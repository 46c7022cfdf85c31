/**
 * The inspection record as the reports, the re-check and the TUI read it back from the store.
 * Plain data: the store builds it, pure code renders and compares it.
 */
import type { CallStatus, CaptureGrade, DeviceIdentity, FaceAssessment, VendorFacts } from './types.js';

export type Lang = 'zh-CN' | 'en';
export type Localized = Readonly<Record<Lang, string>>;

export interface SiteDetails {
  readonly id: string;
  /** Each edit adds a version; an inspection names the version it used. */
  readonly version: number;
  readonly name: string;
  readonly address: string;
  readonly district: string;
  readonly developer: string;
  readonly contact: string;
  readonly campaign: string | null;
}

export interface InspectionMeta {
  readonly id: string;
  readonly siteId: string;
  readonly siteVersion: number;
  readonly kind: 'first' | 'recheck';
  readonly previousInspectionId: string | null;
  readonly caseNumber: string;
  /**
   * The areas of the sales office the inspection covered (入口, 沙盘区, 洽谈区...), as the inspector named them:
   * the record says where the inspectors looked, so finding no camera is not read as "no camera anywhere".
   */
  readonly zones: readonly string[];
  readonly inspectors: readonly string[];
  readonly experts: readonly string[];
  readonly representative: string;
  readonly witness: string;
  readonly startedAt: string;
  readonly endedAt: string | null;
  readonly toolkitVersion: string;
  readonly modelSha256: string;
  readonly interfaceAddress: string;
  readonly subnet: string | null;
}

/**
 * Where the inspection looked from: every interface used and every range inspected, each list joined with ", "
 * (src/pipeline/plan.ts `networkFields` writes them). An empty interface: no network chosen yet.
 */
export type InspectionNetwork = Pick<InspectionMeta, 'interfaceAddress' | 'subnet'>;

/** What opening an inspection takes: its header, less what the store assigns (id, site version, times). */
export type InspectionStart = Omit<InspectionMeta, 'id' | 'siteVersion' | 'startedAt' | 'endedAt'>;

export interface EvidenceRef {
  readonly id: number;
  readonly kind: 'request' | 'response' | 'snapshot' | 'photo' | 'facts';
  /** The call (SOAP action or vendor path) or test that produced it. */
  readonly call: string;
  readonly deviceKey: string | null;
  readonly sha256: string;
  readonly bytes: number;
  readonly mime: string;
  readonly recordedAt: string;
}

export interface StreamSummary {
  readonly profile: string;
  readonly uri: string;
  readonly frames: number;
  readonly facesSeen: number;
  readonly maxEyeDistance: number | null;
  readonly medianFaceWidth: number | null;
  readonly captureGrade: CaptureGrade;
  readonly evidenceIds: readonly number[];
  readonly error: string | null;
}

export interface DeviceRecord {
  readonly key: string;
  readonly address: string;
  readonly xaddr: string | null;
  readonly macs: readonly string[];
  readonly identity: DeviceIdentity;
  readonly face: FaceAssessment;
  readonly streams: readonly StreamSummary[];
  /** Anonymous RTSP/snapshot access, default credentials... (facts that feed FR-SECURITY). */
  readonly securityNotes: readonly string[];
  readonly errors: readonly string[];
  readonly evidenceIds: readonly number[];
  /** Each call and the evidence rows holding its request and response (the store fills it). */
  readonly calls?: readonly CallEvidence[];
  /** Vendor API values (capability flags, cloud/P2P settings) the rules read. */
  readonly vendorFacts?: readonly VendorFacts[];
}

export interface CallEvidence {
  readonly action: string;
  readonly service: string;
  readonly status: CallStatus;
  readonly requestEvidenceId: number;
  readonly responseEvidenceId: number | null;
}

export type Severity = 'high' | 'medium' | 'low' | 'info';
export type Channel = 'ANA' | 'DEV' | 'STR' | 'NET' | 'MAN';

export interface Finding {
  readonly ruleId: string;
  readonly severity: Severity;
  readonly deviceKey: string | null;
  /** What was observed, never a verdict of guilt. */
  readonly observation: Localized;
  readonly evidenceIds: readonly number[];
}

export type ChecklistAnswer = 'yes' | 'no' | 'n/a';

export interface ChecklistEntry {
  readonly item: string;
  readonly answer: ChecklistAnswer;
  readonly note: string;
  readonly photos: readonly string[];
  readonly evidenceIds: readonly number[];
}

export interface InspectionRecord {
  readonly meta: InspectionMeta;
  readonly site: SiteDetails;
  readonly devices: readonly DeviceRecord[];
  readonly findings: readonly Finding[];
  readonly checklist: readonly ChecklistEntry[];
  readonly evidence: readonly EvidenceRef[];
  readonly notes: readonly { readonly at: string; readonly text: string }[];
  /** Hash of the last chain entry of this inspection, printed on the report so paper and file match. */
  readonly chainHead: string;
}
