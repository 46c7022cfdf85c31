import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ipv4Interfaces } from '../../src/cli/commands/tui.js';

const dir = mkdtempSync(join(tmpdir(), 'camaudit-root-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const cli = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'src/cli/run.ts', ...args], { encoding: 'utf8', timeout: 60_000 });

describe('camaudit with no subcommand', () => {
  it('prints help instead of the UI when stdout is not a terminal', () => {
    const r = cli('--db', join(dir, 'x.db'));
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: camaudit');
    expect(r.stdout).toContain('--db <file>');
  });

  it("leaves a subcommand's own --db to the subcommand", () => {
    const db = join(dir, 'sites.db');
    const r = cli('sites', 'list', '--db', db, '--json');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual([]);
  });
});

describe('interfaces offered on the network screen', () => {
  it('lists IPv4 ones with their subnet, loopback last', () => {
    const list = ipv4Interfaces({
      lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
      eth0: [
        { address: '192.168.1.23', netmask: '255.255.255.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '192.168.1.23/24' },
        { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
      ],
    });
    expect(list).toEqual([
      { name: 'eth0', address: '192.168.1.23', cidr: '192.168.1.23/24' },
      { name: 'lo', address: '127.0.0.1', cidr: '127.0.0.1/8' },
    ]);
  });
});
