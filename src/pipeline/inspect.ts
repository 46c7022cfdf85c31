/**
 * One inspection, start to finish: discover -> probe config -> probe stream -> record -> findings.
 * Adapters come in as ports so the pipeline stays testable and the CLI/TUI only drive it. Every
 * completed step is committed to the store before the next begins: quitting loses nothing.
 */
import { describeError, type ProbeError } from '../core/errors.js';
import { mapLimit } from '../core/pool.js';
import type { ChecklistEntry, DeviceRecord, Finding, InspectionNetwork, InspectionRecord, InspectionStart } from '../core/record.js';

export type { InspectionStart };
import { err, ok, type Result } from '../core/result.js';
import type { CameraProfile, ConfigProbe, DeviceResult, DiscoveredDevice, StreamFacts } from '../core/types.js';
import type { Credential, CredentialLookup } from './credentials.js';
import type { EventSink } from './events.js';
import { urlInScope, type Scope } from './scope.js';

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
  ): Promise<Result<ConfigProbe, ProbeError>>;
  probeStream(
    uri: string,
    credential: Credential | null,
    opts: { readonly signal: AbortSignal; readonly onFrame: (frame: number, of: number, faces: number) => void },
  ): Promise<StreamFacts>;
  /** A stream test that was not run (refused by scope, no URI): same shape as a real one. */
  skippedStream(uri: string, error: ProbeError): StreamFacts;
}

/** What the pipeline needs of the store (src/store implements it). */
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

export type DeriveFindings = (input: { readonly devices: readonly DeviceRecord[]; readonly checklist: readonly ChecklistEntry[] }) => Finding[];

export interface InspectionPlan {
  readonly start: InspectionStart;
  readonly discover: DiscoverOptions;
  readonly scope: Scope;
  readonly credentials: CredentialLookup;
  /** false skips the stream tests (configuration only). */
  readonly streamTests: boolean;
  readonly configConcurrency: number;
  /** Stream tests decode video and run the detector: CPU-bound, so fewer at once. */
  readonly streamConcurrency: number;
}

const portOf = (xaddr: string): number | null => {
  try {
    const u = new URL(xaddr);
    return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  } catch {
    return null;
  }
};

/**
 * A device's streams to test, one per URI, largest resolution first: the main stream is the one a recorder
 * or a matcher uses. RTSP when the profile has it, else its snapshot URI.
 */
export const streamTargets = (profiles: readonly CameraProfile[]): { readonly uri: string; readonly profile: CameraProfile }[] => {
  const byUri = new Map<string, CameraProfile>();
  for (const p of [...profiles].sort((a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0))) {
    const uri = p.rtsp ?? p.snapshot;
    if (uri && !byUri.has(uri)) byUri.set(uri, p);
  }
  return [...byUri].map(([uri, profile]) => ({ uri, profile }));
};

const streamTarget = (config: ConfigProbe): { readonly uri: string; readonly profile: string } | null => {
  const main = streamTargets(config.profiles)[0];
  return main ? { uri: main.uri, profile: main.profile.token } : null;
};

export interface DeviceOutcome {
  readonly result: DeviceResult;
  readonly deviceKey: string;
}

