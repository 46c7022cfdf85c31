/** Ports and request bodies for the simulator's servers (and the tests and benches that start them). */
import { createSocket, type Socket } from 'node:dgram';
import type { IncomingMessage } from 'node:http';
import type { Server } from 'node:net';

/** Listen on host:port (0: ephemeral) and resolve with the bound port; a bind error rejects instead of escaping. */
export const listen = async (server: Server, host: string, port = 0): Promise<number> => {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  if (bound === null || typeof bound === 'string') throw new Error(`server on ${host} has no TCP address`);
  return bound.port;
};

/** Bind a UDP socket (shared: several simulated devices listen on one group and port); a bind error rejects. */
export const bindUdp = (socket: Socket, port: number, address: string): Promise<void> =>
  new Promise((resolve, reject) => {
    socket.once('error', reject);
    socket.bind({ port, address, exclusive: false }, () => {
      socket.off('error', reject);
      resolve();
    });
  });

export const closeUdp = (socket: Socket): Promise<void> => new Promise((resolve) => socket.close(() => resolve()));

/** A UDP port free right now on the host: a private WS-Discovery port for one test or bench run. */
export const freeUdpPort = async (host = '127.0.0.1'): Promise<number> => {
  const s = createSocket('udp4');
  await new Promise<void>((r) => s.bind(0, host, r));
  const { port } = s.address();
  await new Promise<void>((r) => s.close(() => r()));
  return port;
};

/** A request body as text, or null when it is larger than `maxBytes` (read to the end, kept no further). */
export const readBody = (req: IncomingMessage, maxBytes: number): Promise<string | null> =>
  new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= maxBytes) chunks.push(c);
    });
    req.on('end', () => resolve(size > maxBytes ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', () => resolve(null));
  });
