/**
 * Dahua CGI, read-only. The same CGIs also reboot and reconfigure, so only the allowlisted
 * identity actions and the VideoAnalyseRule read are ever formed here (and the allowlist checks them).
 */
import type { VendorFacts } from '../core/types.js';
import { vendorGet, type VendorHttpOptions } from './vendor-http.js';

export const DAHUA_TARGETS: readonly (readonly [prefix: string, target: string])[] = [
  ['magicBox.getDeviceType', '/cgi-bin/magicBox.cgi?action=getDeviceType'],
  ['magicBox.getSystemInfo', '/cgi-bin/magicBox.cgi?action=getSystemInfo'],
  ['magicBox.getSoftwareVersion', '/cgi-bin/magicBox.cgi?action=getSoftwareVersion'],
  ['magicBox.getVendor', '/cgi-bin/magicBox.cgi?action=getVendor'],
  ['', '/cgi-bin/configManager.cgi?action=getConfig&name=VideoAnalyseRule'],
];

const MAX_LINES = 20_000;

/** `key=value` lines (Dahua's text answers); `table.*` keys are kept as the device wrote them. */
export const parseKeyValues = (text: string, prefix: string): Record<string, string> => {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/).slice(0, MAX_LINES)) {
    const i = line.indexOf('=');
    if (i <= 0) continue;
    const key = line.slice(0, i).trim();
    out[prefix ? `${prefix}.${key}` : key] = line.slice(i + 1).trim();
  }
  return out;
};

export const readDahua = async (base: URL, opts: VendorHttpOptions): Promise<VendorFacts | null> => {
  const values: Record<string, string> = {};
  let answered = false;
  for (const [prefix, target] of DAHUA_TARGETS) {
    const r = await vendorGet(base, target, 'dahua-cgi', opts);
    if (!r.body) continue;
    answered = true;
    Object.assign(values, parseKeyValues(r.body.toString('utf8'), prefix));
  }
  return answered ? { vendor: 'dahua', values } : null;
};
