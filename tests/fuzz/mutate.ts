/**
 * Seeded mutations of real device responses for the fuzz tests: a small PRNG (mulberry32) so every run
 * is reproducible from its seed, and the mutation kinds a broken or hostile device produces.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ProbeError } from '../../src/core/errors.js';
import type { Result } from '../../src/core/result.js';

export type Rng = () => number;

/** mulberry32: 32-bit state, good enough to spread mutations, and identical on every machine. */
export const mulberry32 = (seed: number): Rng => {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
};

const int = (rng: Rng, n: number): number => Math.floor(rng() * n);
const pick = <T>(rng: Rng, xs: readonly T[]): T => {
  const x = xs[int(rng, xs.length)];
  if (x === undefined) throw new Error('pick from an empty list');
  return x;
};

/** Every .xml under a directory (the captured real responses). */
export const loadXmlFixtures = (dir: string): { readonly name: string; readonly bytes: Buffer }[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return loadXmlFixtures(path).map((f) => ({ ...f, name: `${e.name}/${f.name}` }));
    return e.name.endsWith('.xml') ? [{ name: e.name, bytes: readFileSync(path) }] : [];
  });

const randomCodePoint = (rng: Rng): string => {
  const ranges: readonly (readonly [number, number])[] = [
    [0x00, 0x20], // controls (illegal in XML 1.0 except tab/CR/LF)
    [0x80, 0x800],
    [0x4e00, 0x9fff], // CJK
    [0xd800, 0xdfff], // lone surrogates: encoded as U+FFFD by Buffer.from
    [0xfff0, 0xffff],
    [0x1f300, 0x1faff], // astral
  ];
  const [lo, hi] = pick(rng, ranges);
  return String.fromCodePoint(lo + int(rng, hi - lo));
};

/** Start-tag positions (`<name`), for element-level mutations. */
const tagStarts = (text: string): number[] => {
  const out: number[] = [];
  for (let i = text.indexOf('<'); i >= 0 && out.length < 4096; i = text.indexOf('<', i + 1)) {
    if (/[A-Za-z]/.test(text[i + 1] ?? '')) out.push(i);
  }
  return out;
};

export const MUTATIONS = ['flip', 'truncate', 'duplicate', 'nest', 'huge-attribute', 'utf8', 'splice', 'prefix'] as const;
export type Mutation = (typeof MUTATIONS)[number];

export const mutate = (rng: Rng, input: Buffer, kind: Mutation): Buffer => {
  const text = input.toString('utf8');
  switch (kind) {
    case 'flip': {
      const out = Buffer.from(input);
      const flips = 1 + int(rng, 8);
      for (let i = 0; i < flips && out.length > 0; i++) out[int(rng, out.length)] = int(rng, 256);
      return out;
    }
    case 'truncate':
      return input.subarray(0, int(rng, input.length + 1));
    case 'duplicate': {
      // Repeat a random slice that starts at a tag: duplicated elements, or half-elements.
      const starts = tagStarts(text);
      if (starts.length === 0) return input;
      const a = pick(rng, starts);
      const b = Math.min(text.length, a + 1 + int(rng, 2000));
      const times = 1 + int(rng, 50);
      return Buffer.from(text.slice(0, b) + text.slice(a, b).repeat(times) + text.slice(b), 'utf8');
    }
    case 'nest': {
      const depth = 1 + int(rng, 3000);
      const starts = tagStarts(text);
      const at = starts.length > 1 ? pick(rng, starts.slice(1)) : 0;
      return Buffer.from(text.slice(0, at) + '<n>'.repeat(depth) + text.slice(at) + (rng() < 0.5 ? '</n>'.repeat(depth) : ''), 'utf8');
    }
    case 'huge-attribute': {
      const starts = tagStarts(text);
      if (starts.length === 0) return input;
      const at = pick(rng, starts);
      const end = text.indexOf(' ', at);
      const cut = end < 0 ? at + 1 : end;
      const value = pick(rng, ['x', '&amp;', '&#x4e2d;', 'é']).repeat(1000 + int(rng, 60_000));
      return Buffer.from(`${text.slice(0, cut)} huge="${value}"${text.slice(cut)}`, 'utf8');
    }
    case 'utf8': {
      let out = text;
      const n = 1 + int(rng, 20);
      for (let i = 0; i < n; i++) {
        const at = int(rng, out.length + 1);
        out = out.slice(0, at) + randomCodePoint(rng) + out.slice(at);
      }
      return Buffer.from(out, 'utf8');
    }
    case 'splice': {
      // Remove a random run: tags lose their ends, attributes their quotes.
      const a = int(rng, input.length + 1);
      const b = Math.min(input.length, a + int(rng, 200));
      return Buffer.concat([input.subarray(0, a), input.subarray(b)]);
    }
    case 'prefix': {
      // Rebind or unbind a namespace prefix.
      const m = [...text.matchAll(/xmlns:([A-Za-z0-9_-]+)="([^"]*)"/g)];
      if (m.length === 0) return input;
      const victim = pick(rng, m);
      const replacement = pick(rng, ['', `xmlns:${victim[1] ?? 'x'}="http://foreign.example/"`, `xmlns:${victim[1] ?? 'x'}=""`, 'xmlns="http://www.w3.org/2003/05/soap-envelope"']);
      return Buffer.from(text.replace(victim[0], replacement), 'utf8');
    }
  }
};

const KINDS: ReadonlySet<string> = new Set(['transport', 'fault', 'decode', 'unsupported', 'auth', 'policy']);

/** A result is ok, or an error of one of our kinds with a string message/reason. */
export const wellTyped = (r: Result<unknown, ProbeError>, decodeOnly: boolean): boolean => {
  if (r.ok) return true;
  const e = r.error;
  if (!KINDS.has(e.kind)) return false;
  if (decodeOnly && e.kind !== 'decode') return false;
  if (e.kind === 'decode') return typeof e.path === 'string' && typeof e.message === 'string' && typeof e.excerpt === 'string' && e.excerpt.length <= 200;
  return true;
};
