/**
 * Still frames of the simulated sales office's scenes: a synthetic entrance lobby with real faces
 * (license-clean photos bundled in src/sim/assets, see PROVENANCE.md) composited at capture size
 * ('faces-near'), at a distance ('faces-far'), or not at all ('empty').
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type OverlayOptions, type Sharp } from 'sharp';

export type SceneName = 'faces-near' | 'faces-far' | 'empty';

/**
 * A person crop as bundled: the face box is at x 0.25..0.75 of the crop width, y 0.14..0.45
 * (the crop is 2 face widths wide and 3.2 tall, face box from BlazeFace on the original photo).
 */
const FACE_WIDTH_PER_CROP_WIDTH = 0.5;
const CROP_HEIGHT_PER_FACE_WIDTH = 3.2;

/** Where a person stands, in the 1280x720 reference frame: face box width and the crop's top-left. */
interface Placement {
  readonly person: string;
  readonly faceWidthPx: number;
  readonly left: number;
  readonly top: number;
}

const REFERENCE_WIDTH = 1280;
const REFERENCE_HEIGHT = 720;

/*
 * Face widths are chosen against the usual recognisability figure (inter-eye distance >= 60 px for
 * identification): BlazeFace's eye keypoints sit ~0.42 face widths apart on these photos, so a
 * 180 px face gives ~75 px between the eyes, and a 22 px face ~9 px (detectable, not recognisable).
 */
const NEAR: readonly Placement[] = [
  { person: 'sample6-b', faceWidthPx: 196, left: 90, top: 130 },
  { person: 'sample3-a', faceWidthPx: 176, left: 480, top: 170 },
  { person: 'sample6-c', faceWidthPx: 184, left: 850, top: 140 },
];

const FAR: readonly Placement[] = [
  { person: 'sample6-a', faceWidthPx: 22, left: 470, top: 300 },
  { person: 'sample1-a', faceWidthPx: 22, left: 530, top: 306 },
  { person: 'sample3-b', faceWidthPx: 20, left: 610, top: 296 },
  { person: 'sample6-d', faceWidthPx: 24, left: 700, top: 310 },
  { person: 'sample6-b', faceWidthPx: 21, left: 770, top: 300 },
];

const PLACEMENTS: Readonly<Record<SceneName, readonly Placement[]>> = {
  'faces-near': NEAR,
  'faces-far': FAR,
  empty: [],
};

/**
 * The package root holds src/sim/assets both when running from src (tsx) and from dist (compiled),
 * so assets are resolved from it rather than from this module's directory.
 */
const packageRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'src', 'sim', 'assets'))) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error('camaudit package root (with src/sim/assets) not found above ' + fileURLToPath(import.meta.url));
    dir = parent;
  }
};

let assetsDirCache: string | null = null;
export const sceneAssetsDir = (): string => (assetsDirCache ??= join(packageRoot(), 'src', 'sim', 'assets'));

/** An entrance lobby drawn as SVG: wall, floor, glass doors at the back, reception desk, plant. */
const lobbySvg = (w: number, h: number): string => `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 1280 720" preserveAspectRatio="none">
  <defs>
    <linearGradient id="wall" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#e9e2d4"/><stop offset="1" stop-color="#cfc5b2"/></linearGradient>
    <linearGradient id="floor" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="#9a8f80"/><stop offset="1" stop-color="#5e564c"/></linearGradient>
    <linearGradient id="glass" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#b9d3e0"/><stop offset="1" stop-color="#7fa3b8"/></linearGradient>
  </defs>
  <rect width="1280" height="720" fill="url(#wall)"/>
  <rect y="420" width="1280" height="300" fill="url(#floor)"/>
  <path d="M0 720 L440 420 M1280 720 L840 420 M320 720 L560 420 M960 720 L720 420" stroke="#6f665a" stroke-width="2"/>
  <rect x="440" y="150" width="400" height="270" fill="#5b5b5b"/>
  <rect x="452" y="162" width="182" height="258" fill="url(#glass)"/>
  <rect x="646" y="162" width="182" height="258" fill="url(#glass)"/>
  <rect x="380" y="60" width="520" height="56" rx="6" fill="#8a2b2b"/>
  <rect x="420" y="76" width="440" height="24" rx="4" fill="#f4e7c8"/>
  <rect x="940" y="380" width="300" height="150" fill="#6b4a2f"/>
  <rect x="930" y="370" width="320" height="18" fill="#3f2c1c"/>
  <rect x="70" y="330" width="60" height="110" fill="#7b5b3a"/>
  <circle cx="100" cy="290" r="70" fill="#3f7a3a"/><circle cx="70" cy="250" r="45" fill="#4d8c45"/><circle cx="135" cy="255" r="42" fill="#356b31"/>
  <circle cx="300" cy="30" r="18" fill="#fffbe8"/><circle cx="640" cy="30" r="18" fill="#fffbe8"/><circle cx="980" cy="30" r="18" fill="#fffbe8"/>
</svg>`;

