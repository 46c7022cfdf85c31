/** WS-Discovery (2005/04, as ONVIF uses it) messages: the Probe we send and the ProbeMatches we read. */
import { decodeError, type DecodeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';
import { childOf, childrenOf, parseXml, pathOf, textOf } from '../xml/parse.js';
import { NS } from '../onvif/namespaces.js';

export const WSD_GROUP = '239.255.255.250';
export const WSD_PORT = 3702;

/**
 * `CAMAUDIT_WSD_PORT` moves WS-Discovery off 3702, for everything that speaks it (scan, inspect, the terminal UI,
 * simulate): training rooms and tests where several simulated offices share one machine and must not answer each
 * other's probes. Real cameras always listen on 3702. Absent or not a port: undefined (the standard port).
 */
export const wsdPortFromEnv = (env: Readonly<Record<string, string | undefined>>): number | undefined => {
  const raw = env['CAMAUDIT_WSD_PORT'];
  const port = raw === undefined ? NaN : Number(raw);
  return Number.isInteger(port) && port > 0 && port < 65_536 ? port : undefined;
};

export const probeMessage = (messageId: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?>` +
  `<s:Envelope xmlns:s="${NS.soap12}" xmlns:a="${NS.wsa}" xmlns:d="${NS.wsdd}" xmlns:dn="${NS.dn}">` +
  `<s:Header><a:MessageID>${messageId}</a:MessageID>` +
  `<a:To s:mustUnderstand="true">urn:schemas-xmlsoap-org:ws:2005:04:discovery</a:To>` +
  `<a:Action s:mustUnderstand="true">http://schemas.xmlsoap.org/ws/2005/04/discovery/Probe</a:Action></s:Header>` +
  `<s:Body><d:Probe><d:Types>dn:NetworkVideoTransmitter</d:Types></d:Probe></s:Body></s:Envelope>`;

export interface ProbeMatch {
  readonly endpoint: string | null;
  readonly types: readonly string[];
  readonly scopes: readonly string[];
  readonly xaddrs: readonly string[];
}

export interface ProbeMatches {
  readonly relatesTo: string | null;
  readonly matches: readonly ProbeMatch[];
}

const words = (s: string | null): string[] => (s ?? '').split(/\s+/).filter((w) => w !== '');

/** Pure: a ProbeMatches datagram to matches. Tolerates several XAddrs per element and missing parts. */
export const parseProbeMatches = (xml: string | Uint8Array): Result<ProbeMatches, DecodeError> => {
  const parsed = parseXml(xml, { maxDepth: 32, maxElements: 20_000 });
  if (!parsed.ok) return parsed;
  const root = parsed.value;
  if (root.local !== 'Envelope') return err(decodeError('/', `expected Envelope, got ${root.local}`));
  const header = childOf(root, 'Header');
  const body = childOf(root, 'Body');
  const pm = body ? childOf(body, 'ProbeMatches') : undefined;
  if (!pm) return err(decodeError('/Envelope/Body', 'no ProbeMatches'));
  const matches = childrenOf(pm, 'ProbeMatch').map((m) => ({
    endpoint: textOf(pathOf(m, 'EndpointReference', 'Address')),
    types: words(textOf(childOf(m, 'Types'))),
    scopes: words(textOf(childOf(m, 'Scopes'))),
    // Several XAddrs elements happen too; all are space-separated lists.
    xaddrs: childrenOf(m, 'XAddrs').flatMap((x) => words(textOf(x))),
  }));
  return ok({ relatesTo: header ? textOf(childOf(header, 'RelatesTo')) : null, matches });
};
