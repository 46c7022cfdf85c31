import { describe, expect, it } from 'vitest';
import { MAX_SOURCE_PIXELS, parseInputSize, parseOutputSize, rtspArgs } from '../../src/stream/ffmpeg-args.js';
import { redactText, redactUri, splitCredentials } from '../../src/stream/uri.js';

const V5 = { v5: true } as const;
const OLD = { v5: false } as const;

describe('rtspArgs', () => {
  it('uses the fast-start flags, the chosen transport, an fps window and raw RGB on stdout', () => {
    const args = rtspArgs('rtsp://10.0.0.9/s', 'udp', { frames: 5, seconds: 10, size: { width: 640, height: 360 } }, V5);
    const after = (flag: string): string | undefined => args[args.indexOf(flag) + 1];
    expect(after('-rtsp_transport')).toBe('udp');
    expect(after('-analyzeduration')).toBe('100000');
    expect(after('-probesize')).toBe('32768');
    expect(after('-vf')).toBe('fps=5/10:round=up,scale=640:360');
    expect(after('-frames:v')).toBe('5');
    expect(after('-f')).toBe('rawvideo');
    expect(after('-pix_fmt')).toBe('rgb24');
    expect(args.at(-1)).toBe('pipe:1');
    expect(args.indexOf('-rtsp_transport')).toBeLessThan(args.indexOf('-i'));
    // A keyframe arrives over UDP as a burst: the socket buffer must hold it (bundled ffmpeg drops it otherwise).
    expect(after('-buffer_size')).toBe('1048576');
    expect(args.indexOf('-buffer_size')).toBeLessThan(args.indexOf('-i'));
  });
  it('bounds the decoder: 2 threads and a picture-size cap, both before -i (after it they would be the encoder\'s)', () => {
    for (const args of [rtspArgs('rtsp://10.0.0.9/s', 'tcp', { frames: 1, seconds: 1 }, V5), rtspArgs('rtsp://10.0.0.9/s', 'udp', { frames: 1, seconds: 1 }, OLD)]) {
      expect(args[args.indexOf('-threads') + 1]).toBe('2');
      expect(args.indexOf('-threads')).toBeLessThan(args.indexOf('-i'));
      expect(args[args.indexOf('-max_pixels') + 1]).toBe(String(MAX_SOURCE_PIXELS));
      expect(args.indexOf('-max_pixels')).toBeLessThan(args.indexOf('-i'));
    }
  });
  it('bounds socket I/O with the option name of the ffmpeg version (before 5, -timeout would mean listen)', () => {
    const v5 = rtspArgs('rtsp://10.0.0.9/s', 'tcp', { frames: 1, seconds: 1 }, V5);
    const old = rtspArgs('rtsp://10.0.0.9/s', 'tcp', { frames: 1, seconds: 1 }, OLD);
    expect(v5[v5.indexOf('-timeout') + 1]).toBe('10000000');
    expect(v5).not.toContain('-stimeout');
    expect(old[old.indexOf('-stimeout') + 1]).toBe('10000000');
    expect(old).not.toContain('-timeout');
  });
  it('leaves the socket buffer alone over TCP', () => {
    expect(rtspArgs('rtsp://10.0.0.9/s', 'tcp', { frames: 1, seconds: 1 }, V5)).not.toContain('-buffer_size');
  });
  it('without a size, scales frames larger than 1080p down, keeping the aspect ratio', () => {
    const args = rtspArgs('rtsp://10.0.0.9/s', 'tcp', { frames: 1, seconds: 1 }, V5);
    expect(args[args.indexOf('-vf') + 1]).toBe("fps=1/1:round=up,scale=w='min(iw,1920)':h='min(ih,1080)':force_original_aspect_ratio=decrease");
  });
});

describe('parseOutputSize', () => {
  it('reads the output stream size, not the input one', () => {
    const stderr = [
      "Input #0, rtsp, from 'rtsp://127.0.0.1:1/still':",
      '  Stream #0:0: Video: h264 (High), yuv420p(progressive), 1280x720, 10 fps',
      "Output #0, rawvideo, to 'pipe:1':",
      '  Stream #0:0: Video: rawvideo (RGB[24] / 0x18424752), rgb24(pc, gbr/unknown/unknown, progressive), 640x360 [SAR 1:1 DAR 16:9], q=2-31',
    ].join('\n');
    expect(parseOutputSize(stderr)).toEqual({ width: 640, height: 360 });
    expect(parseInputSize(stderr)).toEqual({ width: 1280, height: 720 });
    expect(parseOutputSize(stderr.split('Output')[0] ?? '')).toBeNull();
  });
});

describe('credentials in URIs', () => {
  it('redacts userinfo wherever a URL appears in text', () => {
    expect(redactUri("Opening 'rtsp://admin:hunter2@10.0.0.9:554/s' failed")).toBe("Opening 'rtsp://***@10.0.0.9:554/s' failed");
    expect(redactText('bad password p@ss! here', ['p@ss!'])).toBe('bad password *** here');
  });
  it('splits embedded credentials out, decoded', () => {
    const split = splitCredentials('rtsp://ad%40min:p%3Ass@10.0.0.9/s');
    if (!split.ok) throw new Error(split.error.message);
    const { uri, credentials } = split.value;
    expect(uri).toBe('rtsp://10.0.0.9/s');
    expect(credentials).toEqual({ user: 'ad@min', password: 'p:ss' });
  });
  it('a malformed escape from a device is an error without an excerpt, not a throw', () => {
    expect(splitCredentials('rtsp://a:%zz@10.0.0.9/s')).toEqual({ ok: false, error: { kind: 'decode', path: 'uri', message: expect.stringContaining('percent-encoding'), excerpt: '' } });
  });
});
