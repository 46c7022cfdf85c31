import type { SceneName } from '../scenes.js';

/** One stream the simulated RTSP server offers: the encoder, the SDP and the server all read it. */
export interface RtspStreamSpec {
  /** URL path, e.g. `/entrance/main`. */
  readonly path: string;
  readonly scene: SceneName;
  readonly width: number;
  readonly height: number;
  readonly fps: number;
}
