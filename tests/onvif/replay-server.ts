/**
 * Fixture-replay ONVIF device for tests: answers each SOAP operation with a real camera's captured
 * response (tests/fixtures/onvif/<dir>), on 127.0.0.1 and an ephemeral port. Like a real device it
 * checks WS-UsernameToken against ITS OWN clock (±5 min) and can demand HTTP Digest first. The digest
 * check is written here independently of src/onvif so a shared bug cannot pass both sides.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

export const FIXTURES = join(import.meta.dirname, '..', 'fixtures', 'onvif');

export interface ReplayOptions {
  readonly dir: string;
  readonly clockOffsetMs?: number;
  readonly credentials?: { readonly username: string; readonly password: string };
  /** Demand HTTP Digest (MD5, qop=auth) before looking at the SOAP message. */
  readonly httpDigest?: boolean;
  /** Answer these operations with a SOAP fault file instead (e.g. GetServicesFault.core.xml). */
  readonly faults?: Readonly<Record<string, string>>;
  /** Vendor HTTP API answers for GET path+query (synthetic; behind HTTP Digest when credentials are set). */
  readonly vendorGets?: Readonly<Record<string, string>>;
}

export interface SeenRequest {
  readonly action: string;
  readonly url: string;
  readonly body: string;
  readonly authorization: string | undefined;
}

export interface Replay {
  readonly url: string;
  readonly origin: string;
  readonly seen: SeenRequest[];
  close(): Promise<void>;
}

const WINDOW_MS = 5 * 60_000;

const firstBodyElement = (xml: string): string => {
  const m = /<(?:\w+:)?Body[^>]*>\s*<(?:\w+:)?(\w+)/.exec(xml);
  return m?.[1] ?? '';
};

const tagText = (xml: string, local: string): string | null => {
  const m = new RegExp(`<(?:\\w+:)?${local}(?:\\s[^>]*)?>([^<]*)</(?:\\w+:)?${local}>`).exec(xml);
  return m?.[1] ?? null;
};

const soap = (body: string): string =>
  `<?xml version="1.0" encoding="UTF-8"?><env:Envelope xmlns:env="http://www.w3.org/2003/05/soap-envelope" ` +
  `xmlns:tds="http://www.onvif.org/ver10/device/wsdl" xmlns:tt="http://www.onvif.org/ver10/schema" xmlns:ter="http://www.onvif.org/ver10/error">` +
  `<env:Body>${body}</env:Body></env:Envelope>`;

export const notAuthorized = (): string =>
  soap(
    '<env:Fault><env:Code><env:Value>env:Sender</env:Value><env:Subcode><env:Value>ter:NotAuthorized</env:Value></env:Subcode></env:Code>' +
      '<env:Reason><env:Text xml:lang="en">Sender not authorized</env:Text></env:Reason></env:Fault>',
  );

export const systemDateAndTime = (ms: number): string => {
  const d = new Date(ms);
  return soap(
    `<tds:GetSystemDateAndTimeResponse><tds:SystemDateAndTime><tt:DateTimeType>Manual</tt:DateTimeType><tt:DaylightSavings>false</tt:DaylightSavings>` +
      `<tt:UTCDateTime><tt:Time><tt:Hour>${d.getUTCHours()}</tt:Hour><tt:Minute>${d.getUTCMinutes()}</tt:Minute><tt:Second>${d.getUTCSeconds()}</tt:Second></tt:Time>` +
      `<tt:Date><tt:Year>${d.getUTCFullYear()}</tt:Year><tt:Month>${d.getUTCMonth() + 1}</tt:Month><tt:Day>${d.getUTCDate()}</tt:Day></tt:Date></tt:UTCDateTime>` +
      `</tds:SystemDateAndTime></tds:GetSystemDateAndTimeResponse>`,
  );
};

