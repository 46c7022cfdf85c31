/**
 * `CAMAUDIT_WSD_PORT`, `CAMAUDIT_SADP_PORT` and `CAMAUDIT_DHIP_PORT` move discovery off 3702, 37020 and
 * 37810: for training rooms and tests where several simulated offices share one machine and must not
 * answer each other's inquiries. Real devices always listen on the standard ports.
 */
export interface DiscoveryPorts {
  readonly wsd?: number;
  readonly sadp?: number;
  readonly dhip?: number;
}

const VARIABLES = { wsd: 'CAMAUDIT_WSD_PORT', sadp: 'CAMAUDIT_SADP_PORT', dhip: 'CAMAUDIT_DHIP_PORT' } as const;

export const discoveryPortsFromEnv = (env: Readonly<Record<string, string | undefined>>): DiscoveryPorts => {
  const out: { wsd?: number; sadp?: number; dhip?: number } = {};
  for (const [key, name] of Object.entries(VARIABLES) as [keyof DiscoveryPorts, string][]) {
    const raw = env[name];
    const port = raw === undefined || !/^\d{1,5}$/.test(raw) ? NaN : Number(raw);
    if (Number.isInteger(port) && port > 0 && port < 65_536) out[key] = port;
  }
  return out;
};
