/** What the people at the visit wrote and signed (or refused to sign): free notes and signatures. */
import type Database from 'better-sqlite3';
import { appendRow } from './chain.js';
import { now } from './clock.js';
import { asRow, text } from './rows.js';

export interface SignatureInput {
  readonly name: string;
  readonly role: string;
  readonly status: 'signed' | 'refused';
  readonly note?: string;
}

export type Signature = SignatureInput & { readonly at: string };

/** Inside a step. */
export const addNote = (db: Database.Database, insp: number, noteText: string): void => {
  appendRow(db, 'notes', { inspection_id: insp, at: now(), text: noteText });
};

/** Inside a step. */
export const addSignature = (db: Database.Database, insp: number, s: SignatureInput): void => {
  appendRow(db, 'signatures', { inspection_id: insp, name: s.name, role: s.role, status: s.status, note: s.note ?? '', at: now() });
};

export const readNotes = (db: Database.Database, insp: number): { readonly at: string; readonly text: string }[] =>
  db.prepare('SELECT at, text FROM notes WHERE inspection_id = ? ORDER BY id').all(insp).map((x) => ({ at: text(asRow(x), 'at'), text: text(asRow(x), 'text') }));

export const readSignatures = (db: Database.Database, insp: number | null): Signature[] =>
  db.prepare('SELECT * FROM signatures WHERE inspection_id = ? ORDER BY id').all(insp).map((x) => {
    const r = asRow(x);
    return { name: text(r, 'name'), role: text(r, 'role'), status: text(r, 'status') === 'refused' ? 'refused' : 'signed', note: text(r, 'note'), at: text(r, 'at') };
  });
