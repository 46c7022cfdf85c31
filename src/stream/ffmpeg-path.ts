/**
 * Which ffmpeg to run. A system ffmpeg is preferred (current codecs, distro security fixes); the
 * bundled @ffmpeg-installer binary keeps camaudit working offline on a laptop that has none.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

let cached: string | null = null;

const works = (bin: string): boolean => {
  const r = spawnSync(bin, ['-hide_banner', '-version'], { stdio: 'ignore', timeout: 5000 });
  return r.status === 0;
};

export const ffmpegPath = (): string => {
  if (cached) return cached;
  const fromEnv = process.env.CAMAUDIT_FFMPEG;
  if (fromEnv && works(fromEnv)) return (cached = fromEnv);
  if (works('ffmpeg')) return (cached = 'ffmpeg');
  const require = createRequire(import.meta.url);
  const bundled: unknown = require('@ffmpeg-installer/ffmpeg');
  if (typeof bundled === 'object' && bundled !== null && 'path' in bundled && typeof bundled.path === 'string' && works(bundled.path)) {
    return (cached = bundled.path);
  }
  throw new Error('no working ffmpeg: install ffmpeg or reinstall camaudit (the bundled @ffmpeg-installer/ffmpeg is missing)');
};

let v5: boolean | null = null;

/** Whether this ffmpeg is 5.0 or later (some options were renamed); the bundled 2018 static build is not. */
export const ffmpegIsV5 = (): boolean => {
  if (v5 !== null) return v5;
  const r = spawnSync(ffmpegPath(), ['-hide_banner', '-version'], { encoding: 'utf8', timeout: 5000 });
  const major = /ffmpeg version n?(\d+)\./.exec(r.stdout ?? '')?.[1];
  return (v5 = major !== undefined && Number(major) >= 5);
};
