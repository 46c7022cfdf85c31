/**
 * Child of bench/discovery-loss.ts and tests/scale: inside the LAN's camera namespace, starts `count`
 * simulated cameras on 10.88.1.1... (src/sim/lan.ts) with WS-Discovery on `port` and `lossRate` drop
 * each way, prints `ready` and serves until stdin closes.
 * Usage: node --import tsx bench/scale-lan-cameras.ts <count> <lossRate> <port>
 */
import { startFleet } from '../src/sim/fleet.js';
import { lanCameraAddress } from '../src/sim/lan.js';

const [count = '64', lossRate = '0.1', port = '3702'] = process.argv.slice(2);
const fleet = await startFleet({ count: Number(count), addressOf: lanCameraAddress, lossRate: Number(lossRate), discoveryPort: Number(port), rtsp: false });
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.once('end', () => {
  void fleet.close().then(() => process.exit(0));
});
