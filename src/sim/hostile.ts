/**
 * The hostile device suite: a camera whose ONVIF endpoint, snapshot or RTSP stream misbehaves in one
 * chosen way, so tests can show that an inspection still finishes, records what happened, and stays
 * in bounds. Where a mode concerns only the snapshot or the stream, ONVIF answers like the ordinary
 * Hikvision profile (the real templates), so the probe reaches the bad part the way it would on site.
 * Everything listens on 127.0.0.0/8 only.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import sharp from 'sharp';
import { fictionalUuid, newInstanceId, ordinaryCamera, type CameraDef } from './definitions.js';
import { startDiscoveryResponder, type DiscoveryResponder } from './discovery.js';
import { startHostileRtsp, type HostileRtspHandle, type HostileRtspMode } from './hostile-rtsp.js';
import { answerOnvif, scopesOf, snapshotPath } from './onvif-responses.js';
import { readSoapRequest, soapFault } from './soap.js';
import { listen, readBody } from './listen.js';

/** What goes wrong, per camera. */
export const HOSTILE_MODES = [
  'malformed-xml',
  'truncated',
  'soap11',
  'no-namespace',
  'foreign-namespace',
  'fault-everywhere',
  'entity-bomb',
  'attribute-bomb',
  'external-entity',
  'huge-response',
  'trickle',
  'silent',
  'redirect',
  'auth-loop',
  'digest-sha512-256',
  'digest-foo',
  'digest-md5-sess',
  'digest-no-nonce',
  'snapshot-not-image',
  'snapshot-huge-dimensions',
  'rtsp-garbage',
  'rtsp-stall',
  'rtsp-redirect',
  'stream-elsewhere',
  'stream-uri-malformed',
  'profile-flood',
  'control-characters',
] as const;

export type HostileMode = (typeof HOSTILE_MODES)[number];

export interface HostileCameraOptions {
  /** A 127.0.0.0/8 address (default 127.0.0.1). */
  readonly host?: string;
  readonly port?: number;
  /** `redirect`: where the 302 points (default http://127.0.0.2:9/onvif/device_service). */
  readonly redirectTo?: string;
  /** `attribute-bomb`: bytes of each answer (default just under the client's 4 MiB cap: about 520 000 attributes). */
  readonly bombBytes?: number;
  /** `huge-response`: bytes streamed per answer (default 100 MB). */
  readonly hugeBytes?: number;
  /** `rtsp-redirect`: where the RTSP server's 302 points (default rtsp://127.0.0.2:554/live). */
  readonly rtspRedirectTo?: string;
  /** `stream-elsewhere`: the RTSP URI handed out (default rtsp://127.0.0.2:554/live, outside a 127.0.0.1/32 range). */
  readonly streamElsewhere?: string;
  /** `profile-flood`: profiles in GetProfiles, each with its own analytics configuration (default 5000). */
  readonly profiles?: number;
  /** `trickle`: one byte per this many ms (default 1000). */
  readonly trickleIntervalMs?: number;
  /** Answer WS-Discovery on this port (a private one in tests); absent: not discoverable. */
  readonly discoveryPort?: number;
  /** Index for the ordinary-camera profile behind the benign parts (serial, name). */
  readonly index?: number;
}

export interface HostileRequest {
  readonly atMs: number;
  readonly method: string;
  readonly path: string;
  /** SOAP action when the body was one. */
  readonly action: string | null;
}

export interface HostileCameraHandle {
  readonly mode: HostileMode;
  readonly host: string;
  readonly port: number;
  readonly xaddr: string;
  readonly snapshotUrl: string;
  /** The RTSP URL ONVIF hands out (the hostile RTSP server for rtsp-* modes). */
  readonly rtspUrl: string;
  readonly def: CameraDef;
  readonly requests: readonly HostileRequest[];
  /** Body bytes the camera managed to write (the 100 MB mode stops when the client hangs up). */
  readonly bytesSent: () => number;
  close(): Promise<void>;
}

const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const SOAP11 = 'http://schemas.xmlsoap.org/soap/envelope/';
const SOAP_TYPE = 'application/soap+xml; charset=utf-8';
const MAX_REQUEST_BYTES = 1 << 20;
const HUGE_CHUNK = Buffer.alloc(64 * 1024, 0x20);

const BILLION_LAUGHS = [
  '<?xml version="1.0"?>',
  '<!DOCTYPE lolz [',
  '<!ENTITY lol "lol">',
  ...Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`),
  ']>',
  `<s:Envelope xmlns:s="${SOAP12}"><s:Body><tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl">`,
  '<tds:Manufacturer>&lol9;</tds:Manufacturer></tds:GetDeviceInformationResponse></s:Body></s:Envelope>',
].join('\n');

