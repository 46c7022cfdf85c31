/**
 * `camaudit` with no subcommand (or `camaudit --db FILE`): the inspector's terminal UI when stdout
 * is a terminal, help otherwise. This file builds the real adapters and the store and hands them to
 * the UI's controller; the UI itself (src/tui) never imports an adapter.
 */
import type { Command } from 'commander';
import type { EvidenceRef } from '../../core/record.js';
import type { Store } from '../../store/store.js';
import type { VisitDeps } from '../../tui/controller.js';
import type { ProbePorts } from '../../visit/ports.js';
import type { ReportRequest } from '../../visit/report.js';
import type { RgbFrame } from '../../core/types.js';
import type { NetInterface } from '../../tui/state.js';
import type { ColourMode } from '../../tui/terminal-colours.js';

/** IPv4 interfaces with their prefix; the LAN ones first, loopback last (it serves the simulator). */
export const ipv4Interfaces = (all: NodeJS.Dict<import('node:os').NetworkInterfaceInfo[]>): NetInterface[] =>
  Object.entries(all)
    .flatMap(([name, infos]) => (infos ?? []).flatMap((i) => (i.family === 'IPv4' && i.cidr !== null ? [{ name, address: i.address, cidr: i.cidr, internal: i.internal }] : [])))
    .sort((a, b) => Number(a.internal) - Number(b.internal))
    .map(({ name, address, cidr }) => ({ name, address, cidr }));

export interface TuiOptions {
  readonly db: string;
  readonly out: string;
  readonly ports: ProbePorts;
  readonly streamTests: boolean;
}

/**
 * Report files go under `out`, named by case number, inspection and language; the text is the same as
 * `camaudit report` writes (src/visit/report.ts), through the same writer.
 */
const reportWriter = (store: Store, out: string) => async (inspectionId: string, req: ReportRequest): Promise<string> => {
  const { mkdir } = await import('node:fs/promises');
  const { join } = await import('node:path');
  const { writeReport } = await import('./report.js');
  const record = store.loadInspection(inspectionId);
  if (!record) throw new Error(`inspection ${inspectionId} is not in the store`);
  await mkdir(out, { recursive: true });
  const safeCase = record.meta.caseNumber.replace(/[^\p{L}\p{N}_-]+/gu, '_');
  const file = join(out, `${safeCase}-${record.meta.id}.${req.lang}.${req.format}`);
  // The UI draws the screen: the writer's "wrote ..." line would land in the middle of it.
  await writeReport(store, inspectionId, req, file, () => undefined);
  return file;
};

/**
 * The device view's picture of a stored (blurred) snapshot, sized for the terminal as it is now: the
 * stdout ink draws on. A snapshot that does not decode gets no picture; its path line remains.
 */
const snapshotPreviewer = (store: Store) => async (evidence: EvidenceRef): Promise<RgbFrame | null> => {
  const bytes = store.evidenceBlob(evidence.id);
  if (!bytes) return null;
  const { decodeImage, MAX_IMAGE_PIXELS } = await import('../../stream/image.js');
  const { previewBox } = await import('../../tui/snapshot-preview.js');
  // The pixel limit still applies: a database can come from an imported bundle.
  const decoded = await decodeImage(bytes, MAX_IMAGE_PIXELS, previewBox(process.stdout));
  return decoded.ok ? decoded.value : null;
};

/**
 * ink decides once, when it is first imported, whether it runs in CI (env CI or CONTINUOUS_INTEGRATION)
 * and then draws nothing until exit: a blank screen to a person at the keyboard. This UI starts only
 * when stdin and stdout are terminals, so a person is there whatever the environment says; the flags
 * are dropped before ink (or any component that imports it) is loaded.
 */
const forgetCiFlags = (env: NodeJS.ProcessEnv): void => {
  delete env.CI;
  delete env.CONTINUOUS_INTEGRATION;
};

