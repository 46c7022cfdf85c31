/**
 * SADP (Hikvision) and DHIP (Dahua) discovery: the parsers on the fixtures and on hostile datagrams, the
 * inquiry being the only message sent, and `camaudit scan` beside the simulated office finding the
 * devices that have ONVIF off.
 */
import { execFile } from 'node:child_process';
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DHIP_SEARCH_JSON, dhipPacket, dhipSearch, parseDhipReply } from '../../src/discovery/dhip.js';
import { broadcastAddress } from '../../src/discovery/interfaces.js';
import { isSadpInquiry, parseSadpMatch, sadpInquiry, SADP_GROUP } from '../../src/discovery/sadp.js';
import { mergeScan, onvifCheckUrl, OUT_OF_SCOPE_QUIRK } from '../../src/discovery/scan-merge.js';
import { inquire, SADP, type VendorSighting } from '../../src/discovery/vendor-discovery.js';
import { freeUdpPort } from '../../src/sim/listen.js';
import { startSite, type SiteHandle } from '../../src/sim/site.js';

const ROOT = join(import.meta.dirname, '..', '..');
const FIX = join(ROOT, 'tests', 'fixtures', 'discovery');
const sadpFixture = readFileSync(join(FIX, 'sadp-probematch.xml'));
const dhipFixture = readFileSync(join(FIX, 'dhip-notifydevinfo.json'), 'utf8').trim();

describe('SADP answers', () => {
  it('reads every field that matters from the answer, "flase" included, and no secret', () => {
    const r = parseSadpMatch(sadpFixture);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toEqual({
      uuid: '0D1F3C5A-7B9E-4C2D-8E6F-1A3B5C7D9E0F',
      deviceType: '139',
      model: 'DS-2CD2346G2-ISU/SL',
      serial: 'DS-2CD2346G2-ISU/SL20220301AAWRFIX0001',
      mac: '44:19:b6:00:00:01',
      ipv4: '192.168.1.64',
      commandPort: 8000,
      httpPort: 80,
      firmware: 'V5.7.3build 220112',
      analogChannels: 0,
      digitalChannels: 1,
      disks: 0,
      activated: true,
      oemInfo: 'N/A',
      cloudSupported: true,
      cloudEnabled: false,
    });
    // The Salt (used for the device's password hashing) is never taken into the result.
    expect(JSON.stringify(r.value)).not.toContain('000000000000000000000000');
  });

  it('refuses our own inquiry looped back, malformed, oversized and DOCTYPE answers', () => {
    expect(parseSadpMatch(sadpInquiry()).ok).toBe(false);
    expect(parseSadpMatch(sadpFixture.subarray(0, 200)).ok).toBe(false);
    expect(parseSadpMatch(Buffer.alloc(20_000, 0x41)).ok).toBe(false);
    expect(parseSadpMatch('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "b">]><ProbeMatch>&a;</ProbeMatch>').ok).toBe(false);
    // Bad values become nulls, not crashes: a port of 99999, a MAC of the wrong length, an unknown boolean.
    const odd = parseSadpMatch('<ProbeMatch><HttpPort>99999</HttpPort><MAC>44-19</MAC><Activated>maybe</Activated></ProbeMatch>');
    expect(odd).toMatchObject({ ok: true, value: { httpPort: null, mac: null, activated: null } });
  });

  it('only an inquiry is ever built; commands that change a device are not inquiries', () => {
    expect(isSadpInquiry(sadpInquiry())).toBe(true);
    const uuid = '0D1F3C5A-7B9E-4C2D-8E6F-1A3B5C7D9E0F';
    for (const types of ['activate', 'update', 'SetHCPlatform', 'reset', 'getBindList']) {
      expect(isSadpInquiry(`<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>${uuid}</Uuid><Types>${types}</Types></Probe>`)).toBe(false);
    }
    expect(isSadpInquiry(`<?xml version="1.0" encoding="utf-8"?><Probe><Uuid>${uuid}</Uuid><Types>inquiry</Types><Password>x</Password></Probe>`)).toBe(false);
  });
});