/** The captured response for an operation: Media2 requests prefer `.media2` files. */
export const fixtureFor = (dir: string, action: string, body: string): string | null => {
  const files = readdirSync(join(FIXTURES, dir)).filter((f) => f.startsWith(`${action}Response`));
  const media2 = body.includes('http://www.onvif.org/ver20/media/wsdl');
  const pick = media2 ? files.find((f) => f.includes('.media2')) : files.find((f) => !f.includes('.media2')) ?? null;
  return pick ? readFileSync(join(FIXTURES, dir, pick), 'utf8') : null;
};

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

export const startReplay = async (opts: ReplayOptions): Promise<Replay> => {
  const seen: SeenRequest[] = [];
  const realm = 'replay';
  const nonce = randomBytes(8).toString('hex');
  const deviceNow = (): number => Date.now() + (opts.clockOffsetMs ?? 0);

  const digestOk = (header: string | undefined, method: string): boolean => {
    if (!header?.startsWith('Digest ') || !opts.credentials) return false;
    const p: Record<string, string> = {};
    for (const m of header.matchAll(/(\w+)=(?:"([^"]*)"|([^,\s]+))/g)) if (m[1]) p[m[1]] = m[2] ?? m[3] ?? '';
    const ha1 = md5(`${opts.credentials.username}:${realm}:${opts.credentials.password}`);
    const ha2 = md5(`${method}:${p.uri ?? ''}`);
    return p.nonce === nonce && p.response === md5(`${ha1}:${nonce}:${p.nc ?? ''}:${p.cnonce ?? ''}:auth:${ha2}`);
  };

  const tokenOk = (body: string): boolean => {
    if (!opts.credentials) return true;
    const user = tagText(body, 'Username');
    const digest = tagText(body, 'Password');
    const nonceB64 = tagText(body, 'Nonce');
    const created = tagText(body, 'Created');
    if (user !== opts.credentials.username || !digest || !nonceB64 || !created) return false;
    const skew = Math.abs(Date.parse(created) - deviceNow());
    if (!(skew <= WINDOW_MS)) return false;
    const expected = createHash('sha1')
      .update(Buffer.concat([Buffer.from(nonceB64, 'base64'), Buffer.from(created, 'utf8'), Buffer.from(opts.credentials.password, 'utf8')]))
      .digest('base64');
    return expected === digest;
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const action = firstBodyElement(body);
      seen.push({ action, url: req.url ?? '', body, authorization: req.headers.authorization });
      if (req.method === 'GET') {
        if (opts.credentials && !digestOk(req.headers.authorization, 'GET')) {
          res.writeHead(401, { 'WWW-Authenticate': `Digest realm="${realm}", qop="auth", nonce="${nonce}", algorithm=MD5` });
          res.end();
          return;
        }
        const text = opts.vendorGets?.[req.url ?? ''];
        res.writeHead(text === undefined ? 404 : 200, { 'Content-Type': 'text/plain' });
        res.end(text ?? 'not found');
        return;
      }
      const send = (status: number, xml: string): void => {
        res.writeHead(status, { 'Content-Type': 'application/soap+xml; charset=utf-8' });
        res.end(xml);
      };
      if (opts.httpDigest && !digestOk(req.headers.authorization, req.method ?? 'POST')) {
        res.writeHead(401, { 'WWW-Authenticate': `Digest realm="${realm}", qop="auth", nonce="${nonce}", algorithm=MD5` });
        res.end();
        return;
      }
      if (action === 'GetSystemDateAndTime') return send(200, systemDateAndTime(deviceNow()));
      if (!opts.httpDigest && !tokenOk(body)) return send(400, notAuthorized());
      const fault = opts.faults?.[action];
      if (fault) return send(500, readFileSync(join(FIXTURES, opts.dir, fault), 'utf8'));
      const xml = fixtureFor(opts.dir, action, body);
      if (xml === null) {
        return send(
          500,
          soap(
            '<env:Fault><env:Code><env:Value>env:Receiver</env:Value><env:Subcode><env:Value>ter:ActionNotSupported</env:Value></env:Subcode></env:Code>' +
              '<env:Reason><env:Text xml:lang="en">Optional Action Not Implemented</env:Text></env:Reason></env:Fault>',
          ),
        );
      }
      send(200, xml);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    url: `${origin}/onvif/device_service`,
    origin,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
};
