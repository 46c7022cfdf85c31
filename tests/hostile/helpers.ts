/** An ordinary simulated camera with its own RTSP server, and a loopback listener that counts who reached it. */
import net from 'node:net';
import { startCamera, type CameraHandle } from '../../src/sim/camera.js';
import { ordinaryCamera, type CameraDef } from '../../src/sim/definitions.js';
import { startRtspServer, type RtspServerHandle } from '../../src/sim/rtsp-server.js';

export interface NormalCamera {
  readonly cam: CameraHandle;
  readonly rtsp: RtspServerHandle;
  readonly def: CameraDef;
  close(): Promise<void>;
}

export const startNormalCamera = async (index: number, discoveryPort: number, overrides: Partial<CameraDef> = {}): Promise<NormalCamera> => {
  const def = ordinaryCamera(index, overrides);
  const rtsp = await startRtspServer({
    host: '127.0.0.1',
    streams: (['main', 'sub'] as const).map((s) => ({ path: `/${def.name}/${s}`, scene: def.scene, fps: 10, width: s === 'main' ? 640 : 320, height: s === 'main' ? 360 : 180 })),
    credentials: { username: def.username, password: def.password },
  });
  const cam = await startCamera(def, { host: '127.0.0.1', discoveryPort, streamUrl: (s) => rtsp.url(`/${def.name}/${s}`) });
  return { cam, rtsp, def, close: async () => void (await Promise.all([cam.close(), rtsp.close()])) };
};

export interface Tripwire {
  readonly port: number;
  /** Connections accepted so far. */
  readonly contacts: () => number;
  close(): Promise<void>;
}

/** Listens on an address the inspection must never reach (e.g. 127.0.0.2 outside a 127.0.0.1/32 range). */
export const startTripwire = async (host: string): Promise<Tripwire> => {
  let contacts = 0;
  const server = net.createServer((s) => {
    contacts += 1;
    s.destroy();
  });
  await new Promise<void>((r) => server.listen(0, host, r));
  const addr = server.address();
  if (addr === null || typeof addr === 'string') throw new Error('tripwire has no address');
  return { port: addr.port, contacts: () => contacts, close: () => new Promise<void>((r) => server.close(() => r())) };
};
