import { describe, expect, it } from 'vitest';
import { displayWidth, fitToWidth, parseLang, t, truncateToWidth } from '../../src/i18n/index.js';
import { en } from '../../src/i18n/en.js';
import { zhCN } from '../../src/i18n/zh-cn.js';

const placeholders = (s: string): string[] => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('t()', () => {
  it('fills parameters in both languages', () => {
    expect(t('en', 'device.heading', { n: 3, address: '192.0.2.1' })).toBe('Device 3: 192.0.2.1');
    expect(t('zh-CN', 'device.heading', { n: 3, address: '192.0.2.1' })).toBe('设备 3：192.0.2.1');
  });

  it('leaves a missing parameter visible instead of printing "undefined"', () => {
    expect(t('en', 'device.heading', { n: 1 })).toBe('Device 1: {address}');
  });

  it('does not interpret $ patterns in parameter values', () => {
    expect(t('en', 'findings.unknownRule', { id: "$& $' $1" })).toBe("rule $& $' $1 is not in the catalog");
  });

});

// One catalog serves the CLI, the reports and the TUI: every key must read in both languages.
describe('the message catalog', () => {
  const catalogs = { en, 'zh-CN': zhCN } as const;

  it('has the same keys in en and zh-CN', () => {
    const missing = (from: object, to: object): string[] => Object.keys(from).filter((k) => !Object.hasOwn(to, k));
    expect(missing(en, zhCN), 'keys missing in zh-CN').toEqual([]);
    expect(missing(zhCN, en), 'keys missing in en').toEqual([]);
  });

  it.each(Object.entries(catalogs))('has no empty message in %s', (_lang, catalog) => {
    const empty = Object.entries(catalog).filter(([, text]) => text.trim() === '').map(([key]) => key);
    expect(empty).toEqual([]);
  });

  it('zh-CN takes the same placeholders as en', () => {
    for (const key of Object.keys(en) as (keyof typeof en)[]) expect(placeholders(zhCN[key]), key).toEqual(placeholders(en[key]));
  });
});

describe('parseLang', () => {
  it.each([
    ['zh-CN', 'zh-CN'],
    ['zh', 'zh-CN'],
    ['ZH-cn', 'zh-CN'],
    ['en', 'en'],
    ['en-US', 'en'],
    ['fr', null],
    ['', null],
  ] as const)('%s -> %s', (raw, lang) => {
    expect(parseLang(raw)).toBe(lang);
  });
});

describe('CJK-aware widths', () => {
  it('counts a Chinese character as two columns', () => {
    expect(displayWidth('检查笔录')).toBe(8);
    expect(displayWidth('IPC 摄像机')).toBe(10);
    expect(displayWidth('abc')).toBe(3);
  });

  it('truncates by columns without splitting a character', () => {
    expect(truncateToWidth('检查笔录', 5)).toBe('检查…');
    expect(displayWidth(truncateToWidth('检查笔录', 5))).toBeLessThanOrEqual(5);
    expect(truncateToWidth('短', 5)).toBe('短');
    expect(truncateToWidth('😀😀😀', 4)).toBe('😀…');
    expect(truncateToWidth('abc', 0)).toBe('');
  });

  it('pads to an exact width in columns', () => {
    expect(fitToWidth('人脸', 6)).toBe('人脸  ');
    expect(fitToWidth('人脸', 6, 'right')).toBe('  人脸');
    expect(displayWidth(fitToWidth('海康威视摄像机', 7))).toBe(7);
  });
});
