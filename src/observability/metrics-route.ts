import { constantTimeEqual } from '../security/constant-time';
import type { Route, RouteRequest, RouteResponse } from '../http/route';
import { bearerOf, hasLoopbackHost, isDirectLoopback } from '../security/loopback-trust';
import type { LoopbackTrust } from '../security/loopback-trust';
import type { Metrics } from './metrics';

const unauthorized = (error: string): RouteResponse => ({ status: 401, headers: { 'www-authenticate': 'Bearer realm="ai-fixer metrics"' }, body: { error } });
const REBOUND: RouteResponse = { status: 403, body: { error: 'Scrape as localhost or 127.0.0.1 on this machine, or send the token.' } };

/**
 * Who may scrape. With METRICS_TOKEN set, everyone sends it (a reverse proxy on this machine is a
 * loopback peer too), unless CONSOLE_TRUST_LOOPBACK lets a direct local scraper in. Without a token
 * /metrics is open: it carries counts, states and plugin ids, never incident data, but the port should
 * then be reachable only by the scraper. A loopback peer naming another Host is a page whose DNS name
 * was rebound to this machine, refused as the console refuses it. Null means allowed.
 */
export function refuseScrape(request: Pick<RouteRequest, 'remoteAddress' | 'headers'>, access: LoopbackTrust): RouteResponse | null {
  const { token } = access;
  const bearer = bearerOf(request);
  if (token !== undefined && bearer !== undefined) return constantTimeEqual(bearer, token) ? null : unauthorized('That metrics token is wrong.');
  const local = isDirectLoopback(request);
  if (local && !hasLoopbackHost(request)) return REBOUND;
  if (token === undefined || (local && access.trustLoopback)) return null;
  return unauthorized('Send Authorization: Bearer <METRICS_TOKEN>.');
}

/** `GET /metrics` in Prometheus text format. */
export function metricsRoute(metrics: Metrics, token: string | undefined, trustLoopback = false): Route {
  return {
    method: 'GET',
    path: '/metrics',
    async handle(request) {
      const refused = refuseScrape(request, { token, trustLoopback });
      if (refused) return refused;
      const { contentType, text } = await metrics.scrape();
      return { status: 200, headers: { 'content-type': contentType }, raw: text };
    },
  };
}
