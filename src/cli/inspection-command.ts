/**
 * `camaudit inspect` and `camaudit recheck`: wire the real adapters and the store into the pipeline,
 * print progress to stderr and a summary (or JSON) to stdout.
 */
import { readFileSync } from 'node:fs';
import { describeError } from '../core/errors.js';
import { splitList } from '../core/list.js';
import type { InspectionRecord } from '../core/record.js';
import { chooseInterfaces } from '../discovery/interfaces.js';
import { credentialLookup, decodeCredentialsFile, type CredentialLookup } from '../pipeline/credentials.js';
import { portSettingsFromEnv, realPorts, type PortSettings } from '../pipeline/ports.js';
import type { RecheckDiff } from '../assess/recheck.js';
import { addressLabels } from '../report/device-address.js';
import { terminalLine, terminalText } from '../report/text.js';
import { deriveFindings } from '../rules/derive.js';
import { VisitEngine } from '../visit/engine.js';
import type { VisitEvent } from '../visit/events.js';
import { buildPlan } from '../visit/plan.js';
import type { VisitStore } from '../visit/ports.js';
import { BLAZEFACE_BACK } from '../stream/model.js';
import { UsageError } from './exit.js';
import { toolkitVersion } from './version.js';

export interface InspectionFlags {
  readonly db: string;
  readonly site: string;
  readonly interface: readonly string[];
  readonly sweep?: string;
  readonly credentials?: string;
  readonly case?: string;
  readonly inspector: readonly string[];
  readonly expert: readonly string[];
  readonly representative?: string;
  readonly witness?: string;
  /** Zones inspected, one line: "入口,沙盘区" (also ， and 、 between them). */
  readonly zones?: string;
  readonly stream: boolean;
  readonly frames?: string;
  readonly json?: boolean;
  /** Continue this unfinished inspection instead of starting one. */
  readonly resume?: string;
}