const EXTERNAL_ENTITY = [
  '<?xml version="1.0"?>',
  '<!DOCTYPE r [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>',
  `<s:Envelope xmlns:s="${SOAP12}"><s:Body><tds:GetDeviceInformationResponse xmlns:tds="http://www.onvif.org/ver10/device/wsdl">`,
  '<tds:Manufacturer>&xxe;</tds:Manufacturer></tds:GetDeviceInformationResponse></s:Body></s:Envelope>',
].join('\n');

/** Distinct four-character names (a letter, three base-36 digits: 1.2 million of them), eight bytes per attribute. */
const bombAttributes = (bytes: number): string => {
  const n = Math.max(0, Math.floor(bytes / 8));
  const parts: string[] = new Array<string>(n);
  for (let i = 0; i < n; i += 1) parts[i] = ` ${String.fromCharCode(97 + Math.floor(i / 46_656) % 26)}${(i % 46_656).toString(36).padStart(3, '0')}=""`;
  return parts.join('');
};

/**
 * The real answer with its root element carrying as many attributes as fit in `bytes`: well-formed, under
 * the byte cap, and (unbounded) costly to parse: every attribute becomes objects in the parser and the tree.
 */
const attributeBomb = (xml: string, attributes: string, bytes: number): string => {
  const room = Math.max(0, bytes - Buffer.byteLength(xml, 'utf8'));
  const fitting = attributes.slice(0, room - (room % 8));
  return xml.replace(/<([A-Za-z0-9_.-]+:)?Envelope\b/, (open) => `${open}${fitting}`);
};

/**
 * `control-characters`: names that would drive the inspector's terminal if printed raw. XML 1.0 admits no C0
 * control but tab and newlines, not even as a reference (an ESC arrives only as an answer refused as not
 * well-formed), so these use what it does admit: the 8-bit CSI (U+009B, `CSI 2 J` clears the screen) and the
 * right-to-left override (U+202E: `gpj.exe` shows as `exe.jpg`).
 */
export const TERMINAL_HOSTILE_IDENTITY = { manufacturer: 'Evil\u009b2J\u202egpj.exe', model: 'X\u009b31m1\u2028fake line' } as const;
const TERMINAL_HOSTILE_PROFILE = '\u202eniam\u009b0m';

/** WWW-Authenticate values for the 401 modes; each is refused or unusable by a correct client. */
const challengeOf = (mode: HostileMode): string | null => {
  const nonce = randomBytes(16).toString('hex');
  switch (mode) {
    case 'auth-loop':
      return `Digest realm="hostile", qop="auth", nonce="${nonce}", algorithm=MD5`;
    case 'digest-sha512-256':
      return `Digest realm="hostile", qop="auth", nonce="${nonce}", algorithm=SHA-512-256`;
    case 'digest-foo':
      return `Digest realm="hostile", qop="auth", nonce="${nonce}", algorithm=FOO`;
    case 'digest-md5-sess':
      return `Digest realm="hostile", qop="auth", nonce="${nonce}", algorithm=MD5-sess`;
    case 'digest-no-nonce':
      return `Digest realm="hostile", qop="auth", algorithm=MD5`;
    default:
      return null;
  }
};

