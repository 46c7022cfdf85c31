/** ffmpeg command lines as data (pure, tested on their own; STYLE.md after Frigate's ffmpeg presets). */

export type RtspTransport = 'tcp' | 'udp';

export interface FrameRequest {
  readonly frames: number;
  readonly seconds: number;
  /**
   * Output size. Absent: the stream's own size, scaled down (aspect kept) to fit ANALYSIS_MAX so
   * a 4K or 12 MP camera costs the memory of a 1080p one; the size is read back from ffmpeg's header.
   */
  readonly size?: { readonly width: number; readonly height: number };
}

/**
 * Fast start (DESIGN.md "ffmpeg"): a 100 ms analyse window and a 32 KiB probe bring the first frame
 * in 0.3-0.6 s instead of about 2 s. The fps filter spreads N frames over the window; raw RGB on
 * stdout feeds the detector without an encode/decode round trip.
 */
/** Largest frame analysed when no size is asked for (see FrameRequest.size). */
export const ANALYSIS_MAX = { width: 1920, height: 1080 } as const;

const FAST_START = { analyzeduration: '100000', probesize: '32768' } as const;

// Over UDP a keyframe arrives as a burst; the bundled 2018 ffmpeg's default socket buffer (~128 KiB in
// effect) drops part of it ("RTP: missed N packets") and the frame decodes broken. 1 MiB holds a burst.
const UDP_BUFFER_BYTES = '1048576';

/**
 * Decoder threads. ffmpeg's default (one per core, frame threading) holds a frame per thread: measured
 * per 4K H.264 decoder 300 MB with 8 threads, 171 MB by default on 2 cores, 145 MB with 2, 124 MB with 1.
 * Stream tests run several cameras at once, which already fills the cores, and keep a few frames of
 * a short window; 2 threads bound the memory on any laptop and still decode a 4K or H.265 stream in
 * real time (over UDP a decoder that falls behind loses packets).
 */
const DECODER_THREADS = '2';

/**
 * Largest picture the decoder may allocate (ffmpeg's `-max_pixels`, checked when it reads a sequence
 * header, before any frame buffer): an in-band SPS claiming 16000x16000 drove ffmpeg to 1.19 GB. 4096x4096
 * takes 12 and 16 MP cameras; the stream gate applies the same cap to the size an SDP declares.
 */
export const MAX_SOURCE_PIXELS = 4096 * 4096;

/**
 * Socket I/O timeout of ffmpeg's RTSP demuxer, in microseconds: a bound of its own should the gate
 * (its only peer) ever stall. FFmpeg 5 renamed `-stimeout` to `-timeout`; before 5, `-timeout` means
 * "listen for an incoming connection", so the name depends on the version.
 */
const IO_TIMEOUT_US = '10000000';

export interface FfmpegFeatures {
  /** FFmpeg 5.0 or later (the bundled 2018 static build is older). */
  readonly v5: boolean;
}

const inputArgs = (uri: string, transport: RtspTransport, ffmpeg: FfmpegFeatures): string[] => [
  '-threads',
  DECODER_THREADS,
  '-max_pixels',
  String(MAX_SOURCE_PIXELS),
  '-rtsp_transport',
  transport,
  ...(transport === 'udp' ? ['-buffer_size', UDP_BUFFER_BYTES] : []),
  ffmpeg.v5 ? '-timeout' : '-stimeout',
  IO_TIMEOUT_US,
  '-analyzeduration',
  FAST_START.analyzeduration,
  '-probesize',
  FAST_START.probesize,
  '-i',
  uri,
];

export const rtspArgs = (uri: string, transport: RtspTransport, req: FrameRequest, ffmpeg: FfmpegFeatures): string[] => {
  // round=up puts the first input frame in the first output slot at once; the default (near) holds
  // it until a frame half a slot later arrives: measured 1.25 s vs 0.73 s to the first frame at 1 fps.
  const filters = [`fps=${req.frames}/${req.seconds}:round=up`];
  filters.push(
    req.size
      ? `scale=${req.size.width}:${req.size.height}`
      : `scale=w='min(iw,${ANALYSIS_MAX.width})':h='min(ih,${ANALYSIS_MAX.height})':force_original_aspect_ratio=decrease`,
  );
  return [
    '-hide_banner',
    '-nostdin',
    '-loglevel',
    'info',
    ...inputArgs(uri, transport, ffmpeg),
    '-an',
    '-vf',
    filters.join(','),
    '-frames:v',
    String(req.frames),
    '-f',
    'rawvideo',
    '-pix_fmt',
    'rgb24',
    'pipe:1',
  ];
};

/** Reads the camera's own frame size from ffmpeg's "Input #0 ... Video: h264 ..., WxH" header. */
export const parseInputSize = (stderr: string): { width: number; height: number } | null => {
  const at = stderr.indexOf('Input #0');
  const end = stderr.indexOf('Output #0');
  if (at < 0) return null;
  const m = /Stream #[^\n]*Video: [^\n]*?, (\d{1,5})x(\d{1,5})/.exec(stderr.slice(at, end < 0 ? undefined : end));
  if (!m?.[1] || !m[2]) return null;
  return { width: Number(m[1]), height: Number(m[2]) };
};

/** Reads the raw output's size from ffmpeg's "Output #0 ... Video: rawvideo ..., WxH" header. */
export const parseOutputSize = (stderr: string): { width: number; height: number } | null => {
  const at = stderr.indexOf('Output #0');
  if (at < 0) return null;
  const m = /Video: rawvideo[^\n]*?, (\d{1,5})x(\d{1,5})/.exec(stderr.slice(at));
  if (!m?.[1] || !m[2]) return null;
  return { width: Number(m[1]), height: Number(m[2]) };
};
