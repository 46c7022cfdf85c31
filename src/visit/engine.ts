/**
 * The visit engine: one inspection end to end, for every front end (inspect, recheck, probe, the demo, the
 * terminal UI). It opens or resumes the inspection, runs the stages in one direction (discover -> probe ->
 * stream -> assess -> record), records checklist answers and signatures, links a re-check to the inspection it
 * follows and draws the diff. Progress goes out as typed events; every completed step is committed to the store
 * before the next begins, so quitting at any point loses nothing.
 */
import { describeError } from '../core/errors.js';
import type { ChecklistAnswer, InspectionMeta, InspectionNetwork, InspectionRecord, InspectionStart } from '../core/record.js';
import { err, ok, type Result } from '../core/result.js';
import type { DeviceResult, DiscoveredDevice } from '../core/types.js';
import type { Credential } from '../pipeline/credentials.js';
import { makeScope } from '../pipeline/scope.js';
import { diffInspections, type RecheckDiff } from '../assess/recheck.js';
import { discoverStep, gate, probeOne, probeStep, type DeviceOutcome, type DevicePlan } from './device.js';
import type { EventSink } from './events.js';
import type { InspectionPlan } from './plan.js';
import type { DeriveFindings, DiscoverOptions, ProbePorts, SignatureInput, VisitStore } from './ports.js';
import { missingDevices, previousInspection, type Concurrency, type MissingDevice } from './rules.js';

export interface EngineDeps {
  /** Absent for the steps that touch no device (`camaudit checklist`, `camaudit sign`). */
  readonly ports?: ProbePorts;
  readonly store: VisitStore;
  readonly deriveFindings: DeriveFindings;
}

/** A visit's state once findings are drawn: the record, the inspection it re-checks, and the diff between them. */
export interface Concluded {
  readonly record: InspectionRecord;
  readonly previous: InspectionRecord | null;
  readonly diff: RecheckDiff | null;
}

export interface ChecklistInput {
  readonly item: string;
  readonly answer: ChecklistAnswer;
  readonly note?: string;
  readonly photos?: readonly string[];
}

/** A device known only from the record (a resumed visit), shaped as discovery would have given it. */
export const rediscovered = (d: InspectionRecord['devices'][number]): DiscoveredDevice => ({
  address: d.address,
  xaddrs: d.xaddr ? [d.xaddr] : [],
  endpoint: d.key.startsWith('endpoint:') ? d.key.slice('endpoint:'.length) : `sweep:${d.address}`,
  scopes: [],
  via: 'sweep',
});

export class VisitEngine {
  constructor(
    private readonly deps: EngineDeps,
    private readonly emit: EventSink,
  ) {}

  private get ports(): ProbePorts {
    if (!this.deps.ports) throw new Error('this visit engine has no device adapters: it records checklist answers and signatures only');
    return this.deps.ports;
  }

  /** Read back what was written; its absence is a bug, not a device problem. */
  load(inspectionId: string): InspectionRecord {
    const record = this.deps.store.loadInspection(inspectionId);
    if (!record) throw new Error(`inspection ${inspectionId} is not in the store`);
    return record;
  }

  /** The inspection a new visit to the site re-checks (rules.ts `previousInspection`); null for a first one. */
  previousFor(siteId: string): InspectionMeta | null {
    return previousInspection(this.deps.store.inspectionsForSite(siteId));
  }

  /** The inspection this one re-checks, as recorded when it was opened. */
  previousOf(record: InspectionRecord): InspectionRecord | null {
    const id = record.meta.previousInspectionId;
    return id === null ? null : this.load(id);
  }

  /** Opens the inspection record (fails for an unknown site). */
  open(start: InspectionStart): Result<string, string> {
    const started = this.deps.store.startInspection(start);
    if (started.ok) this.emit({ type: 'inspection-started', inspectionId: started.value, siteId: start.siteId, kind: start.kind });
    return started;
  }

  /** An unfinished inspection to continue; a finished or unknown one is refused. */
  reopen(inspectionId: string): Result<InspectionRecord, string> {
    const existing = this.deps.store.loadInspection(inspectionId);
    if (!existing) return err(`no inspection "${inspectionId}"`);
    if (existing.meta.endedAt !== null) return err(`inspection ${inspectionId} is already finished`);
    this.emit({ type: 'inspection-started', inspectionId, siteId: existing.meta.siteId, kind: existing.meta.kind, resumed: true });
    return ok(existing);
  }

  /** Where the inspection looks from; a later choice (a re-discovery, a resume on another network) stands. */
  recordNetwork(inspectionId: string, network: InspectionNetwork): void {
    this.deps.store.recordNetwork(inspectionId, network);
  }

  setZones(inspectionId: string, zones: readonly string[]): void {
    this.deps.store.setZones(inspectionId, zones);
  }

  discover(opts: DiscoverOptions): ReturnType<typeof discoverStep> {
    return discoverStep(this.ports, opts, this.emit);
  }

  /** Probe, stream-test and record each device, then draw the findings so far (the checklist adds to them). */
  async probe(inspectionId: string, devices: readonly DiscoveredDevice[], plan: DevicePlan & Concurrency, signal: AbortSignal): Promise<DeviceOutcome[]> {
    const outcomes = await probeStep(
      this.ports,
      this.deps.store,
      inspectionId,
      devices,
      { ...plan, configConcurrency: plan.config, streamConcurrency: plan.stream },
      this.emit,
      signal,
    );
    this.refreshFindings(inspectionId);
    return outcomes;
  }

