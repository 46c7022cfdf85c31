/** Runs discover() inside the inspector's namespace for netns.test.ts; prints devices and elapsed ms as JSON. */
import { discover } from '../../src/discovery/ws-discovery.js';

const [iface = '', port = '3702', durationMs = '2000'] = process.argv.slice(2);
const started = performance.now();
const firstSeen: number[] = [];
const r = await discover({ interfaces: [iface], port: Number(port), durationMs: Number(durationMs) }, () => firstSeen.push(performance.now() - started));
process.stdout.write(`${JSON.stringify({ ok: r.ok, devices: r.ok ? r.value : [], lastArrivalMs: Math.round(Math.max(0, ...firstSeen)), totalMs: Math.round(performance.now() - started) })}\n`);
