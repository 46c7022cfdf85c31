/**
 * The per-device stages of a visit, in one direction: discover -> probe (device facts) -> stream tests -> record.
 * Only the engine (src/visit/engine.ts) calls them. A device problem is recorded against that device and never
 * aborts the batch.
 */
import { assessConfig } from '../assess/config.js';
import type { ProbeError } from '../core/errors.js';
import { mapLimit } from '../core/pool.js';
import type { Result } from '../core/result.js';
import type { ConfigProbe, DeviceResult, DiscoveredDevice, StreamFacts } from '../core/types.js';
import { urlInScope } from '../pipeline/scope.js';
import type { EventSink } from './events.js';
import type { DevicePlan, InspectionPlan } from './plan.js';

export type { DevicePlan };
import type { DiscoverOptions, InspectionStore, ProbePorts } from './ports.js';
import { streamTargets } from './rules.js';

const portOf = (xaddr: string): number | null => {
  try {
    const u = new URL(xaddr);
    return u.port ? Number(u.port) : u.protocol === 'https:' ? 443 : 80;
  } catch {
    return null;
  }
};

export interface DeviceOutcome {
  readonly result: DeviceResult;
  readonly deviceKey: string;
}

/** The stream tests of one probed device, through the gate that bounds how many run at once. */
const testStreams = async (
  ports: ProbePorts,
  plan: DevicePlan,
  device: DiscoveredDevice,
  xaddr: string,
  config: ConfigProbe,
  signal: AbortSignal,
  emit: EventSink,
  streamGate: <T>(fn: () => Promise<T>) => Promise<T>,
): Promise<StreamFacts[]> => {
  const streams: StreamFacts[] = [];
  for (const target of plan.streamTests ? streamTargets(config.profiles, plan.streamPolicy ?? 'main') : []) {
    const profile = target.profile.token;
    const contacted = urlInScope(plan.scope, target.uri);
    const snapshot = target.snapshot !== null && urlInScope(plan.scope, target.snapshot) ? target.snapshot : null;
    const facts = contacted
      ? await streamGate(() =>
          ports.probeStream(target.uri, plan.credentials(device.address, portOf(xaddr), config.device.manufacturer), {
            signal,
            onFrame: (frame, of, faces) => emit({ type: 'stream-frame', address: device.address, profile, frame, of, faces }),
            ...(snapshot ? { snapshotUri: snapshot } : {}),
          }),
        )
      : ports.skippedStream(target.uri, { kind: 'policy', message: 'stream URI points outside the chosen range; not contacted' });
    emit({ type: 'stream-done', address: device.address, xaddr, profile, contacted, facts });
    streams.push(facts);
  }
  return streams;
};

/** Probe one device fully; never throws for device problems. */
export const probeOne = async (
  ports: ProbePorts,
  plan: DevicePlan,
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
  // Assess: what the facts say about face functions, decided here once for every front end.
  const config = assessConfig(probed.value);
  emit({ type: 'device-probed', address: device.address, config });
  const streams = await testStreams(ports, plan, device, xaddr, config, signal, emit, streamGate);
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

/** Discovery; devices are reported as they answer. Fails only when no probe could be sent. */
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
 * Probe and record each device, each in its own transaction the moment it completes. Probing a device again
 * (after a wrong password) appends a newer result; the store reads back the latest.
 */
export const probeStep = async (
  ports: ProbePorts,
  store: Pick<InspectionStore, 'recordDevice'>,
  inspectionId: string,
  devices: readonly DiscoveredDevice[],
  plan: DevicePlan & Pick<InspectionPlan, 'configConcurrency' | 'streamConcurrency'>,
  emit: EventSink,
  signal: AbortSignal,
): Promise<DeviceOutcome[]> => {
  emit({ type: 'stage-started', stage: 'probe', total: devices.length });
  const t0 = Date.now();
  const streamGate = gate(plan.streamConcurrency);
  const record = (result: DeviceResult): DeviceOutcome => {
    const { deviceKey, evidenceIds } = store.recordDevice(inspectionId, result);
    emit({ type: 'device-recorded', address: result.discovered?.address ?? '', deviceKey, entryId: evidenceIds[0] ?? 0 });
    return { result, deviceKey };
  };
  const { kept, excess } = limitPerHost(devices, MAX_SERVICES_PER_HOST);
  const refused = excess.map((device): DeviceOutcome => {
    const error: ProbeError = { kind: 'policy', message: `not probed: more than ${MAX_SERVICES_PER_HOST} service addresses answered from ${device.address} (a flood of forged answers?)` };
    emit({ type: 'device-error', address: device.address, error });
    return record({ discovered: device, config: null, streams: [], error });
  });
  const outcomes = await mapLimit(kept, plan.configConcurrency, async (device) => {
    const result = await probeOne(ports, plan, device, signal, emit, streamGate).catch((e: unknown): DeviceResult => {
      // A bug met on one device's data is recorded against that device; the batch goes on.
      const error: ProbeError = { kind: 'transport', reason: 'other', message: `internal error while probing: ${e instanceof Error ? e.message : String(e)}` };
      emit({ type: 'device-error', address: device.address, error });
      return { discovered: device, config: null, streams: [], error };
    });
    return record(result);
  });
  emit({ type: 'stage-done', stage: 'probe', ms: Date.now() - t0 });
  return [...outcomes, ...refused];
};
