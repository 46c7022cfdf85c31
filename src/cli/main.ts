/**
 * camaudit's command line. It parses arguments, lazy-loads one command and maps typed errors to
 * exit codes; the work itself lives in the pipeline and its adapters.
 */
import { Command, CommanderError } from 'commander';
import { StorageError } from '../store/storage-error.js';
import { ExitError } from './exit.js';

/** Disk full, read-only medium, database locked or damaged. */
const STORAGE_EXIT_CODE = 5;
import { toolkitVersion } from './version.js';
import { registerCommands } from './commands/index.js';

export const buildProgram = (): Command => {
  const program = new Command('camaudit')
    .description('Audit face-recognition cameras on a sales-office LAN: discover, probe (read-only), test the stream, record, report.')
    .version(toolkitVersion())
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
};

export const main = async (argv: readonly string[]): Promise<void> => {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; parse errors already printed their message.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof ExitError) {
      process.stderr.write(`camaudit: ${e.message}\n`);
      process.exitCode = e.code;
      return;
    }
    if (e instanceof StorageError) {
      process.stderr.write(`camaudit: ${e.message}\n`);
      process.exitCode = STORAGE_EXIT_CODE;
      return;
    }
    throw e;
  }
};
