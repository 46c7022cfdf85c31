import { describe, expect, it } from 'vitest';
import { credentialLookup, decodeCredentialsFile, staticLookup } from '../../src/pipeline/credentials.js';

describe('credentials file', () => {
  const file = {
    devices: { '192.168.1.64': { user: 'inspector', passwordEnv: 'ENTRANCE_PW' }, '192.168.1.70:8080': { user: 'ops', passwordEnv: 'PORT_PW' } },
    vendors: { hikvision: { user: 'admin', passwordEnv: 'HIK_PW' } },
    default: { user: 'admin', passwordEnv: 'CAM_PW' },
  };
  const env = { ENTRANCE_PW: 'e', PORT_PW: 'p', HIK_PW: 'h', CAM_PW: 'd' };

  it('picks the most specific entry: address:port, address, vendor, default', () => {
    const r = decodeCredentialsFile(file);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const lookup = credentialLookup(r.value, env);
    expect(lookup('192.168.1.70', 8080, null)).toEqual({ username: 'ops', password: 'p' });
    expect(lookup('192.168.1.64', 80, 'HIKVISION')).toEqual({ username: 'inspector', password: 'e' });
    expect(lookup('192.168.1.65', 80, 'HIKVISION')).toEqual({ username: 'admin', password: 'h' });
    expect(lookup('192.168.1.66', 80, 'Dahua')).toEqual({ username: 'admin', password: 'd' });
  });

  it('gives no credential when the named variable is unset', () => {
    const r = decodeCredentialsFile({ default: { user: 'admin', passwordEnv: 'UNSET_VAR' } });
    expect(r.ok && credentialLookup(r.value, {})('1.2.3.4', 80, null)).toBeNull();
  });

  it.each([
    [{ default: { user: 'admin', password: 'secret' } }, 'passwords are never read from files'],
    [{ default: { user: '', passwordEnv: 'X' } }, 'non-empty'],
    [{ devices: { a: { user: 'u', passwordEnv: 'not a name' } } }, 'environment variable name'],
    [[], 'JSON object'],
  ])('refuses a bad file with a message naming the problem (%#)', (raw, message) => {
    const r = decodeCredentialsFile(raw);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toContain(message);
  });

  it('static lookup prefers address:port', () => {
    const lookup = staticLookup(new Map([['127.0.0.1:8001', { username: 'a', password: '1' }], ['127.0.0.1', { username: 'b', password: '2' }]]));
    expect(lookup('127.0.0.1', 8001, null)?.username).toBe('a');
    expect(lookup('127.0.0.1', 8002, null)?.username).toBe('b');
  });
});
