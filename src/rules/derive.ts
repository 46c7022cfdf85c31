/**
 * Facts -> findings. Pure. Every finding names what was observed and the evidence rows it rests
 * on; it never states a violation. The inspector and the prosecutor draw conclusions.
 */
import type { ChecklistEntry, DeviceRecord, Finding, Localized, Severity } from '../core/record.js';
import type { FaceReason } from '../core/types.js';
import { CHECKLIST_ITEMS } from './checklist-items.js';
import { ruleById } from './catalog.js';
import { highRiskCodes, noteCode } from './security-notes.js';

export interface FindingInput {
  readonly devices: readonly DeviceRecord[];
  readonly checklist: readonly ChecklistEntry[];
}

/** Face library / comparison: faces matched against stored identities, not just detected. */
const comparisonName = /face.?lib|face.?contrast|face.?compar|face.?recogn|face.?match|snap.?modeling|FDLib|人脸比对|人脸库/i;
/** Cloud or P2P platforms through which face data can leave the premises. */
const cloudName = /p2p|ezviz|hik-?connect|t2u|easy4ip|cloud|platform.?access|imou/i;
const truthy = /^(true|1|enable|enabled|on|yes|online|registered)$/i;
const faceCountName = /face.*(count|num|total)|(count|num|total).*face/i;
/** Stored-face count above which PIPL filing applies (办法 15). */
const FILING_THRESHOLD_FACES = 100_000;

const label = (d: DeviceRecord): string => {
  const name = [d.identity.manufacturer, d.identity.model].filter((x): x is string => !!x).join(' ');
  return name ? `${name} (${d.address})` : d.address || d.key;
};

const refs = (ids: readonly number[]): string => (ids.length ? ids.map((i) => `#${i}`).join(', ') : '-');
const uniq = (ids: readonly number[]): number[] => [...new Set(ids)].sort((a, b) => a - b);

/** The responses that show a reason: its call's response, else every answered call of the device. */
const evidenceFor = (d: DeviceRecord, calls: readonly (string | null)[]): number[] => {
  const all = d.calls ?? [];
  const named = all.filter((c) => calls.includes(c.action));
  const chosen = named.length ? named : all.filter((c) => c.status === 'ok');
  return uniq(chosen.map((c) => c.responseEvidenceId ?? c.requestEvidenceId));
};

const reasonText = (rs: readonly FaceReason[]): string => [...new Set(rs.map((r) => `${r.name} [${r.source}]`))].join('; ');

const finding = (ruleId: string, severity: Severity, deviceKey: string | null, observation: Localized, evidenceIds: readonly number[]): Finding => {
  ruleById(ruleId);
  return { ruleId, severity, deviceKey, observation, evidenceIds: uniq(evidenceIds) };
};

const vendorValues = (d: DeviceRecord): [string, string][] =>
  (d.vendorFacts ?? []).flatMap((v) => Object.entries(v.values).map(([k, val]): [string, string] => [`${v.vendor}:${k}`, val]));

const vendorEvidence = (d: DeviceRecord): number[] => {
  const vendors = (d.vendorFacts ?? []).map((v) => v.vendor);
  return uniq((d.calls ?? []).filter((c) => vendors.some((v) => c.service.toLowerCase().includes(v)) && c.responseEvidenceId !== null).map((c) => c.responseEvidenceId ?? c.requestEvidenceId));
};

