/**
 * One simulated camera: ONVIF SOAP 1.2 over HTTP, vendor HTTP APIs, snapshots and WS-Discovery, all on its own
 * port of the given address. It never changes state on a request; every request is logged.
 */
import http from 'node:http';
import { CameraAuth, type AuthVerdict } from './auth.js';
import type { CameraDef } from './definitions.js';
import { startDiscoveryResponder, type DiscoveryResponder } from './discovery.js';
import { startVendorResponder, type VendorResponder } from './vendor-discovery.js';
import { answerOnvif, NS, scopesOf, snapshotPath, type OnvifAnswer } from './onvif-responses.js';
import { renderSceneJpeg } from './scenes.js';
import { notAuthorized, readSoapRequest, soapFault } from './soap.js';
import { answerVendor, isVendorPath, type HttpAnswer } from './vendor-http.js';
import { listen, readBody } from './listen.js';

export interface RequestLogEntry {
  readonly camera: string;
  readonly atMs: number;
  readonly method: string;
  readonly path: string;
  /** SOAP action (first Body element), or for Dahua CGI the `action` parameter; null otherwise. */
  readonly action: string | null;
  /** False for anything that could change a device's state (Set*, Create*, non-GET vendor calls...). */
  readonly readOnly: boolean;
  readonly status: number;
}

export interface CameraOptions {
  readonly host?: string;
  /** 0 or absent: ephemeral. */
  readonly port?: number;
  /** rtsp:// URL of a stream of this camera; absent: a URL on port 554 that nothing serves. */
  readonly streamUrl?: (stream: 'main' | 'sub') => string;
  readonly lossRate?: number;
  /** Answer WS-Discovery (default true). */
  readonly discovery?: boolean;
  /** WS-Discovery port (default 3702). */
  readonly discoveryPort?: number;
  /** SADP and DHIP ports (default 37020, 37810); answered when `discovery` is on, by the camera's vendor. */
  readonly sadpPort?: number;
  readonly dhipPort?: number;
  /** Shared log; a fresh one when absent. */
  readonly log?: RequestLogEntry[];
}

