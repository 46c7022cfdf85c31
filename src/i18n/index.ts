/**
 * The one message catalog: strings for reports, CLI and TUI in zh-CN (first) and en. `t(lang, key, params)` fills `{name}`
 * placeholders; a missing parameter is left visible as `{name}` so a mistake shows instead of hiding.
 */
import type { Lang } from '../core/record.js';
import { en, type MessageKey } from './en.js';
import { zhCN } from './zh-cn.js';

export type { MessageKey } from './en.js';
export { displayWidth, fitToWidth, truncateToWidth } from './width.js';

export const LANGS: readonly Lang[] = ['zh-CN', 'en'];

const catalogs: Readonly<Record<Lang, Readonly<Record<MessageKey, string>>>> = { 'zh-CN': zhCN, en };

export type MessageParams = Readonly<Record<string, string | number>>;

export const t = (lang: Lang, key: MessageKey, params: MessageParams = {}): string =>
  catalogs[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });

/** Decodes a user-supplied language tag (CLI flag, config); accepts `zh`, `zh-cn`, `en-US`... */
export const parseLang = (raw: string): Lang | null => {
  const tag = raw.trim().toLowerCase();
  if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
  if (tag === 'en' || tag.startsWith('en-')) return 'en';
  return null;
};

/** zh-CN when the terminal's locale is Chinese (LC_ALL > LC_MESSAGES > LANG, as POSIX orders them), else en. */
export const detectLang = (env: Readonly<Record<string, string | undefined>>): Lang => {
  const tag = [env.LC_ALL, env.LC_MESSAGES, env.LANG].find((v) => v !== undefined && v !== '');
  return tag !== undefined && parseLang((tag.split('.')[0] ?? '').replace('_', '-')) === 'zh-CN' ? 'zh-CN' : 'en';
};
