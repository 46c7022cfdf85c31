/**
 * Child of bench/run.ts: one stream test (5 frames) with the built toolkit, and this process's peak
 * RSS, as JSON on stdout. Plain JavaScript on dist/ so that no TypeScript loader is in the figure.
 */
import process from 'node:process';
import { probeStream } from '../dist/stream/probe-stream.js';

const url = process.argv[2];
if (!url) throw new Error('usage: probe-rss.mjs <rtsp-url>');
const facts = await probeStream(url, { frames: 5, seconds: 2 });
process.stdout.write(JSON.stringify({ frames: facts.frames, facesSeen: facts.facesSeen, maxRssMb: process.resourceUsage().maxRSS / 1024 }));
