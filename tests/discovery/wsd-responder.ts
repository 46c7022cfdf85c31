/** A tiny WS-Discovery responder for tests: joins the group on loopback and answers Probes. */
import dgram from 'node:dgram';

export interface FakeCamera {
  readonly endpoint: string | null;
  readonly xaddrs: string;
  readonly scopes?: string;
  /** Answer with this RelatesTo instead of the probe's MessageID. */
  readonly relatesTo?: string | null;
}

export interface Responder {
  readonly port: number;
  readonly probesSeen: number;
  close(): Promise<void>;
}

export const probeMatchesXml = (cams: readonly FakeCamera[], relatesTo: string | null): string =>
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope" ` +
  `xmlns:a="http://schemas.xmlsoap.org/ws/2004/08/addressing" xmlns:d="http://schemas.xmlsoap.org/ws/2005/04/discovery">` +
  `<s:Header><a:MessageID>urn:uuid:00000000-0000-4000-8000-${Math.floor(Math.random() * 1e12).toString().padStart(12, '0')}</a:MessageID>` +
  (relatesTo === null ? '' : `<a:RelatesTo>${relatesTo}</a:RelatesTo>`) +
  `<a:Action>http://schemas.xmlsoap.org/ws/2005/04/discovery/ProbeMatches</a:Action></s:Header><s:Body><d:ProbeMatches>` +
  cams
    .map(
      (c) =>
        `<d:ProbeMatch>${c.endpoint === null ? '' : `<a:EndpointReference><a:Address>${c.endpoint}</a:Address></a:EndpointReference>`}` +
        `<d:Types>dn:NetworkVideoTransmitter</d:Types>${c.scopes === undefined ? '' : `<d:Scopes>${c.scopes}</d:Scopes>`}` +
        `<d:XAddrs>${c.xaddrs}</d:XAddrs><d:MetadataVersion>1</d:MetadataVersion></d:ProbeMatch>`,
    )
    .join('') +
  `</d:ProbeMatches></s:Body></s:Envelope>`;

/** Each camera answers in its own datagram (as real devices do), from the responder's socket. */
export const startResponder = async (port: number, cams: readonly FakeCamera[], opts: { readonly bindAddress?: string; readonly multicast?: boolean } = {}): Promise<Responder> => {
  const s = dgram.createSocket({ type: 'udp4', reuseAddr: true });
  let probesSeen = 0;
  s.on('message', (msg, rinfo) => {
    const text = msg.toString('utf8');
    if (!text.includes('/discovery/Probe<')) return;
    probesSeen += 1;
    const id = /<a:MessageID>([^<]+)</.exec(text)?.[1] ?? null;
    for (const c of cams) {
      const xml = probeMatchesXml([c], c.relatesTo === undefined ? id : c.relatesTo);
      s.send(xml, rinfo.port, rinfo.address);
    }
  });
  await new Promise<void>((r) => s.bind({ port, address: opts.bindAddress ?? '0.0.0.0' }, () => r()));
  if (opts.multicast !== false) s.addMembership('239.255.255.250', '127.0.0.1');
  return {
    port,
    get probesSeen() {
      return probesSeen;
    },
    close: () => new Promise((r) => s.close(() => r())),
  };
};
