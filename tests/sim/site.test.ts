import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type SiteCamera, type SiteHandle } from '../../src/sim/site.js';
import { descendantsOf, parseXml, textOf } from '../../src/xml/parse.js';
import { call, digestGet, envelope, NS, parse, post } from './helpers.js';

let site: SiteHandle;
const cam = (name: string): SiteCamera => {
  const c = site.cameras.find((x) => x.name === name);
  if (!c) throw new Error(`${name} not running`);
  return c;
};
const originOf = (c: SiteCamera): string => new URL(c.xaddr).origin;

beforeAll(async () => {
  site = await startSite({ rtsp: false, discovery: false });
});
afterAll(async () => {
  await site.close();
});

const faceEnable = async (): Promise<string | null> => {
  const modules = parse((await call(cam('entrance-face'), NS.tan, 'GetAnalyticsModules')).text);
  const face = descendantsOf(modules, 'AnalyticsModule').find((m) => m.attrs['Type'] === 'tt:FaceDetectorEngine');
  const enable = face ? descendantsOf(face, 'SimpleItem').find((i) => i.attrs['Name'] === 'Enable') : undefined;
  return enable?.attrs['Value'] ?? null;
};

describe('the simulated sales office', () => {
  it('runs the eight devices of the normal state, each on its own port', () => {
    expect(site.cameras.map((c) => c.name)).toEqual(['entrance-face', 'entrance-isapi', 'entrance-dahua', 'sandtable', 'negotiation', 'lobby-hik', 'side-dahua', 'broken']);
    expect(new Set(site.cameras.map((c) => c.port)).size).toBe(8);
  });

  it('entrance-isapi shows face capture only through ISAPI: ONVIF has motion/tamper, no face', async () => {
    const c = cam('entrance-isapi');
    const modules = (await call(c, NS.tan, 'GetAnalyticsModules')).text;
    expect(modules).not.toMatch(/Face/i);
    expect(modules).toContain('tt:CellMotionEngine');
    const caps = await digestGet(`${originOf(c)}/ISAPI/System/capabilities`, c.username, c.password);
    expect(descendantsOf(parse(caps.text), 'isSupportFaceSnap').map(textOf)).toEqual(['true']);
    const triggers = await digestGet(`${originOf(c)}/ISAPI/Event/triggers`, c.username, c.password);
    const faceSnap = descendantsOf(parse(triggers.text), 'EventTrigger').find((t) => descendantsOf(t, 'eventType').some((e) => textOf(e) === 'faceSnap'));
    expect(faceSnap && descendantsOf(faceSnap, 'notificationMethod').length).toBeGreaterThan(0);
  });

  it('lobby-hik has ONVIF off: 404 on ONVIF, its identity and face snap over ISAPI with digest only', async () => {
    const c = cam('lobby-hik');
    expect((await post(c.xaddr, envelope(NS.tds, 'GetSystemDateAndTime'))).status).toBe(404);
    const info = await digestGet(`${originOf(c)}/ISAPI/System/deviceInfo`, c.username, c.password);
    expect(descendantsOf(parse(info.text), 'model').map(textOf)).toEqual(['DS-2CD2155FWD-I']);
    const caps = await digestGet(`${originOf(c)}/ISAPI/System/capabilities`, c.username, c.password);
    expect(descendantsOf(parse(caps.text), 'isSupportFaceSnap').map(textOf)).toEqual(['true']);
    expect((await fetch(`${originOf(c)}/ISAPI/System/deviceInfo`)).status).toBe(401);
  });

  it('the broken device faults, sends malformed XML and answers slowly, but answers', async () => {
    const c = cam('broken');
    const started = Date.now();
    const info = await call(c, NS.tds, 'GetDeviceInformation');
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_400);
    expect(descendantsOf(parse(info.text), 'Manufacturer').map((e) => e.text)).toEqual(['']);
    const profiles = await call(c, NS.trt, 'GetProfiles');
    expect(profiles.status).toBe(200);
    expect(parseXml(profiles.text).ok).toBe(false);
    expect((await call(c, NS.tds, 'GetServices')).status).toBe(500);
  });

  it('switches to rectified: face module off, ISAPI face snap off, Dahua rule gone, broken gone, reception added', async () => {
    expect(await faceEnable()).toBe('true');
    const broken = cam('broken');
    const face = cam('entrance-face');
    await site.setState('rectified');
    expect(site.state).toBe('rectified');
    expect(site.cameras.map((c) => c.name)).toEqual(['entrance-face', 'entrance-isapi', 'entrance-dahua', 'sandtable', 'negotiation', 'lobby-hik', 'side-dahua', 'reception']);
    expect(await faceEnable()).toBe('false');
    expect((await call(face, NS.tan, 'GetRules')).text).not.toContain('FaceDetector');
    const triggers = await digestGet(`${originOf(face)}/ISAPI/Event/triggers`, face.username, face.password);
    const faceSnap = descendantsOf(parse(triggers.text), 'EventTrigger').find((t) => descendantsOf(t, 'eventType').some((e) => textOf(e) === 'faceSnap'));
    expect(faceSnap && descendantsOf(faceSnap, 'notificationMethod')).toEqual([]);
    const dahua = cam('entrance-dahua');
    const rules = await digestGet(`${originOf(dahua)}/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseRule`, dahua.username, dahua.password);
    expect(rules.text).not.toContain('FaceDetection');
    await expect(fetch(broken.xaddr, { method: 'POST', body: '' })).rejects.toThrow();
    expect((await call(cam('reception'), NS.tds, 'GetDeviceInformation')).status).toBe(200);
    await site.setState('normal');
    expect(await faceEnable()).toBe('true');
  });

  it('never changes state on a request, and logs every request, marking Set* attempts as not read-only', async () => {
    const c = cam('entrance-face');
    const before = (await call(c, NS.tds, 'GetDeviceInformation')).text;
    const set = await call(c, NS.tds, 'SetSystemFactoryDefault', '<FactoryDefault>Hard</FactoryDefault>');
    expect(descendantsOf(parse(set.text), 'Value').map(textOf)).toContain('ter:ActionNotSupported');
    const dahua = cam('entrance-dahua');
    const cgiSet = await digestGet(`${originOf(dahua)}/cgi-bin/configManager.cgi?action=setConfig&VideoAnalyseRule[0][0].Enable=false`, dahua.username, dahua.password);
    expect(cgiSet.status).toBe(400);
    expect((await call(c, NS.tds, 'GetDeviceInformation')).text).toBe(before);
    const notReadOnly = site.requestLog.filter((e) => !e.readOnly).map((e) => `${e.camera}:${e.action ?? e.path}`);
    // The CGI attempt shows twice: the digest challenge, then the refused call.
    expect(notReadOnly).toEqual(['entrance-face:SetSystemFactoryDefault', 'entrance-dahua:setConfig', 'entrance-dahua:setConfig']);
    expect(site.requestLog.every((e) => typeof e.atMs === 'number' && e.path.length > 0)).toBe(true);
  });

  it('switches state from another process through the control endpoint', async () => {
    const url = site.controlUrl;
    if (!url) throw new Error('no control endpoint');
    const res = await fetch(`${url}/state`, { method: 'POST', body: 'rectified' });
    expect(res.status).toBe(200);
    expect(site.state).toBe('rectified');
    expect((await fetch(`${url}/state`, { method: 'POST', body: 'bogus' })).status).toBe(400);
    const back = await fetch(`${url}/state`, { method: 'POST', body: 'normal' });
    const json: unknown = await back.json();
    expect(json).toMatchObject({ state: 'normal' });
    const log: unknown = await (await fetch(`${url}/log`)).json();
    expect(Array.isArray(log) && log.length).toBe(site.requestLog.length);
  });
});

