import type { Command } from 'commander';

export const register = (program: Command): void => {
  program
    .command('demo')
    .description('The whole job on the built-in simulated sales office: inspection, rectification, re-check, reports.')
    .option('--no-tui', 'plain progress lines instead of the terminal UI')
    .option('--db <file>', 'database file (default: a new file in the output folder)')
    .option('--out <dir>', 'output folder for the database and the reports', 'camaudit-demo')
    .action(async (opts: { tui: boolean; db?: string; out: string }) => {
      const { runDemo } = await import('../demo-command.js');
      const result = await runDemo({ out: opts.out, ...(opts.db ? { db: opts.db } : {}), log: (line) => process.stderr.write(`${line}\n`) });
      process.stdout.write(
        [`database: ${result.db}`, `inspection ${result.firstInspectionId} (first), inspection ${result.recheckInspectionId} (re-check)`, 'reports:', ...result.files.map((f) => `  ${f}`), ''].join('\n'),
      );
    });
};
