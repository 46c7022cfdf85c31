import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCamera } from '../../src/sim/camera.js';
import { ordinaryCamera } from '../../src/sim/definitions.js';
import { startSite, type SiteCamera, type SiteHandle } from '../../src/sim/site.js';
import { descendantsOf, textOf } from '../../src/xml/parse.js';
import { call, deviceClockMs, digestGet, envelope, NS, parse, post, securityHeader } from './helpers.js';

let site: SiteHandle;
const cam = (name: string): SiteCamera => {
  const c = site.cameras.find((x) => x.name === name);
  if (!c) throw new Error(`${name} not running`);
  return c;
};
const faultSubcodes = (text: string): (string | null)[] => descendantsOf(parse(text), 'Value').map(textOf);

beforeAll(async () => {
  site = await startSite({ rtsp: false, discovery: false, control: false, cameras: ['entrance-face', 'sandtable', 'entrance-dahua'] });
});
afterAll(async () => {
  await site.close();
});

describe('WS-UsernameToken against the camera clock', () => {
  it('GetSystemDateAndTime is open and tells the camera clock (+47 min on entrance-face, -3 h on sandtable)', async () => {
    const face = (await deviceClockMs(cam('entrance-face').xaddr)) - Date.now();
    const sand = (await deviceClockMs(cam('sandtable').xaddr)) - Date.now();
    expect(Math.abs(face - 47 * 60_000)).toBeLessThan(3_000);
    expect(Math.abs(sand + 3 * 3_600_000)).toBeLessThan(3_000);
  });

  it('accepts a correct digest whose Created follows the device clock', async () => {
    const reply = await call(cam('entrance-face'), NS.tds, 'GetDeviceInformation');
    expect(reply.status).toBe(200);
    expect(descendantsOf(parse(reply.text), 'Model').map(textOf)).toEqual(['iDS-2CD7146G0-IZS']);
  });

  it('rejects a correct password sent with the client clock (skewed from the camera) as ter:NotAuthorized', async () => {
    const c = cam('entrance-face');
    const header = securityHeader({ username: c.username, password: c.password, createdMs: Date.now() });
    const reply = await post(c.xaddr, envelope(NS.tds, 'GetDeviceInformation', header));
    expect(reply.status).toBe(400);
    expect(faultSubcodes(reply.text)).toEqual(['env:Sender', 'ter:NotAuthorized']);
  });

  it('rejects a wrong password', async () => {
    const c = cam('sandtable');
    const createdMs = await deviceClockMs(c.xaddr);
    const reply = await post(c.xaddr, envelope(NS.tds, 'GetDeviceInformation', securityHeader({ username: c.username, password: 'wrong', createdMs })));
    expect(reply.status).toBe(400);
    expect(faultSubcodes(reply.text)).toContain('ter:NotAuthorized');
  });

  it('rejects a replayed nonce', async () => {
    const c = cam('sandtable');
    const createdMs = await deviceClockMs(c.xaddr);
    const header = securityHeader({ username: c.username, password: c.password, createdMs, nonce: randomBytes(16) });
    const first = await post(c.xaddr, envelope(NS.tds, 'GetScopes', header));
    const replay = await post(c.xaddr, envelope(NS.tds, 'GetScopes', header));
    expect(first.status).toBe(200);
    expect(replay.status).toBe(400);
  });

  it('challenges a request without WS-Security with HTTP Digest, and accepts the digest answer', async () => {
    const c = cam('sandtable');
    const body = envelope(NS.tds, 'GetDeviceInformation');
    const first = await post(c.xaddr, body);
    expect(first.status).toBe(401);
    const challenge = first.headers.get('www-authenticate') ?? '';
    expect(challenge).toMatch(/^Digest .*qop="auth"/);
    const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
    const realm = /realm="([^"]*)"/.exec(challenge)?.[1] ?? '';
    const nonce = /nonce="([^"]*)"/.exec(challenge)?.[1] ?? '';
    const uri = new URL(c.xaddr).pathname;
    const cnonce = randomBytes(4).toString('hex');
    const authFor = (password: string): string =>
      `Digest username="${c.username}", realm="${realm}", nonce="${nonce}", uri="${uri}", qop=auth, nc=00000001, cnonce="${cnonce}", ` +
      `response="${md5(`${md5(`${c.username}:${realm}:${password}`)}:${nonce}:00000001:${cnonce}:auth:${md5(`POST:${uri}`)}`)}"`;
    expect((await post(c.xaddr, body, { Authorization: authFor(c.password) })).status).toBe(200);
    expect((await post(c.xaddr, body, { Authorization: authFor('nope') })).status).toBe(401);
  });
});

describe('passwords are hashed as UTF-8', () => {
  it('accepts a non-ASCII password digested over its UTF-8 bytes', async () => {
    const c = await startCamera(ordinaryCamera(90, { password: '销售-Pässwort' }), { discovery: false });
    try {
      const ok = await call({ xaddr: c.xaddr, username: 'admin', password: '销售-Pässwort' }, NS.tds, 'GetDeviceInformation');
      expect(ok.status).toBe(200);
    } finally {
      await c.close();
    }
  });
});

describe('vendor HTTP APIs and snapshots need HTTP Digest', () => {
  it('snapshot URI: 401 without credentials; with them a JPEG, or 503 while scenes cannot render', async () => {
    const c = cam('sandtable');
    const snap = await digestGet(`${new URL(c.xaddr).origin}/onvif-http/snapshot?profile=sub`, c.username, c.password);
    expect(snap.challengeStatus).toBe(401);
    expect([200, 503]).toContain(snap.status);
    if (snap.status === 200) expect(snap.headers.get('content-type')).toBe('image/jpeg');
  });

  it('entrance-face ISAPI: 401 first, then capabilities with face snap', async () => {
    const c = cam('entrance-face');
    const origin = new URL(c.xaddr).origin;
    const caps = await digestGet(`${origin}/ISAPI/System/capabilities`, c.username, c.password);
    expect(caps.challengeStatus).toBe(401);
    expect(caps.status).toBe(200);
    expect(descendantsOf(parse(caps.text), 'isSupportFaceSnap').map(textOf)).toEqual(['true']);
    const wrong = await digestGet(`${origin}/ISAPI/System/capabilities`, c.username, 'guess');
    expect(wrong.status).toBe(401);
  });

  it('Dahua CGI: identity and the FaceDetection rule', async () => {
    const c = cam('entrance-dahua');
    const origin = new URL(c.xaddr).origin;
    const type = await digestGet(`${origin}/cgi-bin/magicBox.cgi?action=getDeviceType`, c.username, c.password);
    expect(type.text.trim()).toBe('type=DH-IPC-HFW5442E-ZE');
    const rules = await digestGet(`${origin}/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseRule`, c.username, c.password);
    expect(rules.text).toContain('table.VideoAnalyseRule[0][0].Type=FaceDetection');
    expect(rules.text).toContain('table.VideoAnalyseRule[0][0].Enable=true');
  });
});
