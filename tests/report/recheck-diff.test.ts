import { describe, expect, it } from 'vitest';
import type { DeviceRecord, InspectionRecord } from '../../src/core/record.js';
import { diffInspections, removalChecklistItem, renderInspectionHtml, renderInspectionMarkdown, type DeviceChange } from '../../src/report/index.js';
import { KEYS, RULES, firstInspection, recheckInspection } from './sample-records.js';

const first = firstInspection();
const recheck = recheckInspection();
const diff = diffInspections(first, recheck);
const changeOf = (key: string): DeviceChange | undefined => diff.devices.find((d) => d.key === key)?.change;

describe('device changes', () => {
  it.each<[string, DeviceChange]>([
    [KEYS.entrance, 'face-disabled'],
    [KEYS.dahua, 'absent'],
    [KEYS.sandTable, 'unchanged'],
    [KEYS.negotiation, 'face-unknown'],
    [KEYS.broken, 'removed'],
    [KEYS.added, 'newly-found'],
  ])('%s -> %s', (key, change) => {
    expect(changeOf(key)).toBe(change);
  });

  it('lists previous devices first, then new ones', () => {
    expect(diff.devices.map((d) => d.key)).toEqual([KEYS.entrance, KEYS.dahua, KEYS.sandTable, KEYS.negotiation, KEYS.broken, KEYS.added]);
  });

  const withFace = (r: InspectionRecord, key: string, enabled: boolean | null): InspectionRecord => ({
    ...r,
    devices: r.devices.map((d): DeviceRecord => (d.key === key ? { ...d, face: { ...d.face, enabled } } : d)),
  });

  it('tells still-enabled from newly-enabled (a relapse)', () => {
    expect(diffInspections(first, withFace(recheck, KEYS.entrance, true)).devices[0]?.change).toBe('still-enabled');
    const sand = diffInspections(first, withFace(recheck, KEYS.sandTable, true)).devices.find((d) => d.key === KEYS.sandTable);
    expect(sand?.change).toBe('newly-enabled');
  });

  it('reports a stream capture change with grade and eye distance before and after', () => {
    const entrance = diff.devices[0]!;
    expect(entrance.captureChanged).toBe(true);
    expect(entrance.before?.capture).toEqual({ grade: 'recognisable', maxEyeDistancePx: 48.26 });
    expect(entrance.after?.capture).toEqual({ grade: 'no-faces', maxEyeDistancePx: null });
    expect(diff.devices.find((d) => d.key === KEYS.sandTable)?.captureChanged).toBe(false);
  });

  it('ignores a sub-pixel wobble in eye distance', () => {
    const wobble: InspectionRecord = {
      ...first,
      devices: first.devices.map((d) => (d.key === KEYS.entrance ? { ...d, streams: d.streams.map((s) => ({ ...s, maxEyeDistance: 48.4 })) } : d)),
    };
    expect(diffInspections(first, wobble).devices[0]?.captureChanged).toBe(false);
  });
});

