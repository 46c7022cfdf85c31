/**
 * Disk full and read-only database: a clear error naming what to do, nothing half-written, and the file
 * still opens and verifies. Real conditions, not mocks: a tiny tmpfs that fills up, then remounted
 * read-only (needs root to mount; skipped with the reason otherwise).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DeviceResult } from '../../src/core/types.js';
import { StorageError, toStorageError } from '../../src/store/storage-error.js';
import { openStore, verifyStore } from '../../src/store/store.js';

const mountPoint = mkdtempSync(join(tmpdir(), 'camaudit-tinydisk-'));
const mount = (...args: string[]): boolean => spawnSync('mount', args, { stdio: 'ignore' }).status === 0;
const canMount = process.getuid?.() === 0 && mount('-t', 'tmpfs', '-o', 'size=1536k', 'tmpfs', mountPoint);

afterAll(() => {
  if (canMount) spawnSync('umount', [mountPoint]);
  rmSync(mountPoint, { recursive: true, force: true });
});

/** A device result carrying one 200 KB response: a few of them fill the tiny disk. */
const bulkyDevice = (i: number): DeviceResult => {
  const response = new Uint8Array(200 * 1024).map((_, j) => (j * 31 + i * 7) % 251);
  return {
    discovered: { address: `10.9.0.${i}`, xaddrs: [`http://10.9.0.${i}/onvif/device_service`], endpoint: `urn:uuid:bulk-${i}`, scopes: [], via: 'ws-discovery' },
    config: {
      xaddr: `http://10.9.0.${i}/onvif/device_service`, address: `10.9.0.${i}`, probedAt: new Date(0).toISOString(),
      device: { manufacturer: 'ACME', model: 'Bulk', firmware: '1', serial: `BULK-${i}`, hardwareId: null },
      services: [], scopes: [], network: { macs: [], addresses: [] }, profiles: [], analytics: [], eventTopics: [], vendor: [],
      clockOffsetMs: 0, authenticated: true, face: { supported: false, enabled: false, reasons: [] }, errors: [],
      calls: [{ action: 'GetProfiles', service: 'media', url: `http://10.9.0.${i}/onvif/media`, status: 'ok', ms: 5, sha256: 'x'.repeat(64), requestSha256: 'y'.repeat(64), startedAt: new Date(0).toISOString(), request: '<GetProfiles/>', response, error: null }],
    },
    streams: [],
    error: null,
  };
};

describe('storage failures are classified', () => {
  it.each([
    ['SQLITE_FULL', 'full'],
    ['ENOSPC', 'full'],
    ['SQLITE_READONLY', 'read-only'],
    ['SQLITE_READONLY_DBMOVED', 'read-only'],
    ['EROFS', 'read-only'],
    ['SQLITE_CANTOPEN', 'cannot-open'],
    ['SQLITE_BUSY', 'busy'],
    ['SQLITE_NOTADB', 'corrupt'],
  ])('%s -> %s', (code, reason) => {
    const e = Object.assign(new Error('x'), { code });
    expect(toStorageError(e, '/db')?.reason).toBe(reason);
  });
  it('leaves bugs alone', () => {
    expect(toStorageError(new TypeError('undefined is not a function'), '/db')).toBeNull();
  });
});

describe.skipIf(!canMount)('on a real disk that fills up, then turns read-only', () => {
  const file = join(mountPoint, 'visit.db');
  let recorded = 0;
  let failure: unknown = null;
  let inspectionId = '';

  beforeAll(() => {
    const store = openStore(file);
    store.upsertSite({ id: 'S', name: 'Full disk office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });
    const started = store.startInspection({
      siteId: 'S', kind: 'first', caseNumber: 'D-1', zones: [], inspectors: ['T'], experts: [], representative: '', witness: '',
      toolkitVersion: 't', modelSha256: 'm', interfaceAddress: '10.9.0.100', subnet: '10.9.0.0/24',
    });
    if (!started.ok) throw new Error(started.error);
    inspectionId = started.value;
    try {
      for (let i = 1; i < 100; i++) {
        store.recordDevice(inspectionId, bulkyDevice(i));
        recorded = i;
      }
    } catch (e) {
      failure = e;
    }
    store.close();
  });

  it('says the disk is full, naming the file and what to do', () => {
    expect(failure).toBeInstanceOf(StorageError);
    expect(failure).toMatchObject({ reason: 'full' });
    expect(String((failure as Error).message)).toMatch(/visit\.db: the disk is full; nothing of the step in progress was written/);
    expect(recorded).toBeGreaterThan(0);
  });

  it('keeps every completed step and nothing of the failed one; the chain verifies', () => {
    expect(verifyStore(file).ok).toBe(true);
    const store = openStore(file);
    const record = store.loadInspection(inspectionId);
    store.close();
    expect(record?.devices.map((d) => d.identity.serial)).toEqual(Array.from({ length: recorded }, (_, i) => `BULK-${i + 1}`));
  });

  it('read-only: the CLI exits 5 with a clear message and the file is unchanged', () => {
    expect(mount('-o', 'remount,ro', mountPoint)).toBe(true);
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'sites', 'import', 'inventories/sample-campaign.csv', '--db', file], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(5);
    expect(r.stderr).toMatch(/read-only; nothing was written/);
    expect(verifyStore(file).ok).toBe(true);
  });
});

it.runIf(!canMount)('disk-full and read-only checks skipped: mounting a tmpfs needs root', () => {
  expect(canMount).toBe(false);
});
