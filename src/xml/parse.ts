/**
 * Safe, namespace-aware XML for untrusted device responses.
 *
 * saxes is a strict, well-kept SAX parser: it never expands entities beyond the five predefined
 * ones and character references. We additionally refuse any DOCTYPE (SOAP 1.2 forbids DTDs, and
 * refusing it rules out entity-expansion bombs and external entities), cap depth, element and
 * attribute counts while parsing (stopping at the first one exceeded), and keep each element's in-scope namespace map so QName *values* (`tt:FaceDetector`,
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
  /** Attributes on one element, namespace declarations included (default 512). */
  readonly maxAttributes?: number;
  /** Attributes in the whole document (default 50 000). */
  readonly maxTotalAttributes?: number;
}

export const DEFAULT_LIMITS: ParseLimits = { maxDepth: 64, maxElements: 200_000 };
const DEFAULT_MAX_PREFIXES = 256;
/**
 * The 15 real cameras' answers (tests/fixtures/onvif) carry at most 46 attributes on one element and 1065
 * in one document. Unbounded, a 4 MiB answer with 520 000 attributes on its root took 2-23 s and 700 MB to
 * parse; saxes reports each attribute as it reads it, so the cap stops such a document within its first
 * kilobytes. Per element it stays above the namespace-declaration cap, which counts the same attributes.
 */
const DEFAULT_MAX_ATTRIBUTES = 512;
const DEFAULT_MAX_TOTAL_ATTRIBUTES = 50_000;

/**
 * Thrown from a handler to stop saxes at the first failure. Parsing on would cost time on input we
 * already refuse, and saxes resolves each prefix by walking the open-tag stack: nesting far past our
 * depth limit would be quadratic (40 000 levels took 30 s).
 */
class StopParsing extends Error {}

/** No Object.prototype underneath: a prefix named `constructor` must resolve to nothing. */
const ROOT_SCOPE: Readonly<Record<string, string>> = Object.freeze(Object.create(null));

const DOCTYPE = /<!DOCTYPE/i;

interface TreeBuilder {
  /** Feed the next piece of the document; false once it has failed (the rest need not be read). */
  write(chunk: string): boolean;
  /** The whole document was fed: its root, or why it is refused. */
  finish(): Result<XmlElement, DecodeError>;
}

/** A saxes parser that builds the tree as the text arrives, stopping at the first limit exceeded. */
const treeBuilder = (text: string, limits: ParseLimits): TreeBuilder => {
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: XmlElement[] = [];
  let root: XmlElement | null = null;
  let count = 0;
  let attributesHere = 0;
  let attributesTotal = 0;
  let failure: string | null = null;
  const maxPrefixes = limits.maxPrefixes ?? DEFAULT_MAX_PREFIXES;
  const maxAttributes = limits.maxAttributes ?? DEFAULT_MAX_ATTRIBUTES;
  const maxTotalAttributes = limits.maxTotalAttributes ?? DEFAULT_MAX_TOTAL_ATTRIBUTES;
  const stop = (message: string): never => {
    failure ??= message;
    throw new StopParsing(message);
  };

  parser.on('doctype', () => stop('document type declarations are refused'));
  parser.on('opentagstart', () => {
    attributesHere = 0;
  });
  // Fired as each attribute is read, before the tag ends: the caps act within the bomb, not after it.
  parser.on('attribute', () => {
    attributesHere += 1;
    attributesTotal += 1;
    if (attributesHere > maxAttributes) stop(`more than ${maxAttributes} attributes on one element`);
    if (attributesTotal > maxTotalAttributes) stop(`more than ${maxTotalAttributes} attributes`);
  });
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
  const guarded = (step: () => void): boolean => {
    if (failure !== null) return false;
    try {
      step();
    } catch (e) {
      if (!(e instanceof StopParsing)) failure ??= e instanceof Error ? e.message : String(e);
    }
    return failure === null;
  };
  if (DOCTYPE.test(text)) failure = 'document type declarations are refused';
  return {
    write: (chunk) => guarded(() => parser.write(chunk)),
    finish: () => {
      guarded(() => parser.close());
      if (failure !== null) return err(decodeError('/', failure, text));
      if (!root) return err(decodeError('/', 'no root element', text));
      return ok(root);
    },
  };
};

const asText = (input: string | Uint8Array): string => (typeof input === 'string' ? input : new TextDecoder('utf-8', { fatal: false }).decode(input));

/**
 * The whole document in one go: for what is small by construction (a UDP datagram, our own requests, the
 * simulator's). A device's HTTP answer (up to 4 MiB) goes through `parseXmlInSlices`.
 */
export const parseXml = (input: string | Uint8Array, limits: ParseLimits = DEFAULT_LIMITS): Result<XmlElement, DecodeError> => {
  const text = asText(input);
  const tree = treeBuilder(text, limits);
  tree.write(text);
  return tree.finish();
};

/** The document was not parsed before the call's deadline (the caller records it as the call's timeout). */
export interface ParseDeadline {
  readonly kind: 'deadline';
  readonly parsedChars: number;
  readonly totalChars: number;
}

export interface SliceOptions {
  /** `performance.now()` by which the tree must be built; checked between slices. */
  readonly deadline: number;
  readonly limits?: ParseLimits;
}

/**
 * Characters parsed between two turns of the event loop. On the loaded 2-core development machine 4 MB
 * documents at the caps held the loop at most 9-24 ms in 16 KiB slices, 35-50 ms in 32 KiB ones, and
 * 8 KiB ones made the whole parse up to twice as slow. The caps above keep any one slice of a hostile
 * answer from costing more than a real one's (each element's and attribute's work is bounded).
 */
const SLICE_CHARS = 16 * 1024;

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * A device's answer, parsed a slice at a time, yielding to the event loop between slices and giving up
 * at the call's deadline. The parse runs on the main thread on purpose: saxes is incremental by design,
 * while a worker would cost a thread start per call and a structured clone of the tree back that costs
 * about what the parse does, and would lose the prototype-chained namespace scopes on the way. Yielding
 * keeps other devices' work moving (ffmpeg frames, timers, sockets): one camera's answer must never
 * starve another's stream test into a timeout.
 */
export const parseXmlInSlices = async (input: string | Uint8Array, opts: SliceOptions): Promise<Result<XmlElement, DecodeError | ParseDeadline>> => {
  const text = asText(input);
  const tree = treeBuilder(text, opts.limits ?? DEFAULT_LIMITS);
  for (let at = 0; at < text.length; at += SLICE_CHARS) {
    // Decoding 4 MiB costs about a slice's time; the first slice always runs, so an answer that fits in
    // one is never refused for a deadline spent on the wire.
    if (text.length > SLICE_CHARS) await nextTurn();
    if (at > 0 && performance.now() > opts.deadline) return err({ kind: 'deadline', parsedChars: at, totalChars: text.length });
    if (!tree.write(text.slice(at, at + SLICE_CHARS))) break;
  }
  return tree.finish();
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