/** Head-and-shoulders alpha mask (feathered), in the crop's own pixel size. */
const personMaskSvg = (w: number, h: number): string => {
  const f = w * FACE_WIDTH_PER_CROP_WIDTH;
  const blur = Math.max(0.6, f * 0.04);
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}">
  <defs><filter id="f" x="-20%" y="-20%" width="140%" height="140%"><feGaussianBlur stdDeviation="${blur.toFixed(2)}"/></filter></defs>
  <g filter="url(#f)" fill="#fff">
    <ellipse cx="${w / 2}" cy="${0.95 * f}" rx="${0.66 * f}" ry="${0.86 * f}"/>
    <rect x="${w / 2 - 0.3 * f}" y="${1.4 * f}" width="${0.6 * f}" height="${0.6 * f}"/>
    <ellipse cx="${w / 2}" cy="${h}" rx="${w / 2 - blur * 2}" ry="${h - 1.65 * f}"/>
  </g>
</svg>`;
};

const personLayer = async (p: Placement, scale: number): Promise<OverlayOptions> => {
  const width = Math.max(4, Math.round((p.faceWidthPx * scale) / FACE_WIDTH_PER_CROP_WIDTH));
  const height = Math.max(6, Math.round(p.faceWidthPx * scale * CROP_HEIGHT_PER_FACE_WIDTH));
  const photo = join(sceneAssetsDir(), 'people', `${p.person}.jpg`);
  const input = await sharp(photo)
    .resize(width, height, { fit: 'cover', position: 'top' })
    .ensureAlpha()
    .composite([{ input: Buffer.from(personMaskSvg(width, height)), blend: 'dest-in' }])
    .png()
    .toBuffer();
  return { input, left: Math.round(p.left * scale), top: Math.round(p.top * scale) };
};

const renderRgb = async (scene: SceneName, width: number, height: number): Promise<Sharp> => {
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 16 || height < 16 || width > 7680 || height > 4320) {
    throw new Error(`scene size ${width}x${height} out of range (16x16..7680x4320, integers)`);
  }
  // Scale by the smaller ratio so faces keep their intended size relative to the frame.
  const scale = Math.min(width / REFERENCE_WIDTH, height / REFERENCE_HEIGHT);
  const layers = await Promise.all(PLACEMENTS[scene].map((p) => personLayer(p, scale)));
  const background = await sharp(Buffer.from(lobbySvg(width, height))).resize(width, height).png().toBuffer();
  const flat = await sharp(background).composite(layers).removeAlpha().png().toBuffer();
  return sharp(flat);
};

/** Rendered frames are pure functions of (scene, size, format): keep the few recent ones. */
const CACHE_MAX_ENTRIES = 24;
const cache = new Map<string, Promise<Uint8Array>>();

const cached = (key: string, make: () => Promise<Uint8Array>): Promise<Uint8Array> => {
  const hit = cache.get(key);
  if (hit) {
    cache.delete(key);
    cache.set(key, hit);
    return hit;
  }
  const made = make();
  cache.set(key, made);
  made.catch(() => cache.delete(key));
  if (cache.size > CACHE_MAX_ENTRIES) {
    const oldest = cache.keys().next();
    if (!oldest.done) cache.delete(oldest.value);
  }
  return made;
};

/** A JPEG of the scene at the given size (for snapshot URIs). */
export const renderSceneJpeg = (scene: SceneName, width: number, height: number): Promise<Uint8Array> =>
  cached(`${scene}:${width}x${height}:jpeg`, async () => new Uint8Array(await (await renderRgb(scene, width, height)).jpeg({ quality: 88 }).toBuffer()));

/** A lossless PNG of the scene (the RTSP encoder's input, so the video is not a JPEG re-encode). */
export const renderScenePng = (scene: SceneName, width: number, height: number): Promise<Uint8Array> =>
  cached(`${scene}:${width}x${height}:png`, async () => new Uint8Array(await (await renderRgb(scene, width, height)).png({ compressionLevel: 3 }).toBuffer()));
