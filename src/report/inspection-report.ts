/**
 * The inspection record (检查笔录): header, devices, reasons, stream tests, findings with their
 * provisions, checklist, evidence index, chain head and signature block. Built once as a
 * ReportDocument and rendered to HTML or Markdown; JSON carries the record itself plus the resolved
 * rule texts.
 */
import type { DeviceRecord, Finding, InspectionRecord, Lang } from '../core/record.js';
import { t } from '../i18n/index.js';
import { addressLabels } from './device-address.js';
import type { ReportContext, ReportFormat, RuleCatalog } from './context.js';
import { mono, type Block, type Image, type ReportDocument } from './document.js';
import { DASH, citationText, citationsText, evidenceList, joinOrDash, orDash, px, toImage, yesNo } from './format.js';
import { diffInspections, removedDeviceKey, strongestCapture, type RecheckDiff } from '../assess/recheck.js';
import { recheckBlocks } from './recheck-report.js';
import { renderHtml } from './render-html.js';
import { renderMarkdown } from './render-markdown.js';

const headerBlocks = (r: InspectionRecord, lang: Lang): Block[] => {
  const m = r.meta;
  const s = r.site;
  return [
    { kind: 'heading', level: 2, text: t(lang, 'section.case') },
    {
      kind: 'fields',
      rows: [
        [t(lang, 'field.caseNumber'), orDash(m.caseNumber)],
        [t(lang, 'field.inspectionId'), mono(m.id)],
        [t(lang, 'field.kind'), t(lang, m.kind === 'first' ? 'kind.first' : 'kind.recheck')],
        ...(m.previousInspectionId ? [[t(lang, 'field.previousInspection'), mono(m.previousInspectionId)] as const] : []),
        [t(lang, 'field.start'), m.startedAt],
        [t(lang, 'field.end'), m.endedAt ?? t(lang, 'common.notEnded')],
      ],
    },
    { kind: 'heading', level: 2, text: t(lang, 'section.site') },
    {
      kind: 'fields',
      rows: [
        [t(lang, 'field.siteName'), orDash(s.name)],
        [t(lang, 'field.siteId'), mono(`${s.id} (v${s.version})`)],
        [t(lang, 'field.address'), orDash(s.address)],
        [t(lang, 'field.zones'), joinOrDash(m.zones, lang === 'zh-CN' ? '、' : ', ')],
        [t(lang, 'field.district'), orDash(s.district)],
        [t(lang, 'field.developer'), orDash(s.developer)],
        [t(lang, 'field.contact'), orDash(s.contact)],
      ],
    },
    { kind: 'heading', level: 2, text: t(lang, 'section.people') },
    {
      kind: 'fields',
      rows: [
        [t(lang, 'field.inspectors'), joinOrDash(m.inspectors, lang === 'zh-CN' ? '、' : ', ')],
        [t(lang, 'field.experts'), joinOrDash(m.experts, lang === 'zh-CN' ? '、' : ', ')],
        [t(lang, 'field.representative'), orDash(m.representative)],
        [t(lang, 'field.witness'), orDash(m.witness)],
      ],
    },
    { kind: 'heading', level: 2, text: t(lang, 'section.method') },
    {
      kind: 'fields',
      rows: [
        [t(lang, 'field.method'), t(lang, 'method.text')],
        [t(lang, 'field.toolkitVersion'), mono(m.toolkitVersion)],
        [t(lang, 'field.modelSha256'), mono(m.modelSha256)],
        [t(lang, 'field.interface'), mono(orDash(m.interfaceAddress))],
        [t(lang, 'field.subnet'), mono(orDash(m.subnet))],
      ],
    },
  ];
};

const findingsOf = (r: InspectionRecord, key: string): readonly Finding[] => r.findings.filter((f) => f.deviceKey === key);

/** The address a device of this record is shown under (addressLabels: with its port where IPs repeat). */
const shownAddress = (r: InspectionRecord, d: Pick<DeviceRecord, 'key' | 'address'>): string => addressLabels(r.devices).get(d.key) ?? d.address;