describe('DHIP answers', () => {
  it('reads the device from a framed client.notifyDevInfo', () => {
    const r = parseDhipReply(dhipPacket(dhipFixture));
    expect(r).toEqual({
      ok: true,
      value: {
        deviceClass: 'IPC',
        model: 'IPC-HDW5831R-ZE',
        serial: 'FIX0000000000002',
        mac: '3c:ef:8c:00:00:02',
        ipv4: '192.168.1.108',
        httpPort: 80,
        port: 37777,
        firmware: '2.800.0000000.13.R',
        vendor: 'Dahua',
        videoInputs: 1,
        remoteVideoInputs: 0,
        init: 2714,
      },
    });
  });

  it('frames the search as real devices require: 32-byte header, DHIP magic, length at 16 and 24', () => {
    const p = dhipSearch();
    expect(p.readUInt32LE(0)).toBe(0x20);
    expect(p.toString('ascii', 4, 8)).toBe('DHIP');
    expect(p.readUInt32LE(16)).toBe(Buffer.byteLength(DHIP_SEARCH_JSON));
    expect(p.readUInt32LE(24)).toBe(Buffer.byteLength(DHIP_SEARCH_JSON));
    expect(p.subarray(32).toString()).toBe(DHIP_SEARCH_JSON);
  });

  it('refuses bare JSON, a length past the end, our own search, non-JSON and oversized datagrams', () => {
    expect(parseDhipReply(Buffer.from(dhipFixture)).ok).toBe(false);
    const truncated = dhipPacket(dhipFixture).subarray(0, 100);
    expect(parseDhipReply(truncated)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/runs past/) } });
    expect(parseDhipReply(dhipSearch()).ok).toBe(false);
    expect(parseDhipReply(dhipPacket('{"method":')).ok).toBe(false);
    expect(parseDhipReply(Buffer.alloc(40_000)).ok).toBe(false);
    // Wrong types are nulls: a string port, an address that is a number.
    const odd = parseDhipReply(dhipPacket('{"method":"client.notifyDevInfo","params":{"deviceInfo":{"HttpPort":"80","IPv4Address":7}}}'));
    expect(odd).toMatchObject({ ok: true, value: { httpPort: null, ipv4: null } });
  });

  it('asks the subnet broadcast address of a LAN interface', () => {
    expect(broadcastAddress({ name: 'eth0', address: '192.168.1.23', netmask: '255.255.255.0' })).toBe('192.168.1.255');
    expect(broadcastAddress({ name: 'eth0', address: '10.1.2.3', netmask: '255.255.252.0' })).toBe('10.1.3.255');
  });
});

const sighting = (over: Partial<VendorSighting>): VendorSighting => ({
  via: 'sadp', sender: '192.168.1.64', interface: '192.168.1.10', address: '192.168.1.64', vendor: 'hikvision', model: 'DS-2CD2155FWD-I',
  serial: 'S1', mac: '44:19:b6:00:00:01', firmware: 'V5.5.0', deviceClass: 'camera', httpPort: 80, ports: [80, 8000], activated: true, quirks: [], ...over,
});

describe('merging the sources', () => {
  it('one row per device: ONVIF and SADP of one device merge; two devices on one address with different web ports stay apart', () => {
    const onvif = [{ address: '192.168.1.64', xaddrs: ['http://192.168.1.64/onvif/device_service'], endpoint: 'urn:uuid:a', scopes: [], via: 'ws-discovery' as const }];
    const rows = mergeScan(onvif, [sighting({}), sighting({ mac: '44:19:b6:00:00:02', serial: 'S2', httpPort: 8081, ports: [8081, 8000] })], () => true);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ via: ['ws-discovery', 'sadp'], onvif: true, mac: '44:19:b6:00:00:01', ports: [80, 8000] });
    expect(rows[1]).toMatchObject({ via: ['sadp'], onvif: null, httpPort: 8081 });
    expect(onvifCheckUrl(rows[1]!)).toBe('http://192.168.1.64:8081/onvif/device_service');
    expect(onvifCheckUrl(rows[0]!)).toBeNull();
  });

  it('a device claiming an address outside the range is recorded and never checked', () => {
    const [row] = mergeScan([], [sighting({ address: '198.51.100.7', quirks: ['claims 198.51.100.7, answered from 192.168.1.64'] })], (a) => a.startsWith('192.168.1.'));
    expect(row).toMatchObject({ inScope: false, address: '198.51.100.7' });
    expect(row?.quirks).toContain(OUT_OF_SCOPE_QUIRK);
    expect(onvifCheckUrl(row!)).toBeNull();
  });
});

const camaudit = (args: readonly string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> =>
  new Promise((resolve) => {
    execFile(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { cwd: ROOT, env: { ...process.env, ...env }, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error && typeof error.code === 'number' ? error.code : error ? 1 : 0, stdout, stderr });
    });
  });

/** Every datagram arriving at a multicast port, as a listening device would see it. */
const listenGroup = async (group: string, port: number): Promise<{ datagrams: Buffer[]; close: () => Promise<void> }> => {
  const datagrams: Buffer[] = [];
  const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  await new Promise<void>((r) => s.bind({ port, address: group }, () => r()));
  s.addMembership(group, '127.0.0.1');
  s.on('message', (m) => datagrams.push(m));
  return { datagrams, close: () => new Promise((r) => s.close(() => r())) };
};

