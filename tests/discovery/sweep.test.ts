import dgram from 'node:dgram';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSweepRange } from '../../src/discovery/range.js';
import { sweep } from '../../src/discovery/sweep.js';
import { systemDateAndTime } from '../onvif/replay-server.js';
import { freeUdpPort } from '../../src/sim/listen.js';
import { startResponder, type Responder } from './wsd-responder.js';

const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((c) => c()));
});

const httpDevice = async (address: string, port: number, hits: string[]): Promise<number> => {
  const server = http.createServer((req, res) => {
    hits.push(`${address} ${req.url ?? ''}`);
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'Content-Type': 'application/soap+xml' });
      res.end(systemDateAndTime(Date.now()));
    });
  });
  await new Promise<void>((r) => server.listen(port, address, r));
  closers.push(() => new Promise((r) => server.close(() => r())));
  return (server.address() as AddressInfo).port;
};

/** A UDP listener that only counts what reaches it. */
const udpSentinel = async (address: string, port: number, hits: string[]): Promise<void> => {
  const s = dgram.createSocket('udp4');
  s.on('message', () => hits.push(`udp ${address}`));
  await new Promise<void>((r) => s.bind(port, address, r));
  closers.push(() => new Promise((r) => s.close(() => r())));
};

describe('parseSweepRange', () => {
  it('lists host addresses and contains exactly the range', () => {
    const r = parseSweepRange('127.0.0.0/29');
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.hosts).toEqual(['127.0.0.1', '127.0.0.2', '127.0.0.3', '127.0.0.4', '127.0.0.5', '127.0.0.6']);
    expect(['127.0.0.0', '127.0.0.7'].every(r.value.contains)).toBe(true);
    expect(['127.0.0.8', '126.255.255.255', '10.0.0.1', 'localhost', '::1', '127.0.0.1.5'].some(r.value.contains)).toBe(false);
  });
  it('normalises a host address with a prefix to its network', () => {
    const r = parseSweepRange('127.0.0.13/30');
    expect(r.ok && r.value.hosts).toEqual(['127.0.0.13', '127.0.0.14']);
  });
  it('refuses ranges larger than a /22 unless allowed, and non-IPv4 input', () => {
    expect(parseSweepRange('10.0.0.0/21')).toMatchObject({ ok: false, error: { kind: 'policy' } });
    expect(parseSweepRange('10.0.0.0/22').ok).toBe(true);
    expect(parseSweepRange('10.0.0.0/16', true).ok).toBe(true);
    expect(parseSweepRange('fe80::/64').ok).toBe(false);
    expect(parseSweepRange('127.0.0.1').ok).toBe(false);
  });
});

describe('sweep over 127.0.0.0/29', () => {
  let responder: Responder | null = null;
  afterEach(async () => {
    await responder?.close();
    responder = null;
  });

  it('finds an HTTP-only device and a WS-Discovery-only device, and touches nothing outside the range', async () => {
    const hits: string[] = [];
    const outside: string[] = [];
    const httpPort = await httpDevice('127.0.0.3', 0, hits);
    const wsdPort = await freeUdpPort();
    responder = await startResponder(
      wsdPort,
      [{ endpoint: 'urn:uuid:sweep-cam', xaddrs: 'http://127.0.0.5/onvif/device_service', scopes: 'onvif://www.onvif.org/name/Sweep' }],
      { bindAddress: '127.0.0.5', multicast: false },
    );
    // Sentinels just outside the range on the same ports: they must see nothing.
    await httpDevice('127.0.0.9', httpPort, outside);
    await httpDevice('127.0.0.8', httpPort, outside);
    await udpSentinel('127.0.0.9', wsdPort, outside);

    const found: string[] = [];
    const r = await sweep('127.0.0.0/29', { ports: [httpPort], wsdPort, timeoutMs: 600, concurrency: 3, ratePerSec: 200 }, (d) => found.push(d.address));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const byAddress = new Map(r.value.map((d) => [d.address, d]));
    expect([...byAddress.keys()].sort()).toEqual(['127.0.0.3', '127.0.0.5']);
    expect(byAddress.get('127.0.0.3')).toMatchObject({ via: 'sweep', endpoint: 'sweep:127.0.0.3', xaddrs: [`http://127.0.0.3:${httpPort}/onvif/device_service`] });
    expect(byAddress.get('127.0.0.5')).toMatchObject({ endpoint: 'urn:uuid:sweep-cam', scopes: ['onvif://www.onvif.org/name/Sweep'] });
    expect(found.sort()).toEqual(['127.0.0.3', '127.0.0.5']);
    expect(hits).toEqual([`127.0.0.3 /onvif/device_service`]);
    expect(outside).toEqual([]);
  });

  it('refuses an oversized range without sending anything', async () => {
    const r = await sweep('127.0.0.0/16', { ports: [1] });
    expect(r).toMatchObject({ ok: false, error: { kind: 'policy' } });
  });

  it('respects the rate limit', async () => {
    const started = Date.now();
    const r = await sweep('127.0.0.0/29', { ports: [1], wsdPort: 1, timeoutMs: 50, concurrency: 6, ratePerSec: 20 });
    expect(r.ok).toBe(true);
    // 6 hosts at 20/s: the last starts >= 250 ms after the first.
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });
});
