/** A Visit over a real SQLite store in a temp dir and fake ports: what the TUI tests drive. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ProbePorts } from '../../src/visit/ports.js';
import type { ReportRequest } from '../../src/visit/report.js';
import { deriveFindings } from '../../src/rules/derive.js';
import { openStore, type Store } from '../../src/store/store.js';
import { Visit, type VisitDeps } from '../../src/tui/controller.js';
import type { Msg } from '../../src/tui/state.js';
import { fakePorts } from './fakes.js';

export interface Harness {
  readonly visit: Visit;
  readonly store: Store;
  readonly messages: Msg[];
  readonly reports: ReportRequest[];
  readonly dir: string;
  /** The UI quit and started again: a new Visit, with its own messages, over the same store. */
  restart(): { readonly visit: Visit; readonly messages: Msg[] };
  close(): void;
}

/** What a test may swap in: the snapshot deps (null by default) and the stream tests (off). */
type Overrides = Partial<Pick<VisitDeps, 'saveSnapshot' | 'previewSnapshot' | 'streamTests'>>;

export const harness = (ports: ProbePorts = fakePorts(), overrides: Overrides = {}): Harness => {
  const dir = mkdtempSync(join(tmpdir(), 'camaudit-tui-'));
  const store = openStore(join(dir, 'visit.db'));
  const reports: ReportRequest[] = [];
  const deps: VisitDeps = {
    ports,
    store,
    deriveFindings,
    listInterfaces: () => [{ name: 'lo', address: '127.0.0.1', cidr: '127.0.0.1/8' }],
    writeReport: async (inspectionId, req) => {
      reports.push(req);
      return join(dir, `${store.loadInspection(inspectionId)?.meta.caseNumber ?? inspectionId}.${req.lang}.${req.format}`);
    },
    saveSnapshot: null,
    previewSnapshot: null,
    exportBundle: null,
    toolkitVersion: '0.1.0-test',
    modelSha256: 'test',
    streamTests: false,
    tickMs: 20,
    ...overrides,
  };
  const start = (): { visit: Visit; messages: Msg[] } => {
    const visit = new Visit(deps);
    const messages: Msg[] = [];
    visit.subscribe((m) => messages.push(m));
    return { visit, messages };
  };
  const { visit, messages } = start();
  return {
    visit,
    store,
    messages,
    reports,
    dir,
    restart: start,
    close: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
