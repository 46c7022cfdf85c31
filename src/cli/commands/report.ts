import type { Command } from 'commander';
import type { ReportFormat } from '../../report/index.js';
import type { ReportRequest, ReportSource } from '../../visit/report.js';
import { UsageError } from '../exit.js';

export interface ReportOptions {
  readonly db?: string;
  readonly inspection: string;
  readonly format: string;
  readonly lang: string;
  readonly out?: string;
}

/** Loads one inspection from the store and renders it (src/visit/report.ts). Returns the text; the caller decides where it goes. */
export const buildReport = async (opts: ReportOptions): Promise<string> => {
  const { openStore } = await import('../../store/store.js');
  const { existingDb, langFlag, newerSchemaNote } = await import('../args.js');
  const request: ReportRequest = { format: formatFlag(opts.format), lang: langFlag(opts.lang) };
  const file = existingDb(opts.db);
  const store = openStore(file, 'read');
  if (store.newerSchema !== null) process.stderr.write(newerSchemaNote(file, store.newerSchema));
  try {
    return await renderOrRefuse(store, opts.inspection, request, ` in ${file}`);
  } finally {
    store.close();
  }
};

const formatFlag = (format: string): ReportFormat => {
  if (format === 'html' || format === 'md' || format === 'json') return format;
  throw new UsageError(`--format expects html, md or json, got "${format}"`);
};

const renderOrRefuse = async (store: ReportSource, inspectionId: string, request: ReportRequest, where = ''): Promise<string> => {
  const { renderReport } = await import('../../visit/report.js');
  const text = renderReport(store, inspectionId, request);
  if (!text.ok) throw new UsageError(`${text.error}${where}`);
  return text.value;
};

/**
 * The report of an inspection written to `out` (standard output when absent): what `camaudit report`, the terminal
 * UI and the demo write, through the one writer below.
 */
export const writeReport = async (
  store: ReportSource,
  inspectionId: string,
  request: ReportRequest,
  out: string | undefined,
  log?: (line: string) => void,
): Promise<void> => writeOutput(await renderOrRefuse(store, inspectionId, request), out, log);

/**
 * The one way a rendered document leaves camaudit (report, campaign, demo, the terminal UI): standard output,
 * or `out` through the shared writer (temporary file beside it, fsync, rename; never onto anything but a
 * regular file). A refused target exits 2, a write the system refuses (disk full, read-only medium) exits 5.
 */
export const writeOutput = async (
  text: string,
  out: string | undefined,
  log: (line: string) => void = (line) => process.stderr.write(`${line}\n`),
): Promise<void> => {
  if (out === undefined) {
    process.stdout.write(text);
    return;
  }
  const { writeFileAtomic, writeRefusalMessage } = await import('../../io/write-file.js');
  const { ExitError, UsageError } = await import('../exit.js');
  const r = writeFileAtomic(out, text);
  if (!r.ok) throw r.error.kind === 'failed' ? new ExitError(writeRefusalMessage(r.error), 5) : new UsageError(writeRefusalMessage(r.error));
  log(`wrote ${out} (${r.value.bytes} bytes)`);
};

export const register = (program: Command): void => {
  program
    .command('report')
    .description('Render an inspection record (检查笔录) with findings, provisions, evidence index and, for a re-check, the diff.')
    .option('--db <file>', 'database file (default: $CAMAUDIT_DB or the per-user data directory)')
    .requiredOption('--inspection <id>', 'inspection id')
    .option('--format <format>', 'html (one self-contained file for A4), md or json', 'html')
    .option('--lang <lang>', 'zh-CN or en', 'zh-CN')
    .option('--out <file>', 'write here instead of standard output')
    .action(async (opts: ReportOptions) => {
      await writeOutput(await buildReport(opts), opts.out);
    });
};