const faceFindings = (d: DeviceRecord, consent: ChecklistEntry | undefined): Finding[] => {
  const out: Finding[] = [];
  const enabled = d.face.reasons.filter((r) => r.bears === 'enabled');
  const supported = d.face.reasons.filter((r) => r.bears !== 'enabled');
  const capture = d.streams.filter((s) => s.captureGrade === 'recognisable' || s.captureGrade === 'marginal');
  const recognisable = capture.some((s) => s.captureGrade === 'recognisable');
  const facesCaptured = d.face.enabled === true || capture.length > 0;
  if (facesCaptured) {
    const zh: string[] = [];
    const en: string[] = [];
    const cfgIds = d.face.enabled === true ? evidenceFor(d, enabled.map((r) => r.call)) : [];
    if (d.face.enabled === true) {
      zh.push(`设备 ${label(d)} 已启用人脸检测/抓拍/识别功能：${reasonText(enabled) || '见配置'}（证据 ${refs(cfgIds)}）`);
      en.push(`Device ${label(d)} has face detection/capture/recognition enabled: ${reasonText(enabled) || 'see configuration'} (evidence ${refs(cfgIds)})`);
    }
    for (const s of capture) {
      const eye = s.maxEyeDistance === null ? '-' : `${Math.round(s.maxEyeDistance)} px`;
      zh.push(`视频流 ${s.profile} 在 ${s.frames} 帧中检测到 ${s.facesSeen} 张人脸，最大眼距 ${eye}，判定为${s.captureGrade === 'recognisable' ? '可识别' : '临界'}级别（证据 ${refs(s.evidenceIds)}）`);
      en.push(`Stream ${s.profile} showed ${s.facesSeen} faces in ${s.frames} frames, largest inter-eye distance ${eye}, graded ${s.captureGrade} (evidence ${refs(s.evidenceIds)})`);
    }
    const severity: Severity = d.face.enabled === true || recognisable ? 'high' : 'medium';
    out.push(finding('FR-FACE-PROC', severity, d.key, { 'zh-CN': zh.join('；'), en: en.join('; ') }, [...cfgIds, ...capture.flatMap((s) => s.evidenceIds)]));
    if (!consent) {
      const ids = [...cfgIds, ...capture.flatMap((s) => s.evidenceIds)];
      out.push(finding('FR-CONSENT', 'medium', d.key, {
        'zh-CN': `设备 ${label(d)} 采集人脸；采集前是否取得单独同意尚待检查清单项"consent"确认`,
        en: `Device ${label(d)} captures faces; whether separate consent precedes capture is pending checklist item "consent"`,
      }, ids));
    }
  } else if (d.face.supported === true) {
    const ids = evidenceFor(d, supported.map((r) => r.call));
    const state = d.face.enabled === false ? { zh: '未启用', en: 'not enabled' } : { zh: '启用状态未知', en: 'enabled state unknown' };
    out.push(finding('FR-FACE-PROC', 'info', d.key, {
      'zh-CN': `设备 ${label(d)} 支持人脸功能（${reasonText(supported) || '见配置'}），${state.zh}（证据 ${refs(ids)}）`,
      en: `Device ${label(d)} supports face functions (${reasonText(supported) || 'see configuration'}), ${state.en} (evidence ${refs(ids)})`,
    }, ids));
  }
  return out;
};

const comparisonFindings = (d: DeviceRecord): Finding[] => {
  const reasons = d.face.reasons.filter((r) => r.bears !== 'disabled' && comparisonName.test(r.name));
  const flags = vendorValues(d).filter(([k, v]) => comparisonName.test(k) && truthy.test(v) && !reasons.some((r) => k.endsWith(`:${r.name}`)));
  if (!reasons.length && !flags.length) return [];
  const names = [...reasons.map((r) => `${r.name} [${r.bears}]`), ...flags.map(([k, v]) => `${k}=${v}`)].join('; ');
  const ids = [...evidenceFor(d, reasons.map((r) => r.call)), ...(flags.length ? vendorEvidence(d) : [])];
  const inUse = reasons.some((r) => r.bears === 'enabled');
  return [
    finding('FR-PURPOSE', inUse ? 'high' : 'medium', d.key, {
      'zh-CN': `设备 ${label(d)} 具备人脸库/人脸比对能力：${names}（证据 ${refs(uniq(ids))}）；比对用途（如判客）待核实`,
      en: `Device ${label(d)} has face library / comparison capability: ${names} (evidence ${refs(uniq(ids))}); what comparison is used for (e.g. attributing visitors to agents) is to be confirmed`,
    }, ids),
    finding('FR-RAW-BIOMETRIC', 'medium', d.key, {
      'zh-CN': `设备 ${label(d)} 的人脸库功能意味着可存储原始人脸图像：${names}（证据 ${refs(uniq(ids))}）`,
      en: `Device ${label(d)}'s face library function can store raw face images: ${names} (evidence ${refs(uniq(ids))})`,
    }, ids),
  ];
};

