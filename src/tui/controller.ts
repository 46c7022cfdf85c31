/**
 * The Visit controller: the only thing the TUI talks to. It turns the screens' requests (effects)
 * into steps of the visit engine (src/visit) and answers with messages; it holds what must never reach the state or the
 * disk (typed passwords, the abort controller). Adapters and the store come in through `VisitDeps`,
 * built by the CLI (src/cli/commands/tui.ts), so nothing here opens a socket or a file itself.
 */
import { describeError } from '../core/errors.js';
import type { EvidenceRef, InspectionMeta, InspectionNetwork, InspectionRecord, SiteDetails } from '../core/record.js';
import type { DiscoveredDevice, RgbFrame } from '../core/types.js';
import type { Credential, CredentialLookup } from '../pipeline/credentials.js';
import { vendorKey } from '../pipeline/credentials.js';
import { makeScope, type Scope } from '../pipeline/scope.js';
import { rediscovered, VisitEngine } from '../visit/engine.js';
import type { EventSink } from '../visit/events.js';
import { networkFields, networkOf, recordedScope } from '../visit/plan.js';
import type { DeriveFindings, ProbePorts, VisitStore } from '../visit/ports.js';
import type { ReportRequest } from '../visit/report.js';
import { INTERACTIVE_CONCURRENCY } from '../visit/rules.js';
import type { DeviceSnapshot } from './device-lines.js';
import type { CredentialTarget, Effect, Msg, NetInterface, ResumeRow, SiteInput } from './state.js';

/** What the TUI needs of the store beyond the engine's own needs (src/store's `Store` is one). */
export interface UiStore extends VisitStore {
  listSites(query: { readonly search: string }): readonly SiteDetails[];
  /** A new site, or a new version of it when anything differs. */
  upsertSite(site: SiteInput & { readonly id: string; readonly campaign: string | null }): SiteDetails;
  unfinishedInspections(): readonly InspectionMeta[];
}

/** A new site's id: readable, sortable, unique per second on one machine. */
export const newSiteId = (at: Date): string => `site-${at.toISOString().replace(/[-:]/g, '').slice(0, 15)}`;

export interface VisitDeps {
  readonly ports: ProbePorts;
  readonly store: UiStore;
  readonly deriveFindings: DeriveFindings;
  readonly listInterfaces: () => readonly NetInterface[];
  /** Writes the inspection's report (src/visit/report.ts, the same as `camaudit report`) and returns its path. */
  readonly writeReport: (inspectionId: string, request: ReportRequest) => Promise<string>;
  /**
   * Copies a blurred snapshot out of the store into a file and returns its path, for the device
   * view (terminals cannot show it inline everywhere); null where there is nowhere to write.
   */
  readonly saveSnapshot: ((inspectionId: string, evidence: EvidenceRef) => Promise<string>) | null;
  /**
   * Decodes a blurred snapshot from the store into a picture small enough for the terminal, drawn
   * above its path line; null where the terminal shows no colours. The picture itself is null when
   * the stored bytes do not decode: the path line still names the file.
   */
  readonly previewSnapshot: ((evidence: EvidenceRef) => Promise<RgbFrame | null>) | null;
  /** Writes the evidence bundle and returns its path; null where the build has no exporter. */
  readonly exportBundle: ((inspectionId: string) => Promise<string>) | null;
  readonly toolkitVersion: string;
  readonly modelSha256: string;
  readonly streamTests: boolean;
  readonly clock?: () => Date;
  /** How often the elapsed-time display is refreshed while discovery runs. */
  readonly tickMs?: number;
}

const messageOf = (e: unknown): string => (e instanceof Error ? e.message : String(e));

export class Visit {
  private listeners = new Set<(m: Msg) => void>();
  private inspectionId: string | null = null;
  private scope: Scope | null = null;
  private readonly discovered = new Map<string, DiscoveredDevice>();
  private abort: AbortController | null = null;
  // Passwords live here only, for the life of the process.
  private readonly byDevice = new Map<string, Credential>();
  private readonly byVendor = new Map<string, Credential>();
  private forAll: Credential | null = null;
  private readonly engine: VisitEngine;

