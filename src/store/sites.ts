/**
 * Sites and campaigns. A site is never edited in place: a change appends a version, and an inspection names
 * the version it was made under, so a record always shows the details as they stood.
 */
import type Database from 'better-sqlite3';
import type { SiteDetails } from '../core/record.js';
import { appendRow } from './chain.js';
import { now } from './clock.js';
import { asRow, int, text, textOrNull, type Row } from './rows.js';

/** A site as written: its details without the version, which each write assigns. */
export type SiteInput = Omit<SiteDetails, 'version'>;

const siteFromRow = (r: Row): SiteDetails => ({
  id: text(r, 'site_id'),
  version: int(r, 'version'),
  name: text(r, 'name'),
  address: text(r, 'address'),
  district: text(r, 'district'),
  developer: text(r, 'developer'),
  contact: text(r, 'contact'),
  campaign: textOrNull(r, 'campaign'),
});

export const sameSite = (a: SiteDetails, b: SiteInput): boolean =>
  a.name === b.name && a.address === b.address && a.district === b.district && a.developer === b.developer && a.contact === b.contact && a.campaign === b.campaign;

/** The latest version, or the one named. */
export const readSite = (db: Database.Database, id: string, version?: number): SiteDetails | null => {
  const r: unknown = version === undefined
    ? db.prepare('SELECT * FROM sites WHERE site_id = ? ORDER BY version DESC LIMIT 1').get(id)
    : db.prepare('SELECT * FROM sites WHERE site_id = ? AND version = ?').get(id, version);
  return r === undefined ? null : siteFromRow(asRow(r));
};

const ensureCampaign = (db: Database.Database, name: string | null): void => {
  if (name === null) return;
  if (db.prepare('SELECT 1 FROM campaigns WHERE name = ?').get(name) === undefined) appendRow(db, 'campaigns', { name, created_at: now() });
};

/** Inside a step: a new version when anything differs from the latest, the latest when nothing does. */
export const writeSite = (db: Database.Database, s: SiteInput): SiteDetails => {
  const latest = readSite(db, s.id);
  if (latest && sameSite(latest, s)) return latest;
  ensureCampaign(db, s.campaign);
  const version = (latest?.version ?? 0) + 1;
  appendRow(db, 'sites', {
    site_id: s.id, version, name: s.name, address: s.address, district: s.district, developer: s.developer,
    contact: s.contact, campaign: s.campaign, created_at: now(),
  });
  return { ...s, version };
};

export const siteVersions = (db: Database.Database, id: string): SiteDetails[] =>
  db.prepare('SELECT * FROM sites WHERE site_id = ? ORDER BY version').all(id).map((r) => siteFromRow(asRow(r)));

const SITE_FIELDS = ['name', 'address', 'district', 'developer', 'contact', 'campaign'] as const;

/** What differs, as `field: "here" → "there"`, one entry per field. */
export const siteDiff = (here: SiteDetails, there: SiteInput): string[] =>
  SITE_FIELDS.filter((f) => here[f] !== there[f]).map((f) => `${f}: ${JSON.stringify(here[f])} → ${JSON.stringify(there[f])}`);

export const listSites = (db: Database.Database, search?: string): SiteDetails[] => {
  const rows = db.prepare('SELECT s.* FROM sites s WHERE s.version = (SELECT MAX(version) FROM sites t WHERE t.site_id = s.site_id) ORDER BY s.site_id').all();
  const sites = rows.map((r) => siteFromRow(asRow(r)));
  const q = search?.toLowerCase();
  return q ? sites.filter((s) => [s.id, s.name, s.address, s.district, s.developer, s.contact, s.campaign ?? ''].some((f) => f.toLowerCase().includes(q))) : sites;
};
