/**
 * Run as a child process by the lifecycle test: starts a server, gets an encoder running, prints its
 * pid, then exits without calling close(), as a crashing demo would.
 */
import { connect } from 'node:net';
import { startRtspServer } from '../../src/sim/rtsp-server.js';

const server = await startRtspServer({ host: '127.0.0.1', streams: [{ path: '/a', scene: 'empty', width: 320, height: 180, fps: 5 }] });
const socket = connect(server.port, '127.0.0.1');
socket.write(`DESCRIBE ${server.url('/a')} RTSP/1.0\r\nCSeq: 1\r\n\r\n`);
socket.once('data', () => {
  process.stdout.write(`${server.encoderPids().join(',')}\n`);
  process.exit(0);
});
