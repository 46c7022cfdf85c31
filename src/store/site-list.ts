/**
 * Site lists (inventories/README.md): CSV with a header row or a JSON array, columns
 * id, name, address, district, developer, contact, campaign. Every row is checked before anything is
 * written, and an error names the row, so a bad file imports nothing.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { err, ok, type Result } from '../core/result.js';
import { isRecord } from './chain.js';
import type { SiteInput, Store } from './store.js';
import type { SiteDetails } from '../core/record.js';

const REQUIRED = ['id', 'name', 'address', 'district', 'developer', 'contact'] as const;
const COLUMNS = [...REQUIRED, 'campaign'] as const;

/** RFC 4180: quoted fields, doubled quotes, commas and newlines inside quotes. */
export const parseCsv = (src: string): Result<string[][], string> => {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  let i = src.charCodeAt(0) === 0xfeff ? 1 : 0; // Excel writes a BOM
  for (; i < src.length; i++) {
    const c = src[i];
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') { field += '"'; i++; }
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') { row.push(field); field = ''; }
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      row.push(field); field = '';
      if (row.some((f) => f !== '')) rows.push(row);
      row = [];
    } else field += c;
  }
  if (quoted) return err('unterminated quoted field');
  row.push(field);
  if (row.some((f) => f !== '')) rows.push(row);
  return ok(rows);
};

const checkRow = (where: string, get: (col: string) => unknown, seen: Set<string>): Result<SiteInput, string> => {
  const v: Record<string, string> = {};
  for (const c of COLUMNS) {
    const x = get(c);
    if (x !== undefined && x !== null && typeof x !== 'string') return err(`${where}: "${c}" must be text`);
    v[c] = (x ?? '').trim();
  }
  const missing = REQUIRED.filter((c) => !v[c]);
  if (missing.length) return err(`${where}: missing ${missing.join(', ')}`);
  const id = v['id'] ?? '';
  if (!/^[\w.-]{1,64}$/.test(id)) return err(`${where}: id "${id}" must be letters, digits, '.', '_' or '-'`);
  if (seen.has(id)) return err(`${where}: duplicate id "${id}"`);
  seen.add(id);
  return ok({ id, name: v['name'] ?? '', address: v['address'] ?? '', district: v['district'] ?? '', developer: v['developer'] ?? '', contact: v['contact'] ?? '', campaign: v['campaign'] || null });
};

export const parseSiteList = (content: string, format: 'csv' | 'json'): Result<SiteInput[], string> => {
  const seen = new Set<string>();
  const out: SiteInput[] = [];
  if (format === 'json') {
    let data: unknown;
    try {
      data = JSON.parse(content);
    } catch (e) {
      return err(`not valid JSON: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (!Array.isArray(data)) return err('expected a JSON array of sites');
    for (const [i, x] of data.entries()) {
      if (!isRecord(x)) return err(`site ${i + 1}: expected an object`);
      const r = checkRow(`site ${i + 1}${typeof x['id'] === 'string' ? ` (${x['id']})` : ''}`, (c) => x[c], seen);
      if (!r.ok) return r;
      out.push(r.value);
    }
    return ok(out);
  }
  const rows = parseCsv(content);
  if (!rows.ok) return rows;
  const [header, ...body] = rows.value;
  if (!header) return err('empty file');
  const cols = header.map((h) => h.trim().toLowerCase());
  const absent = REQUIRED.filter((c) => !cols.includes(c));
  if (absent.length) return err(`header lacks column(s) ${absent.join(', ')}`);
  for (const [i, r] of body.entries()) {
    if (r.length !== cols.length) return err(`line ${i + 2}: ${r.length} fields, header has ${cols.length}`);
    const c = checkRow(`line ${i + 2}`, (col) => { const k = cols.indexOf(col); return k < 0 ? undefined : r[k]; }, seen);
    if (!c.ok) return c;
    out.push(c.value);
  }
  return ok(out);
};

/** Read, check every row, then write all of them in one transaction. */
export const importSites = (store: Store, file: string): Result<SiteDetails[], string> => {
  const format = extname(file).toLowerCase() === '.json' ? 'json' : 'csv';
  let content: string;
  try {
    content = readFileSync(file, 'utf8');
  } catch (e) {
    return err(`cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const parsed = parseSiteList(content, format);
  if (!parsed.ok) return err(`${file}: ${parsed.error}`);
  return ok(store.importSites(parsed.value));
};