/**
 * The controller's real dependencies: the engine's adapters and store, report and bundle writers under `out`,
 * snapshot previews when the terminal shows colours. runTui uses it, and so does the test that holds the UI's
 * report against `camaudit report`.
 */
export const tuiDeps = async (
  store: Store,
  opts: Pick<TuiOptions, 'out' | 'ports' | 'streamTests'> & { readonly colours: ColourMode | null; readonly listInterfaces?: () => readonly NetInterface[] },
): Promise<VisitDeps> => {
  const { networkInterfaces } = await import('node:os');
  const { join, resolve } = await import('node:path');
  const { exportBundle } = await import('../../store/bundle.js');
  const { deriveFindings } = await import('../../rules/derive.js');
  const { toolkitVersion } = await import('../version.js');
  const { BLAZEFACE_BACK } = await import('../../stream/model.js');
  const out = resolve(opts.out);
  return {
    ports: opts.ports,
    store,
    deriveFindings,
    listInterfaces: opts.listInterfaces ?? (() => ipv4Interfaces(networkInterfaces())),
    writeReport: reportWriter(store, out),
    saveSnapshot: async (inspectionId, evidence) => {
      const { mkdir } = await import('node:fs/promises');
      const { writeFileAtomic, writeRefusalMessage } = await import('../../io/write-file.js');
      const bytes = store.evidenceBlob(evidence.id);
      if (!bytes) throw new Error(`snapshot #${evidence.id} has no bytes in the store`);
      const file = join(out, 'snapshots', `${inspectionId}-${evidence.id}-${evidence.sha256.slice(0, 12)}.jpg`);
      await mkdir(join(out, 'snapshots'), { recursive: true });
      const written = writeFileAtomic(file, bytes);
      if (!written.ok) throw new Error(writeRefusalMessage(written.error));
      return file;
    },
    previewSnapshot: opts.colours === null ? null : snapshotPreviewer(store),
    exportBundle: async (id) => {
      const dir = join(out, `bundle-${id}`);
      const r = exportBundle(store, id, dir);
      if (!r.ok) throw new Error(r.error);
      return dir;
    },
    toolkitVersion: toolkitVersion(),
    modelSha256: BLAZEFACE_BACK.sha256,
    streamTests: opts.streamTests,
  };
};

export const runTui = async (opts: TuiOptions): Promise<void> => {
  forgetCiFlags(process.env);
  const { createElement } = await import('react');
  const { render } = await import('ink');
  const { openStore } = await import('../../store/store.js');
  const { Visit } = await import('../../tui/controller.js');
  const { App } = await import('../../tui/app.js');
  const { detectLang } = await import('../../i18n/index.js');
  const { colourModeOf } = await import('../../tui/terminal-colours.js');
  const store = openStore(opts.db);
  const colours = colourModeOf(process.env);
  const app = render(createElement(App, { visit: new Visit(await tuiDeps(store, { ...opts, colours })), lang: detectLang(process.env), colours }));
  try {
    await app.waitUntilExit();
  } finally {
    store.close();
  }
};

export const register = (program: Command): void => {
  // Root options must not swallow a subcommand's own --db (`camaudit sites list --db x`).
  program.enablePositionalOptions();
  program
    .option('--db <file>', 'database file for the terminal UI (default: $CAMAUDIT_DB or the per-user data directory)')
    .option('--out <dir>', 'where the terminal UI writes reports and bundles', 'camaudit-reports')
    .option('--no-stream', 'skip stream tests (configuration only)')
    .action(async (opts: { db?: string; out: string; stream: boolean }) => {
      if (!process.stdout.isTTY || !process.stdin.isTTY) {
        program.outputHelp();
        return;
      }
      const { defaultDbPath } = await import('../../store/paths.js');
      const { portSettingsFromEnv, realPorts } = await import('../../pipeline/ports.js');
      await runTui({ db: opts.db ?? defaultDbPath(), out: opts.out, ports: realPorts(portSettingsFromEnv(process.env)), streamTests: opts.stream });
    });
};
