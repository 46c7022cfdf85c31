/**
 * Fuzz: mutated WS-Discovery ProbeMatches (a real capture and simulator answers with several matches)
 * through parseProbeMatches and the quirk notes discovery derives from each match. Seeded, bounded in
 * time and count; no input may throw or hang, every result is ok or a DecodeError.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseProbeMatches } from '../../src/discovery/probe-matches.js';
import { quirksOf } from '../../src/discovery/ws-discovery.js';
import { probeMatches } from '../../src/sim/discovery.js';
import { mulberry32, mutate, MUTATIONS, wellTyped } from './mutate.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_0006);
const BUDGET_MS = 3000;
const MAX_INPUTS = 20_000;
const IFACE = { name: 'lo', address: '127.0.0.1', netmask: '255.0.0.0' };

const seeds: readonly Buffer[] = [
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'onvif', 'videotec-PREDATOR-anonymized', 'ProbeMatches.xml')),
  Buffer.from(probeMatches('urn:uuid:1', { endpoint: 'urn:uuid:cam', scopes: ['onvif://www.onvif.org/name/A'], xaddrs: ['http://127.0.0.1/onvif/device_service'] }, 1, 1)),
  // Several matches and XAddrs in one datagram, one of them outside the sender's subnet.
  Buffer.from(
    probeMatches('urn:uuid:2', { endpoint: 'urn:uuid:a', scopes: [], xaddrs: ['http://127.0.0.1:80/', 'http://[fe80::1]/', 'http://10.0.0.9/'] }, 2, 1).replace(
      /(<d:ProbeMatch>[\s\S]*<\/d:ProbeMatch>)/,
      '$1$1$1',
    ),
  ),
];

describe('fuzz: ProbeMatches parsing', () => {
  it(`mutated ProbeMatches (seed ${SEED}) never throw, hang, or return an untyped error`, () => {
    const rng = mulberry32(SEED);
    const failures: string[] = [];
    let inputs = 0;
    let parsedOk = 0;
    let matches = 0;
    let slowest = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < BUDGET_MS && inputs < MAX_INPUTS) {
      const seed = seeds[Math.floor(rng() * seeds.length)] ?? Buffer.alloc(0);
      let bytes = mutate(rng, seed, MUTATIONS[Math.floor(rng() * MUTATIONS.length)] ?? 'flip');
      if (rng() < 0.3) bytes = mutate(rng, bytes, MUTATIONS[Math.floor(rng() * MUTATIONS.length)] ?? 'flip');
      const started = performance.now();
      try {
        const r = parseProbeMatches(bytes);
        if (!wellTyped(r, true)) failures.push(`returned ${JSON.stringify(r).slice(0, 200)}`);
        if (r.ok) {
          parsedOk += 1;
          for (const m of r.value.matches) {
            matches += 1;
            if (![...m.xaddrs, ...m.scopes, ...m.types].every((s) => typeof s === 'string' && s.length > 0)) failures.push(`empty word in ${JSON.stringify(m)}`);
            if (quirksOf(m, '127.0.0.1', IFACE, r.value.relatesTo === null).some((q) => typeof q !== 'string')) failures.push('quirk not a string');
          }
        }
      } catch (e) {
        failures.push(`threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
      slowest = Math.max(slowest, performance.now() - started);
      inputs += 1;
    }
    console.log(`fuzz probe-matches: seed ${SEED}, ${inputs} inputs in ${Math.round(performance.now() - t0)} ms, ${failures.length} crashes, ${parsedOk} parsed, ${matches} matches, slowest ${slowest.toFixed(1)} ms`);
    expect(failures.slice(0, 5)).toEqual([]);
    expect(inputs).toBeGreaterThan(100);
    expect(slowest).toBeLessThan(2000);
  });
});
