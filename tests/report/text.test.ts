import { describe, expect, it } from 'vitest';
import { csvField, escapeHtml, escapeMarkdown } from '../../src/report/index.js';

describe('escapeHtml', () => {
  it('escapes markup characters and reveals invisible ones', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\`</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&#96;&lt;/a&gt;');
    expect(escapeHtml('a\u202Eb\u0000c\u200Bd')).toBe('a&lt;U+202E&gt;b&lt;U+0000&gt;c&lt;U+200B&gt;d');
    expect(escapeHtml('中文\n')).toBe('中文\n');
  });
});

describe('escapeMarkdown', () => {
  it('keeps one line with no markup, links or table breaks', () => {
    expect(escapeMarkdown('a|b\nc')).toBe('a\\|b c');
    expect(escapeMarkdown('[x](http://e) *b* _i_ `c` <b>')).toBe('\\[x\\](http://e) \\*b\\* \\_i\\_ \\`c\\` &lt;b&gt;');
    expect(escapeMarkdown('# title')).toBe('\\# title');
    expect(escapeMarkdown('- item')).toBe('\\- item');
    expect(escapeMarkdown('1. item')).toBe('1\\. item');
    expect(escapeMarkdown('2026-03-02')).toBe('2026-03-02');
    expect(escapeMarkdown('192.0.2.11')).toBe('192.0.2.11');
    expect(escapeMarkdown('-2 dBm')).toBe('-2 dBm');
  });
});

describe('csvField', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=1+1', "'=1+1"],
    ['+86 10', "'+86 10"],
    ['-2', "'-2"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['=HYPERLINK("u","x")', `"'=HYPERLINK(""u"",""x"")"`],
  ])('%j -> %j', (input, out) => {
    expect(csvField(input)).toBe(out);
  });
});
