import type { Command } from 'commander';

export const register = (program: Command): void => {
  program
    .command('import <dir>')
    .description('Verify a bundle and merge it into this (campaign) database; a bundle that fails verification exits 4.')
    .option('--db <file>', 'database file (default: $CAMAUDIT_DB or the per-user data directory)')
    .option('--accept-site-update', "when the site here has other details, record the bundle's as a new version (else the import is refused, showing the differences)")
    .action(async (dir: string, opts: { db?: string; acceptSiteUpdate?: boolean }) => {
      const { openStore } = await import('../../store/store.js');
      const { importBundle, verifyBundle } = await import('../../store/bundle.js');
      const { defaultDbPath } = await import('../../store/paths.js');
      const { IntegrityError, UsageError } = await import('../exit.js');
      const v = verifyBundle(dir);
      if (!v.ok) throw new IntegrityError(`${dir}: ${v.error}`);
      const store = openStore(opts.db ?? defaultDbPath());
      try {
        const r = importBundle(store, dir, { acceptSiteUpdate: opts.acceptSiteUpdate === true });
        if (!r.ok) throw new UsageError(r.error);
        process.stdout.write(`imported as inspection ${r.value.inspectionId} (${r.value.evidence} evidence files)\n`);
      } finally {
        store.close();
      }
    });
};
