import { PAYLOAD_TYPE, RTP_CLOCK_HZ, type ParameterSets } from './h264.js';
import type { RtspStreamSpec } from './stream-spec.js';
import { UdpPacer } from './rtp-out.js';

export const TRACK_CONTROL = 'track1';

// ---------------------------------------------------------------------------------------------
// RTSP messages

export interface RtspRequest {
  readonly method: string;
  readonly uri: string;
  readonly version: string;
  /** Header names lower-cased. */
  readonly headers: ReadonlyMap<string, string>;
  readonly body: Buffer;
}

export interface RtspResponse {
  readonly status: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

export const REASONS: Readonly<Record<number, string>> = {
  200: 'OK',
  400: 'Bad Request',
  401: 'Unauthorized',
  404: 'Not Found',
  406: 'Not Acceptable',
  454: 'Session Not Found',
  455: 'Method Not Valid in This State',
  459: 'Aggregate Operation Not Allowed',
  461: 'Unsupported Transport',
  501: 'Not Implemented',
  503: 'Service Unavailable',
  505: 'RTSP Version Not Supported',
  551: 'Option not supported',
};

export const SUPPORTED_METHODS = ['OPTIONS', 'DESCRIBE', 'SETUP', 'PLAY', 'PAUSE', 'TEARDOWN', 'GET_PARAMETER'] as const;
type Method = (typeof SUPPORTED_METHODS)[number];
export const isMethod = (m: string): m is Method => (SUPPORTED_METHODS as readonly string[]).includes(m);

/** Parses a request head (request line and headers); null when malformed. */
export const parseRequestHead = (head: string): Omit<RtspRequest, 'body'> | null => {
  const lines = head.split('\r\n');
  const [method, uri, version, ...extra] = (lines[0] ?? '').split(' ');
  if (!method || !uri || !version || extra.length > 0) return null;
  const headers = new Map<string, string>();
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    if (colon <= 0) return null;
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  return { method, uri, version, headers };
};

export type Transport =
  | { readonly kind: 'tcp'; readonly rtpChannel: number; readonly rtcpChannel: number }
  | { readonly kind: 'udp'; readonly address: string; readonly rtpPort: number; readonly rtcpPort: number; readonly pacer: UdpPacer };

type TransportRequest = { readonly kind: 'tcp'; readonly channels: readonly [number, number] | null } | { readonly kind: 'udp'; readonly ports: readonly [number, number] };

const parsePair = (value: string | undefined, max: number): readonly [number, number] | null => {
  const m = /^(\d+)(?:-(\d+))?$/.exec(value ?? '');
  if (!m) return null;
  const a = Number(m[1]);
  const b = m[2] === undefined ? a + 1 : Number(m[2]);
  return a <= max && b <= max ? [a, b] : null;
};

/** The first unicast RTP/AVP transport in a Transport header that this server can serve, or null. */
export const chooseTransport = (header: string): TransportRequest | null => {
  for (const spec of header.split(',')) {
    const [protocol = '', ...params] = spec.trim().split(';').map((p) => p.trim());
    const options = new Map(params.map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [p.toLowerCase(), ''] : [p.slice(0, eq).toLowerCase(), p.slice(eq + 1)];
    }));
    if (options.has('multicast')) continue;
    const proto = protocol.toUpperCase();
    if (proto === 'RTP/AVP/TCP') {
      const channels = options.has('interleaved') ? parsePair(options.get('interleaved'), 255) : null;
      if (options.has('interleaved') && !channels) continue;
      return { kind: 'tcp', channels };
    }
    if (proto === 'RTP/AVP' || proto === 'RTP/AVP/UDP') {
      const ports = parsePair(options.get('client_port'), 65535);
      if (ports && ports[0] > 0) return { kind: 'udp', ports };
    }
  }
  return null;
};

export const buildSdp = (host: string, spec: RtspStreamSpec, params: ParameterSets, sessionVersion: number): string => {
  const profileLevelId = params.sps.subarray(1, 4).toString('hex');
  const sprop = `${params.sps.toString('base64')},${params.pps.toString('base64')}`;
  return [
    'v=0',
    `o=- ${sessionVersion} 1 IN IP4 ${host}`,
    's=camaudit simulated camera',
    'c=IN IP4 0.0.0.0',
    't=0 0',
    'a=tool:camaudit-sim',
    'a=range:npt=0-',
    'a=control:*',
    `m=video 0 RTP/AVP ${PAYLOAD_TYPE}`,
    `a=rtpmap:${PAYLOAD_TYPE} H264/${RTP_CLOCK_HZ}`,
    `a=fmtp:${PAYLOAD_TYPE} packetization-mode=1;profile-level-id=${profileLevelId};sprop-parameter-sets=${sprop}`,
    `a=framesize:${PAYLOAD_TYPE} ${spec.width}-${spec.height}`,
    `a=framerate:${spec.fps}`,
    `a=control:${TRACK_CONTROL}`,
    '',
  ].join('\r\n');
};