  constructor(private readonly deps: VisitDeps) {
    this.engine = new VisitEngine({ ports: deps.ports, store: deps.store, deriveFindings: deps.deriveFindings }, this.emit);
  }

  subscribe(listener: (m: Msg) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private send(m: Msg): void {
    for (const l of this.listeners) l(m);
  }

  private readonly emit: EventSink = (event) => this.send({ type: 'event', event });

  /** First screen's data: interfaces, sites, unfinished inspections. */
  open(): void {
    this.send({ type: 'interfaces', interfaces: this.deps.listInterfaces() });
    this.listSites('');
  }

  readonly credentials: CredentialLookup = (address, _port, manufacturer) => {
    const vendor = vendorKey(manufacturer);
    return this.byDevice.get(address) ?? (vendor ? this.byVendor.get(vendor) : undefined) ?? this.forAll;
  };

  /** Runs one effect; failures come back as an `error` message, never as a crash of the UI. */
  async run(effect: Effect): Promise<void> {
    try {
      await this.perform(effect);
    } catch (e) {
      this.send({ type: 'error', message: messageOf(e) });
    }
  }

  private async perform(effect: Effect): Promise<void> {
    const { store } = this.deps;
    switch (effect.type) {
      case 'list-sites':
        return this.listSites(effect.search);
      case 'choose-site': {
        const site = store.listSites({ search: '' }).find((s) => s.id === effect.siteId);
        if (site) this.chooseSite(site);
        return;
      }
      case 'save-site':
        return this.chooseSite(store.upsertSite({ ...effect.site, id: newSiteId((this.deps.clock ?? (() => new Date()))()), campaign: null }));
      case 'resume':
        return this.resume(effect.inspectionId);
      case 'begin':
        // No network yet: the inspector picks it on the next screen, and `discover` records it.
        return this.begin(effect, networkFields([], []));
      case 'discover':
        return this.discover(effect);
      case 'stop':
        this.abort?.abort();
        return;
      case 'set-credential':
        return this.setCredential(effect.target, { username: effect.username, password: effect.password });
      case 'probe':
        return this.probe(effect.addresses);
      case 'answer':
        this.engine.answer(this.requireInspection(), { item: effect.item, answer: effect.answer, note: effect.note, photos: effect.photos });
        return;
      case 'sign': {
        const id = this.requireInspection();
        this.engine.sign(id, effect.signature);
        this.send({ type: 'signatures', signatures: store.signatures(id) });
        return;
      }
      case 'conclude':
        return this.conclude();
      case 'write-report': {
        const path = await this.deps.writeReport(this.requireInspection(), { lang: effect.lang, format: effect.format });
        this.send({ type: 'report', path });
        return;
      }
      case 'export-bundle': {
        if (!this.deps.exportBundle) throw new Error('bundle export is not available');
        this.send({ type: 'bundle', path: await this.deps.exportBundle(this.requireInspection()) });
        return;
      }
      case 'quit':
        // The UI exits; nothing is pending because every step was committed as it completed.
        this.abort?.abort();
        return;
    }
  }

  private load(inspectionId: string): InspectionRecord {
    return this.engine.load(inspectionId);
  }

  private requireInspection(): string {
    if (this.inspectionId === null) throw new Error('no inspection is open');
    return this.inspectionId;
  }

  private listSites(search: string): void {
    const { store } = this.deps;
    const unfinished: ResumeRow[] = store.unfinishedInspections().map((m) => ({
      inspectionId: m.id,
      caseNumber: m.caseNumber,
      siteName: this.load(m.id).site.name,
      startedAt: m.startedAt,
    }));
    this.send({ type: 'sites', sites: store.listSites({ search }), unfinished });
  }

  private chooseSite(site: SiteDetails): void {
    // The inspection the engine picks for the site makes this visit its re-check.
    const previous = this.engine.previousFor(site.id);
    this.inspectionId = null;
    this.discovered.clear();
    this.send({ type: 'site-chosen', site, previous });
  }

  private async resume(inspectionId: string): Promise<void> {
    const record = this.load(inspectionId);
    this.inspectionId = inspectionId;
    const previous = this.engine.previousOf(record)?.meta ?? null;
    this.scope = recordedScope(record.meta);
    this.discovered.clear();
    for (const d of record.devices) this.discovered.set(d.address, rediscovered(d));
    this.send({ type: 'resumed', record, previous, missing: this.engine.missing(record), signatures: this.deps.store.signatures(inspectionId) });
    await this.sendSnapshots(record);
  }

  /** Opens the inspection with its case details and the network known so far. */
  private begin(visit: Omit<Extract<Effect, { type: 'begin' }>, 'type'>, network: InspectionNetwork): void {
    const started = this.engine.open({
        siteId: visit.site.id,
        kind: visit.previous ? 'recheck' : 'first',
        previousInspectionId: visit.previous?.id ?? null,
        ...visit.caseInfo,
        toolkitVersion: this.deps.toolkitVersion,
        modelSha256: this.deps.modelSha256,
        ...network,
      });
    if (!started.ok) throw new Error(started.error);
    this.inspectionId = started.value;
  }

  private async discover(effect: Extract<Effect, { type: 'discover' }>): Promise<void> {
    const ranges = [networkOf(effect.iface.cidr), ...(effect.sweep ? [effect.sweep] : [])];
    // Validated before anything is recorded: a typo in the range must leave neither a network row nor an empty record.
    const scope = makeScope(ranges);
    // The sweep range is part of what was inspected: recorded, and back in scope on resume.
    const network = networkFields([effect.iface.address], ranges);
    // Opened at the case form as a rule; opened here, network and all, when that failed.
    if (this.inspectionId === null) this.begin(effect, network);
    else this.engine.recordNetwork(this.inspectionId, network);
    this.scope = scope;
    const abort = new AbortController();
    this.abort = abort;
    const t0 = Date.now();
    const timer = setInterval(() => this.send({ type: 'tick', elapsedMs: Date.now() - t0 }), this.deps.tickMs ?? 250);
    try {
      const found = await this.engine.discover({ interfaces: [effect.iface.address], sweep: effect.sweep, signal: abort.signal });
      // The inspection stays open (and resumable) when discovery could not even start.
      if (!found.ok) throw new Error(describeError(found.error));
      for (const d of found.value) this.discovered.set(d.address, d);
    } finally {
      clearInterval(timer);
      this.abort = null;
    }
  }

  private setCredential(target: CredentialTarget, credential: Credential): void {
    if (target.kind === 'device') this.byDevice.set(target.address, credential);
    else if (target.kind === 'all') this.forAll = credential;
    else {
      const key = vendorKey(target.vendor);
      if (key) this.byVendor.set(key, credential);
    }
  }

  private async probe(addresses: readonly string[]): Promise<void> {
    const inspectionId = this.requireInspection();
    const devices = addresses.flatMap((a) => this.discovered.get(a) ?? []);
    const abort = new AbortController();
    this.abort = abort;
    try {
      await this.engine.probe(
        inspectionId,
        devices,
        { scope: this.scope ?? makeScope([]), credentials: this.credentials, streamTests: this.deps.streamTests, ...INTERACTIVE_CONCURRENCY },
        abort.signal,
      );
    } finally {
      this.abort = null;
    }
    // Findings so far (devices only) make the table's counts; the checklist adds to them later.
    const record = this.load(inspectionId);
    this.send({ type: 'record', record, missing: this.engine.missing(record) });
    await this.sendSnapshots(record);
  }

  private async sendSnapshots(record: InspectionRecord): Promise<void> {
    const { saveSnapshot: save, previewSnapshot: preview } = this.deps;
    if (!save) return;
    const snapshots: Record<string, DeviceSnapshot[]> = {};
    for (const e of record.evidence) {
      // Only the store's snapshot evidence, blurred before it was recorded: never a raw frame.
      if (e.kind !== 'snapshot' || e.deviceKey === null) continue;
      (snapshots[e.deviceKey] ??= []).push({ file: await save(record.meta.id, e), preview: preview ? await preview(e) : null });
    }
    this.send({ type: 'snapshots', snapshots });
  }

  private conclude(): void {
    const { record, diff } = this.engine.conclude(this.requireInspection());
    this.send({ type: 'concluded', record, diff });
  }
}
