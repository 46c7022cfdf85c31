/**
 * The re-check diff: what changed per device between an inspection and its re-check, and whether
 * each earlier finding was rectified. Pure. It never guesses: a device that did not answer may have
 * been removed or merely unplugged for the visit, so it is "cannot tell" unless the inspector
 * confirmed the removal on site (checklist item `removalChecklistItem(key)` answered yes).
 */
import type { CaptureGrade } from '../core/types.js';
import type { DeviceRecord, Finding, InspectionRecord } from '../core/record.js';

export type DeviceChange =
  | 'removed'
  | 'absent'
  | 'face-disabled'
  | 'still-enabled'
  | 'newly-enabled'
  | 'newly-found'
  | 'unchanged'
  | 'face-unknown';

export interface CaptureState {
  readonly grade: CaptureGrade;
  readonly maxEyeDistancePx: number | null;
}

export interface DeviceState {
  readonly address: string;
  readonly label: string;
  readonly faceSupported: boolean | null;
  readonly faceEnabled: boolean | null;
  /** The stream with the strongest capture; null when no stream was tested. */
  readonly capture: CaptureState | null;
}

export interface DeviceDiff {
  readonly key: string;
  readonly change: DeviceChange;
  readonly before: DeviceState | null;
  readonly after: DeviceState | null;
  /** Both inspections tested a stream and the grade or the eye distance differs. */
  readonly captureChanged: boolean;
}

export type Verdict = 'rectified' | 'not-rectified' | 'cannot-tell';
export type VerdictReason =
  | 'removed-confirmed'
  | 'device-offline'
  | 'observed-again'
  | 'capture-remains'
  | 'not-observed'
  | 'probe-incomplete'
  | 'checklist-unanswered'
  | 'checklist-clear';
export type VerdictDetail = 'face-disabled' | 'no-capture' | 'no-finding';

export interface FindingVerdict {
  /** The earlier finding this verdict is about. */
  readonly finding: Finding;
  readonly verdict: Verdict;
  readonly reason: VerdictReason;
  readonly detail: VerdictDetail | null;
  /** Evidence of the re-check that the verdict rests on. */
  readonly evidenceIds: readonly number[];
}

export interface RecheckDiff {
  readonly previousInspectionId: string;
  readonly currentInspectionId: string;
  readonly devices: readonly DeviceDiff[];
  readonly verdicts: readonly FindingVerdict[];
}

/** The checklist item an inspector answers `yes` to confirm a missing device was removed. */
const REMOVAL_PREFIX = 'device-removed:';
export const removalChecklistItem = (deviceKey: string): string => `${REMOVAL_PREFIX}${deviceKey}`;

/** The device key a removal item names, or null for any other item. */
export const removedDeviceKey = (item: string): string | null => (item.startsWith(REMOVAL_PREFIX) ? item.slice(REMOVAL_PREFIX.length) : null);

const GRADE_RANK: Readonly<Record<CaptureGrade, number>> = {
  recognisable: 4,
  marginal: 3,
  'too-small': 2,
  'no-faces': 1,
  'no-frames': 0,
};

/** Grades at which a face in the stream could be recognised by a person or a matcher. */
export const isCaptureGrade = (grade: CaptureGrade): boolean => GRADE_RANK[grade] >= GRADE_RANK.marginal;

export const strongestCapture = (device: DeviceRecord): CaptureState | null =>
  device.streams.reduce<CaptureState | null>((best, s) => {
    const candidate = { grade: s.captureGrade, maxEyeDistancePx: s.maxEyeDistance };
    if (best === null) return candidate;
    const byGrade = GRADE_RANK[candidate.grade] - GRADE_RANK[best.grade];
    if (byGrade !== 0) return byGrade > 0 ? candidate : best;
    return (candidate.maxEyeDistancePx ?? -1) > (best.maxEyeDistancePx ?? -1) ? candidate : best;
  }, null);

export const deviceLabel = (d: DeviceRecord): string =>
  [d.identity.manufacturer, d.identity.model].filter((x): x is string => x !== null && x !== '').join(' ');

const stateOf = (d: DeviceRecord): DeviceState => ({
  address: d.address,
  label: deviceLabel(d),
  faceSupported: d.face.supported,
  faceEnabled: d.face.enabled,
  capture: strongestCapture(d),
});

const changeOf = (before: DeviceState | null, after: DeviceState | null, removalConfirmed: boolean): DeviceChange => {
  if (after === null) return removalConfirmed ? 'removed' : 'absent';
  if (before === null) return 'newly-found';
  if (after.faceEnabled === null) return 'face-unknown';
  if (after.faceEnabled) return before.faceEnabled === true ? 'still-enabled' : 'newly-enabled';
  return before.faceEnabled === true ? 'face-disabled' : 'unchanged';
};

