import type { Command } from 'commander';
import type { InspectionFlags } from '../inspection-command.js';
import { inspectionOptions, runInspectionCommand } from './inspect.js';

export const register = (program: Command): void => {
  inspectionOptions(
    program
      .command('recheck')
      .description("Re-inspect a site after rectification: a new inspection linked to the site's last one, with a diff per device and a verdict per finding."),
  ).action((flags: Omit<InspectionFlags, 'db'> & { db?: string }) => runInspectionCommand('recheck', flags));
};
