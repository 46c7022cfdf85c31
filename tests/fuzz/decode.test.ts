/**
 * Fuzz: mutated real device responses through parseXml, the SOAP envelope/fault decoder and every typed
 * decoder. Seeded (FUZZ_SEED), bounded in time and count. No input may throw or hang; every result is
 * ok or a typed error.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ProbeError } from '../../src/core/errors.js';
import type { Result } from '../../src/core/result.js';
import {
  decodeAnalyticsConfigurations,
  decodeCapabilities,
  decodeConfiguredAnalytics,
  decodeDeviceInformation,
  decodeEventProperties,
  decodeMediaUri,
  decodeNetworkInterfaces,
  decodeProfiles,
  decodeScopes,
  decodeServices,
  decodeSupportedAnalytics,
  decodeSystemDateAndTime,
} from '../../src/onvif/decode.js';
import { decodeEnvelope } from '../../src/onvif/soap.js';
import { parseXml, type XmlElement } from '../../src/xml/parse.js';
import { loadXmlFixtures, mulberry32, mutate, MUTATIONS, wellTyped } from './mutate.js';

const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed_0006);
const BUDGET_MS = 4000;
const MAX_INPUTS = 20_000;
/** One input taking this long is a hang in all but name. */
const SLOW_INPUT_MS = 2000;

const DECODERS: readonly (readonly [string, (el: XmlElement) => Result<unknown, ProbeError>])[] = [
  ['SystemDateAndTime', decodeSystemDateAndTime],
  ['DeviceInformation', decodeDeviceInformation],
  ['Services', decodeServices],
  ['Capabilities', decodeCapabilities],
  ['Scopes', decodeScopes],
  ['NetworkInterfaces', decodeNetworkInterfaces],
  ['Profiles', decodeProfiles],
  ['MediaUri', decodeMediaUri],
  ['AnalyticsConfigurations', decodeAnalyticsConfigurations],
  ['ConfiguredAnalytics', decodeConfiguredAnalytics('token')],
  ['SupportedAnalytics', decodeSupportedAnalytics('token')],
  ['EventProperties', decodeEventProperties],
];

const fixtures = loadXmlFixtures(join(import.meta.dirname, '..', 'fixtures', 'onvif')).filter((f) => !f.name.includes('ProbeMatches'));

describe('fuzz: XML parser and typed decoders', () => {
  it(`mutated real responses (seed ${SEED}) never throw, hang, or return an untyped error`, () => {
    expect(fixtures.length).toBeGreaterThan(100);
    const rng = mulberry32(SEED);
    const byMutation = new Map<string, number>();
    const failures: string[] = [];
    let inputs = 0;
    let parsedOk = 0;
    let decodedOk = 0;
    let slowest = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < BUDGET_MS && inputs < MAX_INPUTS) {
      const fixture = fixtures[Math.floor(rng() * fixtures.length)];
      const kind = MUTATIONS[Math.floor(rng() * MUTATIONS.length)];
      if (!fixture || !kind) continue;
      // Sometimes stack two mutations: real breakage rarely comes alone.
      let bytes = mutate(rng, fixture.bytes, kind);
      if (rng() < 0.3) bytes = mutate(rng, bytes, MUTATIONS[Math.floor(rng() * MUTATIONS.length)] ?? 'flip');
      const started = performance.now();
      try {
        const parsed = parseXml(bytes);
        if (!wellTyped(parsed, true)) failures.push(`${fixture.name}/${kind}: parseXml returned ${JSON.stringify(parsed).slice(0, 200)}`);
        if (parsed.ok) parsedOk += 1;
        const env = decodeEnvelope(bytes, 'Fuzz');
        if (!wellTyped(env, false)) failures.push(`${fixture.name}/${kind}: decodeEnvelope returned ${JSON.stringify(env).slice(0, 200)}`);
        if (env.ok) {
          for (const [name, decode] of DECODERS) {
            const r = decode(env.value);
            if (r.ok) decodedOk += 1;
            if (!wellTyped(r, true)) failures.push(`${fixture.name}/${kind}: ${name} returned ${JSON.stringify(r).slice(0, 200)}`);
          }
        }
      } catch (e) {
        failures.push(`${fixture.name}/${kind}: threw ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      }
      slowest = Math.max(slowest, performance.now() - started);
      byMutation.set(kind, (byMutation.get(kind) ?? 0) + 1);
      inputs += 1;
    }
    console.log(
      `fuzz decode: seed ${SEED}, ${inputs} inputs in ${Math.round(performance.now() - t0)} ms, ${failures.length} crashes, ` +
        `${parsedOk} parsed, ${decodedOk} decoder successes, slowest ${slowest.toFixed(1)} ms, by mutation ${JSON.stringify(Object.fromEntries(byMutation))}`,
    );
    expect(failures.slice(0, 5)).toEqual([]);
    // The count depends on the machine (a loaded 2-core box runs a few hundred); the floor only proves the loop ran.
    expect(inputs).toBeGreaterThan(100);
    expect(slowest).toBeLessThan(SLOW_INPUT_MS);
  });
});
