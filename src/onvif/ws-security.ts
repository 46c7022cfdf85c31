/** WS-Security UsernameToken with PasswordDigest, as ONVIF devices expect it (ONVIF Core 5.12). */
import { createHash, randomBytes } from 'node:crypto';
import { NS } from './namespaces.js';
import { xmlEscape } from './soap.js';

export interface UsernameToken {
  readonly username: string;
  readonly nonce: Buffer;
  /** xsd:dateTime in UTC, from the device's clock. */
  readonly created: string;
  readonly digest: string;
}

/** base64(sha1(nonce + created + password)), over UTF-8 bytes (onvif 0.8.3 hashes the password as latin1). */
export const passwordDigest = (nonce: Buffer, created: string, password: string): string =>
  createHash('sha1')
    .update(Buffer.concat([nonce, Buffer.from(created, 'utf8'), Buffer.from(password, 'utf8')]))
    .digest('base64');

/** Device time as xsd:dateTime without milliseconds: several firmwares reject fractional seconds. */
export const deviceCreated = (nowMs: number, clockOffsetMs: number): string =>
  new Date(nowMs + clockOffsetMs).toISOString().replace(/\.\d{3}Z$/, 'Z');

export const makeUsernameToken = (username: string, password: string, created: string, nonce: Buffer = randomBytes(16)): UsernameToken => ({
  username,
  nonce,
  created,
  digest: passwordDigest(nonce, created, password),
});

/** The Security header; `redacted` drops the digest and nonce for the kept copy of the request. */
export const securityHeader = (token: UsernameToken, redacted: boolean): string => {
  const digest = redacted ? '[redacted]' : token.digest;
  const nonce = redacted ? '[redacted]' : token.nonce.toString('base64');
  return (
    `<wsse:Security xmlns:wsse="${NS.wsse}" xmlns:wsu="${NS.wsu}" s:mustUnderstand="1">` +
    `<wsse:UsernameToken><wsse:Username>${xmlEscape(token.username)}</wsse:Username>` +
    `<wsse:Password Type="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordDigest">${digest}</wsse:Password>` +
    `<wsse:Nonce EncodingType="http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-soap-message-security-1.0#Base64Binary">${nonce}</wsse:Nonce>` +
    `<wsu:Created>${token.created}</wsu:Created></wsse:UsernameToken></wsse:Security>`
  );
};
