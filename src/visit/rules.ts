/**
 * The visit's rules, decided once here and used by every front end (inspect, recheck, probe, the demo, the TUI):
 * which streams are tested, which inspection a re-check follows, how devices are matched across inspections,
 * and how many probes run at once.
 */
import type { InspectionMeta, InspectionRecord } from '../core/record.js';
import type { CameraProfile } from '../core/types.js';
import { deviceLabel } from '../assess/recheck.js';

/**
 * `main`: an inspection tests each device's main stream (the one a recorder or a matcher uses), which keeps a
 * 64-camera visit within its minute. `every`: `camaudit probe` diagnoses one device and tests each distinct stream.
 */
export type StreamPolicy = 'main' | 'every';

export interface StreamTarget {
  readonly uri: string;
  readonly profile: CameraProfile;
  /** The same profile's snapshot URI, tried when the stream gives no frame; null when it has none of its own. */
  readonly snapshot: string | null;
}

/**
 * A device's streams, one per URI, largest resolution first. RTSP when the profile has it, else its snapshot URI;
 * a profile with both keeps the snapshot as its fallback.
 */
export const streamTargets = (profiles: readonly CameraProfile[], policy: StreamPolicy = 'every'): StreamTarget[] => {
  const byUri = new Map<string, CameraProfile>();
  for (const p of [...profiles].sort((a, b) => (b.width ?? 0) * (b.height ?? 0) - (a.width ?? 0) * (a.height ?? 0))) {
    const uri = p.rtsp ?? p.snapshot;
    if (uri && !byUri.has(uri)) byUri.set(uri, p);
  }
  const all = [...byUri].map(([uri, profile]) => ({ uri, profile, snapshot: profile.snapshot !== null && profile.snapshot !== uri ? profile.snapshot : null }));
  return policy === 'main' ? all.slice(0, 1) : all;
};

/**
 * The inspection a new visit to the site re-checks: its latest finished one, by start time (ids break a tie).
 * None finished: the visit is a first inspection.
 */
export const previousInspection = (inspections: readonly InspectionMeta[]): InspectionMeta | null =>
  [...inspections]
    .filter((m) => m.endedAt !== null)
    .sort((a, b) => (a.startedAt === b.startedAt ? Number(a.id) - Number(b.id) : a.startedAt < b.startedAt ? -1 : 1))
    .at(-1) ?? null;

/** A device of the earlier inspection that did not answer this time: the inspector says whether it was removed. */
export interface MissingDevice {
  readonly key: string;
  readonly label: string;
}

/**
 * Devices of the earlier inspection not seen now: matched by key, and not at a service address that answered
 * (the same camera read with and without its password can carry two keys, a serial only the password reveals).
 * The service address, not the host: one host can serve several devices (an NVR's channels, the simulator).
 */
export const missingDevices = (previous: InspectionRecord | null, current: InspectionRecord): MissingDevice[] => {
  if (!previous) return [];
  const keys = new Set(current.devices.map((d) => d.key));
  const xaddrs = new Set(current.devices.flatMap((d) => (d.xaddr ? [d.xaddr] : [])));
  return previous.devices
    .filter((d) => !keys.has(d.key) && !(d.xaddr !== null && xaddrs.has(d.xaddr)))
    .map((d) => ({ key: d.key, label: [deviceLabel(d), d.address].filter((x) => x !== '').join(' ') }));
};

export interface Concurrency {
  readonly config: number;
  /** Stream tests decode video and run the detector: CPU-bound, so fewer at once. */
  readonly stream: number;
}

/**
 * A scripted run (inspect, recheck, the demo): measured on 2 cores (bench/scale.ts), 8 configuration probes and 6
 * stream tests at once keep the event loop's p99 under 100 ms and 64 cameras under 500 MB; 2 stream tests made 64
 * cameras take 3.6x as long.
 */
export const BATCH_CONCURRENCY: Concurrency = { config: 8, stream: 6 };

/** The terminal UI probes what the inspector picked while it draws every frame: lighter, one stream test at a time. */
export const INTERACTIVE_CONCURRENCY: Concurrency = { config: 4, stream: 1 };

/** Signature roles as the inspection record names the people present. */
export const SIGNATURE_ROLES = ['inspector', 'expert', 'representative', 'witness'] as const;
export type SignatureRole = (typeof SIGNATURE_ROLES)[number];
