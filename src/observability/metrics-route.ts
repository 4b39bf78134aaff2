import { constantTimeEqual } from '../server/http-server';
import type { Route, RouteRequest, RouteResponse } from '../server/http-server';
import { isDirectLoopback } from '../server/console/console-auth';
import type { Metrics } from './metrics';

const unauthorized = (error: string): RouteResponse => ({ status: 401, headers: { 'www-authenticate': 'Bearer realm="ai-fixer metrics"' }, body: { error } });

/**
 * Who may scrape: anyone on this machine (no proxy in between); from elsewhere a bearer METRICS_TOKEN
 * when one is set. Without a token /metrics is open: it carries counts, states and plugin ids, never
 * incident data, but the port should then be reachable only by the scraper. Null means allowed.
 */
export function refuseScrape(request: Pick<RouteRequest, 'remoteAddress' | 'headers'>, token: string | undefined): RouteResponse | null {
  if (token === undefined) return null;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
  if (bearer !== undefined) return constantTimeEqual(bearer, token) ? null : unauthorized('That metrics token is wrong.');
  if (isDirectLoopback(request)) return null;
  return unauthorized('Send Authorization: Bearer <METRICS_TOKEN>.');
}

/** `GET /metrics` in Prometheus text format. */
export function metricsRoute(metrics: Metrics, token: string | undefined): Route {
  return {
    method: 'GET',
    path: '/metrics',
    async handle(request) {
      const refused = refuseScrape(request, token);
      if (refused) return refused;
      const { contentType, text } = await metrics.scrape();
      return { status: 200, headers: { 'content-type': contentType }, raw: text };
    },
  };
}
