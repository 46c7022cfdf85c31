/** The re-check sections of a report: per-device changes and a verdict per earlier finding. */
import type { InspectionRecord, Lang } from '../core/record.js';
import { t } from '../i18n/index.js';
import type { ReportContext } from './context.js';
import { mono, type Block } from './document.js';
import { DASH, evidenceList, px, yesNo } from './format.js';
import type { DeviceDiff, DeviceState, FindingVerdict, RecheckDiff } from '../assess/recheck.js';

const captureText = (lang: Lang, s: DeviceState | null): string => {
  if (!s?.capture) return DASH;
  const grade = t(lang, `grade.${s.capture.grade}`);
  return s.capture.maxEyeDistancePx === null ? grade : t(lang, 'diff.streamValue', { grade, eyeDistancePx: px(s.capture.maxEyeDistancePx) });
};

const stateText = (lang: Lang, s: DeviceState | null): string =>
  s === null ? DASH : t(lang, 'diff.state', { face: yesNo(lang, s.faceEnabled), capture: captureText(lang, s) });

const changeText = (lang: Lang, d: DeviceDiff): string =>
  [t(lang, `diff.change.${d.change}`), ...(d.captureChanged ? [t(lang, 'diff.streamChanged', { before: captureText(lang, d.before), after: captureText(lang, d.after) })] : [])].join('; ');

export const verdictReasonText = (lang: Lang, v: FindingVerdict): string => {
  switch (v.reason) {
    case 'observed-again':
    case 'capture-remains':
      return t(lang, `why.${v.reason}`, { evidence: evidenceList(v.evidenceIds) });
    case 'not-observed':
      return t(lang, 'why.not-observed', { detail: t(lang, `why.detail.${v.detail ?? 'no-finding'}`) });
    default:
      return t(lang, `why.${v.reason}`);
  }
};

export const recheckBlocks = (diff: RecheckDiff, previous: InspectionRecord, current: InspectionRecord, ctx: ReportContext): Block[] => {
  const lang = ctx.lang;
  const addressOf = (key: string | null): string => {
    if (key === null) return t(lang, 'findings.siteLevel');
    const d = current.devices.find((x) => x.key === key) ?? previous.devices.find((x) => x.key === key);
    return d?.address ?? key;
  };
  return [
    { kind: 'heading', level: 2, text: t(lang, 'section.diff') },
    { kind: 'fields', rows: [[t(lang, 'field.previousInspection'), mono(`${previous.meta.id} (${previous.meta.caseNumber}, ${previous.meta.startedAt})`)]] },
    {
      kind: 'table',
      head: [t(lang, 'col.device'), t(lang, 'col.model'), t(lang, 'col.change'), t(lang, 'col.before'), t(lang, 'col.after')],
      rows: diff.devices.map((d) => [
        mono((d.after ?? d.before)?.address ?? d.key),
        (d.after ?? d.before)?.label || DASH,
        changeText(lang, d),
        stateText(lang, d.before),
        stateText(lang, d.after),
      ]),
      empty: t(lang, 'diff.none'),
    },
    { kind: 'heading', level: 2, text: t(lang, 'section.verdicts') },
    {
      kind: 'table',
      head: [t(lang, 'col.rule'), t(lang, 'col.title'), t(lang, 'col.device'), t(lang, 'col.observation'), t(lang, 'col.verdict'), t(lang, 'col.why'), t(lang, 'col.evidence')],
      rows: diff.verdicts.map((v) => [
        mono(v.finding.ruleId),
        ctx.rules.get(v.finding.ruleId)?.title[lang] ?? t(lang, 'findings.unknownRule', { id: v.finding.ruleId }),
        mono(addressOf(v.finding.deviceKey)),
        v.finding.observation[lang],
        t(lang, `verdict.${v.verdict}`),
        verdictReasonText(lang, v),
        evidenceList(v.evidenceIds),
      ]),
      empty: t(lang, 'verdicts.none'),
    },
  ];
};
