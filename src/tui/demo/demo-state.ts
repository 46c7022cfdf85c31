/**
 * What the demo's terminal view shows (pure): the phase of the demo and one row per camera, built from
 * the pipeline's events. Rows are keyed by service address, since simulated cameras share 127.0.0.1.
 */
import type { CaptureGrade } from '../../core/types.js';
import type { VisitEvent } from '../../visit/events.js';

import type { DemoPhase } from '../../cli/demo-command.js';

export type { DemoPhase };

export interface DemoRow {
  readonly xaddr: string;
  readonly label: string;
  readonly faceSupported: boolean | null;
  readonly faceEnabled: boolean | null;
  readonly grade: CaptureGrade | null;
  readonly error: string | null;
}

export interface DemoState {
  readonly phase: DemoPhase;
  readonly found: number;
  readonly rows: readonly DemoRow[];
  readonly findings: number | null;
  readonly files: readonly string[];
  readonly lastLine: string;
}

export type DemoMsg =
  | { readonly type: 'phase'; readonly phase: DemoPhase }
  | { readonly type: 'event'; readonly event: VisitEvent }
  | { readonly type: 'line'; readonly line: string }
  | { readonly type: 'files'; readonly files: readonly string[] };

export const initialDemoState: DemoState = { phase: 'starting', found: 0, rows: [], findings: null, files: [], lastLine: '' };

const upsert = (rows: readonly DemoRow[], xaddr: string, patch: Partial<DemoRow>): DemoRow[] => {
  const i = rows.findIndex((r) => r.xaddr === xaddr);
  const base: DemoRow = rows[i] ?? { xaddr, label: '', faceSupported: null, faceEnabled: null, grade: null, error: null };
  const next = { ...base, ...patch };
  return i < 0 ? [...rows, next] : rows.map((r, j) => (j === i ? next : r));
};

const onEvent = (s: DemoState, e: VisitEvent): DemoState => {
  switch (e.type) {
    case 'inspection-started':
      // Each inspection starts its own table: the re-check's devices are what the office has now.
      return { ...s, found: 0, rows: [], findings: null };
    case 'device-found':
      return { ...s, found: s.found + 1 };
    case 'device-probed': {
      const d = e.config.device;
      const label = [d.manufacturer, d.model].filter((x) => x).join(' ') || '?';
      return { ...s, rows: upsert(s.rows, e.config.xaddr, { label, faceSupported: e.config.face.supported, faceEnabled: e.config.face.enabled }) };
    }
    case 'stream-done':
      return { ...s, rows: upsert(s.rows, e.xaddr, { grade: e.facts.captureGrade }) };
    case 'inspection-done':
      return { ...s, findings: e.findings };
    default:
      return s;
  }
};

export const demoReducer = (s: DemoState, m: DemoMsg): DemoState => {
  switch (m.type) {
    case 'phase':
      return { ...s, phase: m.phase };
    case 'event':
      return onEvent(s, m.event);
    case 'line':
      return { ...s, lastLine: m.line };
    case 'files':
      return { ...s, files: m.files };
  }
};
