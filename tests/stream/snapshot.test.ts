import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { crc32, deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeStream } from '../../src/stream/probe-stream.js';
import { fetchSnapshot } from '../../src/stream/snapshot.js';

const md5 = (s: string): string => createHash('md5').update(s).digest('hex');
const REALM = 'IP Camera(C1234)';
const NONCE = 'a1b2c3d4e5';

/** A PNG claiming 20000x20000 (one row of data): a few hundred bytes that would need 1.2 GB decoded. */
const hugePngHeader = (): Buffer => {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(20000, 0);
  ihdr.writeUInt32BE(20000, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const chunk = (type: string, data: Buffer): Buffer => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Buffer.alloc(60_001))), chunk('IEND', Buffer.alloc(0))]);
};

/** Checks an RFC 7616 Digest (MD5, qop=auth) answer the way cameras do. */
const digestOk = (req: IncomingMessage, user: string, password: string): boolean => {
  const h = req.headers.authorization ?? '';
  const p: Record<string, string> = {};
  for (const m of h.matchAll(/(\w+)="?([^",]*)"?/g)) if (m[1]) p[m[1]] = m[2] ?? '';
  const ha1 = md5(`${user}:${REALM}:${password}`);
  const ha2 = md5(`GET:${p.uri ?? ''}`);
  return h.startsWith('Digest ') && p.username === user && p.response === md5(`${ha1}:${NONCE}:${p.nc}:${p.cnonce}:${p.qop}:${ha2}`);
};

let server: Server;
let base = '';
let png: Buffer;
beforeAll(async () => {
  png = await readFile(new URL('../fixtures/images/astronaut.png', import.meta.url));
  server = createServer((req: IncomingMessage, res: ServerResponse) => {
    if (req.url === '/huge.png') return res.end(hugePngHeader());
    if (req.url === '/endless') {
      res.writeHead(200, { 'content-type': 'image/jpeg' });
      const timer = setInterval(() => res.write(Buffer.alloc(64 * 1024)), 1);
      res.on('close', () => clearInterval(timer));
      return;
    }
    if (!digestOk(req, 'viewer', 'pa ss:wörd')) {
      res.writeHead(401, { 'www-authenticate': `Digest realm="${REALM}", qop="auth", nonce="${NONCE}", opaque="xyz"` });
      return res.end();
    }
    res.writeHead(200, { 'content-type': 'image/png' });
    res.end(png);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const a = server.address();
  base = `http://127.0.0.1:${typeof a === 'object' && a ? a.port : 0}`;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
});

describe('snapshot fallback', () => {
  it('answers a Digest challenge and decodes the image', async () => {
    const r = await fetchSnapshot(`${base}/onvif/snapshot?channel=1`, { credentials: { user: 'viewer', password: 'pa ss:wörd' } });
    expect(r.ok && [r.value.width, r.value.height]).toEqual([512, 512]);
  });
  it('reports refused credentials as auth, without the password', async () => {
    const r = await fetchSnapshot(`${base}/snap.jpg`, { credentials: { user: 'viewer', password: 'wrong-secret' } });
    expect(r.ok ? null : r.error).toMatchObject({ kind: 'auth' });
    expect(JSON.stringify(r)).not.toContain('wrong-secret');
  });
  it('refuses a 20000x20000 image from its header, before decoding', async () => {
    const r = await fetchSnapshot(`${base}/huge.png`);
    expect(r.ok ? null : r.error).toMatchObject({ kind: 'decode' });
    expect(r.ok ? '' : JSON.stringify(r.error)).toMatch(/pixel/);
  });
  it('stops reading at the size cap', async () => {
    const r = await fetchSnapshot(`${base}/endless`, { maxBytes: 1024 * 1024, timeoutMs: 5000 });
    expect(r.ok ? null : r.error).toMatchObject({ kind: 'transport', reason: 'too-large' });
  });
});

describe('probeStream with snapshots', () => {
  it('grades faces from a snapshot URL', async () => {
    const facts = await probeStream(`${base}/snap.jpg`, { frames: 2, seconds: 1, credentials: { user: 'viewer', password: 'pa ss:wörd' } });
    expect(facts).toMatchObject({ source: 'snapshot', frames: 2, facesPerFrame: [1, 1], captureGrade: 'recognisable', error: null });
  });
  it('falls back to the snapshot URI when RTSP gives no frame', async () => {
    const facts = await probeStream('rtsp://127.0.0.1:9/none', {
      frames: 1,
      seconds: 1,
      firstFrameTimeoutMs: 500,
      snapshotUri: `${base}/snap.jpg`,
      credentials: { user: 'viewer', password: 'pa ss:wörd' },
    });
    expect(facts).toMatchObject({ source: 'snapshot', frames: 1, facesSeen: 1, error: null });
  });
});
