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
