/** SOAP 1.2 envelopes out, envelopes and faults in. */
import { decodeError, type ProbeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { childOf, parseXml, parseXmlInSlices, textOf, type XmlElement } from '../xml/parse.js';
import { NS } from './namespaces.js';

export const xmlEscape = (s: string): string =>
  s.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] ?? c);

export const envelope = (header: string, body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>` +
  `<s:Envelope xmlns:s="${NS.soap12}"><s:Header>${header}</s:Header><s:Body>${body}</s:Body></s:Envelope>`;

type FaultError = Extract<ProbeError, { kind: 'fault' | 'unsupported' }>;

/** Subcodes (ONVIF Core 5.11.2) and reasons that mean "this device does not do that". */
const UNSUPPORTED_SUBCODES: ReadonlySet<string> = new Set([
  'ActionNotSupported',
  'NotImplemented',
  'NoSuchService',
  'ServiceNotSupported',
]);
const UNSUPPORTED_REASON = /not\s+(?:implemented|supported)|unsupported|unknown\s+(?:action|method|operation)|no\s+such\s+(?:service|operation)/i;

const localOf = (qname: string): string => {
  const i = qname.indexOf(':');
  return i >= 0 ? qname.slice(i + 1) : qname;
};

/** SOAP 1.2 `Fault` (Code/Subcode/Reason) and the SOAP 1.1 shape some firmwares still send. */
export const decodeFault = (fault: XmlElement, action: string): FaultError => {
  const code = childOf(fault, 'Code');
  const subcodes: string[] = [];
  for (let sub = code ? childOf(code, 'Subcode') : undefined; sub; sub = childOf(sub, 'Subcode')) {
    const v = textOf(childOf(sub, 'Value'));
    if (v) subcodes.push(v);
  }
  const codeValue = textOf(code ? childOf(code, 'Value') : undefined) ?? textOf(childOf(fault, 'faultcode')) ?? 'unknown';
  const reasonEl = childOf(fault, 'Reason');
  const reason = textOf(reasonEl ? childOf(reasonEl, 'Text') : undefined) ?? textOf(childOf(fault, 'faultstring')) ?? '';
  const subcode = subcodes.length > 0 ? subcodes.join(' / ') : undefined;
  const subLocals = subcodes.map(localOf);
  const unsupported = subLocals.some((s) => UNSUPPORTED_SUBCODES.has(s)) || UNSUPPORTED_REASON.test(reason);
  if (unsupported) return { kind: 'unsupported', action, message: `${subcode ?? codeValue}: ${reason}`.slice(0, 300) };
  return { kind: 'fault', code: codeValue, ...(subcode === undefined ? {} : { subcode }), reason: reason.slice(0, 300) };
};

/** A parsed response envelope down to the first element of its Body, or the fault it carries. */
const bodyOf = (root: XmlElement, raw: Uint8Array, action: string): Result<XmlElement, ProbeError> => {
  if (root.local !== 'Envelope' || (root.ns !== NS.soap12 && root.ns !== NS.soap11)) {
    return err(decodeError('/', `expected a SOAP Envelope, got ${root.local}`, raw));
  }
  const body = childOf(root, 'Body', root.ns);
  if (!body) return err(decodeError('/Envelope', 'no Body', raw));
  const first = body.children[0];
  if (!first) return err(decodeError('/Envelope/Body', 'empty Body', raw));
  if (first.local === 'Fault' && first.ns === root.ns) return err(decodeFault(first, action));
  return ok(first);
};

/** A stored or replayed answer, parsed in one go (fixtures, evidence re-reads). */
export const decodeEnvelope = (raw: Uint8Array, action: string): Result<XmlElement, ProbeError> => {
  const parsed = parseXml(raw);
  return parsed.ok ? bodyOf(parsed.value, raw, action) : parsed;
};

/**
 * A device's live answer, parsed in slices that yield to the event loop, within what is left of the
 * call's deadline: a parse that runs past it is the call's timeout, as a device that sends slowly is.
 */
export const readEnvelope = async (raw: Uint8Array, action: string, deadline: number, timeoutMs: number): Promise<Result<XmlElement, ProbeError>> => {
  const parsed = await parseXmlInSlices(raw, { deadline });
  if (parsed.ok) return bodyOf(parsed.value, raw, action);
  if (parsed.error.kind === 'deadline') {
    const { parsedChars, totalChars } = parsed.error;
    return err({ kind: 'transport', reason: 'timeout', message: `answer not parsed within ${timeoutMs} ms (${parsedChars} of ${totalChars} characters read)` });
  }
  return err(parsed.error);
};