export const loadCredentials = (file: string | undefined): CredentialLookup => {
  if (!file) return () => null;
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new UsageError(`cannot read credentials file ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const decoded = decodeCredentialsFile(raw);
  if (!decoded.ok) throw new UsageError(`credentials file ${file}: ${decoded.error.path}: ${decoded.error.message}`);
  return credentialLookup(decoded.value, process.env);
};

/** Progress lines for a terminal or a log: one line per meaningful event. */
export const progressLine = (e: VisitEvent): string | null => {
  switch (e.type) {
    case 'inspection-started':
      return `inspection ${e.inspectionId} ${e.resumed ? 'resumed' : 'started'} (${e.kind === 'recheck' ? 're-check' : 'first inspection'}) for site ${e.siteId}`;
    case 'device-found':
      return `found ${e.device.address} via ${e.device.via} (${e.elapsedMs} ms)`;
    case 'device-probed':
      return `probed ${e.address}: ${e.config.device.manufacturer ?? '?'} ${e.config.device.model ?? '?'}, face supported ${String(e.config.face.supported)}, enabled ${String(e.config.face.enabled)}`;
    case 'auth-needed':
      return `${e.address}: ${e.failed ? 'credentials refused' : 'no credentials given'}; only unauthenticated facts were read`;
    case 'stream-done':
      return `stream ${e.address} ${e.profile}: ${e.facts.frames} frames, ${e.facts.facesSeen} faces, grade ${e.facts.captureGrade}${e.facts.error ? ` (${describeError(e.facts.error)})` : ''}`;
    case 'device-error':
      return `${e.address}: ${describeError(e.error)}`;
    case 'stage-done':
      return `${e.stage} done in ${e.ms} ms`;
    default:
      return null;
  }
};

export const summaryText = (r: InspectionRecord): string => {
  const lines = [`inspection ${r.meta.id} — ${r.site.name} — ${r.devices.length} device(s), ${r.findings.length} finding(s)`];
  const addresses = addressLabels(r.devices);
  for (const d of r.devices) {
    const grade = d.streams.map((s) => `${s.captureGrade}${s.maxEyeDistance !== null ? ` (eyes ${s.maxEyeDistance}px)` : ''}`).join(', ') || '—';
    lines.push(
      `  ${(addresses.get(d.key) ?? d.address).padEnd(22)} ${`${d.identity.manufacturer ?? '?'} ${d.identity.model ?? '?'}`.padEnd(32)} face supported=${String(d.face.supported)} enabled=${String(d.face.enabled)} stream=${grade}`,
    );
  }
  for (const f of r.findings) lines.push(`  [${f.severity}] ${f.ruleId}: ${f.observation.en}`);
  return terminalText(lines.join('\n'));
};

/**
 * The zones to record: those given (an empty flag means none), else on a re-check the zones of the inspection it
 * follows, since the same office is walked again; else none.
 */
export const zonesFor = (flag: string | undefined, previous: readonly string[] | null): readonly string[] =>
  flag !== undefined ? splitList(flag) : (previous ?? []);

export interface RunOptions {
  readonly flags: InspectionFlags;
  readonly kind: 'first' | 'recheck';
  readonly settings?: PortSettings;
  /** Credentials known in memory (the demo's simulated cameras); else the credentials file. */
  readonly credentials?: CredentialLookup;
  readonly log?: (line: string) => void;
  /** Runs after the devices are recorded, before findings (the demo's simulated inspector confirms removals here). */
  readonly beforeConclude?: (engine: VisitEngine, inspectionId: string) => void;
  /** Every pipeline event, besides the progress lines (the demo's terminal view). */
  readonly onEvent?: (e: VisitEvent) => void;
}

/** Run one inspection or re-check on an open store; returns the record (and the previous one for a re-check). */
export const runFromFlags = async (
  store: VisitStore,
  opts: RunOptions,
): Promise<{ readonly record: InspectionRecord; readonly previous: InspectionRecord | null; readonly diff: RecheckDiff | null }> => {
  const { flags } = opts;
  const chosen = chooseInterfaces(flags.interface.length > 0 ? flags.interface : undefined);
  if (!chosen.ok) throw new UsageError(chosen.error.message);
  const log = opts.log ?? ((line: string) => process.stderr.write(`${line}\n`));
  const engine = new VisitEngine({ ports: realPorts(settingsFor(flags, opts.settings)), store, deriveFindings }, (e) => {
    opts.onEvent?.(e);
    const line = progressLine(e);
    // Device text (names, errors) shown as markers: it must not drive the inspector's terminal.
    if (line) log(terminalLine(line));
  });
  let previousId: string | null = null;
  let zones = zonesFor(flags.zones, null);
  // Read once: the inspection being resumed, and it again only while it is open (the engine refuses a finished
  // one, which must then gain no zones or network).
  const resumed = flags.resume ? (store.loadInspection(flags.resume)?.meta ?? null) : null;
  const reopened = resumed?.endedAt === null ? resumed : null;
  if (flags.resume) {
    previousId = resumed?.previousInspectionId ?? null;
    // Zones given on resume (forgotten at the start, or more of the office reached) stand from now on.
    if (reopened && flags.zones !== undefined) engine.setZones(reopened.id, zones);
  } else if (opts.kind === 'recheck') {
    const last = engine.previousFor(flags.site);
    if (!last) throw new UsageError(`site ${flags.site} has no finished inspection to re-check`);
    previousId = last.id;
    zones = zonesFor(flags.zones, last.zones);
  }
  const controller = new AbortController();
  const plan = buildPlan(
    {
      siteId: flags.site,
      kind: opts.kind,
      previousInspectionId: previousId,
      caseNumber: flags.case ?? '',
      zones,
      inspectors: flags.inspector,
      experts: flags.expert,
      representative: flags.representative ?? '',
      witness: flags.witness ?? '',
      interfaces: chosen.value,
      sweep: flags.sweep ?? null,
      credentials: opts.credentials ?? loadCredentials(flags.credentials),
      streamTests: flags.stream,
      toolkitVersion: toolkitVersion(),
      modelSha256: BLAZEFACE_BACK.sha256,
    },
    controller.signal,
  );
  // A resumed inspection discovers on this run's network (the terminal UI may have opened it before any was
  // chosen): recorded, as a re-discovery in the UI is; the same network again adds nothing.
  if (reopened) engine.recordNetwork(reopened.id, { interfaceAddress: plan.start.interfaceAddress, subnet: plan.start.subnet });
  const onSignal = (): void => controller.abort();
  process.once('SIGINT', onSignal);
  try {
    const outcome = flags.resume
      ? await engine.resume(flags.resume, plan, controller.signal)
      : await engine.run(plan, controller.signal, opts.beforeConclude ? (id) => opts.beforeConclude?.(engine, id) : undefined);
    if (!outcome.ok) throw new UsageError(outcome.error);
    return outcome.value;
  } finally {
    process.off('SIGINT', onSignal);
  }
};

const settingsFor = (flags: InspectionFlags, settings: PortSettings | undefined): PortSettings => {
  const frames = flags.frames === undefined ? undefined : Number(flags.frames);
  if (frames !== undefined && (!Number.isInteger(frames) || frames < 1 || frames > 100)) throw new UsageError('--frames expects 1..100');
  return { ...(settings ?? portSettingsFromEnv(process.env)), ...(frames ? { streamFrames: frames } : {}) };
};

export const recheckSummary = (diff: RecheckDiff): string => {
  const lines = [`re-check of inspection ${diff.previousInspectionId} -> ${diff.currentInspectionId}`];
  for (const d of diff.devices) lines.push(`  ${(d.after ?? d.before)?.label ?? d.key}: ${d.change}${d.captureChanged ? ', stream capture changed' : ''}`);
  for (const v of diff.verdicts) lines.push(`  ${v.finding.ruleId} ${v.finding.deviceKey ?? ''}: ${v.verdict} (${v.reason})`);
  return terminalText(lines.join('\n'));
};
