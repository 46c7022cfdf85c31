import { randomUUID } from 'node:crypto';
import dgram from 'node:dgram';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCamera } from '../../src/sim/camera.js';
import { ordinaryCamera } from '../../src/sim/definitions.js';
import { WSD_GROUP, WSD_PORT } from '../../src/discovery/probe-matches.js';
import { startSite, type SiteHandle } from '../../src/sim/site.js';
import { childOf, descendantsOf, textOf } from '../../src/xml/parse.js';
import { parse } from './helpers.js';

const probe = (messageId: string): string =>
  '<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ' +
  'xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery" ' +
  'xmlns:dn="http://www.onvif.org/ver10/network/wsdl"><s:Header>' +
  `<a:Action s:mustUnderstand="1">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action><a:MessageID>${messageId}</a:MessageID>` +
  '<a:To s:mustUnderstand="1">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To></s:Header>' +
  '<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>';

interface Match {
  readonly relatesTo: string | null;
  readonly endpoint: string | null;
  readonly xaddrs: string | null;
  readonly scopes: string | null;
  readonly types: string | null;
  readonly from: string;
}

/** Send one Probe (multicast on loopback, or unicast) and collect ProbeMatches for `waitMs`. */
const sendProbe = async (to: { address: string; port: number }, waitMs: number, messageId = `urn:uuid:${randomUUID()}`): Promise<Match[]> => {
  const socket = dgram.createSocket('udp4');
  const matches: Match[] = [];
  socket.on('message', (data, rinfo) => {
    const root = parse(data.toString('utf8'));
    const header = childOf(root, 'Header');
    matches.push({
      relatesTo: textOf(header ? childOf(header, 'RelatesTo') : undefined),
      endpoint: textOf(descendantsOf(root, 'Address')[0]),
      xaddrs: textOf(descendantsOf(root, 'XAddrs')[0]),
      scopes: textOf(descendantsOf(root, 'Scopes')[0]),
      types: textOf(descendantsOf(root, 'Types')[0]),
      from: `${rinfo.address}:${rinfo.port}`,
    });
  });
  await new Promise<void>((r) => socket.bind(0, '127.0.0.1', () => r()));
  socket.setMulticastInterface('127.0.0.1');
  await new Promise<void>((r, j) => socket.send(probe(messageId), to.port, to.address, (e) => (e ? j(e) : r())));
  await new Promise((r) => setTimeout(r, waitMs));
  await new Promise<void>((r) => socket.close(() => r()));
  return matches.filter((m) => m.relatesTo === messageId);
};

let site: SiteHandle;
beforeAll(async () => {
  site = await startSite({ rtsp: false, control: false, cameras: ['entrance-face', 'sandtable', 'negotiation'] });
});
afterAll(async () => {
  await site.close();
});

describe('WS-Discovery', () => {
  it('every camera answers a multicast Probe on loopback with a ProbeMatch for itself, within APP_MAX_DELAY', async () => {
    const started = Date.now();
    const all = await sendProbe({ address: WSD_GROUP, port: WSD_PORT }, 900);
    // Other simulators may run on this machine at the same time: keep the answers from this site's cameras.
    const ours = new Set(site.cameras.map((c) => c.xaddr));
    const matches = all.filter((m) => m.xaddrs !== null && ours.has(m.xaddrs));
    expect(matches.map((m) => m.xaddrs).sort()).toEqual([...ours].sort());
    for (const m of matches) {
      const cam = site.cameras.find((c) => c.xaddr === m.xaddrs);
      expect(m.endpoint).toBe(cam?.endpoint);
      expect(m.endpoint).toMatch(/^urn:uuid:/);
      expect(m.types).toBe('dn:NetworkVideoTransmitter tds:Device');
      expect(m.scopes).toContain(`onvif://www.onvif.org/name/${cam?.name ?? '?'}`);
      expect(m.scopes).toContain('onvif://www.onvif.org/hardware/');
      expect(m.scopes).toContain('onvif://www.onvif.org/location/sales-office/');
    }
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('64 generated cameras all answer one multicast Probe', async () => {
    const many = await Promise.all(Array.from({ length: 64 }, (_, i) => startCamera(ordinaryCamera(300 + i))));
    try {
      const ours = new Set(many.map((c) => c.xaddr));
      const matches = (await sendProbe({ address: WSD_GROUP, port: WSD_PORT }, 900)).filter((m) => m.xaddrs !== null && ours.has(m.xaddrs));
      expect(new Set(matches.map((m) => m.endpoint)).size).toBe(64);
    } finally {
      await Promise.all(many.map((c) => c.close()));
    }
  });

  it('answers a unicast Probe to <address>:3702, and drops everything at lossRate 1', async () => {
    const address = '127.0.0.71';
    const lossy = '127.0.0.72';
    const cam = await startCamera(ordinaryCamera(71), { host: address });
    const silent = await startCamera(ordinaryCamera(72), { host: lossy, lossRate: 1 });
    try {
      const direct = await sendProbe({ address, port: WSD_PORT }, 300);
      expect(direct.map((m) => m.xaddrs)).toEqual([cam.xaddr]);
      expect(direct[0]?.from).toBe(`${address}:${WSD_PORT}`);
      expect(await sendProbe({ address: lossy, port: WSD_PORT }, 300)).toEqual([]);
    } finally {
      await Promise.all([cam.close(), silent.close()]);
    }
  });
});