// Eye distances are measured in fractional pixels; a sub-pixel wobble between runs is not a change.
const captureChanged = (before: CaptureState | null, after: CaptureState | null): boolean =>
  before !== null &&
  after !== null &&
  (before.grade !== after.grade || Math.round(before.maxEyeDistancePx ?? -1) !== Math.round(after.maxEyeDistancePx ?? -1));

/** Device findings that a picture with recognisable faces raises on its own, face functions or not. */
const CAPTURE_RULES: ReadonlySet<string> = new Set(['FR-FACE-PROC', 'FR-CONSENT']);

const sameFinding = (a: Finding, b: Finding): boolean => a.ruleId === b.ruleId && a.deviceKey === b.deviceKey;

const verdictFor = (
  finding: Finding,
  current: InspectionRecord,
  devicesByKey: ReadonlyMap<string, DeviceDiff>,
  currentDevices: ReadonlyMap<string, DeviceRecord>,
): FindingVerdict => {
  const again = current.findings.find((f) => sameFinding(f, finding));
  const diffOfDevice = finding.deviceKey === null ? undefined : devicesByKey.get(finding.deviceKey);
  // Face functions switched off while the picture still shows recognisable faces: ordinary video of an
  // entrance may be lawful with signs and a stated purpose, so the checklist decides, not the stream alone.
  if (again && CAPTURE_RULES.has(finding.ruleId) && diffOfDevice?.change === 'face-disabled') {
    return { finding, verdict: 'cannot-tell', reason: 'capture-remains', detail: 'face-disabled', evidenceIds: again.evidenceIds };
  }
  if (again) return { finding, verdict: 'not-rectified', reason: 'observed-again', detail: null, evidenceIds: again.evidenceIds };

  if (finding.deviceKey === null) {
    // Site-level findings come from the checklist: silence is not compliance.
    if (current.checklist.length === 0) return { finding, verdict: 'cannot-tell', reason: 'checklist-unanswered', detail: null, evidenceIds: [] };
    return { finding, verdict: 'rectified', reason: 'checklist-clear', detail: null, evidenceIds: current.checklist.flatMap((c) => c.evidenceIds) };
  }

  const diff = devicesByKey.get(finding.deviceKey);
  const device = currentDevices.get(finding.deviceKey);
  if (diff === undefined || device === undefined || diff.after === null) {
    const confirmed = diff?.change === 'removed';
    const evidenceIds = current.checklist.filter((c) => c.item === removalChecklistItem(finding.deviceKey ?? '')).flatMap((c) => c.evidenceIds);
    return confirmed
      ? { finding, verdict: 'rectified', reason: 'removed-confirmed', detail: null, evidenceIds }
      : { finding, verdict: 'cannot-tell', reason: 'device-offline', detail: null, evidenceIds: [] };
  }

  const after = diff.after;
  const streamRead = after.capture !== null && after.capture.grade !== 'no-frames';
  if (after.faceEnabled === null && !streamRead) {
    return { finding, verdict: 'cannot-tell', reason: 'probe-incomplete', detail: null, evidenceIds: device.evidenceIds };
  }
  const before = diff.before;
  const detail: VerdictDetail =
    before?.faceEnabled === true && after.faceEnabled === false
      ? 'face-disabled'
      : before?.capture && isCaptureGrade(before.capture.grade) && after.capture && !isCaptureGrade(after.capture.grade)
        ? 'no-capture'
        : 'no-finding';
  return { finding, verdict: 'rectified', reason: 'not-observed', detail, evidenceIds: device.evidenceIds };
};

export const diffInspections = (previous: InspectionRecord, current: InspectionRecord): RecheckDiff => {
  const beforeByKey = new Map(previous.devices.map((d) => [d.key, d]));
  const afterByKey = new Map(current.devices.map((d) => [d.key, d]));
  const confirmedRemovals = new Set(current.checklist.filter((c) => c.answer === 'yes').map((c) => c.item));
  const keys = [...new Set([...beforeByKey.keys(), ...afterByKey.keys()])];

  const devices = keys.map((key): DeviceDiff => {
    const b = beforeByKey.get(key);
    const a = afterByKey.get(key);
    const before = b ? stateOf(b) : null;
    const after = a ? stateOf(a) : null;
    return {
      key,
      change: changeOf(before, after, confirmedRemovals.has(removalChecklistItem(key))),
      before,
      after,
      captureChanged: captureChanged(before?.capture ?? null, after?.capture ?? null),
    };
  });
  const diffByKey = new Map(devices.map((d) => [d.key, d]));

  return {
    previousInspectionId: previous.meta.id,
    currentInspectionId: current.meta.id,
    devices,
    // Info-level findings record a capability that is not in use: there is nothing to rectify, so no verdict.
    verdicts: previous.findings.filter((f) => f.severity !== 'info').map((f) => verdictFor(f, current, diffByKey, afterByKey)),
  };
};
