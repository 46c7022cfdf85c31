/**
 * A tiny RTSP server that never delivers a frame: `rtsp-garbage` answers every request with random
 * bytes, `rtsp-stall` answers OPTIONS properly and then says nothing after DESCRIBE (the connection
 * stays open). A stream test against either must end at its own deadline with an error.
 */
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { listen } from './listen.js';

export type HostileRtspMode = 'rtsp-garbage' | 'rtsp-stall';

export interface HostileRtspHandle {
  readonly port: number;
  /** `rtsp://host:port<path>`. */
  url(path: string): string;
  /** RTSP methods received, in order (garbage mode: `?` per chunk). */
  readonly received: readonly string[];
  close(): Promise<void>;
}

const GARBAGE_BYTES = 4096;

export const startHostileRtsp = async (mode: HostileRtspMode, opts: { readonly host?: string } = {}): Promise<HostileRtspHandle> => {
  const host = opts.host ?? '127.0.0.1';
  const received: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let pending = '';
    socket.on('data', (chunk: Buffer) => {
      if (mode === 'rtsp-garbage') {
        received.push('?');
        socket.write(randomBytes(GARBAGE_BYTES));
        return;
      }
      pending += chunk.toString('latin1');
      // Requests end with an empty line; bodies are not expected from a client before SETUP.
      for (let end = pending.indexOf('\r\n\r\n'); end >= 0; end = pending.indexOf('\r\n\r\n')) {
        const head = pending.slice(0, end);
        pending = pending.slice(end + 4);
        const method = head.split(' ', 1)[0] ?? '';
        received.push(method);
        const cseq = /^CSeq:\s*(\d+)/im.exec(head)?.[1] ?? '0';
        if (method === 'OPTIONS') socket.write(`RTSP/1.0 200 OK\r\nCSeq: ${cseq}\r\nPublic: OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN\r\n\r\n`);
        // DESCRIBE and anything after it: silence, with the connection held open.
      }
    });
  });
  const port = await listen(server, host);
  return {
    port,
    url: (path) => `rtsp://${host}:${port}${path}`,
    received,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
};
