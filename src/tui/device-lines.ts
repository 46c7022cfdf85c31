/** The device view's rows, text and pictures: pure, so the reducer can bound the scroll by them. */
import type { DeviceRecord, EvidenceRef, Lang } from '../core/record.js';
import type { FaceReason } from '../core/types.js';
import { t } from '../i18n/index.js';
import { yesNo } from '../report/format.js';
import type { RgbFrame } from '../core/types.js';
import { previewLines } from './snapshot-preview.js';
import type { ColourMode } from './terminal-colours.js';

/** A blurred snapshot of the device: the file it was copied to, and a small picture of it when decoded. */
export interface DeviceSnapshot {
  readonly file: string;
  readonly preview: RgbFrame | null;
}

export interface DeviceFacts {
  readonly lang: Lang;
  readonly device: DeviceRecord;
  readonly evidence: readonly EvidenceRef[];
  readonly snapshots: readonly DeviceSnapshot[];
  /** What the terminal draws; null: no pictures, the paths only. */
  readonly colours: ColourMode | null;
}

/**
 * Text comes from the device and is shown with its control characters as markers; a picture line
 * is our own escapes (colours only) and goes to the terminal as it is.
 */
export type DeviceRow = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'picture'; readonly line: string };

const text = (line: string): DeviceRow => ({ kind: 'text', text: line });

/** The same module or flag read through several calls is one line, naming every call. */
const groupedReasons = (reasons: readonly FaceReason[]): { readonly reason: FaceReason; readonly calls: string[] }[] => {
  const groups = new Map<string, { reason: FaceReason; calls: string[] }>();
  for (const r of reasons) {
    const key = `${r.source}\u0000${r.name}\u0000${r.bears}`;
    const group = groups.get(key) ?? { reason: r, calls: [] };
    if (r.call !== null && !group.calls.includes(r.call)) group.calls.push(r.call);
    groups.set(key, group);
  }
  return [...groups.values()];
};

/** Each snapshot's picture (where the terminal draws one) right above its path line. */
const snapshotRows = (lang: Lang, snapshots: readonly DeviceSnapshot[], colours: ColourMode | null): DeviceRow[] =>
  snapshots.flatMap(({ file, preview }) => [
    ...(preview && colours ? previewLines(preview, colours).map((line): DeviceRow => ({ kind: 'picture', line })) : []),
    text(t(lang, 'view.snapshot', { file })),
  ]);

/** Rows of the device view: facts, the reasons behind each verdict, the stream test, snapshots, evidence. */
export const deviceRows = ({ lang, device: d, evidence, snapshots, colours }: DeviceFacts): DeviceRow[] => {
  const mine = new Set(d.evidenceIds);
  const before = [
    `${d.identity.manufacturer ?? '?'} ${d.identity.model ?? ''} · ${d.address}`,
    t(lang, 'view.firmware', { firmware: d.identity.firmware ?? '-', serial: d.identity.serial ?? '-' }),
    t(lang, 'view.face', { supported: yesNo(lang, d.face.supported), enabled: yesNo(lang, d.face.enabled) }),
    `— ${t(lang, 'view.reasons')}`,
    ...groupedReasons(d.face.reasons).map(({ reason: r, calls }) =>
      t(lang, 'view.reason', { source: t(lang, `source.${r.source}`), name: r.name, bears: t(lang, `bears.${r.bears}`), call: calls.join(', ') || '-' }),
    ),
    `— ${t(lang, 'device.streams')}`,
    ...d.streams.map((s) =>
      t(lang, 'view.stream', { profile: s.profile, frames: s.frames, faces: s.facesSeen, grade: t(lang, `grade.${s.captureGrade}`), eye: s.maxEyeDistance?.toFixed(0) ?? '-' }),
    ),
    ...(d.streams.length === 0 ? [t(lang, 'view.noStream')] : []),
  ];
  const after = [
    ...(d.errors.length ? [`— ${t(lang, 'view.errors')}`, ...d.errors] : []),
    `— ${t(lang, 'view.evidence')}`,
    ...evidence
      .filter((e) => mine.has(e.id) || e.deviceKey === d.key)
      .map((e) => t(lang, 'view.evidenceRow', { id: e.id, kind: t(lang, `evidence.${e.kind}`), call: e.call, hash: e.sha256.slice(0, 16) })),
  ];
  return [...before.map(text), ...snapshotRows(lang, snapshots, colours), ...after.map(text)];
};

