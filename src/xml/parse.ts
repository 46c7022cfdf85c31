/**
 * Safe, namespace-aware XML for untrusted device responses.
 *
 * saxes is a strict, well-kept SAX parser: it never expands entities beyond the five predefined
 * ones and character references. We additionally refuse any DOCTYPE (SOAP 1.2 forbids DTDs, and
 * refusing it rules out entity-expansion bombs and external entities), cap depth and element
 * count, and keep each element's in-scope namespace map so QName *values* (`tt:FaceDetector`,
 * `tns1:RuleEngine/...`) can be resolved the way the device meant them.
 */
import { SaxesParser } from 'saxes';
import { decodeError, type DecodeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';

export interface XmlElement {
  readonly ns: string;
  readonly local: string;
  readonly prefix: string;
  /** Attributes by local name (namespace-qualified attributes also under `{uri}local`). */
  readonly attrs: Readonly<Record<string, string>>;
  readonly children: XmlElement[];
  /** Concatenated direct text content (not trimmed). */
  text: string;
  /** prefix -> namespace URI in scope at this element ('' for the default namespace); inherited ones through the prototype chain. */
  readonly scope: Readonly<Record<string, string>>;
}

export interface ParseLimits {
  readonly maxDepth: number;
  readonly maxElements: number;
  /** Namespace declarations on one element (default 256; real responses declare a few dozen). */
  readonly maxPrefixes?: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxDepth: 64, maxElements: 200_000 };
const DEFAULT_MAX_PREFIXES = 256;

/**
 * Thrown from a handler to stop saxes at the first failure. Parsing on would cost time on input we
 * already refuse, and saxes resolves each prefix by walking the open-tag stack: nesting far past our
 * depth limit would be quadratic (40 000 levels took 30 s).
 */
class StopParsing extends Error {}

/** No Object.prototype underneath: a prefix named `constructor` must resolve to nothing. */
const ROOT_SCOPE: Readonly<Record<string, string>> = Object.freeze(Object.create(null));

export const parseXml = (
  input: string | Uint8Array,
  limits: ParseLimits = DEFAULT_LIMITS,
): Result<XmlElement, DecodeError> => {
  const text = typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input);
  if (/<!DOCTYPE/i.test(text)) return err(decodeError('/', 'document type declarations are refused', text));
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let count = 0;
  let failure: string | null = null;
  const maxPrefixes = limits.maxPrefixes ?? DEFAULT_MAX_PREFIXES;
  const stop = (message: string): never => {
    failure ??= message;
    throw new StopParsing(message);
  };

  parser.on('doctype', () => stop('document type declarations are refused'));
  parser.on('opentag', (tag) => {
    count += 1;
    if (count > limits.maxElements) stop(`more than ${limits.maxElements} elements`);
    if (stack.length >= limits.maxDepth) stop(`nesting deeper than ${limits.maxDepth}`);
    const parent = stack[stack.length - 1];
    // Each scope inherits its parent's through the prototype chain (at most maxDepth long) and holds
    // only this element's declarations: copying the whole map per element let 3 MB of redeclarations
    // under a root with many prefixes cost 20 s and gigabytes.
    let scope: Readonly<Record<string, string>> = parent?.scope ?? ROOT_SCOPE;
    const declared = Object.entries(tag.ns);
    if (declared.length > maxPrefixes) stop(`more than ${maxPrefixes} namespace declarations on one element`);
    if (declared.length > 0) scope = Object.assign<Record<string, string>, Record<string, string>>(Object.create(scope), tag.ns);
    const attrs: Record<string, string> = {};
    for (const a of Object.values(tag.attributes)) {
      if (typeof a === 'string') continue;
      if (a.prefix === 'xmlns' || a.name === 'xmlns') continue;
      attrs[a.local] = a.value;
      if (a.uri) attrs[`{${a.uri}}${a.local}`] = a.value;
    }
    const el: XmlElement = { ns: tag.uri, local: tag.local, prefix: tag.prefix, attrs, children: [], text: '', scope };
    if (parent) parent.children.push(el);
    else if (root) stop('more than one root element');
    else root = el;
    stack.push(el);
  });
  parser.on('text', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on('cdata', (t) => {
    const top = stack[stack.length - 1];
    if (top) top.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.on('error', (e) => stop(e.message));
  try {
    parser.write(text).close();
  } catch (e) {
    if (!(e instanceof StopParsing)) failure ??= e instanceof Error ? e.message : String(e);
  }
  if (failure) return err(decodeError('/', failure, text));
  if (!root) return err(decodeError('/', 'no root element', text));
  return ok(root);
};

/** Direct children matching a local name, and a namespace when given. */
export const childrenOf = (el: XmlElement, local: string, ns?: string): XmlElement[] =>
  el.children.filter((c) => c.local === local && (ns === undefined || c.ns === ns));

export const childOf = (el: XmlElement, local: string, ns?: string): XmlElement | undefined =>
  el.children.find((c) => c.local === local && (ns === undefined || c.ns === ns));

/** Follow a path of local names through first matches. */
export const pathOf = (el: XmlElement, ...locals: string[]): XmlElement | undefined => {
  let cur: XmlElement | undefined = el;
  for (const l of locals) {
    if (!cur) return undefined;
    cur = childOf(cur, l);
  }
  return cur;
};

/** Every descendant (depth-first) with this local name. */
export const descendantsOf = (el: XmlElement, local: string): XmlElement[] => {
  const out: XmlElement[] = [];
  const walk = (e: XmlElement): void => {
    for (const c of e.children) {
      if (c.local === local) out.push(c);
      walk(c);
    }
  };
  walk(el);
  return out;
};

export const textOf = (el: XmlElement | undefined): string | null => {
  if (!el) return null;
  const t = el.text.trim();
  return t === '' ? null : t;
};

/** Resolve a QName value (`tt:FaceDetector`) against the element's namespace scope. */
export const resolveQName = (
  el: XmlElement,
  value: string,
): { readonly prefix: string; readonly local: string; readonly ns: string | null } => {
  const v = value.trim();
  const i = v.indexOf(':');
  const prefix = i > 0 ? v.slice(0, i) : '';
  const local = i > 0 ? v.slice(i + 1) : v;
  return { prefix, local, ns: el.scope[prefix] ?? null };
};
