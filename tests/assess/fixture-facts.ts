/** Face facts of one real camera, decoded from every analytics-bearing capture in its fixture dir. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FaceFacts } from '../../src/assess/config.js';
import type { AnalyticsItem } from '../../src/core/types.js';
import {
  decodeAnalyticsConfigurations,
  decodeConfiguredAnalytics,
  decodeEventProperties,
  decodeProfiles,
  decodeSupportedAnalytics,
} from '../../src/onvif/decode.js';
import { decodeEnvelope } from '../../src/onvif/soap.js';
import { FIXTURES } from '../onvif/replay-server.js';

export const factsOfFixture = (dir: string): FaceFacts => {
  const analytics: AnalyticsItem[] = [];
  const eventTopics: string[] = [];
  for (const file of readdirSync(join(FIXTURES, dir))) {
    const env = decodeEnvelope(readFileSync(join(FIXTURES, dir, file)), file);
    if (!env.ok) continue;
    const el = env.value;
    const token = 'VideoAnalyticsToken';
    if (el.local === 'GetProfilesResponse') {
      const r = decodeProfiles(el);
      if (r.ok) analytics.push(...r.value.analytics);
    } else if (el.local === 'GetVideoAnalyticsConfigurationsResponse') {
      const r = decodeAnalyticsConfigurations(el);
      if (r.ok) analytics.push(...r.value.items);
    } else if (el.local === 'GetAnalyticsModulesResponse' || el.local === 'GetRulesResponse') {
      const r = decodeConfiguredAnalytics(token)(el);
      if (r.ok) analytics.push(...r.value);
    } else if (el.local === 'GetSupportedAnalyticsModulesResponse' || el.local === 'GetSupportedRulesResponse') {
      const r = decodeSupportedAnalytics(token)(el);
      if (r.ok) analytics.push(...r.value);
    } else if (el.local === 'GetEventPropertiesResponse') {
      const r = decodeEventProperties(el);
      if (r.ok) eventTopics.push(...r.value);
    }
  }
  return { analytics, eventTopics, vendor: [] };
};