  /** Devices of the inspection this one re-checks that have not answered (rules.ts `missingDevices`). */
  missing(record: InspectionRecord): MissingDevice[] {
    return missingDevices(this.previousOf(record), record);
  }

  /** Records one checklist answer (photos hashed into evidence) and re-derives the findings. */
  answer(inspectionId: string, entry: ChecklistInput): { readonly evidenceIds: readonly number[]; readonly findings: number } {
    const recorded = this.deps.store.recordChecklist(inspectionId, entry);
    const findings = this.refreshFindings(inspectionId).length;
    this.emit({ type: 'checklist-answered', inspectionId, item: entry.item, answer: entry.answer, findings });
    return { evidenceIds: recorded.evidenceIds, findings };
  }

  /** A signature (or a refusal to sign) of someone present; it goes on the record. */
  sign(inspectionId: string, signature: SignatureInput): void {
    this.deps.store.addSignature(inspectionId, signature);
    this.emit({ type: 'signed', inspectionId, name: signature.name, role: signature.role, status: signature.status });
  }

  /** Derive findings from everything recorded so far (devices and checklist) and record them. */
  refreshFindings(inspectionId: string): InspectionRecord['findings'] {
    const recorded = this.load(inspectionId);
    const findings = this.deps.deriveFindings({ devices: recorded.devices, checklist: recorded.checklist });
    this.deps.store.recordFindings(inspectionId, findings);
    return findings;
  }

  /**
   * Findings, then the end time; for a re-check the diff against the inspection it follows. Concluding again
   * (answers changed after finishing) updates the findings and keeps the first end time.
   */
  conclude(inspectionId: string): Concluded {
    this.refreshFindings(inspectionId);
    this.deps.store.finishInspection(inspectionId);
    const record = this.load(inspectionId);
    const previous = this.previousOf(record);
    return { record, previous, diff: previous ? diffInspections(previous, record) : null };
  }

  /** The whole inspection without pauses (CLI `inspect` and `recheck`, the demo). */
  async run(
    plan: InspectionPlan,
    signal: AbortSignal,
    /** Runs after every device is recorded and before findings are drawn (e.g. the inspector's confirmations). */
    beforeConclude: (inspectionId: string) => void = () => undefined,
  ): Promise<Result<Concluded, string>> {
    const t0 = Date.now();
    const started = this.open(plan.start);
    if (!started.ok) return started;
    return this.probeAndConclude(started.value, null, plan, signal, beforeConclude, t0);
  }

  /**
   * Continue an interrupted inspection (crash, closed lid): every device already recorded is kept as it is;
   * discovery runs again and only devices not yet recorded are probed, then findings are drawn.
   */
  async resume(inspectionId: string, plan: Omit<InspectionPlan, 'start'>, signal: AbortSignal): Promise<Result<Concluded, string>> {
    const t0 = Date.now();
    const existing = this.reopen(inspectionId);
    if (!existing.ok) return existing;
    return this.probeAndConclude(inspectionId, existing.value, plan, signal, () => undefined, t0);
  }

  private async probeAndConclude(
    inspectionId: string,
    existing: InspectionRecord | null,
    plan: Omit<InspectionPlan, 'start'>,
    signal: AbortSignal,
    beforeConclude: (inspectionId: string) => void,
    t0: number,
  ): Promise<Result<Concluded, string>> {
    const found = await this.discover(plan.discover);
    // The inspection stays open (and resumable) when discovery could not even start.
    if (!found.ok) return err(`discovery failed: ${describeError(found.error)}`);
    const done = new Set(existing?.devices.flatMap((d) => (d.xaddr ? [d.xaddr] : [])) ?? []);
    const todo = found.value.filter((d) => !d.xaddrs.some((x) => done.has(x)));
    await probeStep(this.ports, this.deps.store, inspectionId, todo, plan, this.emit, signal);
    beforeConclude(inspectionId);
    const concluded = this.conclude(inspectionId);
    this.emit({ type: 'inspection-done', inspectionId, findings: concluded.record.findings.length, ms: Date.now() - t0 });
    return ok(concluded);
  }
}

/**
 * One device probed and stream-tested, with nothing recorded (`camaudit probe`): the same stages as an inspection,
 * with every distinct stream tested. Only URIs on the device's own host are contacted: a device may name any host.
 */
export const probeUnrecorded = (
  ports: ProbePorts,
  xaddr: string,
  credential: Credential | null,
  opts: { readonly streamTests: boolean; readonly signal: AbortSignal; readonly emit: EventSink },
): Promise<DeviceResult> => {
  const host = new URL(xaddr).hostname;
  const device: DiscoveredDevice = { address: host, xaddrs: [xaddr], endpoint: `probe:${xaddr}`, scopes: [], via: 'sweep' };
  const plan: DevicePlan = { scope: makeScope([], [host]), credentials: () => credential, streamTests: opts.streamTests, streamPolicy: 'every' };
  return probeOne(ports, plan, device, opts.signal, opts.emit, gate(1));
};
