import type { Command } from 'commander';

interface SignFlags {
  readonly db?: string;
  readonly inspection: string;
  readonly name: string;
  readonly role: string;
  readonly status: string;
  readonly note?: string;
}

/** `camaudit sign`: a signature, or a refusal to sign, of someone present; it goes on the inspection record. */
export const register = (program: Command): void => {
  program
    .command('sign')
    .description('Record the signature (or the refusal to sign) of someone present at the inspection; it appears on the record.')
    .option('--db <file>', 'database file (default: $CAMAUDIT_DB or the per-user data directory)')
    .requiredOption('--inspection <id>', 'inspection id')
    .requiredOption('--name <name>', 'who signs')
    .requiredOption('--role <role>', 'inspector | expert | representative | witness')
    .requiredOption('--status <status>', 'signed | refused')
    .option('--note <text>', 'note (e.g. the reason given for refusing)')
    .action(async (opts: SignFlags) => {
      const { openStore } = await import('../../store/store.js');
      const { existingDb } = await import('../args.js');
      const { deriveFindings } = await import('../../rules/derive.js');
      const { VisitEngine } = await import('../../visit/engine.js');
      const { SIGNATURE_ROLES } = await import('../../visit/rules.js');
      const { UsageError } = await import('../exit.js');
      const role = SIGNATURE_ROLES.find((r) => r === opts.role);
      if (!role) throw new UsageError(`--role must be one of ${SIGNATURE_ROLES.join(', ')}, got "${opts.role}"`);
      const status = opts.status === 'signed' || opts.status === 'refused' ? opts.status : null;
      if (!status) throw new UsageError(`--status must be signed or refused, got "${opts.status}"`);
      const name = opts.name.trim();
      if (name === '') throw new UsageError('--name must not be empty');
      const store = openStore(existingDb(opts.db));
      try {
        if (!store.hasInspection(opts.inspection)) throw new UsageError(`no inspection "${opts.inspection}"`);
        new VisitEngine({ store, deriveFindings }, () => undefined).sign(opts.inspection, { name, role, status, ...(opts.note === undefined ? {} : { note: opts.note }) });
        process.stdout.write(`recorded ${status === 'signed' ? 'the signature' : 'the refusal to sign'} of ${name} (${role}) on inspection ${opts.inspection}\n`);
      } finally {
        store.close();
      }
    });
};
