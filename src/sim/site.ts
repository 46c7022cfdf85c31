/**
 * The simulated sales office: its cameras (each with its own RTSP server), the normal/rectified switch, and a
 * control endpoint on 127.0.0.1 so another process (the CLI's `simulate`, e2e tests) can switch state.
 */
import http from 'node:http';
import { startCamera, type CameraHandle, type RequestLogEntry } from './camera.js';
import { newInstanceId, salesOffice, type CameraDef, type SimVendor, type SiteState } from './definitions.js';
import { startRtspServer, type RtspServerHandle } from './rtsp-server.js';
import type { RtspStreamSpec } from './rtsp/stream-spec.js';
import { listen } from './listen.js';

export interface SiteCamera {
  readonly name: string;
  readonly xaddr: string;
  readonly address: string;
  readonly port: number;
  readonly username: string;
  readonly password: string;
  readonly vendor: SimVendor;
  readonly endpoint: string;
  /** False for a device with ONVIF off: its xaddr answers 404, SADP or DHIP find it. */
  readonly onvif: boolean;
  /** rtsp:// URL of the main stream; null when the site runs without RTSP. */
  readonly rtsp: string | null;
}

export interface SiteOptions {
  readonly host?: string;
  /** Camera i (sales-office order) listens on basePort + i, its RTSP on basePort + 20 + i; control on basePort + 50. */
  readonly basePort?: number;
  readonly state?: SiteState;
  /** Serve the cameras' streams over RTSP (default true). */
  readonly rtsp?: boolean;
  readonly lossRate?: number;
  /** Only these camera names (of either state). */
  readonly cameras?: readonly string[];
  /** Start the 127.0.0.1 control endpoint (default true). */
  readonly control?: boolean;
  /** Answer WS-Discovery (default true). */
  readonly discovery?: boolean;
  /** WS-Discovery port (default 3702); tests pass a private one. */
  readonly discoveryPort?: number;
  /** SADP and DHIP ports (default 37020, 37810); tests pass private ones. */
  readonly sadpPort?: number;
  readonly dhipPort?: number;
}

export interface SiteHandle {
  readonly state: SiteState;
  readonly cameras: readonly SiteCamera[];
  /** Every request each camera received, in arrival order (the newest 100 000). */
  readonly requestLog: readonly RequestLogEntry[];
  /** `http://127.0.0.1:<port>`: `GET /state`, `POST /state` (body `normal` or `rectified`), `GET /log`. */
  readonly controlUrl: string | null;
  setState(state: SiteState): Promise<void>;
  close(): Promise<void>;
}

/** Every camera name in a stable order, so `basePort` gives each one the same port in both states. */
const ORDER = [...new Set([...salesOffice('normal'), ...salesOffice('rectified')].map((c) => c.name))];
export const SITE_CAMERA_NAMES: readonly string[] = ORDER;
const RTSP_PORT_OFFSET = 20;
const CONTROL_PORT_OFFSET = 50;

const STREAM_SIZE = { main: { width: 1280, height: 720 }, sub: { width: 640, height: 360 } } as const;
const STREAM_FPS = 10;

const streamPath = (name: string, stream: 'main' | 'sub'): string => `/${name}/${stream}`;

const streamSpecs = (def: CameraDef): RtspStreamSpec[] =>
  (['main', 'sub'] as const).map((s) => ({ path: streamPath(def.name, s), scene: def.scene, fps: STREAM_FPS, ...STREAM_SIZE[s] }));

interface Running {
  readonly cam: CameraHandle;
  readonly rtsp: RtspServerHandle | null;
}

const info = (cam: CameraHandle, rtsp: RtspServerHandle | null): SiteCamera => ({
  name: cam.name,
  xaddr: cam.xaddr,
  address: cam.host,
  port: cam.port,
  username: cam.def.username,
  password: cam.def.password,
  vendor: cam.def.vendor,
  endpoint: cam.def.endpoint,
  onvif: cam.def.onvif !== false,
  rtsp: rtsp ? rtsp.url(streamPath(cam.name, 'main')) : null,
});

export const isSiteState = (s: string): s is SiteState => s === 'normal' || s === 'rectified';

