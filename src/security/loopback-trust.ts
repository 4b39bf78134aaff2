import type { RouteRequest } from '../http/route';

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
