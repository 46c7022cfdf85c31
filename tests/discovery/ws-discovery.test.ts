import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DiscoveredDevice } from '../../src/core/types.js';
import { parseProbeMatches } from '../../src/discovery/probe-matches.js';
import { chooseInterfaces } from '../../src/discovery/interfaces.js';
import { discover } from '../../src/discovery/ws-discovery.js';
import { FIXTURES } from '../onvif/replay-server.js';
import { freeUdpPort } from '../../src/sim/listen.js';
import { probeMatchesXml, startResponder, type Responder } from './wsd-responder.js';

let responders: Responder[] = [];
afterEach(async () => {
  await Promise.all(responders.map((r) => r.close()));
  responders = [];
});

describe('WS-Discovery over loopback multicast (no root)', () => {
  it('finds every camera, dedupes repeats, notes quirks, drops foreign answers', async () => {
    const port = await freeUdpPort();
    responders.push(
      await startResponder(port, [
        { endpoint: 'urn:uuid:cam-1', xaddrs: 'http://127.0.0.1:8080/onvif/device_service', scopes: 'onvif://www.onvif.org/name/Door' },
        // Two XAddrs, one on another subnet; no scopes.
        { endpoint: 'urn:uuid:cam-2', xaddrs: 'http://127.0.0.1/onvif/device_service http://10.9.8.7:8899/onvif/device_service' },
        // No endpoint reference.
        { endpoint: null, xaddrs: 'http://127.0.0.1:81/onvif/device_service', scopes: 'onvif://www.onvif.org/type/video_encoder' },
        // Answers someone else's probe: must be dropped.
        { endpoint: 'urn:uuid:intruder', xaddrs: 'http://127.0.0.1:82/', scopes: 'x', relatesTo: 'urn:uuid:not-ours' },
      ]),
    );
    responders.push(await startResponder(port, [{ endpoint: 'urn:uuid:cam-3', xaddrs: 'http://127.0.0.1:83/onvif/device_service', scopes: 'a b', relatesTo: null }]));
    const seen: DiscoveredDevice[] = [];
    const started = Date.now();
    const r = await discover({ interfaces: ['127.0.0.1'], port, durationMs: 900, repeats: 3, repeatDelayMs: 60 }, (d) => seen.push(d));
    const elapsed = Date.now() - started;
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    // Three probes reached each responder, yet every device appears once.
    expect(responders[0]?.probesSeen).toBe(3);
    expect(r.value.map((d) => d.endpoint).sort()).toEqual(['address:127.0.0.1', 'urn:uuid:cam-1', 'urn:uuid:cam-2', 'urn:uuid:cam-3']);
    expect(seen).toHaveLength(4);
    const cam2 = r.value.find((d) => d.endpoint === 'urn:uuid:cam-2');
    expect(cam2?.xaddrs).toHaveLength(2);
    expect(cam2?.quirks).toEqual(expect.arrayContaining(['no scopes', '2 XAddrs']));
    expect(cam2?.quirks?.some((q) => q.includes('10.9.8.7:8899'))).toBe(true);
    expect(r.value.find((d) => d.endpoint === 'urn:uuid:cam-3')?.quirks).toContain('no RelatesTo');
    expect(r.value.every((d) => d.via === 'ws-discovery' && d.interface === '127.0.0.1' && d.address === '127.0.0.1')).toBe(true);
    expect(elapsed).toBeGreaterThanOrEqual(850);
    expect(elapsed).toBeLessThan(2500);
  });

  it('caps the number of devices', async () => {
    const port = await freeUdpPort();
    const cams = Array.from({ length: 10 }, (_, i) => ({ endpoint: `urn:uuid:c${i}`, xaddrs: `http://127.0.0.1:${9000 + i}/`, scopes: 's' }));
    responders.push(await startResponder(port, cams));
    const r = await discover({ interfaces: ['127.0.0.1'], port, durationMs: 600, maxDevices: 4 });
    expect(r.ok && r.value.length).toBe(4);
  });
});

describe('chooseInterfaces', () => {
  const nics = {
    lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4' as const, mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
    eth0: [
      { address: '192.0.2.10', netmask: '255.255.255.0', family: 'IPv4' as const, mac: '02:00:00:00:00:01', internal: false, cidr: '192.0.2.10/24' },
      { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6' as const, mac: '02:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
    ],
  };
  it('defaults to up non-loopback IPv4 interfaces', () => {
    expect(chooseInterfaces(undefined, nics)).toEqual({ ok: true, value: [{ name: 'eth0', address: '192.0.2.10', netmask: '255.255.255.0' }] });
  });
  it('accepts a NIC name or an address, loopback included when named', () => {
    expect(chooseInterfaces(['lo'], nics)).toMatchObject({ ok: true, value: [{ address: '127.0.0.1' }] });
    expect(chooseInterfaces(['192.0.2.10'], nics)).toMatchObject({ ok: true, value: [{ name: 'eth0' }] });
  });
  it('refuses an unknown interface instead of falling back to the default route', () => {
    expect(chooseInterfaces(['wlan9'], nics)).toMatchObject({ ok: false, error: { kind: 'policy' } });
  });
});

describe('parseProbeMatches', () => {
  it('reads a real capture (videotec)', () => {
    const r = parseProbeMatches(readFileSync(join(FIXTURES, 'videotec-PREDATOR-anonymized', 'ProbeMatches.xml')));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.matches[0]).toMatchObject({ endpoint: 'uuid:c9790c3a-701b-464d-a189-0060351c8ada', xaddrs: ['SERVICE_URI'] });
    expect(r.value.matches[0]?.scopes).toContain('onvif://www.onvif.org/name/PREDATOR');
  });
  it('tolerates empty matches, several XAddrs, missing scopes', () => {
    const r = parseProbeMatches(probeMatchesXml([], 'urn:uuid:x'));
    expect(r).toMatchObject({ ok: true, value: { relatesTo: 'urn:uuid:x', matches: [] } });
    const m = parseProbeMatches(probeMatchesXml([{ endpoint: 'e', xaddrs: ' http://a/  http://b/ ' }], null));
    expect(m).toMatchObject({ ok: true, value: { relatesTo: null, matches: [{ xaddrs: ['http://a/', 'http://b/'], scopes: [] }] } });
  });
  it.each(['', 'not xml', '<a/>', '<!DOCTYPE x [<!ENTITY e "e">]><x>&e;</x>'])('rejects %j with a DecodeError', (s) => {
    expect(parseProbeMatches(s)).toMatchObject({ ok: false, error: { kind: 'decode' } });
  });
});
