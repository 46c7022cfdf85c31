import type { Command } from 'commander';

export interface ReportOptions {
  readonly db?: string;
  readonly inspection: string;
  readonly format: string;
  readonly lang: string;
  readonly out?: string;
}

/**
 * Loads one inspection (and the one it re-checks) from the store and renders it. Returns the text;
 * the caller decides where it goes. Snapshot bytes are read only for HTML, the one format that
 * embeds them.
 */
export const buildReport = async (opts: ReportOptions): Promise<string> => {
  const { openStore } = await import('../../store/store.js');
  const { RULES } = await import('../../rules/catalog.js');
  const { CHECKLIST_ITEMS } = await import('../../rules/checklist-items.js');
  const { renderInspection, ruleCatalog } = await import('../../report/index.js');
  const { existingDb, langFlag, newerSchemaNote } = await import('../args.js');
  const { UsageError } = await import('../exit.js');

  const format = opts.format === 'html' || opts.format === 'md' || opts.format === 'json' ? opts.format : null;
  if (format === null) throw new UsageError(`--format expects html, md or json, got "${opts.format}"`);
  const lang = langFlag(opts.lang);
  const file = existingDb(opts.db);

  const store = openStore(file, 'read');
  if (store.newerSchema !== null) process.stderr.write(newerSchemaNote(file, store.newerSchema));
  try {
    const record = store.loadInspection(opts.inspection);
    if (record === null) throw new UsageError(`no inspection "${opts.inspection}" in ${file}`);
    const previousId = record.meta.previousInspectionId;
    const previous = previousId === null ? null : store.loadInspection(previousId);
    const snapshots = new Map(
      format !== 'html'
        ? []
        : record.evidence.flatMap((e) => {
            const bytes = e.kind === 'snapshot' ? store.evidenceBlob(e.id) : null;
            return bytes === null ? [] : [[e.id, { mime: e.mime, bytes }] as const];
          }),
    );
    return renderInspection(record, format, {
      lang,
      rules: ruleCatalog(RULES),
      snapshots,
      checklistQuestions: new Map(CHECKLIST_ITEMS.map((i) => [i.id, i.question])),
      signatures: store.signatures(opts.inspection),
      ...(previous ? { previous } : {}),
    });
  } finally {
    store.close();
  }
};

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
