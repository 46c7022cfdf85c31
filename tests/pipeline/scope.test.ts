import { describe, expect, it } from 'vitest';
import { isRange, makeScope, urlInScope } from '../../src/pipeline/scope.js';

describe('scope: only addresses inside the chosen range are ever contacted', () => {
  const scope = makeScope(['192.168.1.0/24'], ['10.0.0.5']);
  it.each([
    ['http://192.168.1.64/onvif/device_service', true],
    ['rtsp://192.168.1.64:554/Streaming/Channels/101', true],
    ['http://192.168.1.255:8080/', true],
    ['http://192.168.2.1/onvif/device_service', false],
    ['rtsp://8.8.8.8/live', false],
    ['http://10.0.0.5/', true],
    ['http://10.0.0.6/', false],
    // Names are never resolved: a device could point us anywhere through DNS.
    ['http://camera.local/onvif', false],
    ['http://[::1]/onvif', false],
    ['not a url', false],
  ])('%s -> %s', (url, expected) => {
    expect(urlInScope(scope, url)).toBe(expected);
  });
  it('isRange accepts exactly the ranges makeScope takes', () => {
    for (const ok of ['192.168.1.0/24', '127.0.0.40/29', 'fe80::/64']) {
      expect(isRange(ok)).toBe(true);
      expect(() => makeScope([ok])).not.toThrow();
    }
    for (const bad of ['10.0.0.0/99', '192.168.1.0', '192.168.1.0/', 'eth0']) {
      expect(isRange(bad)).toBe(false);
      expect(() => makeScope([bad])).toThrow();
    }
  });
  it('matches IPv6 ranges only against IPv6 addresses', () => {
    const v6 = makeScope(['fe80::/64']);
    expect(urlInScope(v6, 'http://[fe80::1]/')).toBe(true);
    expect(urlInScope(v6, 'http://192.168.1.1/')).toBe(false);
  });
});

describe('CAMAUDIT_WSD_PORT', () => {
  it('moves discovery off 3702 only for a valid port', async () => {
    const { portSettingsFromEnv, DEFAULT_PORT_SETTINGS } = await import('../../src/pipeline/ports.js');
    expect(portSettingsFromEnv({ CAMAUDIT_WSD_PORT: '43123' }).discoveryPort).toBe(43123);
    expect(portSettingsFromEnv({})).toBe(DEFAULT_PORT_SETTINGS);
    expect(portSettingsFromEnv({ CAMAUDIT_WSD_PORT: 'abc' }).discoveryPort).toBeUndefined();
    expect(portSettingsFromEnv({ CAMAUDIT_WSD_PORT: '70000' }).discoveryPort).toBeUndefined();
  });
});
