import { describe, expect, it } from 'vitest';
import type { InspectionRecord } from '../../src/core/record.js';
import { campaignRow, renderCampaign, type CampaignRow } from '../../src/report/index.js';
import { HOSTILE, firstInspection, recheckInspection } from './sample-records.js';

/** RFC 4180 reader, enough to check what a spreadsheet would see. */
const parseCsv = (text: string): string[][] => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  const endField = (): void => {
    row.push(field);
    field = '';
  };
  for (let i = 0; i < text.length; i += 1) {
    const ch = text[i]!;
    const next = text[i + 1];
    if (quoted) {
      if (ch === '"' && next === '"') {
        field += '"';
        i += 1;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') endField();
    else if (ch === '\r' && next === '\n') {
      endField();
      rows.push(row);
      row = [];
      i += 1;
    } else field += ch;
  }
  return rows;
};

const first = firstInspection();
const recheck = recheckInspection();
const site = (id: string, name = `Site ${id} (fictional)`) => ({ id, name, district: '示例区' });

/** A campaign of `n` sites: a third not inspected, a third awaiting re-check, a third re-checked. */
const campaign = (n: number): { site: ReturnType<typeof site>; inspections: InspectionRecord[] }[] =>
  Array.from({ length: n }, (_, i) => {
    const id = `site-${String(i).padStart(4, '0')}`;
    const f = { ...first, meta: { ...first.meta, id: `${id}-a`, siteId: id } };
    const r = { ...recheck, meta: { ...recheck.meta, id: `${id}-b`, siteId: id, previousInspectionId: `${id}-a` } };
    return { site: site(id), inspections: i % 3 === 0 ? [] : i % 3 === 1 ? [f] : [r, f] };
  });

describe('campaign rows', () => {
  it('summarises a re-checked site from its latest inspection and the diff', () => {
    expect(campaignRow(site('s1'), [recheck, first])).toEqual({
      site: site('s1'),
      last: recheck.meta,
      inspections: 2,
      devices: 4,
      faceCapable: 1,
      // FR-SIGNAGE recorded again, plus two earlier findings that cannot be told (offline, half-answering).
      openFindings: 3,
      status: 'partly-rectified',
    });
  });

  it('marks sites not inspected, awaiting re-check, and without findings', () => {
    expect(campaignRow(site('s2'), []).status).toBe('not-inspected');
    expect(campaignRow(site('s3'), [first])).toMatchObject({ status: 'awaiting-recheck', openFindings: 5, faceCapable: 3 });
    expect(campaignRow(site('s4'), [{ ...first, findings: [] }]).status).toBe('no-findings');
  });

  it('is rectified when every earlier finding is', () => {
    const clean: InspectionRecord = { ...recheck, findings: [], devices: recheck.devices, checklist: recheck.checklist };
    const earlier: InspectionRecord = { ...first, findings: first.findings.filter((f) => f.ruleId === 'FR-SIGNAGE' || f.deviceKey === recheck.devices[0]!.key) };
    expect(campaignRow(site('s5'), [earlier, clean]).status).toBe('rectified');
  });
});

describe('campaign CSV', () => {
  it.each(['zh-CN', 'en'] as const)('has a BOM, a localised header, one CRLF row per site, and defused formulas (%s)', (lang) => {
    const rows: CampaignRow[] = [campaignRow(site('s1', HOSTILE.formula), [first]), campaignRow(site('s2', 'Quote "and", comma\nnewline'), []), campaignRow(site('s3'), [recheck, first])];
    const csv = renderCampaign(rows, 'csv', lang);
    expect(csv.startsWith('\uFEFF')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const table = parseCsv(csv.slice(1));
    expect(table).toHaveLength(4);
    expect(table.every((r) => r.length === 10)).toBe(true);
    expect(table[0]![1]).toBe(lang === 'zh-CN' ? '地点' : 'Site');
    expect(table[1]).toEqual(['s1', `'${HOSTILE.formula}`, '示例区', first.meta.startedAt, lang === 'zh-CN' ? '首次检查' : 'first inspection', '1', '5', '3', '5', lang === 'zh-CN' ? '待回头看' : 'awaiting re-check']);
    expect(table[2]![1]).toBe('Quote "and", comma\nnewline');
    expect(table[2]!.slice(3)).toEqual(['—', '—', '0', '0', '0', '0', lang === 'zh-CN' ? '未检查' : 'not inspected']);
    expect(table[3]![9]).toBe(lang === 'zh-CN' ? '部分整改' : 'partly rectified');
  });
});

describe('campaign of 500 sites', () => {
  it('builds and renders HTML and CSV well under a second', () => {
    const sites = campaign(500);
    const t0 = performance.now();
    const rows = sites.map((s) => campaignRow(s.site, s.inspections));
    const t1 = performance.now();
    const html = renderCampaign(rows, 'html', 'zh-CN');
    const t2 = performance.now();
    const csv = renderCampaign(rows, 'csv', 'zh-CN');
    const t3 = performance.now();
    console.log(
      `campaign 500 sites: rows ${(t1 - t0).toFixed(1)} ms, html ${(t2 - t1).toFixed(1)} ms (${html.length} chars), csv ${(t3 - t2).toFixed(1)} ms (${csv.length} chars), total ${(t3 - t0).toFixed(1)} ms`,
    );
    expect(parseCsv(csv.slice(1))).toHaveLength(501);
    expect(html.match(/<tr>/g)).toHaveLength(501);
    expect(t3 - t0).toBeLessThan(1000);
  });
});
