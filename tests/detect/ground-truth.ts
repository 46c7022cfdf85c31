/** Hand-checked face boxes [x, y, w, h] (see tests/fixtures/images/PROVENANCE.md). */
export const FIXTURES = new URL('../fixtures/images/', import.meta.url);

export const GROUND_TRUTH: Readonly<Record<string, readonly (readonly [number, number, number, number])[]>> = {
  'astronaut.png': [[172, 74, 104, 104]],
  'coffee.png': [],
  'face-api-sample1.jpg': [
    [419, 405, 196, 196],
    [848, 477, 166, 166],
    [1491, 266, 154, 154],
  ],
  'face-api-sample5.jpg': [
    [573, 461, 196, 196],
    [776, 161, 165, 165],
    [1116, 255, 186, 186],
    [1415, 439, 217, 217],
    [357, 942, 202, 202],
  ],
};
