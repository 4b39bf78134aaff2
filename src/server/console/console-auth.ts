import { constantTimeEqual } from '../../security/constant-time';
import type { RouteRequest, RouteResponse } from '../../http/route';
import { bearerOf, hasLoopbackHost, isDirectLoopback } from '../../security/loopback-trust';
import type { LoopbackTrust } from '../../security/loopback-trust';

export type { LoopbackTrust };

/** Sent by the console's own page; a page on another site cannot add it without a CORS preflight, which is never granted. */
export const CONSOLE_HEADER = 'x-ai-fixer-console';

const refuse = (status: 401 | 403, error: string, tokenRequired: boolean): RouteResponse => ({
  status,
  headers: status === 401 ? { 'www-authenticate': 'Bearer realm="ai-fixer console"' } : {},
  body: { error, tokenRequired },
});

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
