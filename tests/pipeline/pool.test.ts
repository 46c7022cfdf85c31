import { describe, expect, it } from 'vitest';
import { mapLimit } from '../../src/core/pool.js';
import { gate } from '../../src/visit/device.js';

const tick = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('bounded concurrency', () => {
  it('mapLimit keeps order and never exceeds the limit', async () => {
    let active = 0;
    let peak = 0;
    const out = await mapLimit([5, 1, 4, 2, 3], 2, async (n) => {
      active += 1;
      peak = Math.max(peak, active);
      await tick(n);
      active -= 1;
      return n * 10;
    });
    expect(out).toEqual([50, 10, 40, 20, 30]);
    expect(peak).toBe(2);
  });

  it('gate admits n at a time and releases on failure', async () => {
    const g = gate(1);
    let active = 0;
    let peak = 0;
    const job = async (fail: boolean): Promise<string> => {
      active += 1;
      peak = Math.max(peak, active);
      await tick(2);
      active -= 1;
      if (fail) throw new Error('boom');
      return 'ok';
    };
    const results = await Promise.allSettled([g(() => job(true)), g(() => job(false)), g(() => job(false))]);
    expect(results.map((r) => r.status)).toEqual(['rejected', 'fulfilled', 'fulfilled']);
    expect(peak).toBe(1);
  });
});
