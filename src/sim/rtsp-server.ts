/**
 * Contract only (implementation in progress): a real RTSP server for simulated cameras.
 */
export type SceneName = 'faces-near' | 'faces-far' | 'empty';

export interface RtspStreamSpec {
  /** URL path, e.g. `/entrance/main`. */
  readonly path: string;
  readonly scene: SceneName;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}

export interface RtspServerHandle {
  readonly host: string;
  readonly port: number;
  /** Full rtsp:// URL for a stream path. */
  url(path: string): string;
  close(): Promise<void>;
}

export const startRtspServer = async (_opts: {
  readonly host: string;
  readonly port?: number;
  readonly streams: readonly RtspStreamSpec[];
}): Promise<RtspServerHandle> => {
  throw new Error('RTSP server not implemented yet');
};
