import { readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REDACT_MIN_SCORE, createBlazeFaceDetector, type BlazeFaceDetector } from '../../src/stream/detector.js';
import { decodeImage } from '../../src/stream/image.js';
import { redactedEvidence } from '../../src/stream/redact.js';

let detector: BlazeFaceDetector;
let counting: BlazeFaceDetector;
beforeAll(async () => {
  detector = await createBlazeFaceDetector({ threads: 1, minScore: REDACT_MIN_SCORE });
  counting = await createBlazeFaceDetector({ threads: 1 });
});
afterAll(async () => {
  await detector.close();
  await counting.close();
});

describe('redacted evidence', () => {
  it.each(['astronaut.png', 'face-api-sample5.jpg'])('%s: the detector finds no face in the stored JPEG', async (name) => {
    const decoded = await decodeImage(await readFile(new URL(`../fixtures/images/${name}`, import.meta.url)));
    if (!decoded.ok) throw new Error(name);
    const faces = await detector.detect(decoded.value);
    expect(faces.length).toBeGreaterThan(0);
    const hash = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');
    const before = hash(decoded.value.data);
    const evidence = await redactedEvidence(decoded.value, faces);
    expect(evidence.facesBlurred).toBe(faces.length);
    expect(evidence.sha256).toBe(createHash('sha256').update(evidence.bytes).digest('hex'));
    expect(hash(decoded.value.data)).toBe(before); // the in-memory frame is untouched
    const stored = await decodeImage(evidence.bytes);
    if (!stored.ok) throw new Error('evidence does not decode');
    expect(stored.value.width).toBe(decoded.value.width);
    expect(await counting.detect(stored.value)).toEqual([]);
    // Even the low redaction threshold sees at most a mosaic that barely passes 0.5.
    expect((await detector.detect(stored.value)).filter((f) => f.score >= 0.6)).toEqual([]);
  });
});
