/**
 * Domain types shared by the pipeline stages: discover -> probe -> assess -> record -> report.
 * Wire types (ONVIF names) live in src/onvif; these are ours. Every stage's output is plain data
 * (JSON-serialisable except raw byte buffers), so the store and the reports can keep it as evidence.
 */
import type { ProbeError } from './errors.js';

/** A decoded picture (a camera frame, a snapshot, a preview): packed 8-bit RGB, row-major, no padding. */
export interface RgbFrame {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array;
}

/** One answer of discovery: what `camaudit scan --json` prints. */
export interface DiscoveredDevice {
  readonly address: string;
  readonly xaddrs: readonly string[];
  /** WS-Addressing endpoint reference (urn:uuid:...), or `sweep:<address>` when none was given. */
  readonly endpoint: string;
  readonly scopes: readonly string[];
  readonly via: 'ws-discovery' | 'sweep';
  /** The interface address the answer arrived on. */
  readonly interface?: string;
  /** Anything odd about the answer (XAddr in another subnet, NAT'd port, empty scopes...). */
  readonly quirks?: readonly string[];
}

export interface DeviceIdentity {
  readonly manufacturer: string | null;
  readonly model: string | null;
  readonly firmware: string | null;
  readonly serial: string | null;
  readonly hardwareId: string | null;
}

export interface ServiceEntry {
  readonly namespace: string;
  readonly xaddr: string;
  readonly version: string | null;
}

export interface CameraProfile {
  readonly token: string;
  readonly name: string | null;
  readonly encoder: string | null;
  readonly width: number | null;
  readonly height: number | null;
  /** Stream URI as the device gave it, credentials never embedded. */
  readonly rtsp: string | null;
  readonly snapshot: string | null;
  readonly analyticsToken: string | null;
}

/** An ONVIF analytics module or rule (configured or merely supported). */
export interface AnalyticsItem {
  readonly kind: 'module' | 'rule' | 'supported-module' | 'supported-rule';
  readonly name: string;
  /** The type as written (`tt:FaceDetector`, `hikxsd:TamperEngine`). */
  readonly type: string;
  /** Namespace URI the type's prefix resolved to, or null when the prefix was undeclared. */
  readonly typeNamespace: string | null;
  readonly parameters: Readonly<Record<string, string>>;
  /** The configuration token it belongs to, when known. */
  readonly configToken: string | null;
  /** The call whose response showed it (GetProfiles, GetRules...), to find the evidence. */
  readonly call?: string;
}

/** Where a face verdict comes from. */
export type FaceSource =
  | 'onvif-module'
  | 'onvif-rule'
  | 'onvif-supported-module'
  | 'onvif-supported-rule'
  | 'event-topic'
  | 'profile-analytics'
  | 'metadata'
  | 'hikvision-isapi'
  | 'dahua-cgi';

export interface FaceReason {
  readonly source: FaceSource;
  /** The raw name that matched (module name, rule type, topic path, flag name). */
  readonly name: string;
  /** The pattern that matched it, as text (e.g. `/face/i`). */
  readonly pattern: string;
  /** What this reason says: the device can do it (`supported`) or does it now (`enabled`). */
  readonly bears: 'supported' | 'enabled' | 'disabled';
  /** The call whose response shows it (action name), to find the evidence. */
  readonly call: string | null;
  readonly detail?: string;
}

export interface FaceAssessment {
  /** true: can detect/capture/recognise faces; false: evidence says it cannot; null: unknown. */
  readonly supported: boolean | null;
  readonly enabled: boolean | null;
  readonly reasons: readonly FaceReason[];
}

export type CallStatus = 'ok' | 'fault' | 'unsupported' | 'auth-failed' | 'error' | 'refused';

/** One request/response exchange with a device, kept as evidence. */
export interface CallRecord {
  readonly action: string;
  readonly service: string;
  readonly url: string;
  readonly status: CallStatus;
  readonly ms: number;
  /** sha256 (hex) of the raw response bytes, null when nothing came back. */
  readonly sha256: string | null;
  readonly requestSha256: string;
  readonly startedAt: string;
  /** Raw request with the password digest and nonce removed. */
  readonly request: string;
  /** Raw response bytes exactly as received (capped). */
  readonly response: Uint8Array | null;
  readonly error: ProbeError | null;
}

