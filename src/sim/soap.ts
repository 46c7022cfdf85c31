/**
 * The SOAP 1.2 side of a simulated camera: read the request envelope, and write faults the way the real
 * Hikvision DS-2CD2012-I does (its captured ter:ActionNotSupported fault is the template).
 */
import { childOf, parseXml, textOf, type XmlElement } from '../xml/parse.js';
import { REAL_RESPONSES } from './templates/real-responses.js';

const SOAP12 = 'http://www.w3.org/2003/05/soap-envelope';
const WSSE = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd';
const WSU = 'http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-utility-1.0.xsd';

export interface UsernameToken {
  readonly username: string;
  readonly passwordType: string;
  readonly password: string;
  readonly nonceBase64: string;
  readonly created: string;
}

export interface SoapRequest {
  /** Local name of the first Body element, e.g. `GetProfiles`. */
  readonly action: string;
  /** Its namespace, which tells Media1 from Media2 and which service's GetServiceCapabilities. */
  readonly ns: string;
  /** The first Body element itself, for parameters such as ProfileToken. */
  readonly body: XmlElement;
  /** null: no wsse:Security header at all. */
  readonly token: UsernameToken | null;
}

/** Parse a request; null when it is not a SOAP 1.2 envelope with a Body element. */
export const readSoapRequest = (body: string): SoapRequest | null => {
  const parsed = parseXml(body);
  if (!parsed.ok) return null;
  const env = parsed.value;
  if (env.local !== 'Envelope' || env.ns !== SOAP12) return null;
  const first = childOf(env, 'Body', SOAP12)?.children[0];
  if (!first) return null;
  const header = childOf(env, 'Header', SOAP12);
  const security = header ? childOf(header, 'Security', WSSE) : undefined;
  return { action: first.local, ns: first.ns, body: first, token: security ? readToken(security) : null };
};

const readToken = (security: XmlElement): UsernameToken => {
  const ut = childOf(security, 'UsernameToken', WSSE);
  const password = ut ? childOf(ut, 'Password', WSSE) : undefined;
  return {
    username: textOf(ut ? childOf(ut, 'Username', WSSE) : undefined) ?? '',
    passwordType: password?.attrs['Type'] ?? '',
    password: textOf(password) ?? '',
    nonceBase64: textOf(ut ? childOf(ut, 'Nonce', WSSE) : undefined) ?? '',
    created: textOf(ut ? (childOf(ut, 'Created', WSU) ?? childOf(ut, 'Created', WSSE)) : undefined) ?? '',
  };
};

const FAULT_TEMPLATE = REAL_RESPONSES['hikvision-DS-2CD2012-I/GetAnalyticsModuleOptionsFault.analytics.xml'];

export const escapeXml = (s: string): string =>
  s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A SOAP fault in the real device's envelope: `code` env:Sender|env:Receiver, `subcode` a ter: QName. */
export const soapFault = (code: 'env:Sender' | 'env:Receiver', subcode: string, reason: string): string =>
  FAULT_TEMPLATE.replace(/<env:Code>[\s\S]*?<\/env:Code>/, () =>
    [
      '<env:Code>',
      `        <env:Value>${code}</env:Value>`,
      '        <env:Subcode>',
      `          <env:Value>${subcode}</env:Value>`,
      '        </env:Subcode>',
      '      </env:Code>',
    ].join('\n'),
  ).replace(/(<env:Text xml:lang="en">)[^<]*(<\/env:Text>)/, (_m, open: string, close: string) => `${open}${escapeXml(reason)}${close}`);

export const actionNotSupported = (): string =>
  soapFault('env:Receiver', 'ter:ActionNotSupported', 'Optional Action Not Implemented');

export const notAuthorized = (): string => soapFault('env:Sender', 'ter:NotAuthorized', 'Sender not Authorized');
