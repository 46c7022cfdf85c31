import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startRtspServer, type RtspServerHandle } from '../../src/sim/rtsp-server.js';
import { createBlazeFaceDetector, REDACT_MIN_SCORE, type BlazeFaceDetector } from '../../src/stream/detector.js';
import { probeStream } from '../../src/stream/probe-stream.js';

// The simulated sales office's three streams (issue 3), behind RTSP digest auth, through the whole
// stream test: ffmpeg through the stream gate (which answers the digest challenge), detector, assessment.
describe('stream test against the simulator scenes', () => {
  let sim: RtspServerHandle;
  let detector: BlazeFaceDetector;
  const credentials = { user: 'admin', password: 'sim-Pa55' };
  beforeAll(async () => {
    sim = await startRtspServer({
      host: '127.0.0.1',
      credentials: { username: credentials.user, password: credentials.password },
      streams: [
        { path: '/near', scene: 'faces-near', width: 1280, height: 720, fps: 10 },
        { path: '/far', scene: 'faces-far', width: 1280, height: 720, fps: 10 },
        { path: '/empty', scene: 'empty', width: 1280, height: 720, fps: 10 },
      ],
    });
    detector = await createBlazeFaceDetector({ threads: 1, minScore: REDACT_MIN_SCORE });
  });
  afterAll(async () => {
    await detector.close();
    await sim.close();
  });

  it.each([
    ['/near', 'recognisable'],
    ['/far', 'too-small'],
    ['/empty', 'no-faces'],
  ] as const)('%s is graded %s', async (path, grade) => {
    const facts = await probeStream(sim.url(path), { frames: 2, seconds: 1, credentials, detector });
    expect(facts.error).toBeNull();
    expect(facts).toMatchObject({ source: 'rtsp', frames: 2, windowMs: 500, captureGrade: grade });
    if (grade !== 'no-faces') expect(facts.facesPerFrame.every((n) => n > 0)).toBe(true);
  });

  it('reports wrong credentials as an auth error, redacted', async () => {
    const facts = await probeStream(sim.url('/near'), { frames: 1, seconds: 1, credentials: { user: 'admin', password: 'wrong-Pw1' }, detector });
    expect(facts).toMatchObject({ frames: 0, captureGrade: 'no-frames', error: { kind: 'auth' } });
    expect(JSON.stringify(facts)).not.toContain('wrong-Pw1');
  });
});
