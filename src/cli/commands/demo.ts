import type { Command } from 'commander';

interface DemoFlags {
  readonly tui: boolean;
  readonly db?: string;
  readonly out: string;
}

/** In a terminal the demo shows its progress in a calm view; otherwise (or with --no-tui) plain lines. */
const runDemoCommand = async (opts: DemoFlags): Promise<void> => {
  const { runDemo } = await import('../demo-command.js');
  const base = { out: opts.out, ...(opts.db ? { db: opts.db } : {}) };
  if (!opts.tui || !process.stdout.isTTY) {
    const result = await runDemo({ ...base, log: (line) => process.stderr.write(`${line}\n`) });
    process.stdout.write(
      [`database: ${result.db}`, `inspection ${result.firstInspectionId} (first), inspection ${result.recheckInspectionId} (re-check)`, 'reports:', ...result.files.map((f) => `  ${f}`), ''].join('\n'),
    );
    return;
  }
  const { createElement } = await import('react');
  const { render } = await import('ink');
  const { DemoView } = await import('../../tui/demo/demo-view.js');
  const { demoReducer, initialDemoState } = await import('../../tui/demo/demo-state.js');
  const { detectLang } = await import('../../i18n/index.js');
  const lang = detectLang(process.env);
  let state = initialDemoState;
  const app = render(createElement(DemoView, { lang, state }));
  const dispatch = (m: Parameters<typeof demoReducer>[1]): void => {
    state = demoReducer(state, m);
    app.rerender(createElement(DemoView, { lang, state }));
  };
  try {
    const result = await runDemo({
      ...base,
      log: (line) => dispatch({ type: 'line', line }),
      onPhase: (phase) => dispatch({ type: 'phase', phase }),
      onEvent: (event) => dispatch({ type: 'event', event }),
    });
    dispatch({ type: 'files', files: [result.db, ...result.files] });
  } finally {
    app.unmount();
  }
};

export const register = (program: Command): void => {
  program
    .command('demo')
    .description('The whole job on the built-in simulated sales office: inspection, rectification, re-check, reports.')
    .option('--no-tui', 'plain progress lines instead of the terminal view')
    .option('--db <file>', 'database file (default: a new file in the output folder)')
    .option('--out <dir>', 'output folder for the database and the reports', 'camaudit-demo')
    .action((opts: DemoFlags) => runDemoCommand(opts));
};
