/**
 * Evidence: bytes kept as they were received (requests, responses, blurred snapshots, photos), each with its
 * sha256, which the chain commits to. Everything else cites evidence by id.
 */
import type Database from 'better-sqlite3';
import type { EvidenceRef } from '../core/record.js';
import { sha256Hex } from './canonical.js';
import { appendRow } from './chain.js';
import { asRow, int, text, textOrNull } from './rows.js';

export type EvidenceKind = EvidenceRef['kind'];

export interface EvidenceInput {
  readonly deviceKey: string | null;
  readonly kind: EvidenceKind;
  readonly call: string;
  readonly mime: string;
  readonly recordedAt: string;
  readonly data: Uint8Array;
}

/** What a device sent, told apart by its first bytes (responses carry no trustworthy Content-Type). */
export const sniffMime = (b: Uint8Array): string => {
  const head = new TextDecoder('utf-8', { fatal: false }).decode(b.subarray(0, 200)).trimStart();
  if (head.startsWith('<')) return /Envelope/.test(head) ? 'application/soap+xml' : 'application/xml';
  if (head.startsWith('{') || head.startsWith('[')) return 'application/json';
  if (b[0] === 0xff && b[1] === 0xd8) return 'image/jpeg';
  if (/^[\x20-\x7e\r\n\t]*$/.test(head)) return 'text/plain';
  return 'application/octet-stream';
};

/** Inside a step. */
export const addEvidence = (db: Database.Database, inspection: number, e: EvidenceInput): number =>
  appendRow(db, 'evidence', {
    inspection_id: inspection, device_key: e.deviceKey, kind: e.kind, call: e.call, mime: e.mime,
    sha256: sha256Hex(e.data), size_bytes: e.data.byteLength, recorded_at: e.recordedAt, data: e.data,
  });

export const evidenceBlob = (db: Database.Database, id: number): Uint8Array | null => {
  const r: unknown = db.prepare('SELECT data FROM evidence WHERE id = ?').get(id);
  if (r === undefined) return null;
  const data = asRow(r)['data'];
  if (!(data instanceof Uint8Array)) throw new Error(`evidence ${id} has no bytes`);
  return data;
};

/** The evidence index of an inspection: everything but the bytes. */
export const evidenceRefs = (db: Database.Database, insp: number): EvidenceRef[] =>
  db.prepare('SELECT id, kind, call, device_key, sha256, size_bytes, mime, recorded_at FROM evidence WHERE inspection_id = ? ORDER BY id').all(insp).map((x) => {
    const r = asRow(x);
    const k = text(r, 'kind');
    const kind: EvidenceKind = k === 'request' || k === 'response' || k === 'snapshot' || k === 'photo' ? k : 'facts';
    return { id: int(r, 'id'), kind, call: text(r, 'call'), deviceKey: textOrNull(r, 'device_key'), sha256: text(r, 'sha256'), bytes: int(r, 'size_bytes'), mime: text(r, 'mime'), recordedAt: text(r, 'recorded_at') };
  });
