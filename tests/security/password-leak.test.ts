/**
 * Passwords never reach disk, the database, logs, reports, bundles or error messages. A full first
 * inspection and re-check of the simulated office (plus a camera with a distinctive non-ASCII password)
 * with every password known, then reports in every format and language, bundle export, the CLI's own
 * output, and failing probes with credentials; every byte produced is searched for every password in
 * every encoding a leak would plausibly take.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildReport, writeOutput } from '../../src/cli/commands/report.js';
import { runFromFlags, type InspectionFlags } from '../../src/cli/inspection-command.js';
import type { CredentialLookup } from '../../src/pipeline/credentials.js';
import { DEFAULT_PORT_SETTINGS } from '../../src/pipeline/ports.js';
import { probeDevice } from '../../src/onvif/probe.js';
import { salesOffice } from '../../src/sim/definitions.js';
import { startHostileCamera } from '../../src/sim/hostile.js';
import { startSite, type SiteHandle } from '../../src/sim/site.js';
import { exportBundle } from '../../src/store/bundle.js';
import { openStore, type Store } from '../../src/store/store.js';
import { probeStream } from '../../src/stream/probe-stream.js';
import { fetchSnapshot } from '../../src/stream/snapshot.js';
import { startNormalCamera, type NormalCamera } from '../hostile/helpers.js';
import { freeUdpPort } from '../../src/sim/listen.js';

const SECRET = 'Sëcret-Pässwort-42';
const discoveryPort = await freeUdpPort();
const settings = { ...DEFAULT_PORT_SETTINGS, discoveryPort, discoveryMs: 2000, streamFrames: 3, streamSeconds: 2 };
const ROOT = join(import.meta.dirname, '..', '..');

/** Every form a leaked password would plausibly take in bytes. */
const needles = (pw: string): (readonly [string, Buffer])[] => {
  const utf8 = Buffer.from(pw, 'utf8');
  const nonAscii = /[^\x20-\x7e]/g;
  return [
    ['utf-8', utf8],
    ['utf-16le', Buffer.from(pw, 'utf16le')],
    ['latin1', Buffer.from(pw, 'latin1')],
    ['NFD', Buffer.from(pw.normalize('NFD'), 'utf8')],
    ['base64', Buffer.from(utf8.toString('base64'))],
    ['base64url', Buffer.from(utf8.toString('base64url'))],
    ['base64 of admin:password (HTTP Basic)', Buffer.from(Buffer.from(`admin:${pw}`, 'utf8').toString('base64'))],
    ['hex', Buffer.from(utf8.toString('hex'))],
    ['percent-encoded', Buffer.from(encodeURIComponent(pw))],
    ['JSON \\u escapes', Buffer.from(pw.replace(nonAscii, (c) => `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`))],
    ['HTML entities', Buffer.from(pw.replace(nonAscii, (c) => `&#${c.codePointAt(0) ?? 0};`))],
    ...(pw === SECRET ? ([['ASCII tail', Buffer.from('sswort-42')]] as const) : []),
  ];
};

const ALL_PASSWORDS = [SECRET, ...new Set([...salesOffice('normal'), ...salesOffice('rectified')].map((d) => d.password))];
const NEEDLES = ALL_PASSWORDS.flatMap((pw) => needles(pw).map(([form, bytes]) => ({ pw, form, bytes })));

const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });

/** `where: password (form)` for every needle found in the blob. */
const leaks = (where: string, blob: Buffer): string[] => NEEDLES.filter((n) => blob.includes(n.bytes)).map((n) => `${where}: ${n.pw} (${n.form})`);

let dir: string;
let site: SiteHandle;
let secretCam: NormalCamera;
let store: Store;
let db: string;
const inspectionIds: string[] = [];
const captured: string[] = [];
const errorTexts: string[] = [];
const found: string[] = [];
const scanned: string[] = [];

