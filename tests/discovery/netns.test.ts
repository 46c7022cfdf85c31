/**
 * Discovery across network namespaces joined by a bridge: a real multi-host LAN (10.77.x, in
 * namespaces this test creates and removes). Needs root and `ip netns`; skipped otherwise.
 * CAMAUDIT_NETNS_HOSTS sets the number of simulated camera hosts (default 3).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const HERE = import.meta.dirname;
const ROOT = join(HERE, '..', '..');
const HOSTS = Number(process.env.CAMAUDIT_NETNS_HOSTS ?? '3');
const tag = randomBytes(2).toString('hex');
const ns = (i: number): string => `ca${tag}n${i}`;
const BRIDGE_NS = `ca${tag}br`;
const sh = (...args: string[]): string => execFileSync(args[0] ?? 'true', args.slice(1), { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

const canNetns = ((): boolean => {
  if (process.platform !== 'linux' || process.getuid?.() !== 0) return false;
  try {
    sh('ip', 'netns', 'add', `ca${tag}chk`);
    sh('ip', 'netns', 'del', `ca${tag}chk`);
    return true;
  } catch {
    return false;
  }
})();
if (!canNetns) console.warn('netns discovery test skipped: needs root and a working `ip netns`');

const children: ChildProcess[] = [];

describe.skipIf(!canNetns)(`discovery across ${HOSTS} camera namespaces joined by a bridge`, () => {
  beforeAll(async () => {
    sh('ip', 'netns', 'add', BRIDGE_NS);
    sh('ip', '-n', BRIDGE_NS, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0');
    sh('ip', '-n', BRIDGE_NS, 'link', 'set', 'br0', 'up');
    // Namespace 0 is the inspector's laptop; 1..HOSTS are cameras.
    for (let i = 0; i <= HOSTS; i++) {
      sh('ip', 'netns', 'add', ns(i));
      sh('ip', 'link', 'add', `ca${tag}v${i}`, 'netns', ns(i), 'type', 'veth', 'peer', 'name', `p${i}`, 'netns', BRIDGE_NS);
      sh('ip', '-n', BRIDGE_NS, 'link', 'set', `p${i}`, 'master', 'br0', 'up');
      sh('ip', '-n', ns(i), 'addr', 'add', `10.77.${Math.floor((i + 1) / 250)}.${((i + 1) % 250) + 1}/16`, 'dev', `ca${tag}v${i}`);
      sh('ip', '-n', ns(i), 'link', 'set', `ca${tag}v${i}`, 'up');
      sh('ip', '-n', ns(i), 'link', 'set', 'lo', 'up');
    }
    const ready: Promise<void>[] = [];
    for (let i = 1; i <= HOSTS; i++) {
      const address = `10.77.${Math.floor((i + 1) / 250)}.${((i + 1) % 250) + 1}`;
      const child = spawn('ip', ['netns', 'exec', ns(i), 'python3', join(HERE, 'netns-responder.py'), address, `urn:uuid:netns-cam-${String(i).padStart(4, '0')}`, '3702'], { stdio: ['ignore', 'pipe', 'inherit'] });
      children.push(child);
      ready.push(new Promise((resolve) => child.stdout?.once('data', () => resolve())));
    }
    await Promise.all(ready);
  });

  afterAll(() => {
    for (const c of children) c.kill();
    for (let i = 0; i <= HOSTS; i++) {
      try {
        sh('ip', 'netns', 'del', ns(i));
      } catch {
        // Already gone: a failed setup step never created it.
      }
    }
    try {
      sh('ip', 'netns', 'del', BRIDGE_NS);
    } catch {
      // Already gone.
    }
  });

  it('finds every camera host from the inspector namespace, bound to its interface', () => {
    const out = execFileSync('ip', ['netns', 'exec', ns(0), process.execPath, '--import', 'tsx', join(HERE, 'discover-cli.ts'), '10.77.0.2', '3702', '2000'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    const result: unknown = JSON.parse(out);
    expect(result).toMatchObject({ ok: true });
    const { devices, lastArrivalMs, totalMs } = result as { devices: { endpoint: string; address: string; interface: string }[]; lastArrivalMs: number; totalMs: number };
    console.info(`netns discovery: ${devices.length}/${HOSTS} hosts, last answer after ${lastArrivalMs} ms, total ${totalMs} ms`);
    expect(devices).toHaveLength(HOSTS);
    expect(new Set(devices.map((d) => d.address)).size).toBe(HOSTS);
    expect(devices.every((d) => d.interface === '10.77.0.2' && d.address.startsWith('10.77.'))).toBe(true);
  });
});
