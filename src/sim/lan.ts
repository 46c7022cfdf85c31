/**
 * A simulated LAN in Linux network namespaces (root only), for discovery at scale: an inspector
 * namespace and a camera namespace, each with one veth into a bridge namespace. The camera namespace
 * holds every camera address on its one interface, so one simulator process serves all of them (one
 * process per camera host would cost ~50 MB and a second of CPU each, 64 of them swamp a 2-core
 * laptop); multicast still crosses a real veth and bridge, and every camera keeps its own sockets,
 * address and packet loss. Addresses are 10.88.0.0/16 inside namespaces this module creates and
 * removes; nothing is ever sent outside them.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';

export const LAN_PREFIX_BITS = 16;
export const INSPECTOR_ADDRESS = '10.88.0.1';
/** The group every WS-Discovery client sends to: routed to the inspector's veth (the `onvif` package sets no interface). */
const MULTICAST_NET = '224.0.0.0/4';

/** Camera i (0-based) of a LAN: 10.88.1.1 ... 10.88.1.250, 10.88.2.1, ... */
export const lanCameraAddress = (index: number): string => `10.88.${1 + Math.floor(index / 250)}.${(index % 250) + 1}`;

export interface Lan {
  readonly inspectorNs: string;
  /** The inspector's interface name inside its namespace. */
  readonly inspectorIf: string;
  readonly inspectorAddress: string;
  readonly camerasNs: string;
  readonly cameraAddresses: readonly string[];
  /** Runs `command args` inside a namespace of this LAN. */
  spawnIn(ns: string, command: string, args: readonly string[], opts?: { readonly cwd?: string }): ChildProcess;
  /** Kills what spawnIn started and removes the namespaces (and with them the veths and bridge). */
  close(): void;
}

const ip = (...args: string[]): void => {
  execFileSync('ip', args, { stdio: ['ignore', 'ignore', 'pipe'] });
};

/** Why namespaces cannot be used here, or null when they can (root, Linux, a working `ip netns`). */
export const netnsUnavailableReason = (): string | null => {
  if (process.platform !== 'linux') return 'network namespaces need Linux';
  if (process.getuid?.() !== 0) return 'network namespaces need root';
  const probe = `c88${randomBytes(3).toString('hex')}`;
  try {
    ip('netns', 'add', probe);
    ip('netns', 'del', probe);
    return null;
  } catch (e) {
    return `\`ip netns\` does not work here (${e instanceof Error ? e.message.split('\n')[0] : String(e)})`;
  }
};

export const createLan = (cameraCount: number): Lan => {
  const tag = randomBytes(2).toString('hex');
  const names = { inspector: `c88${tag}i`, cameras: `c88${tag}c`, bridge: `c88${tag}b` };
  const inspectorIf = `c88${tag}vi`;
  const camerasIf = `c88${tag}vc`;
  const cameraAddresses = Array.from({ length: cameraCount }, (_, i) => lanCameraAddress(i));
  const children = new Set<ChildProcess>();
  const created: string[] = [];

  const close = (): void => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    children.clear();
    for (const ns of created.splice(0).reverse()) {
      try {
        ip('netns', 'del', ns);
      } catch {
        // Removal is best effort on the way out; a namespace that is gone needs nothing.
      }
    }
  };

  try {
    for (const ns of [names.bridge, names.inspector, names.cameras]) {
      ip('netns', 'add', ns);
      created.push(ns);
      ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
    // Snooping off: the bridge floods multicast to every port, as an unmanaged office switch does.
    ip('-n', names.bridge, 'link', 'add', 'br0', 'type', 'bridge', 'mcast_snooping', '0');
    ip('-n', names.bridge, 'link', 'set', 'br0', 'up');
    const attach = (ns: string, ifName: string, peer: string, addresses: readonly string[]): void => {
      ip('link', 'add', ifName, 'netns', ns, 'type', 'veth', 'peer', 'name', peer, 'netns', names.bridge);
      ip('-n', names.bridge, 'link', 'set', peer, 'master', 'br0', 'up');
      for (const a of addresses) ip('-n', ns, 'addr', 'add', `${a}/${LAN_PREFIX_BITS}`, 'dev', ifName);
      ip('-n', ns, 'link', 'set', ifName, 'up');
    };
    attach(names.inspector, inspectorIf, 'pi', [INSPECTOR_ADDRESS]);
    attach(names.cameras, camerasIf, 'pc', cameraAddresses);
    ip('-n', names.inspector, 'route', 'add', MULTICAST_NET, 'dev', inspectorIf);
  } catch (e) {
    close();
    throw e;
  }

  return {
    inspectorNs: names.inspector,
    inspectorIf,
    inspectorAddress: INSPECTOR_ADDRESS,
    camerasNs: names.cameras,
    cameraAddresses,
    spawnIn: (ns, command, args, opts = {}) => {
      const child = spawn('ip', ['netns', 'exec', ns, command, ...args], { stdio: ['pipe', 'pipe', 'inherit'], ...(opts.cwd ? { cwd: opts.cwd } : {}) });
      children.add(child);
      child.once('exit', () => children.delete(child));
      return child;
    },
    close,
  };
};
