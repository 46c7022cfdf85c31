/** Findings come in sets: each derivation appends one, the latest set is the inspection's, earlier ones stay as history. */
import type Database from 'better-sqlite3';
import type { Finding } from '../core/record.js';
import { appendRow } from './chain.js';
import { now } from './clock.js';
import { asRow, int, jsonInts, text, textOrNull } from './rows.js';

/** Inside a step. */
export const recordFindings = (db: Database.Database, insp: number, findings: readonly Finding[]): void => {
  const setId = appendRow(db, 'finding_sets', { inspection_id: insp, derived_at: now(), count: findings.length });
  for (const f of findings) {
    appendRow(db, 'findings', {
      set_id: setId, inspection_id: insp, rule_id: f.ruleId, severity: f.severity, device_key: f.deviceKey,
      observation_zh: f.observation['zh-CN'], observation_en: f.observation.en, evidence_ids: JSON.stringify(f.evidenceIds),
    });
  }
};

export const readFindings = (db: Database.Database, insp: number): Finding[] => {
  const set: unknown = db.prepare('SELECT id FROM finding_sets WHERE inspection_id = ? ORDER BY id DESC LIMIT 1').get(insp);
  if (set === undefined) return [];
  return db.prepare('SELECT * FROM findings WHERE set_id = ? ORDER BY id').all(int(asRow(set), 'id')).map((x) => {
    const r = asRow(x);
    const sev = text(r, 'severity');
    return {
      ruleId: text(r, 'rule_id'),
      severity: sev === 'high' || sev === 'medium' || sev === 'low' ? sev : 'info',
      deviceKey: textOrNull(r, 'device_key'),
      observation: { 'zh-CN': text(r, 'observation_zh'), en: text(r, 'observation_en') },
      evidenceIds: jsonInts(r, 'evidence_ids'),
    };
  });
};
