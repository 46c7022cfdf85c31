import { describe, expect, it } from 'vitest';
import { summaryText } from '../../src/cli/inspection-command.js';
import { addressLabels } from '../../src/report/device-address.js';
import { renderInspectionHtml, renderInspectionMarkdown } from '../../src/report/index.js';
import { firstInspection, RULES } from './sample-records.js';

const dev = (key: string, address: string, xaddr: string | null) => ({ key, address, xaddr });

describe('addressLabels: one address per device, distinguishable', () => {
  it.each([
    ['distinct IPs stay bare', [dev('a', '192.0.2.10', 'http://192.0.2.10/onvif/device_service'), dev('b', '192.0.2.11', 'http://192.0.2.11:8080/onvif')], ['192.0.2.10', '192.0.2.11']],
    ['repeated IPs get their ports', [dev('a', '127.0.0.1', 'http://127.0.0.1:8001/onvif/device_service'), dev('b', '127.0.0.1', 'http://127.0.0.1:8002/onvif/device_service'), dev('c', '127.0.0.2', 'http://127.0.0.2:8003/x')], ['127.0.0.1:8001', '127.0.0.1:8002', '127.0.0.2']],
    ['the default port is named', [dev('a', '192.0.2.10', 'http://192.0.2.10/onvif'), dev('b', '192.0.2.10', 'http://192.0.2.10:8080/onvif')], ['192.0.2.10:80', '192.0.2.10:8080']],
    ['same IP and port (or none): the key too', [dev('serial:1', '192.0.2.10', null), dev('serial:2', '192.0.2.10', null), dev('serial:3', '192.0.2.10', 'not a url')], ['192.0.2.10 (serial:1)', '192.0.2.10 (serial:2)', '192.0.2.10 (serial:3)']],
    ['a port that still repeats', [dev('k1', '10.0.0.5', 'http://10.0.0.5:80/a'), dev('k2', '10.0.0.5', 'http://10.0.0.5/b'), dev('k3', '10.0.0.5', 'http://10.0.0.5:81/c')], ['10.0.0.5:80 (k1)', '10.0.0.5:80 (k2)', '10.0.0.5:81']],
  ])('%s', (_name, devices, labels) => {
    const shown = addressLabels(devices);
    expect(devices.map((d) => shown.get(d.key))).toEqual(labels);
  });
});

describe('repeated addresses in the outputs', () => {
  const sample = firstInspection();
  const [a, b] = sample.devices;
  if (!a || !b) throw new Error('sample needs two devices');
  const record = {
    ...sample,
    devices: [
      { ...a, address: '127.0.0.1', xaddr: 'http://127.0.0.1:8001/onvif/device_service' },
      { ...b, address: '127.0.0.1', xaddr: 'http://127.0.0.1:8002/onvif/device_service' },
    ],
  };

  it('the CLI summary, and the Markdown and HTML records, show the ports', () => {
    for (const out of [summaryText(record), ...[renderInspectionMarkdown, renderInspectionHtml].map((render) => render(record, { lang: 'en', rules: RULES }))]) {
      expect(out).toContain('127.0.0.1:8001');
      expect(out).toContain('127.0.0.1:8002');
    }
  });
});