const deviceTable = (r: InspectionRecord, lang: Lang): Block => ({
  kind: 'table',
  head: ['#', t(lang, 'col.ip'), t(lang, 'col.mac'), t(lang, 'col.vendor'), t(lang, 'col.model'), t(lang, 'col.serial'), t(lang, 'col.firmware'),
    t(lang, 'col.faceSupported'), t(lang, 'col.faceEnabled'), t(lang, 'col.captureGrade'), t(lang, 'col.findings')],
  rows: r.devices.map((d, i) => {
    const capture = strongestCapture(d);
    return [
      i + 1,
      mono(shownAddress(r, d)),
      mono(joinOrDash(d.macs)),
      orDash(d.identity.manufacturer),
      orDash(d.identity.model),
      mono(orDash(d.identity.serial)),
      orDash(d.identity.firmware),
      yesNo(lang, d.face.supported),
      yesNo(lang, d.face.enabled),
      capture ? t(lang, `grade.${capture.grade}`) : DASH,
      findingsOf(r, d.key).length,
    ];
  }),
  empty: t(lang, 'devices.none'),
});

const snapshotImages = (r: InspectionRecord, d: DeviceRecord, ctx: ReportContext): Image[] => {
  const ids = new Set([...d.streams.flatMap((s) => s.evidenceIds), ...d.evidenceIds]);
  return r.evidence
    .filter((e) => e.kind === 'snapshot' && ids.has(e.id))
    .flatMap((e) => {
      const bytes = ctx.snapshots?.get(e.id);
      const caption = t(ctx.lang, 'device.snapshotCaption', { id: `#${e.id}`, sha256: e.sha256 });
      const image = bytes ? toImage(bytes, caption, caption) : null;
      return image ? [image] : [];
    });
};

const deviceBlocks = (r: InspectionRecord, d: DeviceRecord, n: number, ctx: ReportContext): Block[] => {
  const lang = ctx.lang;
  const images = snapshotImages(r, d, ctx);
  return [
    { kind: 'heading', level: 3, text: t(lang, 'device.heading', { n, address: shownAddress(r, d) }) },
    {
      kind: 'fields',
      rows: [
        [t(lang, 'field.deviceKey'), mono(d.key)],
        [t(lang, 'field.xaddr'), mono(orDash(d.xaddr))],
        [t(lang, 'col.vendor'), orDash(d.identity.manufacturer)],
        [t(lang, 'col.model'), orDash(d.identity.model)],
        [t(lang, 'col.serial'), mono(orDash(d.identity.serial))],
        [t(lang, 'col.firmware'), orDash(d.identity.firmware)],
        [t(lang, 'field.hardwareId'), orDash(d.identity.hardwareId)],
        [t(lang, 'col.mac'), mono(joinOrDash(d.macs))],
        [t(lang, 'field.faceSupported'), yesNo(lang, d.face.supported)],
        [t(lang, 'field.faceEnabled'), yesNo(lang, d.face.enabled)],
        [t(lang, 'field.securityNotes'), joinOrDash(d.securityNotes, '; ')],
        [t(lang, 'field.errors'), joinOrDash(d.errors, '; ')],
        [t(lang, 'field.evidenceIds'), evidenceList(d.evidenceIds)],
      ],
    },
    { kind: 'heading', level: 4, text: t(lang, 'device.reasons') },
    {
      kind: 'table',
      head: [t(lang, 'col.source'), t(lang, 'col.rawName'), t(lang, 'col.pattern'), t(lang, 'col.bears'), t(lang, 'col.call'), t(lang, 'col.detail')],
      rows: d.face.reasons.map((reason) => [
        t(lang, `source.${reason.source}`),
        mono(reason.name),
        mono(reason.pattern),
        t(lang, `bears.${reason.bears}`),
        mono(orDash(reason.call)),
        orDash(reason.detail),
      ]),
      empty: t(lang, 'device.noReasons'),
    },
    { kind: 'heading', level: 4, text: t(lang, 'device.streams') },
    {
      kind: 'table',
      head: [t(lang, 'col.profile'), t(lang, 'col.uri'), t(lang, 'col.frames'), t(lang, 'col.facesSeen'), t(lang, 'col.maxEyeDistancePx'),
        t(lang, 'col.medianFaceWidthPx'), t(lang, 'col.captureGrade'), t(lang, 'col.evidence'), t(lang, 'col.error')],
      rows: d.streams.map((s) => [
        orDash(s.profile),
        mono(s.uri),
        s.frames,
        s.facesSeen,
        px(s.maxEyeDistance),
        px(s.medianFaceWidth),
        t(lang, `grade.${s.captureGrade}`),
        evidenceList(s.evidenceIds),
        orDash(s.error),
      ]),
      empty: t(lang, 'device.noStreams'),
    },
    ...(images.length > 0 ? [{ kind: 'heading', level: 4, text: t(lang, 'device.snapshots') } as const, { kind: 'images', images } as const] : []),
  ];
};

