// Lint and import boundaries (STYLE.md): the pure core imports no I/O; adapters import the core;
// the pipeline composes adapters; CLI and TUI only drive the pipeline.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeIo = ['node:fs', 'node:fs/promises', 'node:net', 'node:dgram', 'node:http', 'node:https', 'node:child_process', 'node:os', 'fs', 'net', 'dgram', 'http', 'https', 'child_process', 'os'];
const ioPatterns = nodeIo.map((name) => ({ name, message: 'Pure core: no I/O here; move it to an adapter.' }));
const layer = (files, groups, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { paths: files.some((f) => f.includes('core') || f.includes('assess') || f.includes('rules') || f.includes('report') || f.includes('i18n') || f.includes('xml')) ? ioPatterns : [], patterns: [{ group: groups, message }] }],
  },
});

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
  layer(['src/core/**', 'src/xml/**', 'src/assess/**', 'src/rules/**', 'src/report/**', 'src/i18n/**'],
    ['**/onvif/**', '**/discovery/**', '**/vendors/**', '**/stream/**', '**/store/**', '**/io/**', '**/sim/**', '**/pipeline/**', '**/cli/**', '**/tui/**'],
    'Pure core must not import adapters, the pipeline, CLI or TUI.'),
  layer(['src/onvif/**', 'src/discovery/**', 'src/vendors/**', 'src/stream/**', 'src/store/**', 'src/io/**'],
    ['**/pipeline/**', '**/cli/**', '**/tui/**', '**/sim/**'],
    'Adapters import the core only, never the pipeline, CLI, TUI or simulator.'),
  layer(['src/pipeline/**'], ['**/cli/**', '**/tui/**', '**/sim/**'], 'The pipeline must not import CLI, TUI or the simulator.'),
  layer(['src/tui/**'], ['**/onvif/**', '**/discovery/**', '**/vendors/**', '**/stream/**', '**/store/**', '**/io/**'], 'The TUI drives the pipeline; it does not call adapters.'),
);
