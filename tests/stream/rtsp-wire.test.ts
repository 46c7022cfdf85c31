import { describe, expect, it } from 'vitest';
import { spsClaiming } from '../../src/sim/hostile-rtsp.js';
import { answerableDigest, digestAuthorization, parseChallenges } from '../../src/stream/rtsp-wire.js';
import { h264SpsLayout, sdpDeclaredSizes } from '../../src/stream/sps-size.js';

describe('challenges and Digest answers', () => {
  it('answers the RFC 2617 3.5 example exactly', () => {
    const [c] = parseChallenges(['Digest realm="testrealm@host.com", qop="auth,auth-int", nonce="dcd98b7102dd2f0e8b11d0f600bfb0c093", opaque="5ccc069c403ebaf9f0171e9517f40e41"']);
    expect(c && answerableDigest(c)).toBe(true);
    const value = digestAuthorization(c!, { user: 'Mufasa', password: 'Circle Of Life' }, 'GET', '/dir/index.html', 1, '0a4f113b');
    expect(value).toContain('response="6629fae49393a05397450978507c4ef1"');
    expect(value).toContain('nc=00000001');
  });
  it('splits several challenges in one field and refuses algorithms it cannot answer', () => {
    const cs = parseChallenges(['Basic realm="cam", Digest realm="cam", nonce="n1", algorithm=SHA-512-256']);
    expect(cs.map((c) => c.scheme)).toEqual(['basic', 'digest']);
    expect(cs.some(answerableDigest)).toBe(false);
  });
});

describe('declared frame sizes', () => {
  it('reads the size of a real H.264 SPS, and of one rewritten to claim 16000x16000', () => {
    // x264 baseline, 320x192 (ffmpeg -f lavfi -i testsrc=size=320x192 -c:v libx264 -profile:v baseline).
    const sps = Buffer.from('Z0LAC9kBQZsBEAAAAwAQAAADACDxQqSA', 'base64');
    expect(h264SpsLayout(sps)).toMatchObject({ width: 320, height: 192 });
    expect(h264SpsLayout(spsClaiming(sps, 16000))).toMatchObject({ width: 16000, height: 16000 });
  });
  it('takes sizes from sprop-parameter-sets and size attributes, and ignores what does not parse', () => {
    expect(sdpDeclaredSizes('a=fmtp:96 packetization-mode=1;sprop-parameter-sets=AAAA,BBBB\r\na=framesize:96 1920-1080\r\na=x-dimensions:640,480\r\n')).toEqual([
      { width: 1920, height: 1080 },
      { width: 640, height: 480 },
    ]);
  });
});
