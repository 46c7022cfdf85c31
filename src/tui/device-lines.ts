/** The device view's text, as plain lines: pure, so the reducer can bound the scroll by it. */
import type { DeviceRecord, EvidenceRef, Lang } from '../core/record.js';
import { t } from '../i18n/index.js';
import { yesNo } from '../report/format.js';
import { tt } from './strings.js';

export interface DeviceFacts {
  readonly lang: Lang;
  readonly device: DeviceRecord;
  readonly evidence: readonly EvidenceRef[];
  readonly snapshots: readonly string[];
}

/** Lines of the device view: facts, the reasons behind each verdict, the stream test, evidence. */
export const deviceLines = ({ lang, device: d, evidence, snapshots }: DeviceFacts): string[] => {
  const mine = new Set(d.evidenceIds);
  return [
    `${d.identity.manufacturer ?? '?'} ${d.identity.model ?? ''} · ${d.address}`,
    tt(lang, 'view.firmware', { firmware: d.identity.firmware ?? '-', serial: d.identity.serial ?? '-' }),
    tt(lang, 'view.face', { supported: yesNo(lang, d.face.supported), enabled: yesNo(lang, d.face.enabled) }),
    `— ${tt(lang, 'view.reasons')}`,
    ...d.face.reasons.map((r) =>
      tt(lang, 'view.reason', { source: t(lang, `source.${r.source}`), name: r.name, bears: t(lang, `bears.${r.bears}`), call: r.call ?? '-' }),
    ),
    `— ${tt(lang, 'view.streams')}`,
    ...d.streams.map((s) =>
      tt(lang, 'view.stream', { profile: s.profile, frames: s.frames, faces: s.facesSeen, grade: t(lang, `grade.${s.captureGrade}`), eye: s.maxEyeDistance?.toFixed(0) ?? '-' }),
    ),
    ...snapshots.map((file) => tt(lang, 'view.snapshot', { file })),
    ...(d.errors.length ? [`— ${tt(lang, 'view.errors')}`, ...d.errors] : []),
    `— ${tt(lang, 'view.evidence')}`,
    ...evidence
      .filter((e) => mine.has(e.id) || e.deviceKey === d.key)
      .map((e) => tt(lang, 'view.evidenceRow', { id: e.id, kind: t(lang, `evidence.${e.kind}`), call: e.call, hash: e.sha256.slice(0, 16) })),
  ];
};