const scanDir = (label: string): void => {
  for (const file of filesUnder(dir)) {
    const bytes = readFileSync(file);
    scanned.push(`${label} ${file.slice(dir.length + 1)} (${bytes.length} B)`);
    found.push(...leaks(`${label} ${file.slice(dir.length + 1)}`, bytes));
  }
};

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'camaudit-secrets-'));
  db = join(dir, 'inspection.db');
  const spies = [vi.spyOn(process.stdout, 'write'), vi.spyOn(process.stderr, 'write'), vi.spyOn(console, 'log'), vi.spyOn(console, 'error'), vi.spyOn(console, 'warn')];
  const onWarning = (w: Error): void => void captured.push(`${w.name}: ${w.message}`);
  process.on('warning', onWarning);
  try {
    site = await startSite({ host: '127.0.0.1', discoveryPort, control: false, cameras: ['entrance-face', 'entrance-dahua', 'broken', 'reception'] });
    secretCam = await startNormalCamera(650, discoveryPort, { name: 'secret-cam', password: SECRET, scene: 'faces-near' });
    store = openStore(db);
    store.upsertSite({ id: 'SEC-1', name: 'Secret office (fictional)', address: '—', district: '—', developer: '—', contact: '—', campaign: null });
    const credentials: CredentialLookup = (address, port) => {
      if (port === secretCam.cam.port) return { username: secretCam.def.username, password: SECRET };
      const cam = site.cameras.find((c) => c.address === address && c.port === port);
      return cam ? { username: cam.username, password: cam.password } : null;
    };
    const flags: InspectionFlags = { db, site: 'SEC-1', interface: ['127.0.0.1'], inspector: ['T. Tester'], expert: [], stream: true };
    // No `log`: progress goes to process.stderr, which the spies capture.
    const first = await runFromFlags(store, { flags, kind: 'first', credentials, settings });
    await site.setState('rectified');
    const again = await runFromFlags(store, { flags, kind: 'recheck', credentials, settings });
    inspectionIds.push(first.record.meta.id, again.record.meta.id);
    // The secret was really used: the camera's RTSP server (digest auth with it) gave frames.
    const secretDevice = first.record.devices.find((d) => d.identity.serial === secretCam.def.serial);
    expect(secretDevice?.streams[0]?.frames).toBeGreaterThan(0);

    // The database and its WAL while the store is open, before anything else is written.
    scanDir('open-db');

    mkdirSync(join(dir, 'reports'));
    for (const id of inspectionIds) {
      for (const format of ['html', 'md', 'json'] as const) {
        for (const lang of ['zh-CN', 'en'] as const) await writeOutput(await buildReport({ db, inspection: id, format, lang }), join(dir, 'reports', `${id}.${lang}.${format}`));
      }
      const bundle = exportBundle(store, id, join(dir, `bundle-${id}`));
      if (!bundle.ok) throw new Error(bundle.error);
    }

    // Failures with credentials in hand: their messages are evidence and are shown to the inspector.
    const hostile = await startHostileCamera('auth-loop');
    try {
      const probes = await Promise.all([
        probeDevice(hostile.xaddr, { username: 'admin', password: SECRET, timeoutMs: 1000 }),
        probeDevice('http://127.0.0.1:1/onvif/device_service', { username: 'admin', password: SECRET, timeoutMs: 1000 }),
      ]);
      errorTexts.push(...probes.map((p) => JSON.stringify(p, (_k, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('latin1') : v))));
    } finally {
      await hostile.close();
    }
    errorTexts.push(JSON.stringify(await probeStream(`rtsp://admin:${encodeURIComponent(SECRET)}@127.0.0.1:1/live`, { frames: 1, seconds: 1, firstFrameTimeoutMs: 1000 })));
    errorTexts.push(JSON.stringify(await probeStream('rtsp://127.0.0.1:1/live', { frames: 1, seconds: 1, firstFrameTimeoutMs: 1000, credentials: { user: 'admin', password: SECRET } })));
    errorTexts.push(JSON.stringify(await fetchSnapshot(`http://admin:${encodeURIComponent(SECRET)}@127.0.0.1:1/snap.jpg`, { timeoutMs: 1000 })));
    errorTexts.push(JSON.stringify(await fetchSnapshot(secretCam.cam.xaddr.replace('/onvif/device_service', '/onvif-http/snapshot'), { timeoutMs: 3000, credentials: { user: 'admin', password: 'wrong' } })));
  } finally {
    process.off('warning', onWarning);
    for (const spy of spies) {
      captured.push(...spy.mock.calls.map((args) => args.map((a) => (typeof a === 'string' ? a : a instanceof Uint8Array ? Buffer.from(a).toString('utf8') : JSON.stringify(a))).join(' ')));
      spy.mockRestore();
    }
  }
  store.close();
  scanDir('closed');

  // The CLI itself, in a child process: its stdout and stderr.
  for (const args of [['verify', '--db', db], ['report', '--db', db, '--inspection', inspectionIds[0] ?? '', '--format', 'json', '--lang', 'en'], ['export', '--db', db, '--inspection', inspectionIds[1] ?? '', '--out', join(dir, 'cli-bundle')]]) {
    const r = spawnSync(process.execPath, ['--import', 'tsx', join(ROOT, 'src', 'cli', 'run.ts'), ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(r.status, `${args[0]}: ${r.stderr}`).toBe(0);
    captured.push(r.stdout, r.stderr);
  }
  scanDir('after-cli');
}, 300_000);

afterAll(async () => {
  await Promise.all([site?.close(), secretCam?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('no password anywhere', () => {
  it('the scanner finds a planted password in any of its forms (the test can fail)', () => {
    const canary = join(tmpdir(), `camaudit-canary-${process.pid}`);
    writeFileSync(canary, `x ${Buffer.from(`admin:${SECRET}`).toString('base64')} y`);
    expect(leaks('canary', readFileSync(canary))).toContain(`canary: ${SECRET} (base64 of admin:password (HTTP Basic))`);
    rmSync(canary);
    expect(leaks('canary', Buffer.from(`S&#235;cret-P&#228;sswort-42`))).toContain(`canary: ${SECRET} (HTML entities)`);
  });

  it('the database, its WAL, reports (HTML/MD/JSON, both languages) and bundles hold no password', () => {
    console.log(`password scan: ${scanned.length} files, ${NEEDLES.length} needles (${ALL_PASSWORDS.length} passwords)`);
    expect(scanned.some((s) => /inspection\.db-wal/.test(s))).toBe(true);
    expect(scanned.filter((s) => /reports\//.test(s)).length).toBeGreaterThanOrEqual(12);
    expect(scanned.some((s) => /bundle-.*manifest/.test(s))).toBe(true);
    expect(found).toEqual([]);
  });

  it('stdout, stderr, console, warnings and the CLI output hold no password', () => {
    expect(captured.join('\n')).toMatch(/inspection .* started/);
    expect(leaks('output', Buffer.from(captured.join('\n'), 'utf8'))).toEqual([]);
  });

  it('error messages and call records of failing probes with credentials hold no password', () => {
    expect(errorTexts.join('\n')).toMatch(/auth|refused|timeout/);
    expect(leaks('errors', Buffer.from(errorTexts.join('\n'), 'utf8'))).toEqual([]);
  });
});
