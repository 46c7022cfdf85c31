/** Vendor adapters through the probe: Hikvision ISAPI and Dahua CGI answers (synthetic, modelled on the vendors' documented formats). */
import { afterEach, describe, expect, it } from 'vitest';
import { assessConfig } from '../../src/assess/config.js';
import { probeDevice } from '../../src/onvif/probe.js';
import { suggestVendors } from '../../src/vendors/detect.js';
import { startReplay, type Replay } from './replay-server.js';

const creds = { username: 'inspector', password: 'vendor-pw' };
let replay: Replay | null = null;
afterEach(async () => {
  await replay?.close();
  replay = null;
});

// Synthetic ISAPI documents in the shape of Hikvision's ISAPI (namespace http://www.hikvision.com/ver20/XMLSchema).
const ISAPI_CAPABILITIES = `<?xml version="1.0" encoding="UTF-8"?>
<DeviceCap xmlns="http://www.hikvision.com/ver20/XMLSchema" version="2.0">
  <SysCap><isSupportDst>true</isSupportDst></SysCap>
  <SmartCap><isSupportFaceDetect>true</isSupportFaceDetect><isSupportFaceSnap>true</isSupportFaceSnap><isSupportIntrusion>true</isSupportIntrusion><isSupportFaceLib>false</isSupportFaceLib></SmartCap>
  <NetworkCap><isSupportInterfaceStats>true</isSupportInterfaceStats></NetworkCap>
</DeviceCap>`;
const ISAPI_TRIGGERS = `<?xml version="1.0" encoding="UTF-8"?>
<EventTriggerList xmlns="http://www.hikvision.com/ver20/XMLSchema" version="2.0">
  <EventTrigger><id>VMD-1</id><eventType>VMD</eventType><EventTriggerNotificationList/></EventTrigger>
  <EventTrigger><id>faceSnap-1</id><eventType>faceSnap</eventType>
    <EventTriggerNotificationList><EventTriggerNotification><id>center</id><notificationMethod>center</notificationMethod></EventTriggerNotification></EventTriggerNotificationList>
  </EventTrigger>
</EventTriggerList>`;

describe('vendor adapters in the probe', () => {
  it('reads Hikvision ISAPI with digest auth and finds face capture there', async () => {
    replay = await startReplay({
      dir: 'hikvision-DS-2CD2012-I',
      credentials: creds,
      vendorGets: { '/ISAPI/System/capabilities': ISAPI_CAPABILITIES, '/ISAPI/Event/triggers': ISAPI_TRIGGERS },
    });
    const r = await probeDevice(replay.url, { ...creds, timeoutMs: 2000 });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const p = assessConfig(r.value);
    const isapi = p.vendor.find((v) => v.vendor === 'hikvision');
    expect(isapi?.values['capabilities.SmartCap.isSupportFaceSnap']).toBe('true');
    expect(isapi?.values['triggers.faceSnap-1.enabled']).toBe('true');
    expect(p.face.supported).toBe(true);
    expect(p.face.enabled).toBe(true);
    const names = p.face.reasons.map((r) => `${r.source}:${r.name}:${r.bears}`);
    expect(names).toEqual(expect.arrayContaining(['hikvision-isapi:isSupportFaceSnap:supported', 'hikvision-isapi:faceSnap:enabled']));
    // A false flag and an "Interface" flag are not reasons.
    expect(names.some((n) => n.includes('FaceLib') || n.includes('Interface'))).toBe(false);
    const gets = p.calls.filter((c) => c.service === 'hikvision-isapi');
    expect(gets.map((c) => [c.action, c.status])).toEqual([
      ['/ISAPI/System/deviceInfo', 'unsupported'],
      ['/ISAPI/System/capabilities', 'ok'],
      ['/ISAPI/Event/triggers', 'ok'],
    ]);
    expect(replay.seen.length).toBeGreaterThan(0);
  });

  it('reads the Dahua VideoAnalyseRule config', async () => {
    replay = await startReplay({
      dir: 'pelco-D6230L',
      credentials: creds,
      vendorGets: {
        '/cgi-bin/magicBox.cgi?action=getVendor': 'vendor=Dahua\r\n',
        '/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseRule':
          'table.VideoAnalyseRule[0][0].Enable=true\r\ntable.VideoAnalyseRule[0][0].Name=Door\r\ntable.VideoAnalyseRule[0][0].Type=FaceDetection\r\n' +
          'table.VideoAnalyseRule[0][1].Enable=false\r\ntable.VideoAnalyseRule[0][1].Type=CrossLineDetection\r\n',
      },
    });
    // Identity and scopes decide whether the probe tries the CGI; the reader itself is exercised directly here.
    expect(suggestVendors({ manufacturer: 'Pelco', model: 'D6230L', firmware: null, serial: null, hardwareId: null }, [])).toEqual([]);
    expect(suggestVendors({ manufacturer: null, model: null, firmware: null, serial: null, hardwareId: null }, ['onvif://www.onvif.org/name/Dahua'])).toEqual(['dahua']);
    const { readDahua } = await import('../../src/vendors/dahua-cgi.js');
    const facts = await readDahua(new URL(replay.origin), { credentials: creds, timeoutMs: 2000 });
    expect(facts?.values['table.VideoAnalyseRule[0][0].Type']).toBe('FaceDetection');
    expect(facts?.values['magicBox.getVendor.vendor']).toBe('Dahua');
    const { assessFace } = await import('../../src/assess/config.js');
    expect(assessFace({ analytics: [], eventTopics: [], vendor: facts ? [facts] : [] })).toMatchObject({ supported: true, enabled: true });
  });

  it('does not try vendor APIs on devices that do not look like the vendor', async () => {
    replay = await startReplay({ dir: 'axis-Q6045-E' });
    const r = await probeDevice(replay.url, { timeoutMs: 2000 });
    expect(r.ok && r.value.calls.every((c) => c.service !== 'hikvision-isapi' && c.service !== 'dahua-cgi')).toBe(true);
    // Every request was a SOAP POST (a GET has no SOAP operation): no vendor URL was tried.
    expect(replay.seen.every((s) => s.action !== '')).toBe(true);
  });
});
