import type { Command } from 'commander';
import { writeOutput } from './report.js';

export interface CampaignOptions {
  readonly db?: string;
  readonly format: string;
  readonly lang: string;
  readonly campaign?: string;
  readonly out?: string;
}

/** One row per site; only each site's latest inspection and the one it re-checks are loaded. */
export const buildCampaign = async (opts: CampaignOptions): Promise<string> => {
  const { openStore } = await import('../../store/store.js');
  const { campaignRow, renderCampaign } = await import('../../report/index.js');
  const { existingDb, langFlag, newerSchemaNote } = await import('../args.js');
  const { UsageError } = await import('../exit.js');

  const format = opts.format === 'html' || opts.format === 'csv' ? opts.format : null;
  if (format === null) throw new UsageError(`--format expects html or csv, got "${opts.format}"`);
  const lang = langFlag(opts.lang);
  const file = existingDb(opts.db);

  const store = openStore(file, 'read');
  if (store.newerSchema !== null) process.stderr.write(newerSchemaNote(file, store.newerSchema));
  try {
    const sites = store.listSites().filter((s) => opts.campaign === undefined || s.campaign === opts.campaign);
    const rows = sites.map((site) => {
      const metas = store.inspectionsForSite(site.id);
      const latest = [...metas].sort((a, b) => a.startedAt.localeCompare(b.startedAt)).at(-1);
      const ids = latest === undefined ? [] : [latest.id, ...(latest.previousInspectionId === null ? [] : [latest.previousInspectionId])];
      const records = ids.flatMap((id) => store.loadInspection(id) ?? []);
      return campaignRow(site, records, metas.length);
    });
    return renderCampaign(rows, format, lang);
  } finally {
    store.close();
  }
};

export const register = (program: Command): void => {
  program
    .command('campaign')
    .description("Every site's status across the campaign: last inspection, devices, face-capable cameras, open findings, rectification.")
    .option('--db <file>', 'database file (default: $CAMAUDIT_DB or the per-user data directory)')
    .option('--format <format>', 'html or csv', 'html')
    .option('--lang <lang>', 'zh-CN or en', 'zh-CN')
    .option('--campaign <name>', 'only the sites of this campaign')
    .option('--out <file>', 'write here instead of standard output')
    .action(async (opts: CampaignOptions) => {
      await writeOutput(await buildCampaign(opts), opts.out);
    });
};