export const startSite = async (opts: SiteOptions = {}): Promise<SiteHandle> => {
  const host = opts.host ?? '127.0.0.1';
  const wanted = opts.cameras ? new Set(opts.cameras) : null;
  for (const name of wanted ?? []) if (!ORDER.includes(name)) throw new Error(`no simulated camera named ${name}`);
  const included = ORDER.filter((n) => !wanted || wanted.has(n));
  const log: RequestLogEntry[] = [];
  const running = new Map<string, Running>();
  const instance = newInstanceId();
  let state: SiteState = opts.state ?? 'normal';

  const useRtsp = opts.rtsp ?? true;
  const portFor = (name: string, offset: number): { port?: number } =>
    opts.basePort ? { port: opts.basePort + offset + ORDER.indexOf(name) } : {};

  /** Each camera has its own RTSP server (own port, own credentials), as a real camera does. */
  const startStreams = async (def: CameraDef): Promise<RtspServerHandle> => {
    try {
      return await startRtspServer({
        host,
        ...portFor(def.name, RTSP_PORT_OFFSET),
        streams: streamSpecs(def),
        credentials: { username: def.username, password: def.password },
      });
    } catch (e) {
      throw new Error(`the RTSP server of ${def.name} did not start (${e instanceof Error ? e.message : String(e)}); run without RTSP (rtsp: false / --no-rtsp)`, { cause: e });
    }
  };

  const launch = async (def: CameraDef): Promise<void> => {
    const rtsp = useRtsp ? await startStreams(def) : null;
    try {
      const cam = await startCamera(def, {
        host,
        ...portFor(def.name, 0),
        ...(rtsp ? { streamUrl: (s: 'main' | 'sub') => rtsp.url(streamPath(def.name, s)) } : {}),
        lossRate: opts.lossRate ?? 0,
        discovery: opts.discovery ?? true,
        ...(opts.discoveryPort ? { discoveryPort: opts.discoveryPort } : {}),
        ...(opts.sadpPort ? { sadpPort: opts.sadpPort } : {}),
        ...(opts.dhipPort ? { dhipPort: opts.dhipPort } : {}),
        log,
      });
      running.set(def.name, { cam, rtsp });
    } catch (e) {
      await rtsp?.close();
      throw e;
    }
  };

  const stop = async (r: Running): Promise<void> => {
    await Promise.all([r.cam.close(), r.rtsp?.close()]);
  };

  /** Bring the running cameras to `next`: reconfigure those that stay, stop the gone, start the new. */
  const apply = async (next: SiteState): Promise<void> => {
    const defs = salesOffice(next, instance).filter((d) => included.includes(d.name));
    const keep = new Set(defs.map((d) => d.name));
    await Promise.all(
      [...running].filter(([name]) => !keep.has(name)).map(async ([name, r]) => {
        running.delete(name);
        await stop(r);
      }),
    );
    for (const def of defs) {
      const r = running.get(def.name);
      if (r) r.cam.setDef(def);
      else await launch(def);
    }
    state = next;
  };

  let control: http.Server | null = null;
  let controlUrl: string | null = null;
  // State switches run one at a time: two overlapping ones could start the same camera twice.
  let switching: Promise<void> = Promise.resolve();
  const site: SiteHandle = {
    get state() {
      return state;
    },
    get cameras() {
      return ORDER.flatMap((n) => {
        const r = running.get(n);
        return r ? [info(r.cam, r.rtsp)] : [];
      });
    },
    requestLog: log,
    get controlUrl() {
      return controlUrl;
    },
    setState: (next) => {
      switching = switching.catch(() => undefined).then(() => apply(next));
      return switching;
    },
    close: async () => {
      await Promise.all([...running.values()].map(stop));
      running.clear();
      if (control) {
        control.closeAllConnections();
        await new Promise<void>((r) => control?.close(() => r()));
      }
    },
  };

  try {
    await apply(state);
    if (opts.control ?? true) {
      control = await startControl(site, opts.basePort ? opts.basePort + CONTROL_PORT_OFFSET : 0);
      const addr = control.address();
      controlUrl = addr && typeof addr === 'object' ? `http://127.0.0.1:${addr.port}` : null;
    }
  } catch (e) {
    await site.close();
    throw e;
  }
  return site;
};

const json = (res: http.ServerResponse, status: number, value: unknown): void => {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(`${JSON.stringify(value)}\n`);
};

/** The control endpoint listens on loopback only: it switches a simulation, never a real device. */
const startControl = async (site: SiteHandle, port: number): Promise<http.Server> => {
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      if (chunks.length < 16) chunks.push(c);
    });
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8').trim();
      if (req.url === '/state' && req.method === 'GET') return json(res, 200, { state: site.state, cameras: site.cameras });
      if (req.url === '/log' && req.method === 'GET') return json(res, 200, site.requestLog);
      if (req.url === '/state' && req.method === 'POST') {
        if (!isSiteState(body)) return json(res, 400, { error: `state must be normal or rectified, got ${JSON.stringify(body.slice(0, 40))}` });
        site.setState(body).then(
          () => json(res, 200, { state: site.state, cameras: site.cameras }),
          (e: unknown) => json(res, 500, { error: e instanceof Error ? e.message : String(e) }),
        );
        return;
      }
      json(res, 404, { error: 'GET /state, POST /state (normal|rectified), GET /log' });
    });
  });
  await listen(server, '127.0.0.1', port);
  return server;
};
