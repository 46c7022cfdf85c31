/** A minimal, independent SOAP/Digest client for testing the simulator (deliberately not src/onvif). */
import { createHash, randomBytes } from 'node:crypto';
import { descendantsOf, parseXml, type XmlElement } from '../../src/xml/parse.js';

export const NS = {
  tds: 'http://www.onvif.org/ver10/device/wsdl',
  trt: 'http://www.onvif.org/ver10/media/wsdl',
  tr2: 'http://www.onvif.org/ver20/media/wsdl',
  tan: 'http://www.onvif.org/ver20/analytics/wsdl',
  tev: 'http://www.onvif.org/ver10/events/wsdl',
} as const;

export interface WsAuth {
  readonly username: string;
  readonly password: string;
  /** The client's idea of the camera clock. */
  readonly createdMs: number;
  readonly nonce?: Buffer;
}

export const securityHeader = (a: WsAuth): string => {
  const nonce = a.nonce ?? randomBytes(16);
  const created = new Date(a.createdMs).toISOString();
  const digest = createHash('sha1').update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(a.password, 'utf8')])).digest('base64');
  return (
    '<s:Header><wsse:Security xmlns:wsse="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd" ' +
    'xmlns:wsu="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd"><wsse:UsernameToken>' +
    `<wsse:Username>${a.username}</wsse:Username>` +
    `<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-soap-message-security-1.0#Base64Binary">${nonce.toString('base64')}</wsse:Nonce>` +
    `<wsu:Created>${created}</wsu:Created></wsse:UsernameToken></wsse:Security></s:Header>`
  );
};

export const envelope = (ns: string, action: string, header = '', inner = ''): string =>
  `<?xml version="1.0" encoding="UTF-8"?><s:Envelope xmlns:s="http://www.w3.org/2003/05/soap-envelope">${header}` +
  `<s:Body><${action} xmlns="${ns}">${inner}</${action}></s:Body></s:Envelope>`;

export interface Reply {
  readonly status: number;
  readonly text: string;
  readonly headers: Headers;
}

export const post = async (url: string, body: string, headers: Record<string, string> = {}): Promise<Reply> => {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/soap+xml; charset=utf-8', ...headers }, body });
  return { status: res.status, text: await res.text(), headers: res.headers };
};

export const parse = (text: string): XmlElement => {
  const r = parseXml(text);
  if (!r.ok) throw new Error(`not XML: ${r.error.message}`);
  return r.value;
};

/** The camera clock as told by its unauthenticated GetSystemDateAndTime. */
export const deviceClockMs = async (xaddr: string): Promise<number> => {
  const root = parse((await post(xaddr, envelope(NS.tds, 'GetSystemDateAndTime'))).text);
  const utc = descendantsOf(root, 'UTCDateTime')[0];
  const n = (el: XmlElement | undefined, local: string): number => Number(el?.children.find((c) => c.local === local)?.text.trim());
  const time = utc?.children.find((c) => c.local === 'Time');
  const date = utc?.children.find((c) => c.local === 'Date');
  return Date.UTC(n(date, 'Year'), n(date, 'Month') - 1, n(date, 'Day'), n(time, 'Hour'), n(time, 'Minute'), n(time, 'Second'));
};

/** An authenticated call that uses the camera's clock, as a correct client does. */
export const call = async (cam: { xaddr: string; username: string; password: string }, ns: string, action: string, inner = ''): Promise<Reply> => {
  const offsetMs = (await deviceClockMs(cam.xaddr)) - Date.now();
  const header = securityHeader({ username: cam.username, password: cam.password, createdMs: Date.now() + offsetMs });
  return post(cam.xaddr, envelope(ns, action, header, inner));
};

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');

/** GET with RFC 7616 digest (MD5, qop=auth), after the camera's 401 challenge. */
export const digestGet = async (url: string, username: string, password: string): Promise<Reply & { challengeStatus: number }> => {
  const first = await fetch(url);
  await first.text();
  const challenge = first.headers.get('www-authenticate') ?? '';
  const param = (k: string): string => new RegExp(`${k}="([^"]*)"`).exec(challenge)?.[1] ?? '';
  const realm = param('realm');
  const nonce = param('nonce');
  const u = new URL(url);
  const uri = u.pathname + u.search;
  const cnonce = randomBytes(8).toString('hex');
  const nc = '00000001';
  const response = md5(`${md5(`${username}:${realm}:${password}`)}:${nonce}:${nc}:${cnonce}:auth:${md5(`GET:${uri}`)}`);
  const auth = `Digest username="${username}", realm="${realm}", nonce="${nonce}", uri="${uri}", qop=auth, nc=${nc}, cnonce="${cnonce}", response="${response}", algorithm=MD5`;
  const res = await fetch(url, { headers: { Authorization: auth } });
  return { challengeStatus: first.status, status: res.status, text: await res.text(), headers: res.headers };
};

/** Every element path (`Envelope/Body/GetRulesResponse/Rule/...`, local names) in a document. */
export const elementPaths = (root: XmlElement): Set<string> => {
  const out = new Set<string>();
  const walk = (el: XmlElement, prefix: string): void => {
    const p = prefix ? `${prefix}/${el.local}` : el.local;
    out.add(p);
    for (const c of el.children) walk(c, p);
  };
  walk(root, '');
  return out;
};
