/** One probed device as one step: every call's request and response, the blurred images, the facts. */
import type Database from 'better-sqlite3';
import type { DeviceRecord } from '../core/record.js';
import { deviceKey, type DeviceResult } from '../core/types.js';
import { isStoredFacts, toDeviceRecord, toStoredFacts } from '../rules/device-facts.js';
import { appendRow } from './chain.js';
import { now } from './clock.js';
import { addEvidence, sniffMime } from './evidence.js';
import { asRow, text } from './rows.js';

export interface RecordedDevice {
  readonly deviceKey: string;
  readonly evidenceIds: readonly number[];
  readonly record: DeviceRecord;
}

const utf8 = new TextEncoder();

/** Inside a step. */
export const recordDevice = (db: Database.Database, insp: number, result: DeviceResult): RecordedDevice => {
  const key = deviceKey(result);
  const calls = (result.config?.calls ?? []).map((c) => ({
    request: addEvidence(db, insp, { deviceKey: key, kind: 'request', call: c.action, mime: 'text/plain', recordedAt: c.startedAt, data: utf8.encode(c.request) }),
    response: c.response === null ? null : addEvidence(db, insp, { deviceKey: key, kind: 'response', call: c.action, mime: sniffMime(c.response), recordedAt: c.startedAt, data: c.response }),
  }));
  const images = result.streams.map((s) => s.evidence.map((img) =>
    addEvidence(db, insp, { deviceKey: key, kind: 'snapshot', call: `stream ${s.uri}`, mime: img.mime, recordedAt: now(), data: img.bytes })));
  const facts = toStoredFacts(key, result, { calls, images });
  const c = result.config;
  const deviceId = appendRow(db, 'devices', {
    inspection_id: insp, key, vendor: c?.device.manufacturer ?? null, model: c?.device.model ?? null,
    serial: c?.device.serial ?? null, firmware: c?.device.firmware ?? null, macs: JSON.stringify(c?.network.macs ?? []),
    addresses: JSON.stringify([...new Set([c?.address, result.discovered?.address, ...(c?.network.addresses ?? [])].filter((a): a is string => !!a))]),
    recorded_at: now(),
  });
  appendRow(db, 'facts', { inspection_id: insp, device_id: deviceId, device_key: key, json: JSON.stringify(facts) });
  const record = toDeviceRecord(facts);
  return { deviceKey: key, evidenceIds: record.evidenceIds, record };
};

/**
 * A device probed again in the same inspection (after a wrong password, or on resume) is one device: its
 * latest result stands, in the place of its first. Within one inspection the service address identifies it;
 * the device key does not, since an unauthenticated probe cannot read the serial the key prefers.
 */
export const latestPerDevice = (records: readonly DeviceRecord[]): DeviceRecord[] => {
  const byAddress = new Map<string, DeviceRecord>();
  for (const r of records) byAddress.set(r.xaddr ?? r.key, r);
  return [...byAddress.values()];
};

export const readDevices = (db: Database.Database, insp: number): DeviceRecord[] =>
  latestPerDevice(db.prepare('SELECT json FROM facts WHERE inspection_id = ? ORDER BY id').all(insp).map((r) => {
    const parsed: unknown = JSON.parse(text(asRow(r), 'json'));
    if (!isStoredFacts(parsed)) throw new Error(`facts of inspection ${insp} are not in format 1`);
    return toDeviceRecord(parsed);
  }));
