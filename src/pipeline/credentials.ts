/**
 * Credentials for a visit: which user and which *environment variable* hold the password for a
 * device, by address or by vendor. The file never holds a password, and nothing here writes one.
 *
 * File format (JSON):
 *   { "devices": { "192.168.1.64": { "user": "admin", "passwordEnv": "CAM_ENTRANCE_PW" } },
 *     "vendors": { "hikvision": { "user": "admin", "passwordEnv": "HIK_PW" } },
 *     "default": { "user": "admin", "passwordEnv": "CAM_PW" } }
 */
import { decodeError, type DecodeError } from '../core/errors.js';
import { err, ok, type Result } from '../core/result.js';

export interface CredentialRef {
  readonly user: string;
  readonly passwordEnv: string;
}

export interface CredentialsFile {
  readonly devices: Readonly<Record<string, CredentialRef>>;
  readonly vendors: Readonly<Record<string, CredentialRef>>;
  readonly default: CredentialRef | null;
}

export interface Credential {
  readonly username: string;
  readonly password: string;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const decodeRef = (v: unknown, path: string): Result<CredentialRef, DecodeError> => {
  if (!isRecord(v)) return err(decodeError(path, 'expected an object with "user" and "passwordEnv"'));
  if ('password' in v) return err(decodeError(path, 'passwords are never read from files: name an environment variable in "passwordEnv"'));
  const { user, passwordEnv } = v;
  if (typeof user !== 'string' || user === '') return err(decodeError(`${path}.user`, 'expected a non-empty string'));
  if (typeof passwordEnv !== 'string' || !/^[A-Za-z_][A-Za-z0-9_]*$/.test(passwordEnv)) {
    return err(decodeError(`${path}.passwordEnv`, 'expected an environment variable name'));
  }
  return ok({ user, passwordEnv });
};

const decodeMap = (v: unknown, path: string): Result<Record<string, CredentialRef>, DecodeError> => {
  if (v === undefined) return ok({});
  if (!isRecord(v)) return err(decodeError(path, 'expected an object'));
  const out: Record<string, CredentialRef> = {};
  for (const [k, ref] of Object.entries(v)) {
    const r = decodeRef(ref, `${path}.${k}`);
    if (!r.ok) return r;
    out[k.toLowerCase()] = r.value;
  }
  return ok(out);
};

export const decodeCredentialsFile = (raw: unknown): Result<CredentialsFile, DecodeError> => {
  if (!isRecord(raw)) return err(decodeError('$', 'expected a JSON object'));
  const devices = decodeMap(raw.devices, '$.devices');
  if (!devices.ok) return devices;
  const vendors = decodeMap(raw.vendors, '$.vendors');
  if (!vendors.ok) return vendors;
  const def = raw.default === undefined ? ok(null) : decodeRef(raw.default, '$.default');
  if (!def.ok) return def;
  return ok({ devices: devices.value, vendors: vendors.value, default: def.value });
};

/** Vendor names as devices spell them ('HIKVISION', 'Dahua Technology') -> our keys. */
export const vendorKey = (manufacturer: string | null): string | null => {
  if (!manufacturer) return null;
  const m = manufacturer.toLowerCase();
  if (m.includes('hikvision')) return 'hikvision';
  if (m.includes('dahua')) return 'dahua';
  return m.trim().split(/\s+/)[0] ?? null;
};

/**
 * A lookup: the most specific entry wins (address:port, address, vendor, default). Passwords are read
 * from the environment at the moment of use, held in memory only.
 */
export type CredentialLookup = (address: string, port: number | null, manufacturer: string | null) => Credential | null;

export const credentialLookup = (
  file: CredentialsFile,
  env: Readonly<Record<string, string | undefined>>,
): CredentialLookup => (address, port, manufacturer) => {
  const vendor = vendorKey(manufacturer);
  const ref =
    (port !== null ? file.devices[`${address}:${port}`] : undefined) ??
    file.devices[address] ??
    (vendor ? file.vendors[vendor] : undefined) ??
    file.default;
  if (!ref) return null;
  const password = env[ref.passwordEnv];
  return password === undefined ? null : { username: ref.user, password };
};

/** In-memory credentials (the TUI's prompts, the demo's simulated cameras). */
export const staticLookup = (entries: ReadonlyMap<string, Credential>): CredentialLookup => (address, port) =>
  (port !== null ? entries.get(`${address}:${port}`) : undefined) ?? entries.get(address) ?? null;
