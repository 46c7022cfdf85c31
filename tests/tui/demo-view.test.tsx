import { render } from 'ink-testing-library';
import { createElement } from 'react';
import { describe, expect, it } from 'vitest';
import type { ConfigProbe, StreamFacts } from '../../src/core/types.js';
import type { VisitEvent } from '../../src/visit/events.js';
import { demoReducer, initialDemoState, type DemoMsg } from '../../src/tui/demo/demo-state.js';
import { DemoView } from '../../src/tui/demo/demo-view.js';

const probed = (port: number, model: string, enabled: boolean): VisitEvent => ({
  type: 'device-probed',
  address: '127.0.0.1',
  config: {
    xaddr: `http://127.0.0.1:${port}/onvif/device_service`,
    device: { manufacturer: 'HIKVISION', model, firmware: null, serial: null, hardwareId: null },
    face: { supported: true, enabled, reasons: [] },
  } as unknown as ConfigProbe,
});

const streamed = (port: number, grade: StreamFacts['captureGrade']): VisitEvent => ({
  type: 'stream-done',
  address: '127.0.0.1',
  xaddr: `http://127.0.0.1:${port}/onvif/device_service`,
  profile: 'Profile_1',
  contacted: true,
  facts: { captureGrade: grade } as unknown as StreamFacts,
});

const run = (msgs: readonly DemoMsg[]) => msgs.reduce(demoReducer, initialDemoState);

describe('demo view state', () => {
  it('keeps cameras that share an address apart by service address, and fills in the stream grade', () => {
    const s = run([
      { type: 'phase', phase: 'first' },
      { type: 'event', event: probed(8001, 'iDS-2CD7146G0-IZS', true) },
      { type: 'event', event: probed(8002, 'DS-2CD2012-I', false) },
      { type: 'event', event: streamed(8001, 'recognisable') },
    ]);
    expect(s.rows.map((r) => [r.label, r.faceEnabled, r.grade])).toEqual([
      ['HIKVISION iDS-2CD7146G0-IZS', true, 'recognisable'],
      ['HIKVISION DS-2CD2012-I', false, null],
    ]);
  });

  it('starts a fresh table for the re-check', () => {
    const s = run([
      { type: 'event', event: probed(8001, 'A', true) },
      { type: 'phase', phase: 'recheck' },
      { type: 'event', event: { type: 'inspection-started', inspectionId: '2', siteId: 'S', kind: 'recheck' } },
    ]);
    expect(s.rows).toEqual([]);
    expect(s.phase).toBe('recheck');
  });
});

describe('DemoView', () => {
  it('shows the phase, each camera and at the end where the records are', () => {
    const s = run([
      { type: 'phase', phase: 'first' },
      { type: 'event', event: probed(8001, 'iDS-2CD7146G0-IZS', true) },
      { type: 'event', event: streamed(8001, 'recognisable') },
      { type: 'event', event: { type: 'inspection-done', inspectionId: '1', findings: 6, ms: 1 } },
      { type: 'phase', phase: 'done' },
      { type: 'files', files: ['/tmp/out/first-inspection-1.zh-CN.html'] },
    ]);
    const zh = render(createElement(DemoView, { lang: 'zh-CN', state: s })).lastFrame() ?? '';
    expect(zh).toContain('首次检查');
    expect(zh).toMatch(/HIKVISION iDS-2CD7146G0-IZS\s+127\.0\.0\.1:8001\s+是\s+是\s+可识别/);
    expect(zh).toContain('发现问题 6 项');
    expect(zh).toContain('/tmp/out/first-inspection-1.zh-CN.html');
    const en = render(createElement(DemoView, { lang: 'en', state: s })).lastFrame() ?? '';
    expect(en).toContain('6 finding(s)');
    for (const line of en.split('\n')) expect(line.length).toBeLessThanOrEqual(100);
  });
});
