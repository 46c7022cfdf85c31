/** Which vendor APIs are worth a read-only look, from what ONVIF already told us. */
import type { DeviceIdentity } from '../core/types.js';

export type VendorKey = 'hikvision' | 'dahua';

// OEM brands that ship the vendor's firmware and keep its HTTP APIs.
const HINTS: readonly (readonly [VendorKey, RegExp])[] = [
  ['hikvision', /hikvision|hik-?connect|\bhikv|\bezviz|\bhiwatch|\bDS-2[A-Z]{2}\d/i],
  ['dahua', /dahua|\bamcrest|\blorex|\bimou\b/i],
];

export const suggestVendors = (device: DeviceIdentity | null, scopes: readonly string[]): VendorKey[] => {
  const text = [device?.manufacturer ?? '', device?.model ?? '', ...scopes].join(' ');
  return HINTS.filter(([, re]) => re.test(text)).map(([k]) => k);
};