const findingRows = (r: InspectionRecord, rules: RuleCatalog, lang: Lang) =>
  r.findings.map((f) => {
    const rule = rules.get(f.ruleId);
    const device = f.deviceKey === null ? null : r.devices.find((d) => d.key === f.deviceKey);
    return [
      mono(f.ruleId),
      rule ? rule.title[lang] : t(lang, 'findings.unknownRule', { id: f.ruleId }),
      t(lang, `severity.${f.severity}`),
      f.deviceKey === null ? t(lang, 'findings.siteLevel') : mono(device ? shownAddress(r, device) : f.deviceKey),
      f.observation[lang],
      citationsText(lang, rule),
      evidenceList(f.evidenceIds),
    ];
  });

const checklistQuestion = (r: InspectionRecord, item: string, ctx: ReportContext): string => {
  const removed = removedDeviceKey(item);
  if (removed !== null) {
    const device = ctx.previous?.devices.find((d) => d.key === removed) ?? r.devices.find((d) => d.key === removed);
    return t(ctx.lang, 'checklist.removed', { device: device ? `${device.address} (${removed})` : removed });
  }
  return ctx.checklistQuestions?.get(item)?.[ctx.lang] ?? DASH;
};

const bodyBlocks = (r: InspectionRecord, ctx: ReportContext, diff: RecheckDiff | null): Block[] => {
  const lang = ctx.lang;
  return [
    { kind: 'paragraph', tone: 'note', text: `${t(lang, 'report.disclaimer')} ${t(lang, 'report.marks')}` },
    ...headerBlocks(r, lang),
    { kind: 'heading', level: 2, text: t(lang, 'section.devices') },
    deviceTable(r, lang),
    { kind: 'heading', level: 2, text: t(lang, 'section.findings') },
    {
      kind: 'table',
      head: [t(lang, 'col.rule'), t(lang, 'col.title'), t(lang, 'col.severity'), t(lang, 'col.device'), t(lang, 'col.observation'), t(lang, 'col.citations'), t(lang, 'col.evidence')],
      rows: findingRows(r, ctx.rules, lang),
      empty: t(lang, 'findings.none'),
    },
    ...(ctx.previous && diff ? recheckBlocks(diff, ctx.previous, r, ctx) : []),
    ...(r.meta.kind === 'recheck' && !ctx.previous ? [{ kind: 'paragraph', text: t(lang, 'diff.noPrevious') } as const] : []),
    { kind: 'heading', level: 2, text: t(lang, 'section.checklist') },
    {
      kind: 'table',
      head: [t(lang, 'col.item'), t(lang, 'col.question'), t(lang, 'col.answer'), t(lang, 'col.note'), t(lang, 'col.photos'), t(lang, 'col.evidence')],
      rows: r.checklist.map((c) => [mono(c.item), checklistQuestion(r, c.item, ctx), t(lang, `answer.${c.answer}`), orDash(c.note), joinOrDash(c.photos), evidenceList(c.evidenceIds)]),
      empty: t(lang, 'checklist.none'),
    },
    { kind: 'heading', level: 2, text: t(lang, 'section.deviceDetails'), pageBreakBefore: r.devices.length > 0 },
    ...(r.devices.length === 0 ? [{ kind: 'paragraph', text: t(lang, 'devices.none') } as const] : r.devices.flatMap((d, i) => deviceBlocks(r, d, i + 1, ctx))),
    { kind: 'heading', level: 2, text: t(lang, 'section.evidence'), pageBreakBefore: r.evidence.length > 0 },
    {
      kind: 'table',
      head: [t(lang, 'col.id'), t(lang, 'col.kind'), t(lang, 'col.call'), t(lang, 'col.device'), t(lang, 'col.sha256'), t(lang, 'col.bytes'), t(lang, 'col.time')],
      rows: r.evidence.map((e) => [`#${e.id}`, t(lang, `evidence.${e.kind}`), mono(e.call), mono(orDash(e.deviceKey)), mono(e.sha256), e.bytes, e.recordedAt]),
      empty: t(lang, 'evidence.none'),
    },
    { kind: 'heading', level: 2, text: t(lang, 'section.notes') },
    {
      kind: 'table',
      head: [t(lang, 'col.time'), t(lang, 'col.text')],
      rows: r.notes.map((n) => [n.at, n.text]),
      empty: t(lang, 'notes.none'),
    },
    { kind: 'heading', level: 2, text: t(lang, 'section.integrity') },
    { kind: 'paragraph', text: t(lang, 'integrity.text') },
    { kind: 'fields', rows: [[t(lang, 'field.chainHead'), mono(r.chainHead)]] },
    { kind: 'heading', level: 2, text: t(lang, 'section.signatures') },
    ...(ctx.signatures && ctx.signatures.length > 0
      ? [
          { kind: 'heading', level: 4, text: t(lang, 'signature.recorded') } as const,
          {
            kind: 'table',
            head: [t(lang, 'col.name'), t(lang, 'col.role'), t(lang, 'col.status'), t(lang, 'col.note'), t(lang, 'col.time')],
            rows: ctx.signatures.map((s) => [s.name, s.role, t(lang, s.status === 'signed' ? 'signature.status.signed' : 'signature.status.refused'), orDash(s.note), s.at]),
            empty: '',
          } as const,
        ]
      : []),
    {
      kind: 'signatures',
      roles: [t(lang, 'signature.inspectors'), t(lang, 'signature.experts'), t(lang, 'signature.representative'), t(lang, 'signature.witness')],
      dateLabel: t(lang, 'signature.date'),
      refusal: t(lang, 'signature.refusal'),
    },
  ];
};

