/**
 * Many generated cameras at once, for scale benchmarks and tests: `count` ordinary cameras, each on its
 * own loopback address (127.88.x.y, so every camera is a distinct host to the inspector), all sharing ONE
 * RTSP server and ONE encoded stream. One encoder per camera would put 64-256 x264 processes on a 2-core
 * laptop and measure the simulator instead of the inspector; the server ignores a URL's query, so each
 * camera still announces a URL of its own (`...?camera=<name>`) that plays the shared stream.
 */
import { mapLimit } from '../core/pool.js';
import { startCamera, type CameraHandle } from './camera.js';
import { ordinaryCamera } from './definitions.js';
import { startRtspServer, type RtspServerHandle } from './rtsp-server.js';

export interface FleetOptions {
  readonly count: number;
  /** Address of camera i (0-based); default `fleetAddress`. Must be an address of this host (or namespace). */
  readonly addressOf?: (index: number) => string;
  /** Answer WS-Discovery (default true). */
  readonly discovery?: boolean;
  /** WS-Discovery port (tests and benchmarks use a private one). */
  readonly discoveryPort?: number;
  /** Fraction of WS-Discovery packets each camera drops, each way. */
  readonly lossRate?: number;
  /** Serve the shared RTSP stream (default true). */
  readonly rtsp?: boolean;
  /** Where the shared RTSP server listens (default 127.0.0.1). */
  readonly rtspHost?: string;
}

export interface FleetHandle {
  readonly cameras: readonly CameraHandle[];
  readonly rtsp: RtspServerHandle | null;
  /** Every generated camera (and the shared stream) accepts this one account. */
  readonly username: string;
  readonly password: string;
  close(): Promise<void>;
}

const FLEET_USER = 'admin';
const FLEET_PASSWORD = 'Fleet-Sim-pass';
const SHARED_PATH = '/fleet/main';
/** Starting cameras a few at a time keeps a 2-core host responsive while hundreds come up. */
const START_CONCURRENCY = 16;

/** 127.88.0.1, 127.88.0.2, ... 127.88.0.250, 127.88.1.1, ...: loopback, outside 127.0.0.0/16 used elsewhere. */
export const fleetAddress = (index: number): string => `127.88.${Math.floor(index / 250)}.${(index % 250) + 1}`;

export const startFleet = async (opts: FleetOptions): Promise<FleetHandle> => {
  const addressOf = opts.addressOf ?? fleetAddress;
  const rtsp =
    (opts.rtsp ?? true)
      ? await startRtspServer({
          host: opts.rtspHost ?? '127.0.0.1',
          streams: [{ path: SHARED_PATH, scene: 'empty', width: 1280, height: 720, fps: 10 }],
          credentials: { username: FLEET_USER, password: FLEET_PASSWORD },
        })
      : null;
  const started: CameraHandle[] = [];
  const close = async (): Promise<void> => {
    await Promise.all([...started.map((c) => c.close()), rtsp?.close()]);
  };
  try {
    const indexes = Array.from({ length: opts.count }, (_, i) => i);
    await mapLimit(indexes, START_CONCURRENCY, async (i) => {
      const def = ordinaryCamera(i + 1, { username: FLEET_USER, password: FLEET_PASSWORD });
      const cam = await startCamera(def, {
        host: addressOf(i),
        lossRate: opts.lossRate ?? 0,
        discovery: opts.discovery ?? true,
        ...(opts.discoveryPort ? { discoveryPort: opts.discoveryPort } : {}),
        ...(rtsp ? { streamUrl: () => `${rtsp.url(SHARED_PATH)}?camera=${encodeURIComponent(def.name)}` } : {}),
      });
      started.push(cam);
    });
  } catch (e) {
    await close();
    throw e;
  }
  return { cameras: started, rtsp, username: FLEET_USER, password: FLEET_PASSWORD, close };
};
