/** Starts tests/helpers/gst-rtsp-server.py (a real GStreamer RTSP server) on 127.0.0.1. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('../helpers/gst-rtsp-server.py', import.meta.url));

/** Why GStreamer cannot run here, or null when it can. */
export const gstMissing = (): string | null => {
  const r = spawnSync(
    PYTHON,
    ['-c', "import gi; gi.require_version('GstRtspServer','1.0'); from gi.repository import Gst, GstRtspServer; Gst.init(None); assert Gst.ElementFactory.find('x264enc')"],
    { encoding: 'utf8', timeout: 20_000 },
  );
  return r.status === 0 ? null : `GStreamer RTSP server or x264enc missing (gir1.2-gst-rtsp-server-1.0, python3-gi, gstreamer1.0-plugins-ugly): ${r.stderr.trim().split('\n').at(-1) ?? ''}`;
};

export interface GstServer {
  readonly url: string;
  stop(): Promise<void>;
}

export const startGstServer = (image: string, width = 640, height = 360, fps = 10, udpOnly = false): Promise<GstServer> =>
  new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(PYTHON, [SCRIPT, image, String(width), String(height), String(fps), ...(udpOnly ? ['--udp-only'] : [])], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let errText = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`GStreamer server did not start: ${errText}`));
    }, 15_000);
    child.stderr?.on('data', (d: Buffer) => (errText += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /READY (\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({
          url: `rtsp://127.0.0.1:${m[1]}/still`,
          stop: () =>
            new Promise((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              child.kill('SIGTERM');
            }),
        });
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`GStreamer server exited (${code}): ${errText}`));
    });
  });
