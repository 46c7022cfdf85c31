/**
 * Regression tests for the pathological inputs the fuzzer found: nesting far past the depth limit
 * (quadratic inside saxes before parsing stopped at the first failure) and namespace redeclarations
 * under a root with many prefixes (the scope map was copied per element: 3 MB cost 20 s and 3.6 GB).
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_LIMITS, parseXml, parseXmlInSlices, resolveQName, type XmlElement } from '../../src/xml/parse.js';

const timed = <T>(fn: () => T): { readonly value: T; readonly ms: number } => {
  const t0 = performance.now();
  const value = fn();
  return { value, ms: performance.now() - t0 };
};

describe('XML parser limits hold in bounded time', () => {
  it('stops at the depth limit instead of walking 40 000 open tags', () => {
    const depth = 40_000;
    const { value, ms } = timed(() => parseXml(`<a>${'<n>'.repeat(depth)}${'</n>'.repeat(depth)}</a>`));
    expect(value).toMatchObject({ ok: false, error: { message: 'nesting deeper than 64' } });
    expect(ms).toBeLessThan(1000);
  });

  it('stops at the element limit', () => {
    const { value, ms } = timed(() => parseXml(`<a>${'<n/>'.repeat(1_000_000)}</a>`));
    expect(value).toMatchObject({ ok: false, error: { message: 'more than 200000 elements' } });
    expect(ms).toBeLessThan(3000);
  });

  it('190 000 redeclaring children under 250 prefixes: linear time and memory', () => {
    const root = Array.from({ length: 250 }, (_, i) => `xmlns:p${i}="urn:${i}"`).join(' ');
    const doc = `<a ${root}>${'<b xmlns:q="urn:q"/>'.repeat(190_000)}</a>`;
    const before = process.memoryUsage().rss;
    // The declarations are attributes too: past the document's attribute cap, lifted here to test the scopes.
    const { value, ms } = timed(() => parseXml(doc, { ...DEFAULT_LIMITS, maxTotalAttributes: 1_000_000 }));
    expect(value.ok).toBe(true);
    expect(ms).toBeLessThan(5000);
    expect((process.memoryUsage().rss - before) / 2 ** 20).toBeLessThan(600);
  });

  it('refuses an element with more namespace declarations than the limit', () => {
    const decls = Array.from({ length: 300 }, (_, i) => `xmlns:p${i}="urn:${i}"`).join(' ');
    expect(parseXml(`<a ${decls}/>`)).toMatchObject({ ok: false, error: { message: expect.stringMatching(/namespace declarations/) } });
  });

  it('inherited prefixes still resolve; Object.prototype names do not', () => {
    const r = parseXml('<a xmlns:tt="urn:tt"><b xmlns:x="urn:x"><c>tt:Face</c></b></a>');
    if (!r.ok) throw new Error(r.error.message);
    const c: XmlElement | undefined = r.value.children[0]?.children[0];
    if (!c) throw new Error('no c');
    expect(resolveQName(c, 'tt:Face')).toEqual({ prefix: 'tt', local: 'Face', ns: 'urn:tt' });
    expect(resolveQName(c, 'x:Y').ns).toBe('urn:x');
    expect(resolveQName(c, 'constructor:Y').ns).toBeNull();
    expect(resolveQName(c, 'toString:Y').ns).toBeNull();
  });

  it('stops at the attribute caps while reading the element, not after it', () => {
    const attrs = (n: number): string => Array.from({ length: n }, (_, i) => ` a${i}=""`).join('');
    const { value, ms } = timed(() => parseXml(`<a${attrs(520_000)}/>`));
    expect(value).toMatchObject({ ok: false, error: { message: 'more than 512 attributes on one element' } });
    expect(ms).toBeLessThan(1000);
    expect(parseXml(`<a${attrs(512)}/>`).ok).toBe(true);
    const spread = `<r>${`<e${attrs(500)}/>`.repeat(200)}</r>`;
    expect(parseXml(spread)).toMatchObject({ ok: false, error: { message: 'more than 50000 attributes' } });
  });

  it('in slices: the same tree; past the deadline only when it needs more than one slice', async () => {
    const doc = `<r xmlns:tt="urn:tt">${'<tt:n k="v">text</tt:n>'.repeat(20_000)}</r>`;
    const whole = parseXml(doc);
    const sliced = await parseXmlInSlices(doc, { deadline: Infinity });
    expect(sliced.ok && whole.ok && sliced.value.children.length === whole.value.children.length).toBe(true);
    expect(await parseXmlInSlices(doc, { deadline: 0 })).toMatchObject({ ok: false, error: { kind: 'deadline', totalChars: doc.length } });
    expect((await parseXmlInSlices('<r><n/></r>', { deadline: 0 })).ok).toBe(true);
    expect(await parseXmlInSlices('<!DOCTYPE r><r/>', { deadline: Infinity })).toMatchObject({ ok: false, error: { message: 'document type declarations are refused' } });
  });
});