let site: SiteHandle | null = null;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await site?.close();
  site = null;
  await Promise.all(closers.splice(0).map((c) => c()));
});

describe('camaudit scan beside the simulated office', () => {
  it('lists the ONVIF-off Hikvision (SADP) and Dahua (DHIP) cameras with onvif: false, and sends inquiries only', async () => {
    const [wsd, sadp, dhip] = [await freeUdpPort(), await freeUdpPort(), await freeUdpPort()];
    site = await startSite({ rtsp: false, control: false, discoveryPort: wsd, sadpPort: sadp, dhipPort: dhip });
    const sadpSeen = await listenGroup(SADP_GROUP, sadp);
    const dhipSeen = await listenGroup('239.255.255.251', dhip);
    closers.push(sadpSeen.close, dhipSeen.close);
    const env = { CAMAUDIT_WSD_PORT: String(wsd), CAMAUDIT_SADP_PORT: String(sadp), CAMAUDIT_DHIP_PORT: String(dhip) };
    const r = await camaudit(['scan', '--interface', '127.0.0.1', '--timeout', '1500', '--json'], env);
    expect(r.code, r.stderr).toBe(0);
    const rows = JSON.parse(r.stdout) as { via: string[]; onvif: boolean | null; httpPort: number; model: string; cloud?: { enabled: boolean | null }; deviceClass: string }[];
    const byPort = (name: string) => rows.find((x) => x.httpPort === site?.cameras.find((c) => c.name === name)?.port);
    expect(byPort('lobby-hik')).toMatchObject({ via: ['sadp'], onvif: false, model: 'DS-2CD2155FWD-I', deviceClass: 'camera', cloud: { enabled: true } });
    expect(byPort('side-dahua')).toMatchObject({ via: ['dhip'], onvif: false, model: 'IPC-HDW5831R-ZE', deviceClass: 'camera' });
    // An ONVIF camera of the same vendor is one row with both sources.
    expect(byPort('entrance-isapi')).toMatchObject({ via: ['ws-discovery', 'sadp'], onvif: true });
    expect(byPort('entrance-dahua')).toMatchObject({ via: ['ws-discovery', 'dhip'], onvif: true });
    expect(rows).toHaveLength(site.cameras.length);
    // What reached the discovery ports: inquiries and searches, nothing else.
    expect(sadpSeen.datagrams.length).toBeGreaterThanOrEqual(3);
    expect(sadpSeen.datagrams.every((d) => isSadpInquiry(d))).toBe(true);
    expect(dhipSeen.datagrams.length).toBeGreaterThanOrEqual(3);
    expect(dhipSeen.datagrams.every((d) => d.equals(dhipSearch()))).toBe(true);
    // The ONVIF check on the two ONVIF-off cameras is the one unauthenticated GetSystemDateAndTime each.
    const offPorts = new Set(['lobby-hik', 'side-dahua']);
    const toOff = site.requestLog.filter((e) => offPorts.has(e.camera));
    expect(toOff.map((e) => `${e.method} ${e.path} ${e.status}`)).toEqual(['POST /onvif/device_service 404', 'POST /onvif/device_service 404']);
  });

  it('ignores SADP answers to somebody else\'s inquiry and keeps the first answer of a device', async () => {
    const port = await freeUdpPort();
    const device = dgram.createSocket({ type: 'udp4', reuseAddr: true });
    await new Promise<void>((r) => device.bind({ port, address: SADP_GROUP }, () => r()));
    device.addMembership(SADP_GROUP, '127.0.0.1');
    closers.push(() => new Promise((r) => device.close(() => r())));
    const answer = (uuid: string, mac: string): Buffer =>
      Buffer.from(sadpFixture.toString().replace(/<Uuid>[^<]+<\/Uuid>/, `<Uuid>${uuid}</Uuid>`).replace(/<MAC>[^<]+<\/MAC>/, `<MAC>${mac}</MAC>`).replace('192.168.1.64', '127.0.0.1'));
    device.on('message', (m, rinfo) => {
      const uuid = /<Uuid>([^<]+)<\/Uuid>/.exec(m.toString())?.[1] ?? '';
      device.send(answer('00000000-0000-4000-8000-000000000000', '44-19-b6-99-99-99'), rinfo.port, rinfo.address);
      device.send(answer(uuid, '44-19-b6-00-00-01'), rinfo.port, rinfo.address);
      device.send(Buffer.alloc(30_000, 0x3c), rinfo.port, rinfo.address);
    });
    const r = await inquire(SADP, { interfaces: ['127.0.0.1'], port, durationMs: 600 });
    expect(r.ok && r.value.map((s) => s.mac)).toEqual(['44:19:b6:00:00:01']);
  });
});
