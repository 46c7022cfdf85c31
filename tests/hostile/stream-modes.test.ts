/**
 * Streams and snapshots that never give a usable frame: the stream test ends at its own deadlines with
 * StreamFacts.error set, and no frame is decoded from a snapshot that only claims to be an image.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { decodeImage } from '../../src/stream/image.js';
import { probeStream } from '../../src/stream/probe-stream.js';
import { fetchSnapshot } from '../../src/stream/snapshot.js';
import { hugeDimensionJpeg, startHostileCamera, type HostileCameraHandle } from '../../src/sim/hostile.js';

const FIRST_FRAME_MS = 2000;
/** TCP then UDP, each bounded by the first-frame deadline; slack for ffmpeg start-up on a loaded box. */
const RTSP_BUDGET_MS = 2 * FIRST_FRAME_MS + 3000;
const SNAPSHOT_BUDGET_MS = 3000;

const open: HostileCameraHandle[] = [];
afterEach(async () => {
  await Promise.all(open.splice(0).map((c) => c.close()));
});

describe('hostile streams', () => {
  it.each(['rtsp-garbage', 'rtsp-stall'] as const)('%s: no frame, an error recorded, within the deadline', async (mode) => {
    const cam = await startHostileCamera(mode);
    open.push(cam);
    const t0 = performance.now();
    const facts = await probeStream(cam.rtspUrl, { frames: 3, seconds: 1, firstFrameTimeoutMs: FIRST_FRAME_MS });
    const ms = Math.round(performance.now() - t0);
    console.log(`hostile ${mode}: ${ms} ms, error ${JSON.stringify(facts.error)}`);
    expect(ms).toBeLessThan(RTSP_BUDGET_MS);
    expect(facts.frames).toBe(0);
    expect(facts.error).not.toBeNull();
    expect(facts.error?.kind).toBe('transport');
  });

  it.each(['snapshot-not-image', 'snapshot-huge-dimensions'] as const)('%s: refused as a decode error', async (mode) => {
    const cam = await startHostileCamera(mode);
    open.push(cam);
    const t0 = performance.now();
    const facts = await probeStream(cam.snapshotUrl, { frames: 2, seconds: 1 });
    const ms = Math.round(performance.now() - t0);
    console.log(`hostile ${mode}: ${ms} ms, error ${JSON.stringify(facts.error)}`);
    expect(ms).toBeLessThan(SNAPSHOT_BUDGET_MS);
    expect(facts.source).toBe('snapshot');
    expect(facts.frames).toBe(0);
    expect(facts.error).toMatchObject({ kind: 'decode', path: 'image' });
    if (mode === 'snapshot-huge-dimensions') expect(facts.error).toMatchObject({ message: expect.stringMatching(/20000x20000|pixel limit/) });
  });

  it('the crafted 20000x20000 JPEG is small, and refused from its header without decoding pixels', async () => {
    const jpeg = await hugeDimensionJpeg();
    expect(jpeg.length).toBeLessThan(2048);
    const before = process.memoryUsage().rss;
    const r = await decodeImage(jpeg);
    expect(r.ok).toBe(false);
    expect((process.memoryUsage().rss - before) / 2 ** 20).toBeLessThan(100);
  });
});

describe('device-supplied stream URIs that do not parse', () => {
  it('malformed percent-encoding in the userinfo is an error in the facts, not a throw', async () => {
    const facts = await probeStream('rtsp://admin:%zz@127.0.0.1:1/live', { frames: 1, seconds: 1 });
    expect(facts.error).toMatchObject({ kind: 'decode', path: 'uri', excerpt: '' });
    expect(facts.uri).not.toContain('%zz');
  });

  it('a snapshot URI that is not a URL is refused', async () => {
    expect(await fetchSnapshot('http://[not-a-host/snap.jpg')).toMatchObject({ ok: false, error: { kind: 'policy' } });
  });
});
