/**
 * A device's result as the store keeps it: the probe's facts with raw bytes replaced by the ids of
 * the evidence rows that hold them. `toDeviceRecord` turns it into what reports and rules read.
 */
import { describeError, type ProbeError } from '../core/errors.js';
import type { CallEvidence, DeviceRecord, StreamSummary } from '../core/record.js';
import type { CallRecord, ConfigProbe, DeviceResult, DiscoveredDevice, EvidenceImage, StreamFacts } from '../core/types.js';
import { securityNote } from './security-notes.js';

export type StoredCall = Omit<CallRecord, 'request' | 'response'> & {
  readonly requestEvidenceId: number;
  readonly responseEvidenceId: number | null;
};
export type StoredConfig = Omit<ConfigProbe, 'calls'> & { readonly calls: readonly StoredCall[] };
export type StoredImage = Omit<EvidenceImage, 'bytes'> & { readonly evidenceId: number };
export type StoredStream = Omit<StreamFacts, 'evidence'> & { readonly evidence: readonly StoredImage[] };

export interface StoredDeviceFacts {
  readonly format: 1;
  readonly key: string;
  readonly discovered: DiscoveredDevice | null;
  readonly config: StoredConfig | null;
  readonly streams: readonly StoredStream[];
  readonly error: ProbeError | null;
  readonly securityNotes: readonly string[];
}

/** Evidence ids assigned by the store, in the order of the result's calls and stream images. */
export interface AssignedEvidence {
  readonly calls: readonly { readonly request: number; readonly response: number | null }[];
  readonly images: readonly (readonly number[])[];
}

export const toStoredFacts = (key: string, r: DeviceResult, ids: AssignedEvidence): StoredDeviceFacts => ({
  format: 1,
  key,
  discovered: r.discovered,
  config: r.config && {
    ...r.config,
    calls: r.config.calls.map(({ request: _req, response: _res, ...call }, i) => ({
      ...call,
      requestEvidenceId: ids.calls[i]?.request ?? -1,
      responseEvidenceId: ids.calls[i]?.response ?? null,
    })),
  },
  streams: r.streams.map((s, i) => ({
    ...s,
    evidence: s.evidence.map(({ bytes: _bytes, ...img }, j) => ({ ...img, evidenceId: ids.images[i]?.[j] ?? -1 })),
  })),
  error: r.error,
  securityNotes: r.securityNotes ?? [],
});

/** Calls that answered without credentials although ONVIF lets devices demand them. */
const protectedActions = /^(GetProfiles|GetStreamUri|GetSnapshotUri|GetAnalyticsModules|GetRules|GetVideoAnalyticsConfigurations|GetUsers)$/;

const derivedSecurityNotes = (c: StoredConfig | null): string[] => {
  if (!c || c.authenticated) return [];
  const open = c.calls.filter((k) => k.status === 'ok' && protectedActions.test(k.action)).map((k) => k.action);
  return open.length ? [securityNote('anonymous-onvif', open.join(', '))] : [];
};

const profileOf = (c: StoredConfig | null, s: StoredStream): string =>
  c?.profiles.find((p) => p.rtsp === s.uri || p.snapshot === s.uri)?.token ?? s.uri;

export const toDeviceRecord = (f: StoredDeviceFacts): DeviceRecord => {
  const c = f.config;
  const streams: StreamSummary[] = f.streams.map((s) => ({
    profile: profileOf(c, s),
    uri: s.uri,
    frames: s.frames,
    facesSeen: s.facesSeen,
    maxEyeDistance: s.maxEyeDistance,
    medianFaceWidth: s.medianFaceWidth,
    captureGrade: s.captureGrade,
    evidenceIds: s.evidence.map((e) => e.evidenceId),
    error: s.error && describeError(s.error),
  }));
  const calls: CallEvidence[] = (c?.calls ?? []).map((k) => ({
    action: k.action,
    service: k.service,
    status: k.status,
    requestEvidenceId: k.requestEvidenceId,
    responseEvidenceId: k.responseEvidenceId,
  }));
  const errors = [
    ...(f.error ? [describeError(f.error)] : []),
    ...(c?.errors ?? []).map((e) => `${e.action}: ${describeError(e.error)}`),
    ...streams.flatMap((s) => (s.error ? [`${s.profile}: ${s.error}`] : [])),
  ];
  return {
    key: f.key,
    address: c?.address ?? f.discovered?.address ?? '',
    xaddr: c?.xaddr ?? f.discovered?.xaddrs[0] ?? null,
    macs: c?.network.macs ?? [],
    identity: c?.device ?? { manufacturer: null, model: null, firmware: null, serial: null, hardwareId: null },
    face: c?.face ?? { supported: null, enabled: null, reasons: [] },
    streams,
    securityNotes: [...derivedSecurityNotes(c), ...f.securityNotes],
    errors,
    evidenceIds: [
      ...calls.flatMap((k) => (k.responseEvidenceId === null ? [k.requestEvidenceId] : [k.requestEvidenceId, k.responseEvidenceId])),
      ...streams.flatMap((s) => s.evidenceIds),
    ],
    calls,
    vendorFacts: c?.vendor ?? [],
  };
};

/** Renumber evidence references, for a bundle merged into another database. */
export const remapFacts = (f: StoredDeviceFacts, map: (id: number) => number): StoredDeviceFacts => ({
  ...f,
  config: f.config && {
    ...f.config,
    calls: f.config.calls.map((c) => ({ ...c, requestEvidenceId: map(c.requestEvidenceId), responseEvidenceId: c.responseEvidenceId === null ? null : map(c.responseEvidenceId) })),
  },
  streams: f.streams.map((s) => ({ ...s, evidence: s.evidence.map((e) => ({ ...e, evidenceId: map(e.evidenceId) })) })),
});

export const isStoredFacts = (x: unknown): x is StoredDeviceFacts =>
  typeof x === 'object' && x !== null && 'format' in x && x.format === 1 && 'key' in x && typeof x.key === 'string' &&
  'streams' in x && Array.isArray(x.streams) && 'config' in x && 'securityNotes' in x && Array.isArray(x.securityNotes);
