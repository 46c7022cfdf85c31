/**
 * What the visit engine reports while it runs: one discriminated union, plain data, no I/O. The CLI prints
 * these, the TUI and the demo view render them; nobody parses a string out of one.
 */
import type { ProbeError } from '../core/errors.js';
import type { ChecklistAnswer } from '../core/record.js';
import type { ConfigProbe, DiscoveredDevice, StreamFacts } from '../core/types.js';

export type Stage = 'discover' | 'probe' | 'stream' | 'record' | 'report';

export type VisitEvent =
  /** `resumed`: an unfinished inspection continued (`inspect --resume`), not a new one. */
  | { readonly type: 'inspection-started'; readonly inspectionId: string; readonly siteId: string; readonly kind: 'first' | 'recheck'; readonly resumed?: true }
  | { readonly type: 'stage-started'; readonly stage: Stage; readonly total?: number }
  | { readonly type: 'device-found'; readonly device: DiscoveredDevice; readonly elapsedMs: number }
  | { readonly type: 'discovery-progress'; readonly sent: number; readonly planned: number; readonly elapsedMs: number }
  | { readonly type: 'probe-call'; readonly address: string; readonly action: string; readonly status: string; readonly ms: number }
  | { readonly type: 'auth-needed'; readonly address: string; readonly vendor: string | null; readonly failed: boolean }
  | { readonly type: 'device-probed'; readonly address: string; readonly config: ConfigProbe }
  | { readonly type: 'stream-frame'; readonly address: string; readonly profile: string; readonly frame: number; readonly of: number; readonly faces: number }
  | {
      readonly type: 'stream-done';
      readonly address: string;
      readonly xaddr: string;
      readonly profile: string;
      /** false: the URI was refused (outside the scope) and never contacted; `facts` says why. */
      readonly contacted: boolean;
      readonly facts: StreamFacts;
    }
  | { readonly type: 'device-error'; readonly address: string; readonly error: ProbeError }
  | { readonly type: 'device-recorded'; readonly address: string; readonly deviceKey: string; readonly entryId: number }
  | { readonly type: 'checklist-answered'; readonly inspectionId: string; readonly item: string; readonly answer: ChecklistAnswer; readonly findings: number }
  | { readonly type: 'signed'; readonly inspectionId: string; readonly name: string; readonly role: string; readonly status: 'signed' | 'refused' }
  | { readonly type: 'stage-done'; readonly stage: Stage; readonly ms: number }
  | { readonly type: 'inspection-done'; readonly inspectionId: string; readonly findings: number; readonly ms: number };

export type EventSink = (e: VisitEvent) => void;