const securityFindings = (d: DeviceRecord): Finding[] => {
  if (!d.securityNotes.length) return [];
  const high = d.securityNotes.some((n) => highRiskCodes.includes(noteCode(n)));
  const ids = evidenceFor(d, d.securityNotes.flatMap((n) => n.split(/[:,]\s*/).slice(1)));
  const list = d.securityNotes.join('; ');
  return [finding('FR-SECURITY', high ? 'high' : 'medium', d.key, {
    'zh-CN': `设备 ${label(d)} 的访问控制情况：${list}（证据 ${refs(ids)}）`,
    en: `Device ${label(d)} access control: ${list} (evidence ${refs(ids)})`,
  }, ids)];
};

const cloudFindings = (d: DeviceRecord): Finding[] => {
  const flags = vendorValues(d).filter(([k, v]) => cloudName.test(k) && truthy.test(v));
  if (!flags.length) return [];
  const ids = vendorEvidence(d);
  const list = flags.map(([k, v]) => `${k}=${v}`).join('; ');
  return [finding('FR-LOCAL-STORE', 'medium', d.key, {
    'zh-CN': `设备 ${label(d)} 已开启云平台/P2P接入：${list}（证据 ${refs(ids)}）；人脸数据是否经互联网传出待核实`,
    en: `Device ${label(d)} has cloud/P2P access on: ${list} (evidence ${refs(ids)}); whether face data leaves over the Internet is to be confirmed`,
  }, ids)];
};

const filingFindings = (d: DeviceRecord, filing: ChecklistEntry | undefined): Finding[] => {
  const counts = vendorValues(d).filter(([k, v]) => faceCountName.test(k) && /^\d+$/.test(v) && Number(v) >= FILING_THRESHOLD_FACES);
  if (!counts.length || filing?.answer === 'yes') return [];
  const ids = vendorEvidence(d);
  const list = counts.map(([k, v]) => `${k}=${v}`).join('; ');
  return [finding('FR-FILING', 'medium', d.key, {
    'zh-CN': `设备 ${label(d)} 报告存储人脸数量达到或超过 100,000：${list}（证据 ${refs(ids)}）；备案回执待核实`,
    en: `Device ${label(d)} reports 100,000 or more stored faces: ${list} (evidence ${refs(ids)}); filing receipt to be checked`,
  }, ids)];
};

const answerText = { yes: { zh: '是', en: 'yes' }, no: { zh: '否', en: 'no' } } as const;

const checklistFindings = (entries: readonly ChecklistEntry[]): Finding[] =>
  CHECKLIST_ITEMS.flatMap((item) => {
    const e = entries.find((x) => x.item === item.id);
    if (!e || e.answer !== item.raisesOn) return [];
    const a = answerText[item.raisesOn];
    const note = e.note ? { zh: `；备注：${e.note}`, en: `; note: ${e.note}` } : { zh: '', en: '' };
    return [finding(item.ruleId, ruleById(item.ruleId).severity, null, {
      'zh-CN': `检查清单"${item.id}"：${item.question['zh-CN']} 检查人员回答"${a.zh}"${note.zh}（证据 ${refs(e.evidenceIds)}）`,
      en: `Checklist "${item.id}": ${item.question.en} The inspector answered "${a.en}"${note.en} (evidence ${refs(e.evidenceIds)})`,
    }, e.evidenceIds)];
  });

/** The latest answer per item wins; entries arrive in recording order. */
const latestAnswers = (entries: readonly ChecklistEntry[]): ChecklistEntry[] => {
  const m = new Map<string, ChecklistEntry>();
  for (const e of entries) m.set(e.item, e);
  return [...m.values()];
};

export const deriveFindings = (input: FindingInput): Finding[] => {
  const checklist = latestAnswers(input.checklist);
  const consent = checklist.find((e) => e.item === 'consent' && e.answer !== 'n/a');
  const filing = checklist.find((e) => e.item === 'filing');
  return [
    ...input.devices.flatMap((d) => [...faceFindings(d, consent), ...comparisonFindings(d), ...securityFindings(d), ...cloudFindings(d), ...filingFindings(d, filing)]),
    ...checklistFindings(checklist),
  ];
};
