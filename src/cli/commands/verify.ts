import type { Command } from 'commander';
import { IntegrityError } from '../exit.js';

export const register = (program: Command): void => {
  program
    .command('verify')
    .description('Replay the hash chain of an inspection database: exit 0 when intact, 4 naming the first bad entry.')
    .option('--db <file>', 'database file (default: $CAMAUDIT_DB or the per-user data directory)')
    .option('--head <seq:hash>', 'a chain head printed earlier (report, bundle): also detects a truncated or rewritten chain')
    .action(async (opts: { db?: string; head?: string }) => {
      const { verifyStore } = await import('../../store/store.js');
      const { defaultDbPath } = await import('../../store/paths.js');
      const { UsageError } = await import('../exit.js');
      const file = opts.db ?? defaultDbPath();
      const m = opts.head === undefined ? null : /^(\d+):([0-9a-f]{64})$/.exec(opts.head);
      if (opts.head !== undefined && !m) throw new UsageError('--head expects SEQ:SHA256');
      const r = verifyStore(file, m ? { seq: Number(m[1]), hash: m[2] ?? '' } : undefined);
      // Entry 0 is no entry: the file as a whole is missing or not a camaudit database.
      if (!r.ok) throw new IntegrityError(r.error.seq === 0 ? `${file}: ${r.error.reason}` : `${file}: chain entry ${r.error.seq} (${r.error.table} #${r.error.rowId}): ${r.error.reason}`);
      if (r.value.newerSchema !== null) {
        const { newerSchemaNote } = await import('../args.js');
        process.stderr.write(newerSchemaNote(file, r.value.newerSchema));
      }
      process.stdout.write(`${file}: intact, ${r.value.entries} entries, head ${r.value.head.seq}:${r.value.head.hash}\n`);
    });
};