const diffFor = (r: InspectionRecord, ctx: ReportContext): RecheckDiff | null => (ctx.previous ? diffInspections(ctx.previous, r) : null);

export const inspectionDocument = (r: InspectionRecord, ctx: ReportContext): ReportDocument => ({
  lang: ctx.lang,
  title: t(ctx.lang, r.meta.kind === 'recheck' ? 'report.recheck.title' : 'report.inspection.title'),
  subtitle: `${t(ctx.lang, 'report.subtitle')} · ${r.site.name} · ${r.meta.caseNumber}`,
  blocks: bodyBlocks(r, ctx, diffFor(r, ctx)),
  footer: t(ctx.lang, 'report.generatedBy', { version: r.meta.toolkitVersion }),
});

export const renderInspectionHtml = (r: InspectionRecord, ctx: ReportContext): string => renderHtml(inspectionDocument(r, ctx));

export const renderInspectionMarkdown = (r: InspectionRecord, ctx: ReportContext): string => renderMarkdown(inspectionDocument(r, ctx));

/** Machine-readable report: the record as stored, each finding's rule text in `lang`, and the re-check diff. */
export const renderInspectionJson = (r: InspectionRecord, ctx: ReportContext): string => {
  const report = {
    schema: 'camaudit/inspection-report@1',
    lang: ctx.lang,
    title: t(ctx.lang, r.meta.kind === 'recheck' ? 'report.recheck.title' : 'report.inspection.title'),
    disclaimer: t(ctx.lang, 'report.disclaimer'),
    record: r,
    rules: Object.fromEntries(
      [...new Set(r.findings.map((f) => f.ruleId))].map((id) => {
        const rule = ctx.rules.get(id);
        return [id, rule ? { title: rule.title[ctx.lang], citations: rule.citations.map((c) => citationText(ctx.lang, c)) } : null];
      }),
    ),
    recheck: diffFor(r, ctx),
  };
  // `<` escaped so the JSON can be pasted into an HTML <script> block without closing it.
  return `${JSON.stringify(report, null, 2).replace(/</g, '\\u003c')}\n`;
};

export const renderInspection = (r: InspectionRecord, format: ReportFormat, ctx: ReportContext): string => {
  switch (format) {
    case 'html':
      return renderInspectionHtml(r, ctx);
    case 'md':
      return renderInspectionMarkdown(r, ctx);
    case 'json':
      return renderInspectionJson(r, ctx);
  }
};
