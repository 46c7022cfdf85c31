import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../', import.meta.url));

describe('camaudit detect', () => {
  it('--json prints file, size and faces with box, score and eyeDistance', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'detect', '--json', 'tests/fixtures/images/astronaut.png', 'tests/fixtures/images/coffee.png'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const out: unknown = JSON.parse(r.stdout);
    expect(out).toMatchObject([
      { file: 'tests/fixtures/images/astronaut.png', width: 512, height: 512, faces: [{ box: expect.any(Array), score: expect.any(Number), eyeDistance: expect.any(Number) }] },
      { file: 'tests/fixtures/images/coffee.png', width: 600, height: 400, faces: [] },
    ]);
  });
  it('exits 2 on an unreadable file', () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'detect', 'no/such.png'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('cannot read no/such.png');
  });
});
