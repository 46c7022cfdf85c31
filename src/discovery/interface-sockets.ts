/**
 * One UDP socket per chosen interface, bound to that interface's address with the multicast interface
 * set explicitly, so an inquiry never leaves by the default route. WS-Discovery, SADP and DHIP share it:
 * each sends its own inquiry on these sockets and reads the answers that come back to them.
 */
import dgram from 'node:dgram';
import { err, ok, type Result } from '../core/result.js';
import type { ProbeError } from '../core/errors.js';
import type { InterfaceChoice } from './interfaces.js';

export interface InterfaceSocket {
  readonly iface: InterfaceChoice;
  readonly socket: dgram.Socket;
}

export interface InterfaceSocketOptions {
  /** Join this group on each interface (multicast answers addressed to the group reach the socket too). */
  readonly group?: string;
  /** Allow sends to the subnet's broadcast address (DHIP). */
  readonly broadcast?: boolean;
  readonly onMessage: (iface: InterfaceChoice, msg: Buffer, rinfo: dgram.RemoteInfo) => void;
}

export const closeSockets = (sockets: readonly InterfaceSocket[]): void => {
  for (const s of sockets) s.socket.close();
};

export const openInterfaceSockets = async (
  ifaces: readonly InterfaceChoice[],
  opts: InterfaceSocketOptions,
): Promise<Result<InterfaceSocket[], ProbeError>> => {
  const sockets: InterfaceSocket[] = [];
  try {
    for (const iface of ifaces) {
      const socket = dgram.createSocket({ type: 'udp4', reuseAddr: true });
      sockets.push({ iface, socket });
      socket.on('message', (msg, rinfo) => opts.onMessage(iface, msg, rinfo));
      // After bind, socket errors (ICMP unreachable from a vanished host) must not end the discovery.
      socket.on('error', () => undefined);
      await new Promise<void>((resolve, reject) => {
        socket.once('error', reject);
        socket.bind({ address: iface.address, port: 0 }, () => {
          socket.off('error', reject);
          resolve();
        });
      });
      socket.setMulticastInterface(iface.address);
      socket.setMulticastTTL(1);
      // Needed for loopback (simulated devices on this host); harmless on a LAN.
      socket.setMulticastLoopback(true);
      if (opts.group !== undefined) socket.addMembership(opts.group, iface.address);
      if (opts.broadcast === true) socket.setBroadcast(true);
    }
  } catch (e) {
    closeSockets(sockets);
    return err({ kind: 'transport', reason: 'other', message: `cannot open a discovery socket: ${e instanceof Error ? e.message : String(e)}` });
  }
  return ok(sockets);
};

/** Waits `ms`, or less when `signal` aborts; leaves no listener on the signal (it outlives every discovery run). */
export const sleep = (ms: number, signal?: AbortSignal): Promise<void> =>
  new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(t);
      resolve();
    };
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