describe('with RTSP', () => {
  it('each camera serves its streams from its own RTSP server, behind the camera credentials', async () => {
    const withRtsp = await startSite({ discovery: false, control: false, cameras: ['sandtable'] });
    try {
      const c = withRtsp.cameras[0];
      if (!c?.rtsp) throw new Error('no RTSP URL');
      const uri = descendantsOf(parse((await call(c, NS.trt, 'GetStreamUri', '<ProfileToken>Profile_1</ProfileToken>')).text), 'Uri').map(textOf);
      expect(uri).toEqual([c.rtsp]);
      const { hostname, port } = new URL(c.rtsp);
      const reply = await new Promise<string>((resolve, reject) => {
        const socket = connect(Number(port), hostname, () => socket.write(`DESCRIBE ${c.rtsp ?? ''} RTSP/1.0\r\nCSeq: 1\r\nAccept: application/sdp\r\n\r\n`));
        socket.once('data', (d) => {
          resolve(d.toString('latin1'));
          socket.destroy();
        });
        socket.once('error', reject);
      });
      expect(reply).toMatch(/^RTSP\/1\.0 401/);
    } finally {
      await withRtsp.close();
    }
  });
});

describe('ordinary cameras', () => {
  it('serve ISAPI like the real model, with every face flag false and no faceSnap trigger', async () => {
    const ordinary = await startSite({ rtsp: false, discovery: false, control: false, cameras: ['sandtable'] });
    try {
      const c = ordinary.cameras[0];
      if (!c) throw new Error('sandtable');
      const origin = new URL(c.xaddr).origin;
      const caps = parse((await digestGet(`${origin}/ISAPI/System/capabilities`, c.username, c.password)).text);
      const faceFlags = descendantsOf(caps, 'isSupportFaceSnap').concat(descendantsOf(caps, 'isSupportFaceDetect')).map(textOf);
      expect(faceFlags).toEqual(['false', 'false']);
      const triggers = (await digestGet(`${origin}/ISAPI/Event/triggers`, c.username, c.password)).text;
      expect(triggers).not.toContain('faceSnap');
    } finally {
      await ordinary.close();
    }
  });
});

describe('endpoint references', () => {
  it('differ between two simulated sites running at once, and stay put across a state switch', async () => {
    const a = await startSite({ rtsp: false, discovery: false, control: false, cameras: ['sandtable', 'entrance-face'] });
    const b = await startSite({ rtsp: false, discovery: false, control: false, cameras: ['sandtable', 'entrance-face'] });
    try {
      const endpoints = (s: SiteHandle): string[] => s.cameras.map((c) => c.endpoint);
      const before = endpoints(a);
      expect(new Set([...before, ...endpoints(b)]).size).toBe(4);
      for (const e of before) expect(e).toMatch(/^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      await a.setState('rectified');
      expect(endpoints(a)).toEqual(before);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});
