/**
 * What the visit engine needs from outside: the adapters (discovery, configuration probe, stream test) and the
 * store. src/pipeline/ports.ts builds the real adapters, src/store the real store; tests hand in fakes.
 */
import type { ProbeError } from '../core/errors.js';
import type { ChecklistEntry, DeviceRecord, Finding, InspectionMeta, InspectionNetwork, InspectionRecord, InspectionStart } from '../core/record.js';
import type { Result } from '../core/result.js';
import type { DeviceFacts, DeviceResult, DiscoveredDevice, StreamFacts } from '../core/types.js';
import type { Credential } from '../pipeline/credentials.js';
import type { SignatureInput } from '../store/store.js';

export type { SignatureInput };

export interface DiscoverOptions {
  readonly interfaces: readonly string[];
  readonly sweep: string | null;
  readonly signal: AbortSignal;
}

export interface ProbePorts {
  discover(opts: DiscoverOptions, onDevice: (d: DiscoveredDevice) => void): Promise<Result<readonly DiscoveredDevice[], ProbeError>>;
  probeConfig(
    xaddr: string,
    credential: Credential | null,
    opts: { readonly signal: AbortSignal; readonly onCall: (action: string, status: string, ms: number) => void },
  ): Promise<Result<DeviceFacts, ProbeError>>;
  probeStream(
    uri: string,
    credential: Credential | null,
    opts: {
      readonly signal: AbortSignal;
      readonly onFrame: (frame: number, of: number, faces: number) => void;
      /** The profile's snapshot URI, tried when the stream gives no frame (already checked against the scope). */
      readonly snapshotUri?: string;
    },
  ): Promise<StreamFacts>;
  /** A stream test that was not run (refused by scope, no URI): same shape as a real one. */
  skippedStream(uri: string, error: ProbeError): StreamFacts;
}

/** The steps of one inspection in the store (src/store implements it). Each call is one committed step. */
export interface InspectionStore {
  startInspection(start: InspectionStart): Result<string, string>;
  /**
   * The network of an inspection opened without one (`networkFields` builds it); a later choice stands.
   * Throws for an unknown inspection, like every step on one.
   */
  recordNetwork(inspectionId: string, network: InspectionNetwork): void;
  recordDevice(inspectionId: string, result: DeviceResult): { readonly deviceKey: string; readonly evidenceIds: readonly number[] };
  recordFindings(inspectionId: string, findings: readonly Finding[]): void;
  finishInspection(inspectionId: string): void;
  loadInspection(inspectionId: string): InspectionRecord | null;
}

/** Everything of the store a whole visit uses: the inspection's steps, its history, checklist and signatures. */
export interface VisitStore extends InspectionStore {
  inspectionsForSite(siteId: string): readonly InspectionMeta[];
  setZones(inspectionId: string, zones: readonly string[]): void;
  /** Photo files named in the entry are read by the store and kept as evidence. */
  recordChecklist(
    inspectionId: string,
    entry: { readonly item: string; readonly answer: ChecklistEntry['answer']; readonly note?: string; readonly photos?: readonly string[] },
  ): { readonly evidenceIds: readonly number[] };
  addSignature(inspectionId: string, signature: SignatureInput): void;
  signatures(inspectionId: string): readonly (SignatureInput & { readonly at: string })[];
  evidenceBlob(id: number): Uint8Array | null;
}

export type DeriveFindings = (input: { readonly devices: readonly DeviceRecord[]; readonly checklist: readonly ChecklistEntry[] }) => Finding[];
