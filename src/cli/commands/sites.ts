import type { Command } from 'commander';

const dbOption = ['--db <file>', 'database file (default: $CAMAUDIT_DB or the per-user data directory)'] as const;

export const register = (program: Command): void => {
  const sites = program.command('sites').description('Sales offices of a campaign (see inventories/README.md).');
  sites
    .command('import <file>')
    .description('Import a CSV or JSON site list; a bad row names its line and nothing is imported.')
    .option(...dbOption)
    .action(async (file: string, opts: { db?: string }) => {
      const { openStore } = await import('../../store/store.js');
      const { importSites } = await import('../../store/site-list.js');
      const { defaultDbPath } = await import('../../store/paths.js');
      const { UsageError } = await import('../exit.js');
      const store = openStore(opts.db ?? defaultDbPath());
      try {
        const r = importSites(store, file);
        if (!r.ok) throw new UsageError(r.error);
        process.stdout.write(`imported ${r.value.length} sites\n`);
      } finally {
        store.close();
      }
    });
  sites
    .command('list')
    .description('List sites (latest version of each).')
    .option(...dbOption)
    .option('--search <text>', 'only sites whose id, name, address, district, developer, contact or campaign contains this')
    .option('--json', 'print JSON')
    .action(async (opts: { db?: string; search?: string; json?: boolean }) => {
      const { openStore } = await import('../../store/store.js');
      const { defaultDbPath } = await import('../../store/paths.js');
      const { newerSchemaNote } = await import('../args.js');
      const file = opts.db ?? defaultDbPath();
      const store = openStore(file, 'read');
      if (store.newerSchema !== null) process.stderr.write(newerSchemaNote(file, store.newerSchema));
      try {
        const list = store.listSites(opts.search === undefined ? {} : { search: opts.search });
        process.stdout.write(opts.json ? `${JSON.stringify(list, null, 2)}\n` : list.map((s) => `${s.id}\tv${s.version}\t${s.name}\t${s.district}\t${s.address}\n`).join(''));
      } finally {
        store.close();
      }
    });
  sites
    .command('add')
    .description('Add a site, or a new version of it when the id exists and anything differs.')
    .option(...dbOption)
    .requiredOption('--id <id>', 'site id')
    .requiredOption('--name <name>', 'name')
    .requiredOption('--address <address>', 'address')
    .requiredOption('--district <district>', 'district')
    .requiredOption('--developer <developer>', 'developer')
    .requiredOption('--contact <contact>', 'contact')
    .option('--campaign <campaign>', 'campaign')
    .action(async (opts: { db?: string; id: string; name: string; address: string; district: string; developer: string; contact: string; campaign?: string }) => {
      const { openStore } = await import('../../store/store.js');
      const { parseSiteList } = await import('../../store/site-list.js');
      const { defaultDbPath } = await import('../../store/paths.js');
      const { UsageError } = await import('../exit.js');
      const parsed = parseSiteList(JSON.stringify([{ ...opts, db: undefined }]), 'json');
      if (!parsed.ok) throw new UsageError(parsed.error);
      const store = openStore(opts.db ?? defaultDbPath());
      try {
        const s = store.importSites(parsed.value)[0];
        process.stdout.write(`${s?.id} v${s?.version}\n`);
      } finally {
        store.close();
      }
    });
};