describe('rectification verdicts', () => {
  const verdictOf = (ruleId: string, key: string | null) => diff.verdicts.find((v) => v.finding.ruleId === ruleId && v.finding.deviceKey === key);

  it('gives one verdict per earlier finding', () => {
    expect(diff.verdicts).toHaveLength(first.findings.length);
  });

  it('gives no verdict for an info-level finding: a capability not in use is nothing to rectify', () => {
    const info = { ...first.findings[0]!, severity: 'info' as const, ruleId: 'FR-FACE-PROC', deviceKey: KEYS.sandTable };
    const withInfo: InspectionRecord = { ...first, findings: [...first.findings, info] };
    const d = diffInspections(withInfo, { ...recheck, findings: [...recheck.findings, info] });
    expect(d.verdicts).toHaveLength(first.findings.length);
    expect(d.verdicts.some((v) => v.finding === info)).toBe(false);
  });

  it('rectified: face functions disabled, with the re-check evidence', () => {
    expect(verdictOf('FR-FACE-PROC', KEYS.entrance)).toMatchObject({ verdict: 'rectified', reason: 'not-observed', detail: 'face-disabled', evidenceIds: [21, 22, 25] });
  });

  it('cannot tell: face functions off but the same face finding again, because the picture still shows recognisable faces', () => {
    const stillCaptures: InspectionRecord = {
      ...recheck,
      findings: [...recheck.findings, { ...first.findings.find((f) => f.ruleId === 'FR-FACE-PROC' && f.deviceKey === KEYS.entrance)!, evidenceIds: [25] }],
    };
    const v = diffInspections(first, stillCaptures).verdicts.find((x) => x.finding.ruleId === 'FR-FACE-PROC' && x.finding.deviceKey === KEYS.entrance);
    expect(v).toMatchObject({ verdict: 'cannot-tell', reason: 'capture-remains', detail: 'face-disabled', evidenceIds: [25] });
    const consent = { ...v!.finding, ruleId: 'FR-CONSENT' };
    const withConsent = diffInspections({ ...first, findings: [...first.findings, consent] }, { ...stillCaptures, findings: [...stillCaptures.findings, consent] });
    expect(withConsent.verdicts.find((x) => x.finding.ruleId === 'FR-CONSENT' && x.finding.deviceKey === KEYS.entrance)).toMatchObject({ verdict: 'cannot-tell', reason: 'capture-remains' });
    const md = renderInspectionMarkdown(stillCaptures, { lang: 'en', rules: RULES, previous: first });
    expect(md).toContain('face functions are now off, but the picture still shows recognisable faces (evidence #25)');
  });

  it('cannot tell: device offline and removal not confirmed', () => {
    expect(verdictOf('FR-FACE-PROC', KEYS.dahua)).toMatchObject({ verdict: 'cannot-tell', reason: 'device-offline' });
  });

  it('rectified: device gone and the inspector confirmed its removal', () => {
    expect(verdictOf('FR-SECURITY', KEYS.broken)).toMatchObject({ verdict: 'rectified', reason: 'removed-confirmed', evidenceIds: [28] });
  });

  it('a removal item answered "no" does not confirm removal', () => {
    const unconfirmed: InspectionRecord = { ...recheck, checklist: recheck.checklist.map((c) => (c.item === removalChecklistItem(KEYS.broken) ? { ...c, answer: 'no' } : c)) };
    const d = diffInspections(first, unconfirmed);
    expect(d.devices.find((x) => x.key === KEYS.broken)?.change).toBe('absent');
    expect(d.verdicts.find((v) => v.finding.deviceKey === KEYS.broken)).toMatchObject({ verdict: 'cannot-tell', reason: 'device-offline' });
  });

  it('cannot tell: device answered only in part', () => {
    expect(verdictOf('FR-PURPOSE', KEYS.negotiation)).toMatchObject({ verdict: 'cannot-tell', reason: 'probe-incomplete' });
  });

  it('not rectified: the same finding recorded again', () => {
    expect(verdictOf('FR-SIGNAGE', null)).toMatchObject({ verdict: 'not-rectified', reason: 'observed-again', evidenceIds: [29] });
  });

  it('site-level finding: clear checklist -> rectified; no checklist -> cannot tell', () => {
    const clear = diffInspections(first, { ...recheck, findings: [] });
    expect(clear.verdicts.find((v) => v.finding.ruleId === 'FR-SIGNAGE')).toMatchObject({ verdict: 'rectified', reason: 'checklist-clear' });
    const silent = diffInspections(first, { ...recheck, findings: [], checklist: [] });
    expect(silent.verdicts.find((v) => v.finding.ruleId === 'FR-SIGNAGE')).toMatchObject({ verdict: 'cannot-tell', reason: 'checklist-unanswered' });
  });

  it('rectified because the stream no longer shows capture-grade faces', () => {
    const captureOnly: InspectionRecord = { ...first, devices: first.devices.map((d) => (d.key === KEYS.dahua ? { ...d, face: { ...d.face, enabled: false } } : d)) };
    const later: InspectionRecord = {
      ...recheck,
      devices: [...recheck.devices, { ...first.devices[1]!, face: { ...first.devices[1]!.face, enabled: false }, streams: [{ ...first.devices[1]!.streams[0]!, captureGrade: 'too-small', maxEyeDistance: 7 }] }],
    };
    expect(diffInspections(captureOnly, later).verdicts.find((v) => v.finding.deviceKey === KEYS.dahua)).toMatchObject({ verdict: 'rectified', detail: 'no-capture' });
  });
});

describe('re-check report', () => {
  it.each([
    ['zh-CN', ['与上次检查相比的变化', '人脸功能已关闭', '设备离线：无法判断是已拆除还是无法访问', '已拆除（检查人员确认）', '新发现', '未整改', '已整改', '无法判断', '视频流采集变化：可识别，眼距 48.3 像素 → 未见人脸']],
    ['en', ['Changes since the previous inspection', 'face functions disabled', 'device offline: cannot tell whether removed or unreachable', 'removed (confirmed by the inspector)', 'newly found', 'not rectified', 'rectified', 'cannot tell', 'stream capture changed: recognisable, eye distance 48.3 px → no faces']],
  ] as const)('shows the diff and verdicts (%s)', (lang, texts) => {
    const html = renderInspectionHtml(recheck, { lang, rules: RULES, previous: first });
    for (const text of texts) expect(html).toContain(text);
    const md = renderInspectionMarkdown(recheck, { lang, rules: RULES, previous: first });
    expect(md).toContain(lang === 'zh-CN' ? '## 上次发现问题的整改情况' : '## Rectification of earlier findings');
  });

  it('says when the previous inspection was not supplied', () => {
    expect(renderInspectionHtml(recheck, { lang: 'en', rules: RULES })).toContain('The previous inspection was not supplied');
  });
});
