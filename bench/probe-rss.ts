/** Child of bench/run.ts: one `probeStream` (5 frames) and this process's peak RSS, as JSON on stdout. */
import { probeStream } from '../src/stream/probe-stream.js';

const url = process.argv[2];
if (!url) throw new Error('usage: probe-rss.ts <rtsp-url>');
const facts = await probeStream(url, { frames: 5, seconds: 2 });
process.stdout.write(JSON.stringify({ frames: facts.frames, facesSeen: facts.facesSeen, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
