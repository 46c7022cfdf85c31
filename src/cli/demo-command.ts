/**
 * `camaudit demo`: the whole job on the simulated sales office. Starts the simulator on 127.0.0.1,
 * runs a first inspection, switches the office to its rectified state, re-checks it, and writes both
 * inspection records (HTML and Markdown, zh-CN and English) into the output folder.
 */
import { mkdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Credential, CredentialLookup } from '../pipeline/credentials.js';
import type { VisitEvent } from '../visit/events.js';
import { DEFAULT_PORT_SETTINGS } from '../pipeline/ports.js';
import { removalChecklistItem } from '../assess/recheck.js';
import { freeUdpPort } from '../sim/listen.js';
import { startSite, type SiteHandle } from '../sim/site.js';
import { openStore } from '../store/store.js';
import { writeReport } from './commands/report.js';
import { recheckSummary, runFromFlags, summaryText, type InspectionFlags } from './inspection-command.js';

export interface DemoOptions {
  readonly db?: string;
  readonly out: string;
  readonly log: (line: string) => void;
  /**
   * WS-Discovery port shared by the simulator and the inspection. A private port by default, so the demo never
   * mixes with another simulator (or real cameras) answering on 3702.
   */
  readonly discoveryPort?: number;
  /** The terminal view follows the demo through these. */
  readonly onPhase?: (phase: DemoPhase) => void;
  readonly onEvent?: (e: VisitEvent) => void;
}

export type DemoPhase = 'starting' | 'first' | 'rectifying' | 'recheck' | 'reports' | 'done';

export const DEMO_SITE = {
  id: 'DEMO-001',
  name: '滨江示例花园售楼处（虚构 / fictional）',
  address: '示例市示例区滨江路 1 号（虚构）',
  district: '示例区',
  developer: '示例置业有限公司（虚构）',
  contact: '王经理（虚构） 000-0000-0000',
  campaign: '2026 售楼处人脸识别专项检查（演示）',
} as const;

/** The simulator's credentials, looked up live: the rectified office has a camera the first one lacked. */
const siteCredentials = (site: SiteHandle): CredentialLookup => (address, port) => {
  const cam = site.cameras.find((c) => c.address === address && c.port === port);
  return cam ? ({ username: cam.username, password: cam.password } satisfies Credential) : null;
};

const stamp = (): string => new Date().toISOString().replace(/[:.]/g, '-');

export interface DemoResult {
  readonly db: string;
  readonly files: readonly string[];
  readonly firstInspectionId: string;
  readonly recheckInspectionId: string;
}

export const runDemo = async (opts: DemoOptions): Promise<DemoResult> => {
  const out = resolve(opts.out);
  mkdirSync(out, { recursive: true });
  // A fresh database per run unless told otherwise: the log is append-only by design.
  const db = resolve(opts.db ?? join(out, `demo-${stamp()}.db`));
  opts.log(`starting the simulated sales office on 127.0.0.1 (fictional names and people)…`);
  const discoveryPort = opts.discoveryPort ?? (await freeUdpPort());
  const site = await startSite({ host: '127.0.0.1', discoveryPort });
  const settings = { ...DEFAULT_PORT_SETTINGS, discoveryPort };
  const store = openStore(db);
  try {
    store.upsertSite(DEMO_SITE);
    const flags: InspectionFlags = {
      db,
      site: DEMO_SITE.id,
      interface: ['127.0.0.1'],
      case: '（演示）示检〔2026〕1号',
      inspector: ['李检察官（虚构）', '张检查员（虚构）'],
      expert: ['陈工程师（虚构）'],
      representative: '王经理（虚构）',
      witness: '赵女士（虚构）',
      // The simulated office's areas with cameras (reception's appears once the office has rectified).
      zones: '入口、前台接待区、沙盘区、洽谈区',
      stream: true,
    };
    const credentials = siteCredentials(site);
    const events = opts.onEvent ? { onEvent: opts.onEvent } : {};
    opts.onPhase?.('first');
    const first = await runFromFlags(store, { flags, kind: 'first', credentials, settings, log: opts.log, ...events });
    opts.log(summaryText(first.record));

    opts.log('switching the simulated office to its rectified state (整改后)…');
    opts.onPhase?.('rectifying');
    await site.setState('rectified');
    opts.onPhase?.('recheck');
    const again = await runFromFlags(store, {
      flags,
      kind: 'recheck',
      credentials,
      settings,
      log: opts.log,
      ...events,
      // The simulated inspector walks the office and confirms that the device no longer answering was taken down.
      beforeConclude: (engine, inspectionId) => {
        for (const { key } of engine.missing(engine.load(inspectionId))) {
          engine.answer(inspectionId, { item: removalChecklistItem(key), answer: 'yes', note: '演示：检查人员现场确认该设备已拆除（虚构） / demo: removal confirmed on site (fictional)' });
        }
      },
    });
    opts.log(summaryText(again.record));
    if (again.diff) opts.log(recheckSummary(again.diff));

    opts.onPhase?.('reports');
    const files: string[] = [];
    for (const [label, id] of [['first', first.record.meta.id], ['recheck', again.record.meta.id]] as const) {
      for (const lang of ['zh-CN', 'en'] as const) {
        for (const format of ['html', 'md'] as const) {
          const file = join(out, `${label}-inspection-${id}.${lang}.${format}`);
          await writeReport(store, id, { format, lang }, file, opts.log);
          files.push(file);
        }
      }
    }
    opts.onPhase?.('done');
    return { db, files, firstInspectionId: first.record.meta.id, recheckInspectionId: again.record.meta.id };
  } finally {
    store.close();
    await site.close();
  }
};
