/** The shared HTTP client's answer to a 401, against a real server on 127.0.0.1. */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { authenticatedExchange } from '../../src/http/authenticated-exchange.js';
import { digestAnswerMatches, parseDigestParams } from '../../src/http/digest.js';

interface Seen {
  readonly authorization: string | undefined;
  readonly body: string;
}

let server: http.Server | null = null;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A server that always answers 401 with `challenge` and records what it was sent. */
const refusing = async (challenge: string): Promise<{ readonly url: URL; readonly seen: Seen[] }> => {
  const seen: Seen[] = [];
  server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      seen.push({ authorization: req.headers.authorization, body: Buffer.concat(chunks).toString() });
      res.writeHead(401, { 'WWW-Authenticate': challenge }).end();
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { url: new URL(`http://127.0.0.1:${port}/onvif/device_service?x=1`), seen };
};

const credentials = { username: 'inspector', password: 'Pässwörd' };
const DIGEST = 'Digest realm="cam", nonce="n1", qop="auth", algorithm=MD5';

describe('authenticatedExchange', () => {
  it('without credentials sends once and returns the 401', async () => {
    const { url, seen } = await refusing(DIGEST);
    const { exchange } = await authenticatedExchange({ url, method: 'GET', headers: {}, timeoutMs: 2000 });
    expect(exchange.status).toBe(401);
    expect(seen).toHaveLength(1);
  });

  it('answers a Digest challenge once, with a fresh body, and never guesses again', async () => {
    const { url, seen } = await refusing(DIGEST);
    let built = 0;
    const { exchange, sentBody } = await authenticatedExchange({
      url,
      method: 'POST',
      headers: {},
      body: Buffer.from('first'),
      timeoutMs: 2000,
      credentials,
      retryBody: () => Buffer.from(`retry ${++built}`),
    });
    expect(exchange.status).toBe(401);
    expect(seen.map((s) => s.body)).toEqual(['first', 'retry 1']);
    expect(sentBody?.toString()).toBe('retry 1');
    const answer = parseDigestParams(seen[1]?.authorization ?? '');
    expect(answer?.get('uri')).toBe('/onvif/device_service?x=1');
    expect(answer && digestAnswerMatches(answer, 'POST', credentials.password)).toBe(true);
    expect(seen[1]?.authorization).not.toContain(credentials.password);
  });

  it('sends Basic only where the caller allows it', async () => {
    const basic = await refusing('Basic realm="cam"');
    await authenticatedExchange({ url: basic.url, method: 'GET', headers: {}, timeoutMs: 2000, credentials });
    expect(basic.seen.map((s) => s.authorization)).toEqual([undefined]);
    await new Promise<void>((resolve) => server?.close(() => resolve()));
    const allowed = await refusing('Basic realm="cam"');
    await authenticatedExchange({ url: allowed.url, method: 'GET', headers: {}, timeoutMs: 2000, credentials, allowBasic: true });
    expect(allowed.seen.map((s) => s.authorization)).toEqual([undefined, `Basic ${Buffer.from('inspector:Pässwörd').toString('base64')}`]);
  });
});

describe('digestAnswerMatches (the simulated cameras\' check)', () => {
  // RFC 7616 section 3.9.1, MD5: the answer a client sends for "Circle of Life".
  const rfcAnswer = new Map([
    ['username', 'Mufasa'],
    ['realm', 'http-auth@example.org'],
    ['uri', '/dir/index.html'],
    ['nonce', '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v'],
    ['qop', 'auth'],
    ['nc', '00000001'],
    ['cnonce', 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ'],
    ['response', '8ca523f5e9506fed4657c9700eebdbec'],
  ]);

  it('accepts the RFC example for its password and method only', () => {
    expect(digestAnswerMatches(rfcAnswer, 'GET', 'Circle of Life')).toBe(true);
    expect(digestAnswerMatches(rfcAnswer, 'GET', 'circle of life')).toBe(false);
    expect(digestAnswerMatches(rfcAnswer, 'POST', 'Circle of Life')).toBe(false);
  });

  it('checks an answer without qop in the RFC 2069 form (what RTSP cameras ask for)', () => {
    const noQop = new Map([...rfcAnswer].filter(([k]) => !['qop', 'nc', 'cnonce'].includes(k)));
    // The qop=auth response does not answer the RFC 2069 form ...
    expect(digestAnswerMatches(noQop, 'GET', 'Circle of Life')).toBe(false);
    // ... md5(HA1:nonce:HA2) does (computed independently with python3 hashlib).
    noQop.set('response', '7b2cc3b30e75b4777ea31027084363fd');
    expect(digestAnswerMatches(noQop, 'GET', 'Circle of Life')).toBe(true);
    expect(digestAnswerMatches(noQop, 'GET', 'wrong')).toBe(false);
  });
});
