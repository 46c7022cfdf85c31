/**
 * The real adapters behind the pipeline's ports: WS-Discovery and the sweep, the ONVIF probe (with
 * vendor adapters), and the stream probe. One face detector session is shared by every stream test
 * of a run: creating it is the expensive part.
 */
import { assessStream } from '../assess/stream.js';
import type { ProbeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import type { DiscoveredDevice } from '../core/types.js';
import { discoveryPortsFromEnv } from '../discovery/env-ports.js';
import { sweep, type SweepOptions } from '../discovery/sweep.js';
import { discover } from '../discovery/ws-discovery.js';
import { probeDevice } from '../onvif/probe.js';
import type { FaceDetector } from '../stream/detector.js';
import { createStreamDetector, probeStream } from '../stream/probe-stream.js';
import { redactUri } from '../stream/uri.js';
import type { DiscoverOptions, ProbePorts } from '../visit/ports.js';

export interface PortSettings {
  /** Per ONVIF call, total. */
  readonly callTimeoutMs: number;
  /** How long discovery listens. */
  readonly discoveryMs: number;
  readonly streamFrames: number;
  readonly streamSeconds: number;
  /** Sweep tuning (ports, rate); tests point it at ephemeral ports. */
  readonly sweep?: Omit<SweepOptions, 'signal'>;
  /** Discovery's destination port (tests use a private one). */
  readonly discoveryPort?: number;
  /** Answer a Basic-only RTSP camera with the password in cleartext (`--allow-basic-rtsp`, `probe` only). */
  readonly allowBasicRtsp?: boolean;
}

export const DEFAULT_PORT_SETTINGS: PortSettings = {
  callTimeoutMs: 5000,
  discoveryMs: 3000,
  streamFrames: 5,
  streamSeconds: 3,
};

/** `CAMAUDIT_WSD_PORT` (src/discovery/env-ports.ts) applied to the pipeline's settings. */
export const portSettingsFromEnv = (env: Readonly<Record<string, string | undefined>>, base: PortSettings = DEFAULT_PORT_SETTINGS): PortSettings => {
  const { wsd } = discoveryPortsFromEnv(env);
  return wsd === undefined ? base : { ...base, discoveryPort: wsd };
};

/**
 * Merge answers from several sources into one device per service address. Endpoint references are
 * the device's own claim (a flood can forge thousands for one address); the address it serves on is
 * what gets probed, so one XAddr is one device. A sweep answer names no endpoint at all.
 */
export const mergeDiscovered = (lists: readonly (readonly DiscoveredDevice[])[]): DiscoveredDevice[] => {
  const byKey = new Map<string, DiscoveredDevice>();
  const keyOfXaddr = new Map<string, string>();
  for (const d of lists.flat()) {
    const key = d.xaddrs.map((x) => keyOfXaddr.get(x)).find((k) => k !== undefined) ?? d.endpoint;
    const prev = byKey.get(key);
    const merged = prev ? { ...prev, xaddrs: [...new Set([...prev.xaddrs, ...d.xaddrs])] } : d;
    byKey.set(key, merged);
    for (const x of merged.xaddrs) keyOfXaddr.set(x, key);
  }
  return [...byKey.values()];
};

export const realPorts = (settings: PortSettings = DEFAULT_PORT_SETTINGS): ProbePorts & { close(): Promise<void> } => {
  let detector: Promise<FaceDetector> | null = null;
  const sharedDetector = (): Promise<FaceDetector> => (detector ??= createStreamDetector());

  const runDiscovery = async (
    opts: DiscoverOptions,
    onDevice: (d: DiscoveredDevice) => void,
  ): Promise<Result<DiscoveredDevice[], ProbeError>> => {
    const tasks: Promise<Result<DiscoveredDevice[], ProbeError>>[] = [
      discover(
        { interfaces: opts.interfaces, durationMs: settings.discoveryMs, signal: opts.signal, ...(settings.discoveryPort ? { port: settings.discoveryPort } : {}) },
        onDevice,
      ),
    ];
    if (opts.sweep) tasks.push(sweep(opts.sweep, { ...settings.sweep, signal: opts.signal }, onDevice));
    const results = await Promise.all(tasks);
    const failed = results.find((r) => !r.ok);
    if (failed && !failed.ok && results.every((r) => !r.ok)) return err(failed.error);
    return ok(mergeDiscovered(results.flatMap((r) => (r.ok ? [r.value] : []))));
  };

  return {
    discover: runDiscovery,
    probeConfig: (xaddr, credential, opts) =>
      probeDevice(xaddr, {
        ...(credential ? { username: credential.username, password: credential.password } : {}),
        timeoutMs: settings.callTimeoutMs,
        signal: opts.signal,
        onCall: (c) => opts.onCall(c.action, c.status, c.ms),
      }),
    probeStream: async (uri, credential, opts) =>
      probeStream(uri, {
        frames: settings.streamFrames,
        seconds: settings.streamSeconds,
        detector: await sharedDetector(),
        signal: opts.signal,
        ...(opts.snapshotUri ? { snapshotUri: opts.snapshotUri } : {}),
        ...(credential ? { credentials: { user: credential.username, password: credential.password } } : {}),
        ...(settings.allowBasicRtsp ? { allowBasicRtsp: true } : {}),
      }),
    skippedStream: (uri, error) =>
      assessStream({ uri: redactUri(uri), source: uri.startsWith('rtsp') ? 'rtsp' : 'snapshot', windowMs: 0, frames: [], evidence: [], error }),
    /** Ends the detector's worker, when a stream test started one (its thread is unref'd, so a process may skip this). */
    close: async () => {
      if (detector) await (await detector).close();
    },
  };
};
