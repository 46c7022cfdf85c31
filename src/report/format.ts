/** Small value formatters shared by the report sections. */
import type { Lang } from '../core/record.js';
import { t } from '../i18n/index.js';
import type { Image } from './document.js';
import type { CitationText, RuleText, SnapshotBytes } from './context.js';

export const DASH = '—';

export const orDash = (value: string | number | null | undefined): string =>
  value === null || value === undefined || value === '' ? DASH : String(value);

export const yesNo = (lang: Lang, value: boolean | null): string =>
  value === null ? t(lang, 'common.unknown') : t(lang, value ? 'common.yes' : 'common.no');

/** Pixel measures are fractional; one decimal is more than the detector's precision. */
export const px = (value: number | null): string => (value === null ? DASH : (Math.round(value * 10) / 10).toString());

export const joinOrDash = (items: readonly (string | number)[], separator = ', '): string => (items.length === 0 ? DASH : items.join(separator));

export const evidenceList = (ids: readonly number[]): string => joinOrDash(ids.map((id) => `#${id}`));

const IMAGE_MIMES = ['image/jpeg', 'image/png'] as const;
type ImageMime = (typeof IMAGE_MIMES)[number];
const isImageMime = (mime: string): mime is ImageMime => IMAGE_MIMES.some((m) => m === mime);

/** Only JPEG and PNG are embedded: the mime goes into a data: URI, so it must be one we chose. */
export const toImage = (snapshot: SnapshotBytes, alt: string, caption: string): Image | null =>
  isImageMime(snapshot.mime) ? { mime: snapshot.mime, base64: Buffer.from(snapshot.bytes).toString('base64'), alt, caption } : null;

export const citationText = (lang: Lang, c: CitationText): string => `${c.law[lang]} ${c.article} ${c.mark}`;

export const citationsText = (lang: Lang, rule: RuleText | undefined): string =>
  rule && rule.citations.length > 0 ? rule.citations.map((c) => citationText(lang, c)).join('; ') : t(lang, 'findings.noCitation');
