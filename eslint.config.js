// Lint and import boundaries (STYLE.md): the pure core imports no I/O, and each of its stages only
// earlier ones; adapters import the core; the pipeline composes adapters; the visit engine runs the stages; CLI
// and TUI only drive the engine; the simulator never imports what inspects it. `import()` is not seen here, and import
// cycles are not either: tests/architecture/import-graph.test.ts fails on any cycle in src.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeIo = ['node:fs', 'node:fs/promises', 'node:net', 'node:dgram', 'node:http', 'node:https', 'node:child_process', 'node:os', 'fs', 'net', 'dgram', 'http', 'https', 'child_process', 'os'];
const ioPaths = nodeIo.map((name) => ({ name, message: 'Pure core: no I/O here; move it to an adapter.' }));
const dirs = (names) => names.map((name) => `**/${name}/**`);
const ADAPTERS = ['onvif', 'discovery', 'vendors', 'stream', 'store', 'http', 'io'];
const OUTER = ['pipeline', 'visit', 'cli', 'tui', 'sim'];
// The pure core's stages, in the order data flows through them: a stage imports only earlier ones.
const STAGES = ['core', 'xml', 'assess', 'rules', 'i18n', 'report'];
const restrict = (files, groups, paths = []) => ({
  files,
  rules: { 'no-restricted-imports': ['error', { paths, patterns: groups.map(([group, message]) => ({ group: dirs(group), message })) }] },
});
const pureStage = (stage, i) =>
  restrict([`src/${stage}/**`], [
    [[...ADAPTERS, ...OUTER], 'Pure core must not import adapters, the pipeline, CLI, TUI or simulator.'],
    ...(i < STAGES.length - 1 ? [[STAGES.slice(i + 1), i === 0 ? 'core is the first stage: it imports nothing of src.' : `${stage} comes before ${STAGES.slice(i + 1).join(', ')}: it imports only ${STAGES.slice(0, i).join(', ')}.`]] : []),
  ], ioPaths);

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'bin/**', 'out/**', '.tmp/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-assertions': ['error', { assertionStyle: 'as', objectLiteralTypeAssertions: 'never' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  ...STAGES.map(pureStage),
  restrict(['src/onvif/**', 'src/discovery/**', 'src/vendors/**', 'src/stream/**', 'src/store/**', 'src/http/**', 'src/io/**'], [[OUTER, 'Adapters import the core and other adapters, never the pipeline, CLI, TUI or simulator.']]),
  restrict(['src/pipeline/**'], [[['cli', 'tui', 'sim'], 'The pipeline must not import CLI, TUI or the simulator.']]),
  restrict(['src/visit/**'], [[['cli', 'tui', 'sim'], 'The visit engine must not import CLI, TUI or the simulator: they drive it.']]),
  restrict(['src/tui/**'], [[[...ADAPTERS, 'sim'], 'The TUI drives the pipeline; it does not call adapters or the simulator.']]),
  // The simulator stands in for the cameras: it may use adapters' codecs, never what inspects it.
  restrict(['src/sim/**'], [[['pipeline', 'visit', 'cli', 'tui'], 'The simulator must not import the pipeline, the visit engine, CLI or TUI.']]),
);