export interface VendorFacts {
  readonly vendor: 'hikvision' | 'dahua';
  /** Flat key/value facts read from the vendor API (capability flags, rule types...). */
  readonly values: Readonly<Record<string, string>>;
}

export interface NetworkFacts {
  readonly macs: readonly string[];
  readonly addresses: readonly string[];
}

/** What a device's configuration says, as read (src/onvif/probe.ts); the engine's assess stage adds `face`. */
export type DeviceFacts = Omit<ConfigProbe, 'face'>;

/** A device's configuration facts with their face assessment (src/assess/config.ts `assessConfig`). */
export interface ConfigProbe {
  readonly xaddr: string;
  readonly address: string;
  readonly probedAt: string;
  readonly device: DeviceIdentity;
  readonly services: readonly ServiceEntry[];
  readonly scopes: readonly string[];
  readonly network: NetworkFacts;
  readonly profiles: readonly CameraProfile[];
  readonly analytics: readonly AnalyticsItem[];
  readonly eventTopics: readonly string[];
  readonly vendor: readonly VendorFacts[];
  /** Device clock minus ours, from the unauthenticated GetSystemDateAndTime. */
  readonly clockOffsetMs: number | null;
  readonly authenticated: boolean;
  readonly face: FaceAssessment;
  readonly calls: readonly CallRecord[];
  readonly errors: readonly { readonly action: string; readonly error: ProbeError }[];
}

export interface DetectedFace {
  /** [x, y, width, height] in source-image pixels. */
  readonly box: readonly [number, number, number, number];
  readonly score: number;
  /** Distance between the eye keypoints, in source-image pixels. */
  readonly eyeDistance: number;
  /** [x, y] of right eye, left eye, nose, mouth, right ear, left ear. */
  readonly keypoints: readonly (readonly [number, number])[];
}

/** Whether faces reach a size an operator or a matcher could recognise. */
export type CaptureGrade = 'recognisable' | 'marginal' | 'too-small' | 'no-faces' | 'no-frames';

export interface EvidenceImage {
  readonly sha256: string;
  readonly width: number;
  readonly height: number;
  readonly facesBlurred: number;
  readonly mime: 'image/jpeg';
  /** Blurred image bytes; raw frames never leave memory. */
  readonly bytes: Uint8Array;
  readonly file?: string;
}

/** What the stream test saw. */
export interface StreamFacts {
  readonly uri: string;
  readonly source: 'rtsp' | 'snapshot';
  readonly frames: number;
  readonly windowMs: number;
  readonly facesPerFrame: readonly number[];
  readonly facesSeen: number;
  readonly maxEyeDistance: number | null;
  readonly medianEyeDistance: number | null;
  readonly largestFaceWidth: number | null;
  readonly medianFaceWidth: number | null;
  /** Variance of the Laplacian over detected face regions (or the frame when none). */
  readonly sharpness: number | null;
  readonly captureGrade: CaptureGrade;
  readonly evidence: readonly EvidenceImage[];
  readonly error: ProbeError | null;
}

/** One device's whole result within an inspection. */
export interface DeviceResult {
  readonly discovered: DiscoveredDevice | null;
  readonly config: ConfigProbe | null;
  readonly streams: readonly StreamFacts[];
  readonly error: ProbeError | null;
  /**
   * Access-control facts only the pipeline knows (it holds the credentials): `anonymous-rtsp`,
   * `anonymous-snapshot`, `default-credentials`, `no-tls`, each optionally followed by `: detail`.
   * They feed FR-SECURITY (src/rules/security-notes.ts).
   */
  readonly securityNotes?: readonly string[];
}

/** The stable key that identifies a device across inspections (first that is known). */
export const deviceKey = (r: {
  readonly config: Pick<ConfigProbe, 'device' | 'network' | 'address'> | null;
  readonly discovered: Pick<DiscoveredDevice, 'endpoint' | 'address'> | null;
}): string => {
  const d = r.config?.device;
  if (d?.serial) return `serial:${(d.manufacturer ?? '').toLowerCase()}:${d.serial}`;
  const mac = r.config?.network.macs[0];
  if (mac) return `mac:${mac.toLowerCase()}`;
  if (r.discovered && !r.discovered.endpoint.startsWith('sweep:')) return `endpoint:${r.discovered.endpoint}`;
  return `address:${r.config?.address ?? r.discovered?.address ?? 'unknown'}`;
};
