import { readFileSync } from 'node:fs';

/** The toolkit version recorded in every inspection (src/cli and dist/cli both sit two levels below the package root). */
export const toolkitVersion = (): string => {
  const raw: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof raw === 'object' && raw !== null && 'version' in raw && typeof raw.version === 'string' ? raw.version : 'unknown';
};
