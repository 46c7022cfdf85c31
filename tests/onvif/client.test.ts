/** The client and the probe end to end against fixture-replay devices on 127.0.0.1. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { sha256Hex } from '../../src/http/exchange.js';
import { OnvifClient } from '../../src/onvif/client.js';
import { decodeDeviceInformation } from '../../src/onvif/decode.js';
import { assessConfig } from '../../src/assess/config.js';
import { probeDevice } from '../../src/onvif/probe.js';
import { probeToJson } from '../../src/onvif/probe-json.js';
import { startReplay, type Replay } from './replay-server.js';

const HOUR_MS = 3_600_000;
const creds = { username: 'inspector', password: 'Pässwörd-人脸' };
let replay: Replay | null = null;
let raw: http.Server | null = null;
afterEach(async () => {
  await replay?.close();
  replay = null;
  await new Promise<void>((r) => (raw ? raw.close(() => r()) : r()));
  raw = null;
});

const rawServer = async (handler: http.RequestListener): Promise<string> => {
  raw = http.createServer(handler);
  await new Promise<void>((r) => raw?.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(raw.address() as AddressInfo).port}/onvif/device_service`;
};

describe('ONVIF client', () => {
  it('authenticates against a device whose clock is an hour ahead (it checks Created against its own clock)', async () => {
    replay = await startReplay({ dir: 'trendnet-TV-IP320PI', clockOffsetMs: HOUR_MS, credentials: creds });
    const client = new OnvifClient({ timeoutMs: 2000, credentials: creds });
    // Without the offset the device refuses the token: the skew check is real.
    const early = await client.call(replay.url, { action: 'GetDeviceInformation' }, decodeDeviceInformation);
    expect(early).toMatchObject({ ok: false, error: { kind: 'auth' } });
    const offset = await client.measureClock(replay.url);
    expect(offset.ok && Math.abs(offset.value - HOUR_MS) < 2000).toBe(true);
    const info = await client.call(replay.url, { action: 'GetDeviceInformation' }, decodeDeviceInformation);
    expect(info).toMatchObject({ ok: true, value: { manufacturer: 'TRENDnet', model: 'TV-IP320PI' } });
  });

  it('keeps raw evidence with sha256 and never the password, digest or nonce', async () => {
    replay = await startReplay({ dir: 'trendnet-TV-IP320PI', credentials: creds });
    const client = new OnvifClient({ timeoutMs: 2000, credentials: creds });
    await client.call(replay.url, { action: 'GetDeviceInformation' }, decodeDeviceInformation);
    const rec = client.calls[0];
    const sent = replay.seen[0];
    expect(rec && sent).toBeTruthy();
    if (!rec || !sent) return;
    expect(rec.status).toBe('ok');
    expect(rec.sha256).toBe(sha256Hex(rec.response ?? new Uint8Array()));
    expect(rec.requestSha256).toBe(sha256Hex(sent.body));
    const digest = /<wsse:Password[^>]*>([^<]+)</.exec(sent.body)?.[1] ?? 'missing';
    const nonce = /<wsse:Nonce[^>]*>([^<]+)</.exec(sent.body)?.[1] ?? 'missing';
    const kept = JSON.stringify({ ...rec, response: null });
    for (const secret of [creds.password, digest, nonce]) expect(kept).not.toContain(secret);
    expect(rec.request).toContain('[redacted]');
  });

  it('answers an HTTP 401 Digest challenge once and succeeds', async () => {
    replay = await startReplay({ dir: 'pelco-D6230L', credentials: creds, httpDigest: true });
    const client = new OnvifClient({ timeoutMs: 2000, credentials: creds });
    const info = await client.call(replay.url, { action: 'GetDeviceInformation' }, decodeDeviceInformation);
    expect(info).toMatchObject({ ok: true, value: { manufacturer: 'Pelco' } });
    expect(replay.seen.map((s) => s.authorization === undefined)).toEqual([true, false]);
    expect(replay.seen[1]?.authorization).not.toContain(creds.password);
  });

  it('reports auth failure with wrong credentials after a single retry', async () => {
    replay = await startReplay({ dir: 'pelco-D6230L', credentials: creds, httpDigest: true });
    const client = new OnvifClient({ timeoutMs: 2000, credentials: { username: 'inspector', password: 'wrong' } });
    const info = await client.call(replay.url, { action: 'GetDeviceInformation' }, decodeDeviceInformation);
    expect(info).toMatchObject({ ok: false, error: { kind: 'auth' } });
    expect(replay.seen).toHaveLength(2);
    expect(client.calls[0]?.status).toBe('auth-failed');
  });

  it('cuts a 10 MB response at the cap and records the error', async () => {
    const url = await rawServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/soap+xml' });
      const chunk = Buffer.alloc(64 * 1024, 0x20);
      let sent = 0;
      const pump = (): void => {
        while (sent < 10 * 1024 * 1024) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('error', () => undefined);
      pump();
    });
    const client = new OnvifClient({ timeoutMs: 5000, maxResponseBytes: 1024 * 1024 });
    const r = await client.call(url, { action: 'GetDeviceInformation' }, decodeDeviceInformation);
    expect(r).toMatchObject({ ok: false, error: { kind: 'transport', reason: 'too-large' } });
    expect(client.calls[0]?.response?.length).toBe(1024 * 1024);
    expect(client.calls[0]?.status).toBe('error');
  });

  it('enforces a TOTAL deadline against a device trickling a byte every 100 ms', async () => {
    const url = await rawServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/soap+xml' });
      const t = setInterval(() => res.write(' '), 100);
      res.on('close', () => clearInterval(t));
    });
    const client = new OnvifClient({ timeoutMs: 700 });
    const started = Date.now();
    const r = await client.call(url, { action: 'GetDeviceInformation' }, decodeDeviceInformation);
    const elapsed = Date.now() - started;
    expect(r).toMatchObject({ ok: false, error: { kind: 'transport', reason: 'timeout' } });
    expect(elapsed).toBeGreaterThanOrEqual(650);
    expect(elapsed).toBeLessThan(1500);
  });

  it('stops at once when aborted', async () => {
    const url = await rawServer(() => undefined);
    const ac = new AbortController();
    const client = new OnvifClient({ timeoutMs: 10_000, signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    const started = Date.now();
    const r = await client.call(url, { action: 'GetDeviceInformation' }, decodeDeviceInformation);
    expect(r.ok).toBe(false);
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('does not follow redirects', async () => {
    const url = await rawServer((_req, res) => {
      res.writeHead(307, { Location: 'http://192.0.2.1/onvif/device_service' });
      res.end();
    });
    const client = new OnvifClient({ timeoutMs: 1000 });
    const r = await client.call(url, { action: 'GetDeviceInformation' }, decodeDeviceInformation);
    expect(r).toMatchObject({ ok: false, error: { kind: 'transport', reason: 'redirect' } });
  });
});

describe('probeDevice', () => {
  it('probes a real face-capable camera (replayed) end to end, with a skewed clock', async () => {
    replay = await startReplay({ dir: 'none-GX728MF-IR28', clockOffsetMs: -HOUR_MS, credentials: creds });
    const r = await probeDevice(replay.url, { ...creds, timeoutMs: 2000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = assessConfig(r.value);
    expect(p.authenticated).toBe(true);
    expect(p.device.model).toBe('GX728MF-IR28');
    expect(p.profiles.length).toBeGreaterThan(0);
    expect(p.face.supported).toBe(true);
    expect(p.face.enabled).toBe(false);
    // Media2 answers the profiles (names only); the analytics come from the Media1 profiles.
    expect(p.calls.filter((c) => c.action === 'GetProfiles').map((c) => c.service)).toEqual(['media2', 'media']);
    const actions = p.calls.map((c) => c.action);
    expect(actions.slice(0, 3)).toEqual(['GetSystemDateAndTime', 'GetDeviceInformation', 'GetServices']);
    // Every call went to the replayed host, never to the 192.168.x addresses the captures name.
    expect(p.calls.every((c) => c.url.startsWith(replay?.origin ?? '-'))).toBe(true);
    const json = probeToJson(p);
    expect(json.face.supported).toBe(true);
    expect(JSON.stringify(json)).not.toContain(creds.password);
    expect(json.calls[0]).toMatchObject({ action: 'GetSystemDateAndTime', status: 'ok', sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it('records unsupported and faulting calls and goes on', async () => {
    replay = await startReplay({ dir: 'trendnet-TV-IP320PI', credentials: creds, faults: { GetServices: 'GetServicesFault.core.xml' } });
    const r = await probeDevice(replay.url, { ...creds, timeoutMs: 2000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const byAction = new Map(r.value.calls.map((c) => [c.action, c.status]));
    expect(byAction.get('GetServices')).toBe('fault');
    expect(byAction.get('GetCapabilities')).toBe('ok');
    expect(byAction.get('GetNetworkInterfaces')).toBe('unsupported');
    expect(byAction.get('GetRules')).toBe('ok');
    expect(r.value.eventTopics.length).toBeGreaterThan(10);
    expect(assessConfig(r.value).face).toMatchObject({ supported: false, enabled: false });
    expect(r.value.errors.map((e) => e.action)).toEqual(expect.arrayContaining(['GetServices', 'GetNetworkInterfaces']));
  });

  it('fails only when the device cannot be reached at all', async () => {
    const url = await rawServer(() => undefined);
    await new Promise<void>((r) => (raw ? raw.close(() => r()) : r()));
    raw = null;
    const r = await probeDevice(url, { timeoutMs: 500 });
    expect(r).toMatchObject({ ok: false, error: { kind: 'transport', reason: 'refused' } });
  });
});
