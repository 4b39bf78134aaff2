import { constantTimeEqual } from '../../security/constant-time';
import type { RouteRequest, RouteResponse } from '../../http/route';

/** Sent by the console's own page; a page on another site cannot add it without a CORS preflight, which is never granted. */
export const CONSOLE_HEADER = 'x-ai-fixer-console';

const LOOPBACK_ADDRESS = /^(?:127(?:\.\d{1,3}){3}|::1|::ffff:127(?:\.\d{1,3}){3})$/;
/** The names a browser on this machine uses; any other Host on a loopback socket is a rebound DNS name. */
const LOOPBACK_HOST = /^(?:localhost|127(?:\.\d{1,3}){3}|\[::1\])(?::\d{1,5})?$/i;

/** Who may skip the token: nobody once a token is set, unless CONSOLE_TRUST_LOOPBACK says this machine may. */
export interface LoopbackTrust {
  token: string | undefined;
  /**
   * CONSOLE_TRUST_LOOPBACK: with a token set, a loopback peer may still come in without it. Off by
   * default: a reverse proxy on this machine that adds no forwarding header (nginx's bare
   * `proxy_pass`) is a loopback peer too, and would open the console to everyone behind it.
   */
  trustLoopback?: boolean;
}

const refuse = (status: 401 | 403, error: string, tokenRequired: boolean): RouteResponse => ({
  status,
  headers: status === 401 ? { 'www-authenticate': 'Bearer realm="ai-fixer console"' } : {},
  body: { error, tokenRequired },
});

/**
 * Straight from this machine: a loopback peer and no proxy in between (a proxy's clients are not
 * local). A forwarding header counts even when empty: only a proxy sends one.
 */
export function isDirectLoopback(request: Pick<RouteRequest, 'remoteAddress' | 'headers'>): boolean {
  const { headers } = request;
  const forwarded = headers['x-forwarded-for'] !== undefined || headers.forwarded !== undefined || headers['x-real-ip'] !== undefined;
  return LOOPBACK_ADDRESS.test(request.remoteAddress ?? '') && !forwarded;
}

/** The Host a browser on this machine sends; another name on a loopback socket is a rebound DNS name. */
export function hasLoopbackHost(request: Pick<RouteRequest, 'headers'>): boolean {
  return LOOPBACK_HOST.test(request.headers.host ?? '');
}

/** The bearer token of an `Authorization` header, if it has one. */
export function bearerOf(request: Pick<RouteRequest, 'headers'>): string | undefined {
  return /^Bearer\s+(\S+)\s*$/i.exec(request.headers.authorization ?? '')?.[1];
}

function sameOrigin(request: Pick<RouteRequest, 'headers'>): boolean {
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}

/**
 * Who may use the console's API: a bearer CONSOLE_TOKEN from anywhere; without one, a browser on
 * this machine only when no token is set (or CONSOLE_TRUST_LOOPBACK). Both must come from the
 * console's own page (its header, same origin), so another site open in the same browser cannot
 * drive the console. Null means allowed.
 */
export function refuseConsoleRequest(request: Pick<RouteRequest, 'remoteAddress' | 'headers'>, access: LoopbackTrust): RouteResponse | null {
  const { token } = access;
  if (request.headers[CONSOLE_HEADER] !== '1' || !sameOrigin(request)) {
    return refuse(403, `Requests must come from the console page (header ${CONSOLE_HEADER}: 1, same origin).`, false);
  }
  const bearer = bearerOf(request);
  if (bearer !== undefined) {
    if (token !== undefined && constantTimeEqual(bearer, token)) return null;
    return refuse(401, token ? 'That console token is wrong.' : 'No CONSOLE_TOKEN is set: the console is open only on this machine.', true);
  }
  if (token !== undefined && !access.trustLoopback) return refuse(401, 'Send Authorization: Bearer <CONSOLE_TOKEN>.', true);
  if (!isDirectLoopback(request)) {
    const how = token ? 'Send Authorization: Bearer <CONSOLE_TOKEN>.' : 'Set CONSOLE_TOKEN to use the console from another machine.';
    return refuse(401, `The console needs a token outside this machine. ${how}`, true);
  }
  if (!hasLoopbackHost(request)) {
    return refuse(403, 'Open the console as http://localhost:<port>/ (or 127.0.0.1) on this machine, or use a token.', false);
  }
  return null;
}
