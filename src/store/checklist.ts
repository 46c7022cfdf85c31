/** The manual checklist (RULES.md): answers with notes and photos; the latest answer per item stands. */
import { existsSync, readFileSync } from 'node:fs';
import { extname } from 'node:path';
import type Database from 'better-sqlite3';
import type { ChecklistAnswer, ChecklistEntry } from '../core/record.js';
import { appendRow } from './chain.js';
import { now } from './clock.js';
import { addEvidence } from './evidence.js';
import { asRow, jsonInts, jsonStrings, text } from './rows.js';

export interface ChecklistInput {
  readonly item: string;
  readonly answer: ChecklistAnswer;
  readonly note?: string;
  /** Photo files; each one that exists is read and kept as evidence. */
  readonly photos?: readonly string[];
}

export interface PhotoFile {
  readonly path: string;
  readonly data: Uint8Array | null;
}

const photoMime: Readonly<Record<string, string>> = { '.jpg': 'image/jpeg', '.jpeg': 'image/jpeg', '.png': 'image/png', '.heic': 'image/heic', '.webp': 'image/webp' };

/** Read before the step's transaction: file I/O must not hold the write lock. */
export const readPhotos = (paths: readonly string[]): PhotoFile[] =>
  paths.map((p) => ({ path: p, data: existsSync(p) ? new Uint8Array(readFileSync(p)) : null }));

/** Inside a step. */
export const recordChecklist = (db: Database.Database, insp: number, entry: ChecklistInput, files: readonly PhotoFile[]): ChecklistEntry => {
  const photos = entry.photos ?? [];
  const evidenceIds = files.flatMap((f) => f.data === null ? [] : [addEvidence(db, insp, {
    deviceKey: null, kind: 'photo', call: `checklist ${entry.item}`, mime: photoMime[extname(f.path).toLowerCase()] ?? 'application/octet-stream',
    recordedAt: now(), data: f.data,
  })]);
  const note = entry.note ?? '';
  appendRow(db, 'checklist', {
    inspection_id: insp, item: entry.item, answer: entry.answer, note, photos: JSON.stringify(photos),
    evidence_ids: JSON.stringify(evidenceIds), answered_at: now(),
  });
  return { item: entry.item, answer: entry.answer, note, photos, evidenceIds };
};

export const readChecklist = (db: Database.Database, insp: number): ChecklistEntry[] => {
  const latest = new Map<string, ChecklistEntry>();
  for (const x of db.prepare('SELECT * FROM checklist WHERE inspection_id = ? ORDER BY id').all(insp)) {
    const r = asRow(x);
    const a = text(r, 'answer');
    const answer: ChecklistAnswer = a === 'yes' || a === 'no' ? a : 'n/a';
    latest.set(text(r, 'item'), { item: text(r, 'item'), answer, note: text(r, 'note'), photos: jsonStrings(r, 'photos'), evidenceIds: jsonInts(r, 'evidence_ids') });
  }
  return [...latest.values()];
};
