/**
 * A second, independent ONVIF client (the `onvif` npm package, 0.8.3) talks to the simulator.
 * It hashes passwords as ASCII, so these cameras' passwords are ASCII; it computes its own offset from the
 * camera's GetSystemDateAndTime, so skewed camera clocks (+47 min, -3 h) must not stop it.
 */
import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSite, type SiteCamera, type SiteHandle } from '../../src/sim/site.js';

type Callback = (err: Error | null, value: unknown) => void;

/** The slice of onvif's untyped Cam we use, checked at load time. */
interface OnvifCam {
  getSystemDateAndTime(cb: Callback): void;
  getCapabilities(cb: Callback): void;
  getDeviceInformation(cb: Callback): void;
  getProfiles(cb: Callback): void;
  getStreamUri(options: { protocol: string; profileToken: string }, cb: Callback): void;
  getSnapshotUri(options: { profileToken: string }, cb: Callback): void;
  getScopes(cb: Callback): void;
}

const require = createRequire(import.meta.url);
const onvif: unknown = require('onvif');

const newCam = (c: SiteCamera, password = c.password): OnvifCam => {
  if (typeof onvif !== 'object' || onvif === null || !('Cam' in onvif) || typeof onvif.Cam !== 'function') throw new Error('onvif.Cam missing');
  const Cam = onvif.Cam as new (opts: object) => OnvifCam;
  return new Cam({ hostname: c.address, port: c.port, username: c.username, password, autoconnect: false, timeout: 5_000 });
};

const promisify = <T>(f: (cb: Callback) => void): Promise<T> =>
  new Promise((resolve, reject) => f((err, value) => (err ? reject(err) : resolve(value as T))));

let site: SiteHandle;
beforeAll(async () => {
  site = await startSite({ rtsp: false, discovery: false, control: false, cameras: ['sandtable', 'entrance-face'] });
});
afterAll(async () => {
  await site.close();
});

describe('the onvif npm package as a client of the simulator', () => {
  for (const name of ['sandtable', 'entrance-face']) {
    it(`${name}: date, capabilities, device information, profiles, stream and snapshot URIs`, async () => {
      const c = site.cameras.find((x) => x.name === name);
      if (!c) throw new Error(name);
      const cam = newCam(c);
      const date = await promisify<Date>((cb) => cam.getSystemDateAndTime(cb));
      expect(date).toBeInstanceOf(Date);
      await promisify((cb) => cam.getCapabilities(cb));
      const info = await promisify<{ manufacturer: string; model: string }>((cb) => cam.getDeviceInformation(cb));
      expect(info.manufacturer).toBe('HIKVISION');
      const profiles = await promisify<Array<{ $: { token: string } }>>((cb) => cam.getProfiles(cb));
      expect(profiles.map((p) => p.$.token)).toEqual(['Profile_1', 'Profile_2']);
      const stream = await promisify<{ uri: string }>((cb) => cam.getStreamUri({ protocol: 'RTSP', profileToken: 'Profile_1' }, cb));
      expect(stream.uri).toBe(`rtsp://127.0.0.1:554/${name}/main`);
      const snap = await promisify<{ uri: string }>((cb) => cam.getSnapshotUri({ profileToken: 'Profile_2' }, cb));
      expect(snap.uri).toBe(`http://127.0.0.1:${c.port}/onvif-http/snapshot?profile=sub`);
      const actions = site.requestLog.filter((e) => e.camera === name).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['GetSystemDateAndTime', 'GetDeviceInformation', 'GetProfiles', 'GetStreamUri', 'GetSnapshotUri']));
    });
  }

  it('a wrong password fails with the onvif package too', async () => {
    const c = site.cameras.find((x) => x.name === 'sandtable');
    if (!c) throw new Error('sandtable');
    const cam = newCam(c, 'not-the-password');
    await promisify((cb) => cam.getSystemDateAndTime(cb));
    await expect(promisify((cb) => cam.getDeviceInformation(cb))).rejects.toThrow();
  });
});
