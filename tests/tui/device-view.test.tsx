import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import type { DeviceRecord, EvidenceRef, Lang } from '../../src/core/record.js';
import { displayWidth } from '../../src/i18n/index.js';
import { DeviceView } from '../../src/tui/components/device-view.js';
import { Frame } from '../../src/tui/components/frame.js';
import { deviceRows, type DeviceRow } from '../../src/tui/device-lines.js';
import type { RgbFrame } from '../../src/core/types.js';

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

const texts = (rows: readonly DeviceRow[]): string[] => rows.flatMap((r) => (r.kind === 'text' ? [r.text] : []));

/** What a 640x360 snapshot decodes to for an 80x24 terminal: 36x20, a wall, a floor and a pixelated face. Synthetic. */
const office = (): RgbFrame => {
  const width = 36;
  const height = 20;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      const face = x >= 14 && x < 20 && y >= 4 && y < 10;
      const floor = y >= 14;
      data.set(face ? [196, 150, 120] : floor ? [120, 90, 60] : [200 - y * 4, 200 - y * 4, 190 + x], i);
    }
  }
  return { width, height, data };
};

const streamed: DeviceRecord = {
  ...device,
  identity: { manufacturer: 'HIKVISION', model: 'iDS-2CD7146G0-IZS', firmware: 'V5.5.0', serial: 'DS-2CD7146G0-IZS20200101AAWRE12345678', hardwareId: null },
  face: { supported: true, enabled: true, reasons: device.face.reasons.slice(0, 1) },
  streams: [
    { profile: 'Profile_1', uri: 'rtsp://127.0.0.41:554/Streaming/Channels/101', frames: 25, facesSeen: 3, maxEyeDistance: 62, medianFaceWidth: 150, captureGrade: 'recognisable', evidenceIds: [9], error: null },
  ],
};
const snapshotEvidence: EvidenceRef[] = [...evidence, { id: 9, kind: 'snapshot', call: 'stream rtsp://127.0.0.41:554/Streaming/Channels/101', deviceKey: 'serial:evil:1', sha256: 'cd'.repeat(32), bytes: 21000, mime: 'image/jpeg', recordedAt: '' }];
const file = '/home/li/camaudit-reports/snapshots/insp-1-9-cdcdcdcdcdcd.jpg';
const snapshots = [{ file, preview: office() }];

/** The device screen as the app lays it out at 80x24: the frame fills 23 rows, the view gets 18. */
const at80x24 = (lang: Lang, colours: 'truecolor' | '256' | null): string => {
  const tree = () => (
    <Frame lang={lang} step="step.probe" error={null} help={['keys.scroll', 'keys.back']} rows={23}>
      <DeviceView lang={lang} device={streamed} evidence={snapshotEvidence} snapshots={snapshots} colours={colours} height={18} scroll={0} />
    </Frame>
  );
  const ui = render(tree());
  // A new element, so every line re-reads the width: the same one would let React skip them.
  Object.defineProperty(ui.stdout, 'columns', { get: () => 80, configurable: true });
  ui.rerender(tree());
  const frame = ui.lastFrame() ?? '';
  ui.unmount();
  return frame;
};

describe('device view', () => {
  it('names every call behind one reason on one line, and lists the evidence with its hash', () => {
    const lines = texts(deviceRows({ lang: 'en', device, evidence, snapshots: [{ file: '/tmp/s.jpg', preview: null }], colours: 'truecolor' }));
    expect(lines.filter((l) => l.includes('tt:FaceDetectorEngine'))).toEqual([
      'ONVIF analytics module "tt:FaceDetectorEngine" (does it now) via GetAnalyticsModules, GetAnalyticsConfigurations',
    ]);
    expect(lines).toContain('not tested');
    expect(lines).toContain('blurred snapshot: /tmp/s.jpg');
    expect(lines).toContain(`#7 response GetAnalyticsModules sha256 ${'ab'.repeat(8)}`);
  });

  it('shows control characters from a device as markers, never sends them to the terminal', () => {
    const ui = render(<DeviceView lang="en" device={device} evidence={evidence} snapshots={[]} colours="truecolor" height={20} scroll={0} />);
    const frame = ui.lastFrame() ?? '';
    expect(frame).toContain('Evil<U+001B>[2JCam');
    expect(frame).not.toContain('\u001b[2J');
    ui.unmount();
  });

  it('puts the preview right above its path line, one row per two pixel rows', () => {
    const rows = deviceRows({ lang: 'en', device: streamed, evidence: snapshotEvidence, snapshots, colours: '256' });
    const path = rows.findIndex((r) => r.kind === 'text' && r.text === `blurred snapshot: ${file}`);
    expect(rows.slice(path - 10, path).map((r) => r.kind)).toEqual(Array(10).fill('picture'));
    expect(rows[path - 11]?.kind).toBe('text');
    expect(rows.filter((r) => r.kind === 'picture')).toHaveLength(10);
  });

  it('draws the preview at 80x24 with the path line below it, every line within 80 columns', () => {
    for (const lang of ['en', 'zh-CN'] as const) {
      for (const colours of ['truecolor', '256'] as const) {
        const frame = at80x24(lang, colours);
        const lines = frame.split('\n');
        expect(lines.filter((l) => l.includes('▀')), `${lang} ${colours}`).toHaveLength(10);
        expect(frame).toContain(lang === 'en' ? `blurred snapshot: ${file}` : `已模糊的截图：${file}`);
        // 23 rows: the last row of the terminal stays free (src/tui/app.tsx).
        expect(lines.length).toBeLessThanOrEqual(23);
        for (const line of lines) expect(displayWidth(line), line).toBeLessThanOrEqual(80);
      }
    }
  });

  it('keeps the path line alone where the terminal shows no colours', () => {
    const frame = at80x24('en', null);
    expect(frame).not.toContain('▀');
    expect(frame).toContain(`blurred snapshot: ${file}`);
  });
});
