import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { DeviceRecord } from '../../src/core/record.js';
import { DeviceView } from '../../src/tui/components/device-view.js';
import { deviceLines } from '../../src/tui/device-lines.js';

const device: DeviceRecord = {
  key: 'serial:evil:1',
  address: '127.0.0.9',
  xaddr: null,
  macs: [],
  // A hostile device: an escape sequence that would clear the inspector's screen.
  identity: { manufacturer: 'Evil\u001b[2JCam', model: 'X1', firmware: null, serial: '1', hardwareId: null },
  face: {
    supported: true,
    enabled: true,
    reasons: [
      { source: 'onvif-module', name: 'tt:FaceDetectorEngine', pattern: '/face/i', bears: 'enabled', call: 'GetAnalyticsModules' },
      { source: 'onvif-module', name: 'tt:FaceDetectorEngine', pattern: '/face/i', bears: 'enabled', call: 'GetAnalyticsConfigurations' },
    ],
  },
  streams: [],
  securityNotes: [],
  errors: [],
  evidenceIds: [7],
};
const evidence = [{ id: 7, kind: 'response' as const, call: 'GetAnalyticsModules', deviceKey: 'serial:evil:1', sha256: 'ab'.repeat(32), bytes: 10, mime: 'application/soap+xml', recordedAt: '' }];

describe('device view', () => {
  it('names every call behind one reason on one line, and lists the evidence with its hash', () => {
    const lines = deviceLines({ lang: 'en', device, evidence, snapshots: ['/tmp/s.jpg'] });
    expect(lines.filter((l) => l.includes('tt:FaceDetectorEngine'))).toEqual([
      'ONVIF analytics module "tt:FaceDetectorEngine" (does it now) via GetAnalyticsModules, GetAnalyticsConfigurations',
    ]);
    expect(lines).toContain('not tested');
    expect(lines).toContain('blurred snapshot: /tmp/s.jpg');
    expect(lines).toContain(`#7 response GetAnalyticsModules sha256 ${'ab'.repeat(8)}`);
  });

  it('shows control characters from a device as markers, never sends them to the terminal', () => {
    const ui = render(<DeviceView lang="en" device={device} evidence={evidence} snapshots={[]} height={20} scroll={0} />);
    const frame = ui.lastFrame() ?? '';
    expect(frame).toContain('Evil<U+001B>[2JCam');
    expect(frame).not.toContain('\u001b[2J');
    ui.unmount();
  });
});