/** Probe one device fully; never throws for device problems. */
export const probeOne = async (
  ports: ProbePorts,
  plan: Pick<InspectionPlan, 'scope' | 'credentials' | 'streamTests'>,
  device: DiscoveredDevice,
  signal: AbortSignal,
  emit: EventSink,
  streamGate: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<DeviceResult> => {
  const xaddr = device.xaddrs.find((x) => urlInScope(plan.scope, x));
  if (!xaddr) {
    const error: ProbeError = { kind: 'policy', message: `no service address inside the chosen range (${device.xaddrs.join(', ') || 'none given'})` };
    emit({ type: 'device-error', address: device.address, error });
    return { discovered: device, config: null, streams: [], error };
  }
  const onCall = (action: string, status: string, ms: number): void =>
    emit({ type: 'probe-call', address: device.address, action, status, ms });
  const credential = plan.credentials(device.address, portOf(xaddr), null);
  let probed = await ports.probeConfig(xaddr, credential, { signal, onCall });
  if (probed.ok && !probed.value.authenticated) {
    // The vendor is known now: a vendor-wide credential may apply where no per-device one did.
    const byVendor = plan.credentials(device.address, portOf(xaddr), probed.value.device.manufacturer);
    if (byVendor && byVendor !== credential) probed = await ports.probeConfig(xaddr, byVendor, { signal, onCall });
    if (probed.ok && !probed.value.authenticated) {
      emit({ type: 'auth-needed', address: device.address, vendor: probed.value.device.manufacturer, failed: credential !== null || byVendor !== null });
    }
  }
  if (!probed.ok) {
    emit({ type: 'device-error', address: device.address, error: probed.error });
    return { discovered: device, config: null, streams: [], error: probed.error };
  }
  const config = probed.value;
  emit({ type: 'device-probed', address: device.address, config });
  const target = plan.streamTests ? streamTarget(config) : null;
  const streams: StreamFacts[] = [];
  if (target) {
    const facts = urlInScope(plan.scope, target.uri)
      ? await streamGate(() =>
          ports.probeStream(target.uri, plan.credentials(device.address, portOf(xaddr), config.device.manufacturer), {
            signal,
            onFrame: (frame, of, faces) => emit({ type: 'stream-frame', address: device.address, profile: target.profile, frame, of, faces }),
          }),
        )
      : ports.skippedStream(target.uri, { kind: 'policy', message: 'stream URI points outside the chosen range; not contacted' });
    emit({ type: 'stream-done', address: device.address, xaddr, profile: target.profile, facts });
    streams.push(facts);
  }
  return { discovered: device, config, streams, error: null };
};

/**
 * A real host serves one device, or a handful (an NVR's channels, a camera on two ports); hundreds of
 * service addresses answering from one host are a flood of forged ProbeMatches, each of which would cost a
 * probe's timeouts. The first ones are probed; the rest are recorded as not probed.
 */
export const MAX_SERVICES_PER_HOST = 32;

export const limitPerHost = (
  devices: readonly DiscoveredDevice[],
  max: number,
): { readonly kept: DiscoveredDevice[]; readonly excess: DiscoveredDevice[] } => {
  const perHost = new Map<string, number>();
  const kept: DiscoveredDevice[] = [];
  const excess: DiscoveredDevice[] = [];
  for (const d of devices) {
    const n = (perHost.get(d.address) ?? 0) + 1;
    perHost.set(d.address, n);
    (n <= max ? kept : excess).push(d);
  }
  return { kept, excess };
};

/** A tiny semaphore: at most `n` functions run at once. */
export const gate = (n: number): (<T>(fn: () => Promise<T>) => Promise<T>) => {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async <T>(fn: () => Promise<T>): Promise<T> => {
    if (active >= n) await new Promise<void>((resolve) => waiting.push(resolve));
    active += 1;
    try {
      return await fn();
    } finally {
      active -= 1;
      waiting.shift()?.();
    }
  };
};

export interface InspectionOutcome {
  readonly inspectionId: string;
  readonly record: InspectionRecord;
}

/** Step 1: open the inspection record (fails for an unknown site). */
export const beginInspection = (store: InspectionStore, start: InspectionStart, emit: EventSink): Result<string, string> => {
  const started = store.startInspection(start);
  if (started.ok) emit({ type: 'inspection-started', inspectionId: started.value, siteId: start.siteId, kind: start.kind });
  return started;
};

/** Read back what was just written; its absence is a bug, not a device problem. */
const load = (store: InspectionStore, inspectionId: string): InspectionRecord => {
  const record = store.loadInspection(inspectionId);
  if (!record) throw new Error(`inspection ${inspectionId} vanished from the store`);
  return record;
};

/** Step 2: discovery; devices are reported as they answer. Fails only when no probe could be sent. */
export const discoverStep = async (
  ports: ProbePorts,
  opts: DiscoverOptions,
  emit: EventSink,
): Promise<Result<readonly DiscoveredDevice[], ProbeError>> => {
  emit({ type: 'stage-started', stage: 'discover' });
  const t0 = Date.now();
  const found = await ports.discover(opts, (device) => emit({ type: 'device-found', device, elapsedMs: Date.now() - t0 }));
  emit({ type: 'stage-done', stage: 'discover', ms: Date.now() - t0 });
  return found;
};

/**
 * Step 3: probe and record each device, each in its own transaction the moment it completes. Probing
 * a device again (after a wrong password) appends a newer result; the store reads back the latest.
 */
export const probeStep = async (
  ports: ProbePorts,
  store: InspectionStore,
  inspectionId: string,
  devices: readonly DiscoveredDevice[],
  plan: Pick<InspectionPlan, 'scope' | 'credentials' | 'streamTests' | 'configConcurrency' | 'streamConcurrency'>,
  emit: EventSink,
  signal: AbortSignal,
): Promise<DeviceOutcome[]> => {
  emit({ type: 'stage-started', stage: 'probe', total: devices.length });
  const t0 = Date.now();
  const streamGate = gate(plan.streamConcurrency);
  const { kept, excess } = limitPerHost(devices, MAX_SERVICES_PER_HOST);
  const refused = excess.map((device): DeviceOutcome => {
    const error: ProbeError = { kind: 'policy', message: `not probed: more than ${MAX_SERVICES_PER_HOST} service addresses answered from ${device.address} (a flood of forged answers?)` };
    emit({ type: 'device-error', address: device.address, error });
    const result: DeviceResult = { discovered: device, config: null, streams: [], error };
    return { result, deviceKey: store.recordDevice(inspectionId, result).deviceKey };
  });
  const outcomes = await mapLimit(kept, plan.configConcurrency, async (device) => {
    const result = await probeOne(ports, plan, device, signal, emit, streamGate).catch((e: unknown): DeviceResult => {
      // A bug met on one device's data is recorded against that device; the batch goes on.
      const error: ProbeError = { kind: 'transport', reason: 'other', message: `internal error while probing: ${e instanceof Error ? e.message : String(e)}` };
      emit({ type: 'device-error', address: device.address, error });
      return { discovered: device, config: null, streams: [], error };
    });
    const { deviceKey, evidenceIds } = store.recordDevice(inspectionId, result);
    emit({ type: 'recorded', what: `device ${device.address}`, entryId: evidenceIds[0] ?? 0 });
    return { result, deviceKey };
  });
  emit({ type: 'stage-done', stage: 'probe', ms: Date.now() - t0 });
  return [...outcomes, ...refused];
};

/** Derive findings from everything recorded so far (devices and checklist) and record them. */
export const refreshFindings = (store: InspectionStore, deriveFindings: DeriveFindings, inspectionId: string): readonly Finding[] => {
  const recorded = load(store, inspectionId);
  const findings = deriveFindings({ devices: recorded.devices, checklist: recorded.checklist });
  store.recordFindings(inspectionId, findings);
  return findings;
};

/** Final step: findings, then the end time. */
export const concludeInspection = (store: InspectionStore, deriveFindings: DeriveFindings, inspectionId: string): InspectionRecord => {
  refreshFindings(store, deriveFindings, inspectionId);
  store.finishInspection(inspectionId);
  return load(store, inspectionId);
};

/** The whole inspection without pauses (CLI `inspect`, the demo). */
export const runInspection = async (
  ports: ProbePorts,
  store: InspectionStore,
  deriveFindings: DeriveFindings,
  plan: InspectionPlan,
  emit: EventSink,
  signal: AbortSignal,
  /** Runs after every device is recorded and before findings are drawn (e.g. the inspector's confirmations). */
  beforeConclude: (inspectionId: string) => void = () => undefined,
): Promise<Result<InspectionOutcome, string>> => {
  const t0 = Date.now();
  const started = beginInspection(store, plan.start, emit);
  if (!started.ok) return started;
  const inspectionId = started.value;
  const found = await discoverStep(ports, plan.discover, emit);
  // The inspection stays open (and resumable) when discovery could not even start.
  if (!found.ok) return err(`discovery failed: ${describeError(found.error)}`);
  await probeStep(ports, store, inspectionId, found.value, plan, emit, signal);
  beforeConclude(inspectionId);
  const record = concludeInspection(store, deriveFindings, inspectionId);
  emit({ type: 'inspection-done', inspectionId, findings: record.findings.length, ms: Date.now() - t0 });
  return ok({ inspectionId, record });
};

/**
 * Continue an inspection that was interrupted (crash, closed lid): every device already recorded is kept
 * as it is; discovery runs again and only devices not yet recorded are probed, then findings are drawn.
 */
export const resumeInspection = async (
  ports: ProbePorts,
  store: InspectionStore,
  deriveFindings: DeriveFindings,
  inspectionId: string,
  plan: Omit<InspectionPlan, 'start'>,
  emit: EventSink,
  signal: AbortSignal,
): Promise<Result<InspectionOutcome, string>> => {
  const t0 = Date.now();
  const existing = store.loadInspection(inspectionId);
  if (!existing) return err(`no inspection "${inspectionId}"`);
  if (existing.meta.endedAt !== null) return err(`inspection ${inspectionId} is already finished`);
  emit({ type: 'inspection-started', inspectionId, siteId: existing.meta.siteId, kind: existing.meta.kind, resumed: true });
  const found = await discoverStep(ports, plan.discover, emit);
  if (!found.ok) return err(`discovery failed: ${describeError(found.error)}`);
  const done = new Set(existing.devices.flatMap((d) => (d.xaddr ? [d.xaddr] : [])));
  const todo = found.value.filter((d) => !d.xaddrs.some((x) => done.has(x)));
  await probeStep(ports, store, inspectionId, todo, plan, emit, signal);
  const record = concludeInspection(store, deriveFindings, inspectionId);
  emit({ type: 'inspection-done', inspectionId, findings: record.findings.length, ms: Date.now() - t0 });
  return ok({ inspectionId, record });
};
