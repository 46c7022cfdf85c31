/**
 * Failures a device or the network can cause. Bugs throw; these are returned.
 * Every variant carries a human message that never contains a password.
 */
export type TransportReason =
  | 'timeout'
  | 'refused'
  | 'reset'
  | 'unreachable'
  | 'too-large'
  | 'http-status'
  | 'redirect'
  | 'out-of-range'
  | 'other';

export type ProbeError =
  | {
      readonly kind: 'transport';
      readonly reason: TransportReason;
      readonly message: string;
      readonly httpStatus?: number;
      /** A stream test that tried several RTSP transports: each one and why it gave no frame. */
      readonly attempts?: readonly TransportAttempt[];
    }
  | { readonly kind: 'fault'; readonly code: string; readonly subcode?: string; readonly reason: string }
  | { readonly kind: 'decode'; readonly path: string; readonly message: string; readonly excerpt: string }
  | { readonly kind: 'unsupported'; readonly action: string; readonly message: string }
  | { readonly kind: 'auth'; readonly message: string }
  | { readonly kind: 'policy'; readonly message: string };

/** One RTSP transport a stream test tried, and its own failure. */
export interface TransportAttempt {
  readonly transport: string;
  readonly error: ProbeError;
}

export type DecodeError = Extract<ProbeError, { kind: 'decode' }>;

export const decodeError = (path: string, message: string, raw: string | Uint8Array = ''): DecodeError => {
  const text = typeof raw === 'string' ? raw : new TextDecoder('utf-8', { fatal: false }).decode(raw.subarray(0, 400));
  return { kind: 'decode', path, message, excerpt: text.slice(0, 200) };
};

export const describeError = (e: ProbeError): string => {
  switch (e.kind) {
    case 'transport':
      return `${e.reason}: ${e.message}`;
    case 'fault':
      return `SOAP fault ${e.subcode ?? e.code}: ${e.reason}`;
    case 'decode':
      return `cannot decode ${e.path}: ${e.message}`;
    case 'unsupported':
      return `${e.action} not supported: ${e.message}`;
    case 'auth':
      return `authentication failed: ${e.message}`;
    case 'policy':
      return `refused: ${e.message}`;
  }
};
