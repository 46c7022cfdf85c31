import { describe, expect, it } from 'vitest';
import type { Lang } from '../../src/core/record.js';
import { escapeHtml, escapeMarkdown, renderInspectionHtml, renderInspectionJson, renderInspectionMarkdown, type ReportContext } from '../../src/report/index.js';
import { RULES as CATALOG } from '../../src/rules/catalog.js';
import { CHECKLIST_ITEMS } from '../../src/rules/checklist-items.js';
import { HOSTILE, RULES, firstInspection, hostileInspection, recheckInspection } from './sample-records.js';

const JPEG = { mime: 'image/jpeg', bytes: new Uint8Array([0xff, 0xd8, 0xff, 0xe0, 1, 2, 3, 0xff, 0xd9]) };
const ctx = (lang: Lang, extra: Partial<ReportContext> = {}): ReportContext => ({ lang, rules: RULES, snapshots: new Map([[5, JPEG]]), ...extra });

// Every tag the renderer itself writes; anything else in the output came from data.
const ALLOWED_TAGS = new Set(['html', 'head', 'meta', 'title', 'style', 'body', 'h1', 'h2', 'h3', 'h4', 'p', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'ul', 'li', 'div', 'figure', 'img', 'figcaption', 'span', 'footer']);
const tagsOf = (html: string): Set<string> => new Set([...html.matchAll(/<([a-zA-Z][a-zA-Z0-9]*)/g)].map((m) => m[1]!.toLowerCase()));

