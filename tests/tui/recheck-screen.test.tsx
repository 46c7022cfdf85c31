import { render } from 'ink-testing-library';
import { describe, expect, it } from 'vitest';
import { t } from '../../src/i18n/index.js';
import type { RecheckDiff } from '../../src/assess/recheck.js';
import { RecheckScreen } from '../../src/tui/components/recheck-screen.js';
import { initialState } from '../../src/tui/state.js';

const diff: RecheckDiff = {
  previousInspectionId: '1',
  currentInspectionId: '2',
  devices: [
    {
      key: 'serial:x:1',
      change: 'removed',
      before: { address: '127.0.0.9', label: 'ACME Cam', faceSupported: true, faceEnabled: true, capture: null },
      after: null,
      captureChanged: false,
    },
  ],
  verdicts: [
    {
      finding: { ruleId: 'FR-FACE-PROC', severity: 'high', deviceKey: 'serial:x:1', observation: { 'zh-CN': '设备 ACME Cam 已启用人脸抓拍', en: 'Device ACME Cam has face capture on' }, evidenceIds: [] },
      verdict: 'rectified',
      reason: 'removed-confirmed',
      detail: null,
      evidenceIds: [],
    },
  ],
};

describe('re-check screen', () => {
  it('lists per-device changes and verdicts, and explains the selected verdict in full', () => {
    // Cursor on the verdict: heading, one device, heading, then the verdict.
    const state = { ...initialState('en'), screen: 'recheck' as const, diff, cursor: 3 };
    const ui = render(<RecheckScreen state={state} height={18} />);
    const frame = ui.lastFrame() ?? '';
    expect(frame).toContain(t('en', 'diff.change.removed'));
    expect(frame).toMatch(/rectified\s+FR-FACE-PROC/);
    expect(frame).toContain('Device ACME Cam has face capture on');
    expect(frame).toContain(`rectified: ${t('en', 'why.removed-confirmed')}`);
    ui.unmount();
  });
});
