import { describe, expect, it } from 'vitest';
import { digestAuthorization, digestResponse, parseDigestChallenge } from '../../src/http/digest.js';
import { deviceCreated, makeUsernameToken, passwordDigest, securityHeader } from '../../src/onvif/ws-security.js';

// RFC 7616 section 3.9.1 example.
const RFC = {
  realm: 'http-auth@example.org',
  nonce: '7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v',
  opaque: 'FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS',
  cnonce: 'f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ',
};

describe('HTTP Digest (RFC 7616)', () => {
  it('computes the RFC 7616 MD5 and SHA-256 example responses', () => {
    for (const [algorithm, expected] of [
      ['MD5', '8ca523f5e9506fed4657c9700eebdbec'],
      ['SHA-256', '753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1'],
    ] as const) {
      const header = `Digest realm="${RFC.realm}", qop="auth, auth-int", algorithm=${algorithm}, nonce="${RFC.nonce}", opaque="${RFC.opaque}"`;
      const challenge = parseDigestChallenge(header);
      expect(challenge).toMatchObject({ algorithm, qop: 'auth', realm: RFC.realm, opaque: RFC.opaque });
      if (!challenge) return;
      expect(
        digestResponse({ challenge, method: 'GET', uri: '/dir/index.html', username: 'Mufasa', password: 'Circle of Life', cnonce: RFC.cnonce, nc: 1 }),
      ).toBe(expected);
    }
  });

  it('prefers SHA-256 when several challenges are offered, and builds a full header', () => {
    const c = parseDigestChallenge([`Digest realm="r", nonce="n", qop="auth", algorithm=MD5`, `Digest realm="r", nonce="n", qop="auth", algorithm=SHA-256`]);
    expect(c?.algorithm).toBe('SHA-256');
    if (!c) return;
    const h = digestAuthorization({ challenge: c, method: 'POST', uri: '/onvif/device_service', username: 'admin', password: 'pw', cnonce: 'abc', nc: 1 });
    expect(h).toMatch(/^Digest username="admin", realm="r", uri="\/onvif\/device_service", algorithm=SHA-256, nonce="n", nc=00000001, cnonce="abc", qop=auth, response="[0-9a-f]{64}"$/);
    expect(h).not.toContain('pw');
  });

  it('rejects challenges it cannot answer', () => {
    expect(parseDigestChallenge('Basic realm="x"')).toBeNull();
    expect(parseDigestChallenge('Digest realm="x", nonce="n", algorithm=SHA-512-256')).toBeNull();
    expect(parseDigestChallenge('Digest realm="x", nonce="n", qop="auth-int"')).toBeNull();
    expect(parseDigestChallenge(undefined)).toBeNull();
  });
});

describe('WS-UsernameToken PasswordDigest', () => {
  const nonce = Buffer.from(Array.from({ length: 16 }, (_, i) => i));
  const created = '2026-01-02T03:04:05Z';

  // Expected values computed independently: python3 hashlib.sha1(nonce + created + password.encode('utf-8')).
  it('matches known vectors, ASCII and non-ASCII passwords (UTF-8 bytes)', () => {
    expect(passwordDigest(nonce, created, 'admin123')).toBe('+Szc94QZ6B93eCbPzpN5aJ9t/0E=');
    expect(passwordDigest(nonce, created, '密码Pässwörd')).toBe('qX6sHmrTNiemmTLDTxooKLi4ECU=');
  });

  it('uses the device clock offset, without fractional seconds', () => {
    expect(deviceCreated(Date.UTC(2026, 0, 1, 0, 0, 0, 789), 3_600_000)).toBe('2026-01-01T01:00:00Z');
  });

  it('redacts digest and nonce in the kept copy', () => {
    const t = makeUsernameToken('admin', 'secret', created, nonce);
    const sent = securityHeader(t, false);
    const kept = securityHeader(t, true);
    expect(sent).toContain(t.digest);
    expect(sent).toContain(nonce.toString('base64'));
    expect(kept).not.toContain(t.digest);
    expect(kept).not.toContain(nonce.toString('base64'));
    expect(kept).toContain('<wsse:Username>admin</wsse:Username>');
    expect(kept + sent).not.toContain('secret');
  });
});