describe.each<Lang>(['zh-CN', 'en'])('inspection report (%s)', (lang) => {
  const record = firstInspection();
  const html = renderInspectionHtml(record, ctx(lang));
  const md = renderInspectionMarkdown(record, ctx(lang));

  it('is one self-contained HTML file that forbids scripts and remote loads', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain(`<html lang="${lang}">`);
    expect(html).toContain("default-src 'none'; img-src data:");
    expect(html).not.toMatch(/\b(src|href)="(?!data:)/);
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('thead { display: table-header-group; }');
    expect([...tagsOf(html)].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
  });

  it('carries the header of an inspection record', () => {
    const m = record.meta;
    for (const text of [m.caseNumber, m.inspectors[0]!, m.experts[0]!, m.representative, m.witness, m.modelSha256, m.toolkitVersion, m.interfaceAddress, m.subnet!, record.site.address, record.site.district, m.startedAt, m.endedAt!]) {
      expect(html).toContain(text);
    }
    expect(html).toContain(lang === 'zh-CN' ? '检查笔录' : 'Inspection record');
    expect(html).toContain(lang === 'zh-CN' ? '见证人' : 'Witness');
  });

  it('shows the zones inspected next to the address, in HTML and Markdown, and a dash when none were named', () => {
    const label = lang === 'zh-CN' ? '检查区域' : 'Zones inspected';
    const address = lang === 'zh-CN' ? '地址' : 'Address';
    const zones = lang === 'zh-CN' ? '入口、沙盘区、洽谈区' : '入口, 沙盘区, 洽谈区';
    expect(html).toContain(`<tr><th>${address}</th><td>${escapeHtml(record.site.address)}</td></tr><tr><th>${label}</th><td>${zones}</td></tr>`);
    expect(md).toContain(`| ${address} | ${escapeMarkdown(record.site.address)} |\n| ${label} | ${zones} |`);
    const none = renderInspectionMarkdown({ ...record, meta: { ...record.meta, zones: [] } }, ctx(lang));
    expect(none).toContain(`| ${label} | — |`);
  });

  it('shows a dash for the interface and subnet of an inspection whose network was never chosen', () => {
    const label = lang === 'zh-CN' ? '网络接口' : 'Network interface';
    const subnet = lang === 'zh-CN' ? '子网' : 'Subnet';
    const none = renderInspectionMarkdown({ ...record, meta: { ...record.meta, interfaceAddress: '', subnet: null } }, ctx(lang));
    expect(none).toContain(`| ${label} | — |\n| ${subnet} | — |`);
  });

  it('lists every device with identity, face verdict reasons and stream results', () => {
    for (const d of record.devices) expect(html).toContain(`<td class="mono">${d.address}</td>`);
    expect(html).toContain('iDS-2CD7A46G0-IZHS');
    expect(html).toContain('44:19:b6:00:00:01');
    expect(html).toContain('FaceDetector-1');
    expect(html).toContain('/^isSupportFace/');
    expect(html).toContain('<td>48.3</td>');
    expect(html).toContain('<td>131.5</td>');
    expect(html).toContain(lang === 'zh-CN' ? '可识别' : 'recognisable');
    expect(html).toContain('ter:ActionNotSupported');
  });

  it('embeds the blurred snapshot the caller supplied as a data: URI, and only that one', () => {
    const imgs = [...html.matchAll(/<img [^>]*src="data:image\/jpeg;base64,([^"]+)"/g)];
    expect(imgs.map((m) => m[1])).toEqual([Buffer.from(JPEG.bytes).toString('base64')]);
  });

  it('cites the provisions of every finding and lists its evidence', () => {
    for (const f of record.findings) {
      const rule = RULES.get(f.ruleId)!;
      const row = html.split('<tr>').find((r) => r.includes(f.observation[lang]));
      expect(row, f.ruleId).toBeDefined();
      expect(row).toContain(rule.title[lang]);
      for (const c of rule.citations) expect(row).toContain(`${c.law[lang]} ${c.article} ${c.mark}`);
      for (const id of f.evidenceIds) expect(row).toContain(`#${id}`);
    }
  });

  it('indexes every piece of evidence with its hash, and prints the chain head and signature block', () => {
    for (const e of record.evidence) expect(html).toContain(e.sha256);
    expect(html).toContain(record.chainHead);
    expect(html).toContain(lang === 'zh-CN' ? '如有人拒绝签名' : 'refuses to sign');
    expect(html).toContain(lang === 'zh-CN' ? '法律条文为转述' : 'Legal provisions are paraphrased');
  });

  it('renders the same content as Markdown', () => {
    expect(md.startsWith(`# ${lang === 'zh-CN' ? '检查笔录' : 'Inspection record'}`)).toBe(true);
    for (const e of record.evidence) expect(md).toContain(e.sha256);
    for (const f of record.findings) for (const c of RULES.get(f.ruleId)!.citations) expect(md).toContain(escapeMarkdown(`${c.law[lang]} ${c.article} ${c.mark}`));
    expect(md).toContain(record.chainHead);
    // Every table row has the same number of cells as its header.
    const rows = md.split('\n').filter((l) => l.startsWith('| '));
    for (const r of rows) expect(r.endsWith(' |'), r).toBe(true);
  });

  it('says when a rule is missing from the catalog instead of inventing a citation', () => {
    const out = renderInspectionHtml(record, ctx(lang, { rules: new Map() }));
    expect(out).toContain(lang === 'zh-CN' ? '规则 FR-FACE-PROC 不在规则目录中' : 'rule FR-FACE-PROC is not in the catalog');
  });
});

describe('hostile device strings', () => {
  const record = hostileInspection();

  it.each<Lang>(['zh-CN', 'en'])('cannot inject markup into the HTML report (%s)', (lang) => {
    const html = renderInspectionHtml(record, ctx(lang));
    expect([...tagsOf(html)].filter((t) => !ALLOWED_TAGS.has(t))).toEqual([]);
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/<iframe/i);
    expect(html).not.toMatch(/<img src=x/i);
    // Event-handler attributes inside any real tag (text may mention `onerror=`, escaped).
    expect([...html.matchAll(/<[a-z][^>]*>/gi)].filter((m) => /\son\w+=/i.test(m[0]))).toEqual([]);
    expect(html).toContain('&lt;script&gt;alert(&quot;pwn&quot;)&lt;/script&gt;');
    expect(html).toContain('&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;iframe');
    // The bidi override is shown, not obeyed.
    expect(html).not.toContain('\u202E');
    expect(html).toContain('v1.0&lt;U+202E&gt;gpj.exe');
    const zonesRow = html.split('<tr>').find((r) => r.startsWith(`<th>${lang === 'zh-CN' ? '检查区域' : 'Zones inspected'}</th>`));
    expect(zonesRow).toContain('&lt;/td&gt;&lt;/tr&gt;&lt;/table&gt;&lt;iframe src=&quot;http://evil.example/&quot;&gt;');
  });

  it('cannot inject links, images, HTML or table cells into the Markdown report', () => {
    const md = renderInspectionMarkdown(record, ctx('en'));
    expect(md).not.toMatch(/<script|<iframe|<img/i);
    // A link or image needs an unescaped `](`.
    expect(md).not.toMatch(/(?<!\\)\]\(/);
    expect(md).toContain('\\[click\\](javascript:alert(1)) \\| broken \\| !\\[x\\](http://evil.example/t.png)');
    const headerCells = (line: string): number => line.split(/(?<!\\)\|/).length;
    const lines = md.split('\n');
    for (let i = 0; i < lines.length; i += 1) {
      if (!lines[i]!.startsWith('|---')) continue;
      const width = headerCells(lines[i - 1]!);
      for (let j = i + 1; j < lines.length && lines[j]!.startsWith('| '); j += 1) expect(headerCells(lines[j]!), lines[j]).toBe(width);
    }
  });

  it('keeps JSON intact and free of a closing script tag', () => {
    const json = renderInspectionJson(record, ctx('en'));
    expect(json).not.toContain('</script>');
    const parsed: unknown = JSON.parse(json);
    expect(parsed).toMatchObject({ schema: 'camaudit/inspection-report@1', record: { site: { name: HOSTILE.formula } } });
  });
});

