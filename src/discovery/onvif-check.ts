/** Whether an ONVIF device service answers at a URL: the unauthenticated GetSystemDateAndTime every ONVIF device must serve. */
import type { OnvifClient } from '../onvif/client.js';
import { decodeSystemDateAndTime } from '../onvif/decode.js';

/**
 * true: ONVIF answered (a SOAP fault or an authentication demand is still ONVIF talking); false: an HTTP
 * server answered without ONVIF (an error status, or a body that is not SOAP); null: nothing to tell by
 * (timeout, refused, reset).
 */
export const onvifAnswersAt = async (client: OnvifClient, url: string): Promise<boolean | null> => {
  const r = await client.call(url, { action: 'GetSystemDateAndTime' }, decodeSystemDateAndTime, { auth: false });
  if (r.ok || r.error.kind === 'fault' || r.error.kind === 'unsupported' || r.error.kind === 'auth') return true;
  if (r.error.kind === 'decode' || (r.error.kind === 'transport' && r.error.reason === 'http-status')) return false;
  return null;
};
