import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REAL_RESPONSES } from '../../src/sim/templates/real-responses.js';

const fixtureRoot = join(import.meta.dirname, '../fixtures/sim');
const modulePath = join(import.meta.dirname, '../../src/sim/templates/real-responses.ts');

const fixtureFiles = (): Map<string, string> => {
  const files = new Map<string, string>();
  for (const dir of readdirSync(fixtureRoot, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    for (const name of readdirSync(join(fixtureRoot, dir.name)).filter((n) => n.endsWith('.xml')).sort()) {
      files.set(`${dir.name}/${name}`, readFileSync(join(fixtureRoot, dir.name, name), 'utf8'));
    }
  }
  return files;
};

const render = (files: Map<string, string>): string => {
  // JSON string literals, not template literals: those would turn the fixtures' CRLF line ends into LF.
  const entries = [...files].map(([key, text]) => `  '${key}': ${JSON.stringify(text)},`);
  return [
    '// GENERATED from tests/fixtures/sim/**/*.xml by tests/sim/templates.test.ts (UPDATE_SIM_TEMPLATES=1).',
    '// Real camera responses, verbatim; provenance and licenses: tests/fixtures/sim/*/SOURCES.md.',
    '// Embedded as strings so `npm run build` ships them in dist without a copy step.',
    'export const REAL_RESPONSES = {',
    ...entries,
    '} as const;',
    '',
    'export type RealResponseName = keyof typeof REAL_RESPONSES;',
    '',
  ].join('\n');
};

describe('embedded real responses', () => {
  it('equal the copied fixture files byte for byte', () => {
    const files = fixtureFiles();
    // The module under test was imported before regeneration, so an update run only writes it.
    if (process.env['UPDATE_SIM_TEMPLATES'] === '1') return writeFileSync(modulePath, render(files));
    expect(Object.keys(REAL_RESPONSES).sort()).toEqual([...files.keys()].sort());
    for (const [key, text] of files) expect(REAL_RESPONSES[key as keyof typeof REAL_RESPONSES]).toBe(text);
  });
});
