/**
 * The simulated sales office with each camera on its own loopback address (127.0.0.11, .12, ...),
 * as on a real LAN: the pipeline and the TUI tell devices apart by address.
 */
import { SITE_CAMERA_NAMES, startSite, type SiteCamera, type SiteHandle } from '../../src/sim/site.js';
import type { SiteState } from '../../src/sim/definitions.js';

export interface SpreadSite {
  readonly cameras: () => SiteCamera[];
  setState(state: SiteState): Promise<void>;
  close(): Promise<void>;
}

/** Camera i listens on 127.0.0.(firstHost + i); other simulators on this host use 127.0.0.1. */
export const startSpreadSite = async (state: SiteState, firstHost: number, rtsp = false, discoveryPort?: number): Promise<SpreadSite> => {
  const sites: SiteHandle[] = await Promise.all(
    SITE_CAMERA_NAMES.map((name, i) =>
      startSite({ host: `127.0.0.${firstHost + i}`, cameras: [name], state, rtsp, control: false, ...(discoveryPort ? { discoveryPort } : {}) }),
    ),
  );
  return {
    cameras: () => sites.flatMap((s) => s.cameras),
    setState: async (next) => {
      await Promise.all(sites.map((s) => s.setState(next)));
    },
    close: async () => {
      await Promise.all(sites.map((s) => s.close()));
    },
  };
};

// Run directly (trying the TUI by hand): `node --import tsx tests/tui/spread-site.ts normal 11 rtsp`
// prints the cameras; SIGUSR1 switches to rectified.
if (process.argv[1]?.endsWith('spread-site.ts')) {
  const [state, first, rtsp] = process.argv.slice(2);
  const site = await startSpreadSite(state === 'rectified' ? 'rectified' : 'normal', Number(first ?? 11), rtsp === 'rtsp');
  for (const c of site.cameras()) process.stdout.write(`${JSON.stringify(c)}\n`);
  process.on('SIGUSR1', () => void site.setState('rectified'));
  process.on('SIGTERM', () => void site.close().then(() => process.exit(0)));
}
