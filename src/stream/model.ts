/**
 * The shipped face model and its integrity check. The hash is part of the inspection record
 * (RULES.md: "the toolkit's version and model hash"), so a swapped model must not run silently.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export interface ModelSpec {
  readonly path: string;
  readonly sha256: string;
}

/** BlazeFace back 256x256, see models/MODEL.md for origin, license and re-derivation. */
export const BLAZEFACE_BACK: ModelSpec = {
  path: fileURLToPath(new URL('../../models/face_detection_back_256x256_barracuda.onnx', import.meta.url)),
  sha256: '427cbbe0fc41448d09e1dc9cfabe2423d997cf2faaeab91fadd09a510b63b8e2',
};

export class ModelIntegrityError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ModelIntegrityError';
  }
}

/** Reads the model and checks its sha256; throws ModelIntegrityError on a missing or different file. */
export const loadModel = async (spec: ModelSpec): Promise<Uint8Array> => {
  let bytes: Uint8Array;
  try {
    bytes = await readFile(spec.path);
  } catch (e) {
    throw new ModelIntegrityError(`face model missing at ${spec.path}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const actual = createHash('sha256').update(bytes).digest('hex');
  if (actual !== spec.sha256) {
    throw new ModelIntegrityError(
      `face model ${spec.path} has sha256 ${actual}, expected ${spec.sha256}; refusing to run a model that is not the documented one (see models/MODEL.md to re-derive it)`,
    );
  }
  return bytes;
};
