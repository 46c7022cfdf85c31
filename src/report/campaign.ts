/**
 * Campaign summary: one row per site with its latest inspection and rectification status.
 * `campaignRow` derives a row from a site's inspections (pure); `renderCampaign` draws rows as an A4
 * HTML table or CSV. Linear in the number of sites, so hundreds of sites render in milliseconds.
 */
import type { InspectionMeta, InspectionRecord, Lang, SiteDetails } from '../core/record.js';
import { t } from '../i18n/index.js';
import { mono, type ReportDocument } from './document.js';
import { DASH } from './format.js';
import { diffInspections, type FindingVerdict } from '../assess/recheck.js';
import { renderHtml } from './render-html.js';
import { csvField } from './text.js';

export type RectificationStatus =
  | 'not-inspected'
  | 'no-findings'
  | 'awaiting-recheck'
  | 'rectified'
  | 'partly-rectified'
  | 'not-rectified'
  | 'cannot-tell';

export interface CampaignRow {
  readonly site: Pick<SiteDetails, 'id' | 'name' | 'district'>;
  readonly last: Pick<InspectionMeta, 'id' | 'kind' | 'startedAt' | 'caseNumber'> | null;
  readonly inspections: number;
  readonly devices: number;
  readonly faceCapable: number;
  /** Findings of the last inspection, plus earlier ones whose rectification cannot be told. */
  readonly openFindings: number;
  readonly status: RectificationStatus;
}

export const rectificationStatus = (verdicts: readonly FindingVerdict[]): RectificationStatus => {
  if (verdicts.length === 0) return 'no-findings';
  const count = (v: FindingVerdict['verdict']): number => verdicts.filter((x) => x.verdict === v).length;
  const rectified = count('rectified');
  const notRectified = count('not-rectified');
  if (rectified === verdicts.length) return 'rectified';
  if (notRectified > 0) return rectified > 0 ? 'partly-rectified' : 'not-rectified';
  return 'cannot-tell';
};

/**
 * A site's row from its inspections (any order). Passing the latest and the one it re-checks is
 * enough; `inspectionCount` then says how many the site has in all.
 */
export const campaignRow = (
  site: Pick<SiteDetails, 'id' | 'name' | 'district'>,
  inspections: readonly InspectionRecord[],
  inspectionCount: number = inspections.length,
): CampaignRow => {
  const byStart = [...inspections].sort((a, b) => a.meta.startedAt.localeCompare(b.meta.startedAt));
  const last = byStart.at(-1);
  if (last === undefined) return { site, last: null, inspections: 0, devices: 0, faceCapable: 0, openFindings: 0, status: 'not-inspected' };
  const previous = last.meta.previousInspectionId === null ? undefined : byStart.find((r) => r.meta.id === last.meta.previousInspectionId);
  const verdicts = previous ? diffInspections(previous, last).verdicts : [];
  const status: RectificationStatus = previous
    ? rectificationStatus(verdicts)
    : last.findings.length === 0
      ? 'no-findings'
      : 'awaiting-recheck';
  return {
    site,
    last: last.meta,
    inspections: inspectionCount,
    devices: last.devices.length,
    faceCapable: last.devices.filter((d) => d.face.supported === true || d.face.enabled === true).length,
    openFindings: last.findings.length + verdicts.filter((v) => v.verdict === 'cannot-tell').length,
    status,
  };
};

const HEAD_KEYS = [
  'campaign.col.siteId',
  'campaign.col.site',
  'campaign.col.district',
  'campaign.col.lastInspection',
  'campaign.col.kind',
  'campaign.col.inspections',
  'campaign.col.devices',
  'campaign.col.faceCapable',
  'campaign.col.openFindings',
  'campaign.col.rectification',
] as const;

/** `time: 'date'` shows the day only (the HTML table); CSV keeps the full timestamp for sorting and joins. */
const rowCells = (row: CampaignRow, lang: Lang, time: 'date' | 'timestamp'): readonly string[] => [
  row.site.id,
  row.site.name,
  row.site.district,
  row.last ? (time === 'date' ? row.last.startedAt.slice(0, 10) : row.last.startedAt) : DASH,
  row.last ? t(lang, row.last.kind === 'first' ? 'kind.first' : 'kind.recheck') : DASH,
  String(row.inspections),
  String(row.devices),
  String(row.faceCapable),
  String(row.openFindings),
  t(lang, `campaign.status.${row.status}`),
];

/** CSV with a UTF-8 BOM (spreadsheet programs read Chinese correctly only with it) and CRLF rows. */
const renderCsv = (rows: readonly CampaignRow[], lang: Lang): string =>
  '\uFEFF' +
  [HEAD_KEYS.map((k) => t(lang, k)), ...rows.map((r) => rowCells(r, lang, 'timestamp'))].map((cells) => cells.map(csvField).join(',')).join('\r\n') +
  '\r\n';

const campaignDocument = (rows: readonly CampaignRow[], lang: Lang): ReportDocument => ({
  lang,
  title: t(lang, 'campaign.title'),
  subtitle: t(lang, 'campaign.summary', {
    sites: rows.length,
    inspected: rows.filter((r) => r.last !== null).length,
    open: rows.filter((r) => r.openFindings > 0).length,
  }),
  blocks: [
    {
      kind: 'table',
      head: HEAD_KEYS.map((k) => t(lang, k)),
      rows: rows.map((r) => rowCells(r, lang, 'date').map((text, i) => (i === 0 ? mono(text) : text))),
      empty: t(lang, 'campaign.status.not-inspected'),
    },
  ],
  footer: t(lang, 'report.disclaimer'),
  landscape: true,
});

export const renderCampaign = (rows: readonly CampaignRow[], format: 'html' | 'csv', lang: Lang): string =>
  format === 'csv' ? renderCsv(rows, lang) : renderHtml(campaignDocument(rows, lang));