/** Mismatch the first closing tag: not well-formed, yet looks like the real answer. */
const malformed = (xml: string): string => xml.replace(/<\/([A-Za-z0-9_:.-]+)>/, '</$1-broken>');
/** Strip every namespace declaration and prefix: right names, no namespaces. */
const withoutNamespaces = (xml: string): string =>
  xml
    .replace(/\s+xmlns(?::[A-Za-z0-9_.-]+)?="[^"]*"/g, '')
    .replace(/<(\/?)[A-Za-z0-9_.-]+:/g, '<$1')
    .replace(/\s[A-Za-z0-9_.-]+:([A-Za-z0-9_.-]+=")/g, ' $1');
/** ONVIF names in a namespace that is not ONVIF's. */
const foreignNamespaces = (xml: string): string => xml.replace(/http:\/\/www\.onvif\.org\//g, 'http://foreign.example/onvif/');

/** A Media1 GetProfiles answer listing `n` profiles, each naming its own analytics configuration. */
const profileFlood = (n: number): string =>
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="${SOAP12}" xmlns:trt="http://www.onvif.org/ver10/media/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema"><s:Body><trt:GetProfilesResponse>` +
  Array.from({ length: n }, (_, i) => `<trt:Profiles token="p${i}"><tt:Name>p${i}</tt:Name><tt:VideoAnalyticsConfiguration token="a${i}"/></trt:Profiles>`).join('') +
  '</trt:GetProfilesResponse></s:Body></s:Envelope>';

/** A real JPEG whose frame header claims 20000x20000: a few hundred bytes that would decode to 1.2 GB. */
export const hugeDimensionJpeg = async (): Promise<Buffer> => {
  const small = await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: 128, g: 128, b: 128 } } })
    .jpeg({ progressive: false })
    .toBuffer();
  const sof = small.indexOf(Buffer.from([0xff, 0xc0]));
  if (sof < 0) throw new Error('sharp wrote no baseline SOF0 marker');
  // SOF0: marker(2) length(2) precision(1) height(2) width(2).
  small.writeUInt16BE(20000, sof + 5);
  small.writeUInt16BE(20000, sof + 7);
  return small;
};

export const startHostileCamera = async (mode: HostileMode, opts: HostileCameraOptions = {}): Promise<HostileCameraHandle> => {
  const host = opts.host ?? '127.0.0.1';
  if (!host.startsWith('127.')) throw new Error(`hostile cameras listen on 127.0.0.0/8 only, not ${host}`);
  const index = opts.index ?? 900;
  const def = ordinaryCamera(index, {
    name: `hostile-${mode}`,
    endpoint: fictionalUuid(index, newInstanceId()),
    ...(mode === 'control-characters' ? TERMINAL_HOSTILE_IDENTITY : {}),
  });
  const requests: HostileRequest[] = [];
  let sent = 0;
  const timers = new Set<NodeJS.Timeout>();
  const rtsp: HostileRtspHandle | null =
    mode === 'rtsp-garbage' || mode === 'rtsp-stall' || mode === 'rtsp-redirect'
      ? await startHostileRtsp(mode satisfies HostileRtspMode, { host, ...(opts.rtspRedirectTo ? { redirectTo: opts.rtspRedirectTo } : {}) })
      : null;
  const hugeJpeg = mode === 'snapshot-huge-dimensions' ? await hugeDimensionJpeg() : null;
  // Built once (a few hundred ms for 4 MiB); each answer is the real one with these on its root.
  const bombBytes = opts.bombBytes ?? 4 * 1024 * 1024 - 1024;
  const bomb = mode === 'attribute-bomb' ? bombAttributes(bombBytes) : '';
  let origin = '';
  const rtspUrl = (stream: 'main' | 'sub'): string => {
    if (rtsp) return rtsp.url(`/${stream}`);
    if (mode === 'stream-elsewhere') return opts.streamElsewhere ?? 'rtsp://127.0.0.2:554/live';
    // `%zz` is not percent-encoding: a client that decodes userinfo without care throws.
    if (mode === 'stream-uri-malformed') return `rtsp://admin:%zz@${host}:554/${stream}`;
    return `rtsp://${host}:554/${def.name}/${stream}`;
  };

  const write = (res: http.ServerResponse, status: number, type: string, body: string | Buffer, headers: http.OutgoingHttpHeaders = {}): void => {
    const bytes = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
    sent += bytes.length;
    res.writeHead(status, { 'Content-Type': type, 'Content-Length': bytes.length, ...headers });
    res.end(bytes);
  };

  /** Streams `total` bytes with backpressure: the simulator never holds the 100 MB. */
  const streamHuge = (res: http.ServerResponse, total: number): void => {
    res.writeHead(200, { 'Content-Type': SOAP_TYPE, 'Content-Length': total });
    const head = Buffer.from(`<?xml version="1.0"?><s:Envelope xmlns:s="${SOAP12}"><s:Body>`, 'utf8');
    let left = total;
    const pump = (): void => {
      while (left > 0 && !res.destroyed) {
        const chunk = left === total ? head : HUGE_CHUNK.subarray(0, Math.min(HUGE_CHUNK.length, left));
        left -= chunk.length;
        sent += chunk.length;
        if (!res.write(chunk)) {
          res.once('drain', pump);
          return;
        }
      }
      if (left <= 0) res.end();
    };
    pump();
  };

  const trickle = (res: http.ServerResponse, body: string): void => {
    const bytes = Buffer.from(body, 'utf8');
    res.writeHead(200, { 'Content-Type': SOAP_TYPE, 'Content-Length': bytes.length });
    let i = 0;
    const tick = (): void => {
      if (res.destroyed || i >= bytes.length) {
        res.end();
        return;
      }
      res.write(bytes.subarray(i, i + 1));
      sent += 1;
      i += 1;
      const t = setTimeout(() => {
        timers.delete(t);
        tick();
      }, opts.trickleIntervalMs ?? 1000);
      timers.add(t);
    };
    tick();
  };

  const answerSoap = (req: http.IncomingMessage, res: http.ServerResponse, body: string): void => {
    const soap = readSoapRequest(body);
    const challenge = challengeOf(mode);
    if (challenge !== null) return write(res, 401, 'text/html', '<html><body>401</body></html>', { 'WWW-Authenticate': challenge });
    if (!soap) return write(res, 400, SOAP_TYPE, soapFault('env:Sender', 'ter:WellFormed', 'Request is not a SOAP 1.2 envelope'));
    const normal = answerOnvif(soap, { def, origin, nowMs: Date.now(), streamUri: rtspUrl });
    switch (mode) {
      case 'malformed-xml':
        return write(res, 200, SOAP_TYPE, malformed(normal.body));
      case 'truncated': {
        // Promise the whole answer, send half, hang up.
        const bytes = Buffer.from(normal.body, 'utf8');
        res.writeHead(200, { 'Content-Type': SOAP_TYPE, 'Content-Length': bytes.length });
        const half = bytes.subarray(0, Math.floor(bytes.length / 2));
        sent += half.length;
        res.write(half, () => req.socket.destroy());
        return;
      }
      case 'soap11':
        return write(res, normal.status, 'text/xml; charset=utf-8', normal.body.split(SOAP12).join(SOAP11));
      case 'no-namespace':
        return write(res, normal.status, SOAP_TYPE, withoutNamespaces(normal.body));
      case 'foreign-namespace':
        return write(res, normal.status, SOAP_TYPE, foreignNamespaces(normal.body));
      case 'fault-everywhere':
        return write(res, 500, SOAP_TYPE, soapFault('env:Receiver', 'ter:Action', 'Action failed'));
      case 'entity-bomb':
        return write(res, 200, SOAP_TYPE, BILLION_LAUGHS);
      case 'external-entity':
        return write(res, 200, SOAP_TYPE, EXTERNAL_ENTITY);
      case 'attribute-bomb':
        return write(res, normal.status, SOAP_TYPE, attributeBomb(normal.body, bomb, bombBytes));
      case 'huge-response':
        return streamHuge(res, opts.hugeBytes ?? 100 * 1024 * 1024);
      case 'trickle':
        return trickle(res, normal.body);
      case 'silent':
        // Accepted and read; never a byte back.
        return;
      case 'control-characters':
        return write(res, normal.status, SOAP_TYPE, soap.action === 'GetProfiles' ? normal.body.replace(/(<trt:Profiles\b[^>]*\btoken=")[^"]*/g, `$1${TERMINAL_HOSTILE_PROFILE}`) : normal.body);
      case 'profile-flood':
        return soap.action === 'GetProfiles' ? write(res, 200, SOAP_TYPE, profileFlood(opts.profiles ?? 5000)) : write(res, normal.status, SOAP_TYPE, normal.body);
      case 'redirect':
        return write(res, 302, 'text/html', '<html>moved</html>', { Location: opts.redirectTo ?? 'http://127.0.0.2:9/onvif/device_service' });
      default:
        return write(res, normal.status, SOAP_TYPE, normal.body);
    }
  };

  const answerSnapshot = (res: http.ServerResponse): void => {
    if (mode === 'snapshot-not-image') return write(res, 200, 'image/jpeg', '<html><body>Please log in to view this camera</body></html>');
    if (hugeJpeg) return write(res, 200, 'image/jpeg', hugeJpeg);
    write(res, 404, 'text/plain', 'Not Found');
  };

  const server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    const method = req.method ?? 'GET';
    void readBody(req, MAX_REQUEST_BYTES).then((read) => {
      const body = read ?? '';
      const action = method === 'POST' ? (readSoapRequest(body)?.action ?? null) : null;
      requests.push({ atMs: Date.now(), method, path, action });
      if (path.startsWith('/onvif/') && method === 'POST') answerSoap(req, res, body);
      else if (path.startsWith(snapshotPath) && method === 'GET') answerSnapshot(res);
      else write(res, 404, 'text/plain', 'Not Found');
    });
  });
  // The silent and trickle modes must outlast any client deadline; Node's own request timeout would answer 408.
  server.requestTimeout = 0;
  server.headersTimeout = 0;
  const port = await listen(server, host, opts.port ?? 0);
  origin = `http://${host}:${port}`;
  const xaddr = `${origin}/onvif/device_service`;

  let discovery: DiscoveryResponder | null = null;
  if (opts.discoveryPort !== undefined) {
    discovery = await startDiscoveryResponder({
      address: host,
      port: opts.discoveryPort,
      target: () => ({ endpoint: def.endpoint, scopes: scopesOf(def), xaddrs: [xaddr] }),
    });
  }

  return {
    mode,
    host,
    port,
    xaddr,
    snapshotUrl: `${origin}${snapshotPath}?profile=main`,
    rtspUrl: rtspUrl('main'),
    def,
    requests,
    bytesSent: () => sent,
    close: async () => {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      server.closeAllConnections();
      await Promise.all([new Promise<void>((r) => server.close(() => r())), discovery?.close(), rtsp?.close()]);
    },
  };
};