export interface CameraHandle {
  readonly name: string;
  readonly host: string;
  readonly port: number;
  readonly xaddr: string;
  readonly def: CameraDef;
  readonly log: readonly RequestLogEntry[];
  /** Switch what the camera reports (a simulated reconfiguration by the site, never by a client). */
  setDef(def: CameraDef): void;
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 1 << 20;
/** A long-running `camaudit simulate` keeps the newest entries only; tests read far fewer. */
export const MAX_LOG_ENTRIES = 100_000;
const SOAP_TYPE = 'application/soap+xml; charset=utf-8';
const SNAPSHOT_SIZE = { main: [1280, 720], sub: [640, 360] } as const;

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Read-only by name: every call an inspector's client may make is a Get* (Dahua CGI: getConfig, getDeviceType...). */
const isReadOnlyAction = (action: string): boolean => /^get/i.test(action);

export const startCamera = async (initial: CameraDef, opts: CameraOptions = {}): Promise<CameraHandle> => {
  let def = initial;
  const host = opts.host ?? '127.0.0.1';
  const log = opts.log ?? [];
  const nowMs = (): number => Date.now() + def.clockOffsetMs;
  const auth = new CameraAuth(() => def, nowMs);
  const server = http.createServer();
  let origin = '';

  const streamUri = (stream: 'main' | 'sub'): string =>
    opts.streamUrl ? opts.streamUrl(stream) : `rtsp://${host}:554/${encodeURIComponent(def.name)}/${stream}`;

  const send = (res: http.ServerResponse, status: number, type: string, body: string | Uint8Array, headers: http.OutgoingHttpHeaders = {}): void => {
    res.writeHead(status, { 'Content-Type': type, Server: 'App-webs/', ...headers });
    res.end(body);
  };

  const httpDigestOk = (req: http.IncomingMessage): AuthVerdict => auth.checkHttpDigest(req.headers.authorization, req.method ?? 'GET');

  const handleSoap = async (req: http.IncomingMessage, res: http.ServerResponse, record: (action: string | null, status: number) => void): Promise<void> => {
    const body = await readBody(req, MAX_BODY_BYTES);
    const soap = body === null ? null : readSoapRequest(body);
    if (!soap) {
      const fault = soapFault('env:Sender', 'ter:WellFormed', 'Request is not a SOAP 1.2 envelope');
      record(null, 400);
      send(res, 400, SOAP_TYPE, fault);
      return;
    }
    const open = soap.ns === NS.tds && soap.action === 'GetSystemDateAndTime';
    if (!open) {
      const viaToken = soap.token ? auth.checkUsernameToken(soap.token) : null;
      const viaDigest = viaToken === 'ok' ? 'ok' : req.headers.authorization ? httpDigestOk(req) : null;
      if (viaToken !== 'ok' && viaDigest !== 'ok') {
        if (soap.token) {
          // A WS-Security failure (bad digest, Created outside the camera's window, replayed nonce) is a SOAP fault.
          record(soap.action, 400);
          send(res, 400, SOAP_TYPE, notAuthorized());
        } else {
          record(soap.action, 401);
          send(res, 401, SOAP_TYPE, notAuthorized(), { 'WWW-Authenticate': auth.challenge() });
        }
        return;
      }
    }
    const answer: OnvifAnswer = answerOnvif(soap, { def, origin, nowMs: nowMs(), streamUri });
    if (answer.delayMs > 0) await sleep(answer.delayMs);
    record(soap.action, answer.status);
    send(res, answer.status, SOAP_TYPE, answer.body);
  };

  /** ONVIF switched off: the web server answers 404, as Hikvision firmware does; the log still names the action asked. */
  const refuseOnvif = async (req: http.IncomingMessage, res: http.ServerResponse, record: (action: string | null, status: number) => void): Promise<void> => {
    const body = await readBody(req, MAX_BODY_BYTES);
    record((body === null ? null : readSoapRequest(body))?.action ?? null, 404);
    send(res, 404, 'text/html', '<html><body>404 Not Found</body></html>');
  };

  const requireDigest = (req: http.IncomingMessage, res: http.ServerResponse, record: (action: string | null, status: number) => void, action: string | null): boolean => {
    if (httpDigestOk(req) === 'ok') return true;
    record(action, 401);
    send(res, 401, 'text/html', '<html><body>401 Unauthorized</body></html>', { 'WWW-Authenticate': auth.challenge() });
    return false;
  };

  const handleSnapshot = async (req: http.IncomingMessage, res: http.ServerResponse, url: URL, record: (action: string | null, status: number) => void): Promise<void> => {
    if (!requireDigest(req, res, record, null)) return;
    const [w, h] = SNAPSHOT_SIZE[url.searchParams.get('profile') === 'sub' ? 'sub' : 'main'];
    try {
      const jpeg = await renderSceneJpeg(def.scene, w, h);
      record(null, 200);
      send(res, 200, 'image/jpeg', jpeg);
    } catch (e) {
      // Scenes may be unavailable (renderer missing); a real camera would answer 503 while its encoder is busy.
      record(null, 503);
      send(res, 503, 'text/plain', `snapshot unavailable: ${e instanceof Error ? e.message : String(e)}`);
    }
  };

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', 'http://camera.invalid');
    const record = (action: string | null, status: number): void => {
      const readOnly = action !== null ? isReadOnlyAction(action) : method === 'GET';
      if (log.length >= MAX_LOG_ENTRIES) log.splice(0, log.length - MAX_LOG_ENTRIES + 1);
      log.push({ camera: def.name, atMs: Date.now(), method, path: url.pathname + url.search, action, readOnly, status });
    };
    const route = async (): Promise<void> => {
      if (url.pathname.startsWith('/onvif/') && method === 'POST') return def.onvif === false ? refuseOnvif(req, res, record) : handleSoap(req, res, record);
      if (url.pathname === snapshotPath && method === 'GET') return handleSnapshot(req, res, url, record);
      if (isVendorPath(def, url.pathname)) {
        const action = url.pathname.startsWith('/cgi-bin/') ? (url.searchParams.get('action') ?? '') : null;
        if (!requireDigest(req, res, record, action)) return;
        const answer: HttpAnswer = answerVendor(def, method, url);
        record(action, answer.status);
        return send(res, answer.status, answer.contentType, answer.body);
      }
      record(null, 404);
      send(res, 404, 'text/plain', 'Not Found');
    };
    route().catch((e: unknown) => {
      // A simulator bug must surface, yet not kill the other cameras of the site.
      record(null, 500);
      if (!res.headersSent) send(res, 500, 'text/plain', `simulator error: ${e instanceof Error ? e.message : String(e)}`);
      else res.destroy();
      process.emitWarning(`simulated camera ${def.name}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    });
  });

  const port = await listen(server, host, opts.port ?? 0);
  origin = `http://${host}:${port}`;
  const xaddr = `${origin}/onvif/device_service`;

  let discovery: DiscoveryResponder | null = null;
  let vendorDiscovery: VendorResponder | null = null;
  if (opts.discovery ?? true) {
    try {
      // ONVIF off means no WS-Discovery either; the vendor's own discovery still answers.
      if (def.onvif !== false) {
        discovery = await startDiscoveryResponder({
          address: host,
          lossRate: opts.lossRate ?? 0,
          ...(opts.discoveryPort ? { port: opts.discoveryPort } : {}),
          target: () => ({ endpoint: def.endpoint, scopes: scopesOf(def), xaddrs: [xaddr] }),
        });
      }
      if (def.vendor === 'hikvision' || def.vendor === 'dahua') {
        const sadp = def.vendor === 'hikvision';
        const vendorPort = sadp ? opts.sadpPort : opts.dhipPort;
        vendorDiscovery = await startVendorResponder({
          protocol: sadp ? 'sadp' : 'dhip',
          lossRate: opts.lossRate ?? 0,
          ...(vendorPort ? { port: vendorPort } : {}),
          target: () => ({ def, address: host, httpPort: port }),
        });
      }
    } catch (e) {
      await Promise.all([new Promise<void>((r) => server.close(() => r())), discovery?.close()]);
      throw e;
    }
  }

  return {
    name: def.name,
    host,
    port,
    xaddr,
    get def() {
      return def;
    },
    log,
    setDef: (next) => {
      def = next;
    },
    close: async () => {
      server.closeAllConnections();
      await Promise.all([new Promise<void>((r) => server.close(() => r())), discovery?.close(), vendorDiscovery?.close()]);
    },
  };
};
