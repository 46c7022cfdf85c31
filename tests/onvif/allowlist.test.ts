import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALLOWED_SOAP_ACTIONS, checkSoapRequest, checkVendorRequest } from '../../src/onvif/allowlist.js';
import { OnvifClient } from '../../src/onvif/client.js';
import { decodeDeviceInformation } from '../../src/onvif/decode.js';
import { NS } from '../../src/onvif/namespaces.js';
import { requestBody, type OnvifRequest } from '../../src/onvif/requests.js';
import { envelope } from '../../src/onvif/soap.js';
import { vendorGet } from '../../src/vendors/vendor-http.js';

const TEMPLATES: readonly OnvifRequest[] = [
  { action: 'GetSystemDateAndTime' },
  { action: 'GetDeviceInformation' },
  { action: 'GetServices' },
  { action: 'GetCapabilities' },
  { action: 'GetScopes' },
  { action: 'GetNetworkInterfaces' },
  { action: 'GetProfiles', media: 1 },
  { action: 'GetProfiles', media: 2 },
  { action: 'GetStreamUri', media: 1, profileToken: 'p<1>' },
  { action: 'GetStreamUri', media: 2, profileToken: 'p&2' },
  { action: 'GetSnapshotUri', media: 1, profileToken: 'p' },
  { action: 'GetSnapshotUri', media: 2, profileToken: 'p' },
  { action: 'GetVideoAnalyticsConfigurations' },
  { action: 'GetAnalyticsConfigurations' },
  { action: 'GetSupportedAnalyticsModules', configurationToken: 'va' },
  { action: 'GetAnalyticsModules', configurationToken: 'va' },
  { action: 'GetSupportedRules', configurationToken: 'va' },
  { action: 'GetRules', configurationToken: 'va' },
  { action: 'GetEventProperties' },
  { action: 'GetServiceCapabilities', service: 'events' },
];

describe('SOAP allowlist', () => {
  it.each(TEMPLATES)('every template passes: $action', (r) => {
    expect(checkSoapRequest(envelope('', requestBody(r)))).toEqual({ ok: true, value: r.action });
  });

  it('covers exactly the read-only operations', () => {
    expect([...ALLOWED_SOAP_ACTIONS].every((a) => a.startsWith('Get'))).toBe(true);
    expect(new Set(TEMPLATES.map((t) => t.action))).toEqual(ALLOWED_SOAP_ACTIONS);
  });

  it.each([
    ['SystemReboot', `<SystemReboot xmlns="${NS.device}"/>`],
    ['SetSystemDateAndTime', `<SetSystemDateAndTime xmlns="${NS.device}"><DateTimeType>NTP</DateTimeType></SetSystemDateAndTime>`],
    ['SetVideoAnalyticsConfiguration', `<SetVideoAnalyticsConfiguration xmlns="${NS.media}"/>`],
    ['DeleteRules', `<DeleteRules xmlns="${NS.analytics}"/>`],
    ['CreateUsers', `<CreateUsers xmlns="${NS.device}"/>`],
    ['a Get in a foreign namespace', `<GetProfiles xmlns="urn:evil"/>`],
    ['two operations in one Body', `<GetScopes xmlns="${NS.device}"/><SystemReboot xmlns="${NS.device}"/>`],
    ['an empty Body', ''],
  ])('refuses %s', (_name, body) => {
    const r = checkSoapRequest(envelope('', body));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.kind).toBe('policy');
  });

  it('refuses DOCTYPE tricks and SOAP 1.1 envelopes', () => {
    expect(checkSoapRequest(`<!DOCTYPE x [<!ENTITY a "SystemReboot">]>${envelope('', `<GetScopes xmlns="${NS.device}"/>`)}`).ok).toBe(false);
    expect(checkSoapRequest(`<s:Envelope xmlns:s="${NS.soap11}"><s:Body><GetScopes xmlns="${NS.device}"/></s:Body></s:Envelope>`).ok).toBe(false);
  });
});

describe('vendor URL allowlist', () => {
  const base = new URL('http://127.0.0.1:1');
  it.each(['/ISAPI/System/deviceInfo', '/ISAPI/System/capabilities', '/ISAPI/Event/triggers', '/cgi-bin/magicBox.cgi?action=getVendor', '/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseRule'])(
    'allows GET %s',
    (p) => expect(checkVendorRequest('GET', new URL(p, base)).ok).toBe(true),
  );
  it.each([
    ['PUT', '/ISAPI/System/deviceInfo'],
    ['POST', '/ISAPI/System/capabilities'],
    ['DELETE', '/ISAPI/Event/triggers'],
    ['GET', '/ISAPI/System/reboot'],
    ['GET', '/cgi-bin/magicBox.cgi?action=reboot'],
    ['GET', '/cgi-bin/configManager.cgi?action=setConfig&VideoAnalyseRule[0][0].Enable=false'],
    ['GET', '/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseRule&x=1'],
    ['GET', '/ISAPI/System/deviceInfo/../reboot'],
  ])('refuses %s %s', (method, p) => {
    const r = checkVendorRequest(method, new URL(p, base));
    expect(r.ok).toBe(false);
  });
});

describe('nothing refused ever reaches the wire', () => {
  let hits = 0;
  let server: http.Server;
  let origin = '';
  beforeAll(async () => {
    server = http.createServer((_req, res) => {
      hits += 1;
      res.end();
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));

  it('the client records a refused SystemReboot and sends nothing', async () => {
    const client = new OnvifClient({ timeoutMs: 1000 });
    // Forge a request outside the templates' type, as a bug elsewhere might.
    const forged = JSON.parse('{"action":"SystemReboot"}') as OnvifRequest;
    const r = await client.call(`${origin}/onvif/device_service`, forged, decodeDeviceInformation);
    expect(r).toMatchObject({ ok: false, error: { kind: 'policy' } });
    expect(client.calls[0]).toMatchObject({ action: 'SystemReboot', status: 'refused', response: null });
    expect(hits).toBe(0);
  });

  it('the vendor adapter refuses a non-allowlisted URL and sends nothing', async () => {
    const r = await vendorGet(new URL(origin), '/ISAPI/System/reboot', 'hikvision-isapi', { timeoutMs: 1000 });
    expect(r.record.status).toBe('refused');
    expect(r.body).toBeNull();
    expect(hits).toBe(0);
  });
});
