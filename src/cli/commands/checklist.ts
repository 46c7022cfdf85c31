import type { Command } from 'commander';

export const register = (program: Command): void => {
  program
    .command('checklist')
    .description('Record one manual checklist answer (photos are hashed into evidence) and re-derive the findings.')
    .option('--db <file>', 'database file (default: $CAMAUDIT_DB or the per-user data directory)')
    .requiredOption('--inspection <id>', 'inspection id')
    .requiredOption('--item <item>', 'checklist item (signage, consent, alternative, notice, retention, third-parties, pia, filing, bundled, coercion, minors, private-space, purpose)')
    .requiredOption('--answer <answer>', 'yes | no | n/a')
    .option('--note <text>', 'note')
    .option('--photo <path>', 'photo file (repeatable)', (v: string, acc: string[]) => [...acc, v], [])
    .action(async (opts: { db?: string; inspection: string; item: string; answer: string; note?: string; photo: string[] }) => {
      const { openStore } = await import('../../store/store.js');
      const { defaultDbPath } = await import('../../store/paths.js');
      const { checklistItem, CHECKLIST_ITEMS } = await import('../../rules/checklist-items.js');
      const { deriveFindings } = await import('../../rules/derive.js');
      const { VisitEngine } = await import('../../visit/engine.js');
      const { UsageError } = await import('../exit.js');
      if (!checklistItem(opts.item)) throw new UsageError(`unknown item "${opts.item}"; expected one of ${CHECKLIST_ITEMS.map((i) => i.id).join(', ')}`);
      const answer = opts.answer === 'yes' || opts.answer === 'no' || opts.answer === 'n/a' ? opts.answer : null;
      if (!answer) throw new UsageError(`--answer must be yes, no or n/a, got "${opts.answer}"`);
      const store = openStore(opts.db ?? defaultDbPath());
      try {
        if (!store.hasInspection(opts.inspection)) throw new UsageError(`no inspection "${opts.inspection}"`);
        const engine = new VisitEngine({ store, deriveFindings }, () => undefined);
        const e = engine.answer(opts.inspection, { item: opts.item, answer, ...(opts.note === undefined ? {} : { note: opts.note }), photos: opts.photo });
        const missing = opts.photo.length - e.evidenceIds.length;
        process.stdout.write(`recorded ${opts.item}=${answer} (${e.evidenceIds.length} photo(s) hashed${missing ? `, ${missing} not found` : ''}); ${e.findings} findings\n`);
      } finally {
        store.close();
      }
    });
};
