import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelope, NS, post } from './helpers.js';

const root = join(import.meta.dirname, '../..');
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

describe('camaudit simulate --json', () => {
  it('prints one line per camera and the control endpoint, switches state, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'simulate', '--no-rtsp', '--json'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const cameras: Record<string, unknown>[] = [];
      let control = '';
      for await (const line of createInterface({ input: child.stdout })) {
        const value: unknown = JSON.parse(line);
        if (!isRecord(value)) throw new Error(`not a JSON object: ${line}`);
        if ('control' in value) {
          control = str(value['control']);
          break;
        }
        cameras.push(value);
      }
      expect(cameras).toHaveLength(8);
      for (const c of cameras) expect(c).toMatchObject({ name: expect.any(String), xaddr: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/onvif\/device_service$/), username: 'admin', password: expect.any(String) });
      expect((await post(str(cameras[0]?.['xaddr']), envelope(NS.tds, 'GetSystemDateAndTime'))).status).toBe(200);
      const switched: unknown = await (await fetch(`${control}/state`, { method: 'POST', body: 'rectified' })).json();
      expect(switched).toMatchObject({ state: 'rectified' });
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      expect(stderr).toBe('');
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  });
});
