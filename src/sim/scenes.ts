/**
 * Contract only (implementation in progress): still frames of the simulated sales office's scenes.
 */
import type { SceneName } from './rtsp-server.js';

/** A JPEG of the scene at the given size (for snapshot URIs). */
export const renderSceneJpeg = async (_scene: SceneName, _width: number, _height: number): Promise<Uint8Array> => {
  throw new Error('scenes not implemented yet');
};
