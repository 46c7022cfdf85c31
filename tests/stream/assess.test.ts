import { describe, expect, it } from 'vitest';
import { assessStream, gradeEyeDistance, median, streamToJson } from '../../src/assess/stream.js';
import type { DetectedFace } from '../../src/core/types.js';

const face = (width: number, eyeDistance: number): DetectedFace => ({ box: [0, 0, width, width], score: 0.9, eyeDistance, keypoints: [] });

describe('capture grade', () => {
  it.each([
    [null, 0, 'no-frames'],
    [null, 3, 'no-faces'],
    [12, 3, 'too-small'],
    [20, 3, 'marginal'],
    [39.9, 3, 'marginal'],
    [40, 3, 'recognisable'],
  ] as const)('eye distance %s over %s frames -> %s', (eye, frames, grade) => {
    expect(gradeEyeDistance(eye, frames)).toBe(grade);
  });
});

describe('assessStream', () => {
  it('reports counts, largest and median sizes, and grades on the largest eye distance', () => {
    const facts = assessStream({
      uri: 'rtsp://***@127.0.0.1/x',
      source: 'rtsp',
      windowMs: 1000.4,
      frames: [
        { faces: [face(100, 45), face(30, 10)], sharpness: [120, 40] },
        { faces: [], sharpness: [5] },
        { faces: [face(60, 25)], sharpness: [80] },
      ],
      evidence: [],
      error: null,
    });
    expect(facts).toMatchObject({
      frames: 3,
      windowMs: 1000,
      facesPerFrame: [2, 0, 1],
      facesSeen: 3,
      maxEyeDistance: 45,
      medianEyeDistance: 25,
      largestFaceWidth: 100,
      medianFaceWidth: 60,
      sharpness: 60,
      captureGrade: 'recognisable',
    });
    expect(Object.keys(streamToJson(facts))).toEqual(expect.arrayContaining(['uri', 'frames', 'facesSeen', 'maxEyeDistance', 'medianFaceWidth', 'captureGrade', 'evidence']));
  });
  it('medians of even counts average the middle pair', () => {
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});
