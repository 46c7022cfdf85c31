import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { envelope, NS, post } from './helpers.js';
import { freeUdpPort } from '../../src/sim/listen.js';

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

describe('CAMAUDIT_WSD_PORT', () => {
  it('moves the simulated office\'s WS-Discovery too: a scan with the same variable finds every camera', async () => {
    const env = { ...process.env, CAMAUDIT_WSD_PORT: String(await freeUdpPort()) };
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'simulate', '--no-rtsp', '--json'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      const xaddrs: string[] = [];
      for await (const line of createInterface({ input: child.stdout })) {
        const value: unknown = JSON.parse(line);
        if (!isRecord(value) || 'control' in value) break;
        // The ONVIF-off devices answer SADP/DHIP, whose ports this variable does not move.
        if (value['onvif'] !== false) xaddrs.push(str(value['xaddr']));
      }
      expect(xaddrs).toHaveLength(6);
      const scan = async (scanEnv: NodeJS.ProcessEnv): Promise<string[]> => {
        const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', 'scan', '--interface', '127.0.0.1', '--timeout', '2000', '--json'], { cwd: root, env: scanEnv });
        const found: unknown = JSON.parse(stdout);
        return Array.isArray(found) ? found.flatMap((d: unknown) => (isRecord(d) && Array.isArray(d['xaddrs']) ? d['xaddrs'].map(str) : [])) : [];
      };
      expect((await scan(env)).sort()).toEqual([...xaddrs].sort());
      // And not on 3702 (other offices may answer there; never this one).
      const { CAMAUDIT_WSD_PORT: _moved, ...standard } = env;
      expect((await scan(standard)).filter((x) => xaddrs.includes(x))).toEqual([]);
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
    }
  }, 60_000);
});
