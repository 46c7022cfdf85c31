/**
 * An exchange that answers one HTTP 401 with credentials: Digest (RFC 7616) when the device offers a
 * challenge we answer, Basic only where the caller allows it and the device offers nothing else.
 * Never a second guess: one retry with the inspector's credentials, and a refused one is reported.
 */
import { digestAuthorization, parseDigestChallenge, type Credentials } from './digest.js';
import { httpExchange, type HttpExchange, type HttpExchangeRequest } from './exchange.js';

export interface AuthenticatedRequest extends HttpExchangeRequest {
  readonly credentials?: Credentials;
  /** Basic puts the password on the wire in clear: only for a caller that must (snapshot URLs). */
  readonly allowBasic?: boolean;
  /** A fresh body for the retry (an ONVIF UsernameToken must not reuse its nonce); the same bytes otherwise. */
  readonly retryBody?: () => Buffer;
}

export interface AuthenticatedExchange {
  readonly exchange: HttpExchange;
  /** The body of the request that got `exchange`: the retry's when there was one. */
  readonly sentBody: Buffer | undefined;
}

const authorizationFor = (reply: HttpExchange, req: AuthenticatedRequest, creds: Credentials): string | null => {
  const challenge = parseDigestChallenge(reply.headers['www-authenticate']);
  if (challenge) return digestAuthorization({ challenge, method: req.method, uri: `${req.url.pathname}${req.url.search}`, ...creds });
  const offered = [reply.headers['www-authenticate'] ?? ''].flat().join(',');
  return req.allowBasic === true && /^\s*Basic/i.test(offered) ? `Basic ${Buffer.from(`${creds.username}:${creds.password}`).toString('base64')}` : null;
};

export const authenticatedExchange = async (req: AuthenticatedRequest): Promise<AuthenticatedExchange> => {
  const first = await httpExchange(req);
  const authorization = first.status === 401 && req.credentials ? authorizationFor(first, req, req.credentials) : null;
  if (authorization === null) return { exchange: first, sentBody: req.body };
  const body = req.retryBody?.() ?? req.body;
  const exchange = await httpExchange({ ...req, headers: { ...req.headers, Authorization: authorization }, ...(body === undefined ? {} : { body }) });
  return { exchange, sentBody: body };
};
