import type { Command } from 'commander';
import type { InspectionFlags } from '../inspection-command.js';

const collect = (value: string, previous: string[]): string[] => [...previous, value];

/** Options shared by `inspect` and `recheck`. */
export const inspectionOptions = (cmd: Command): Command =>
  cmd
    .requiredOption('--site <id>', 'site id (see `camaudit sites list`)')
    .option('--db <file>', 'database file (default: $CAMAUDIT_DB or the per-user data directory)')
    .option('--interface <addr|nic>', 'interface to discover on (repeatable; default: every up non-loopback IPv4 interface)', collect, [])
    .option('--sweep <cidr>', 'also sweep this range with unicast probes (at most a /22)')
    .option('--credentials <file>', 'JSON file mapping addresses/vendors to a user and a password environment variable')
    .option('--case <number>', 'case number (案号)')
    .option('--inspector <name>', 'inspector (repeatable)', collect, [])
    .option('--expert <name>', 'assisting expert (repeatable)', collect, [])
    .option('--representative <name>', "the site's representative")
    .option('--witness <name>', 'witness')
    .option('--zones <list>', 'zones inspected, e.g. "入口,沙盘区" (separated by , ， or 、); recheck: default the previous inspection\'s; with --resume: replaces them')
    .option('--no-stream', 'skip the stream test')
    .option('--frames <n>', 'frames per stream test (default 5)')
    .option('--json', 'print the inspection record as JSON')
    .option('--resume <id>', 'continue an unfinished inspection (after a crash or a closed lid): recorded devices are kept, the rest are probed');

export const runInspectionCommand = async (kind: 'first' | 'recheck', flags: Omit<InspectionFlags, 'db'> & { db?: string }): Promise<void> => {
  const { openStore } = await import('../../store/store.js');
  const { defaultDbPath } = await import('../../store/paths.js');
  const { runFromFlags, summaryText, recheckSummary } = await import('../inspection-command.js');
  const store = openStore(flags.db ?? defaultDbPath());
  try {
    const { record, diff } = await runFromFlags(store, { flags: { ...flags, db: flags.db ?? defaultDbPath() }, kind });
    if (flags.json) {
      const { writeReport } = await import('./report.js');
      await writeReport(store, record.meta.id, { format: 'json', lang: 'en' }, undefined);
    } else {
      process.stdout.write(`${summaryText(record)}\n`);
      if (diff) process.stdout.write(`${recheckSummary(diff)}\n`);
    }
  } finally {
    store.close();
  }
};

export const register = (program: Command): void => {
  inspectionOptions(
    program.command('inspect').description('Discover, probe configuration and stream, record everything, and print the inspection id and a summary.'),
  ).action((flags: Omit<InspectionFlags, 'db'> & { db?: string }) => runInspectionCommand('first', flags));
};