describe('JSON report', () => {
  it('holds the record, each rule text in the chosen language, and the re-check diff', () => {
    const json: unknown = JSON.parse(renderInspectionJson(recheckInspection(), ctx('zh-CN', { previous: firstInspection() })));
    expect(json).toMatchObject({
      lang: 'zh-CN',
      title: '检查笔录（整改后回头看）',
      rules: { 'FR-SIGNAGE': { title: CATALOG.find((r) => r.id === 'FR-SIGNAGE')!.title['zh-CN'], citations: ['个人信息保护法 26 ✔', '人脸识别技术应用安全管理办法 13 ◐'] } },
      record: { meta: { id: 'insp-recheck-0002', zones: ['入口', '沙盘区', '洽谈区'] } },
      recheck: { previousInspectionId: 'insp-first-0001', currentInspectionId: 'insp-recheck-0002' },
    });
  });

  it('has no re-check section for a first inspection', () => {
    const json: unknown = JSON.parse(renderInspectionJson(firstInspection(), ctx('en')));
    expect(json).toMatchObject({ recheck: null });
  });
});

describe('snapshot embedding', () => {
  it('refuses a mime type it did not choose (the mime lands inside a data: URI)', () => {
    const html = renderInspectionHtml(firstInspection(), ctx('en', { snapshots: new Map([[5, { mime: 'text/html', bytes: new Uint8Array([60, 98, 62]) }]]) }));
    expect(html).not.toContain('data:text/html');
    expect(html).not.toMatch(/<img /);
  });
});

describe('with the real rules catalog', () => {
  it.each<Lang>(['zh-CN', 'en'])('every rule, cited by a finding, shows its title and every provision with its mark (%s)', (lang) => {
    const base = firstInspection();
    const record = { ...base, findings: CATALOG.map((r) => ({ ruleId: r.id, severity: r.severity, deviceKey: null, observation: { en: `obs ${r.id}`, 'zh-CN': `观察 ${r.id}` }, evidenceIds: [9] })) };
    const html = renderInspectionHtml(record, ctx(lang));
    for (const rule of CATALOG) {
      const row = html.split('<tr>').find((r) => r.includes(`>${rule.id}<`) && r.includes(lang === 'en' ? `obs ${rule.id}<` : `观察 ${rule.id}<`));
      expect(row, rule.id).toBeDefined();
      expect(row).toContain(escapeHtml(rule.title[lang]));
      expect(rule.citations.length, rule.id).toBeGreaterThan(0);
      for (const c of rule.citations) expect(row).toContain(escapeHtml(`${c.law[lang]} ${c.article} ${c.mark}`));
    }
  });
});

describe('signatures', () => {
  it('lists recorded signatures and refusals above the blank lines', () => {
    const html = renderInspectionHtml(firstInspection(), ctx('zh-CN', {
      signatures: [
        { name: '张检察官 (fictional)', role: 'inspector', status: 'signed', at: '2026-03-02T11:21:00+08:00' },
        { name: '赵经理 (fictional)', role: 'representative', status: 'refused', note: '称需请示公司', at: '2026-03-02T11:22:00+08:00' },
      ],
    }));
    expect(html).toContain('已记录的签名及拒签');
    expect(html).toContain('<td>拒绝签名</td><td>称需请示公司</td>');
    expect(html).toContain('<div class="signatures">');
  });
});

describe('checklist', () => {
  const questions = new Map(CHECKLIST_ITEMS.map((i) => [i.id, i.question]));

  it.each<Lang>(['zh-CN', 'en'])('shows each answered item with its question (%s)', (lang) => {
    const html = renderInspectionHtml(firstInspection(), ctx(lang, { checklistQuestions: questions }));
    const row = html.split('<tr>').find((r) => r.includes('>signage<'));
    expect(row).toContain(escapeHtml(CHECKLIST_ITEMS.find((i) => i.id === 'signage')!.question[lang]));
    expect(row).toContain(lang === 'zh-CN' ? '<td>否</td>' : '<td>no</td>');
    expect(row).toContain('photos/entrance-sign.jpg');
  });

  it('phrases a removal confirmation with the removed device', () => {
    const html = renderInspectionHtml(recheckInspection(), ctx('en', { previous: firstInspection(), checklistQuestions: questions }));
    expect(html).toContain('192.0.2.15 (address:192.0.2.15), seen last time, did not answer: confirmed removed on site?');
  });
});
