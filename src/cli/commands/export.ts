import type { Command } from 'commander';

export const register = (program: Command): void => {
  program
    .command('export')
    .description('Write an inspection as a bundle folder: manifest with hashes, the rows, the evidence files.')
    .option('--db <file>', 'database file (default: $CAMAUDIT_DB or the per-user data directory)')
    .requiredOption('--inspection <id>', 'inspection id')
    .requiredOption('--out <dir>', 'bundle folder')
    .action(async (opts: { db?: string; inspection: string; out: string }) => {
      const { openStore } = await import('../../store/store.js');
      const { exportBundle } = await import('../../store/bundle.js');
      const { defaultDbPath } = await import('../../store/paths.js');
      const { UsageError } = await import('../exit.js');
      const store = openStore(opts.db ?? defaultDbPath());
      try {
        const r = exportBundle(store, opts.inspection, opts.out);
        if (!r.ok) throw new UsageError(r.error);
        process.stdout.write(`${opts.out}: ${r.value.files.length} files, chain head ${r.value.chainHead.seq}:${r.value.chainHead.hash}\n`);
      } finally {
        store.close();
      }
    });
};
