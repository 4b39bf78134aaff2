import { constantTimeEqual } from '../../security/constant-time';
import type { RouteRequest, RouteResponse } from '../../http/route';
import { bearerOf, hasLoopbackHost, isDirectLoopback } from '../../security/loopback-trust';
import type { LoopbackTrust } from '../../security/loopback-trust';
import type { Localized } from '../../i18n';
import { consoleText } from './console-text';

export type { LoopbackTrust };

/** Sent by the console's own page; a page on another site cannot add it without a CORS preflight, which is never granted. */
export const CONSOLE_HEADER = 'x-ai-fixer-console';

/** A refusal; `error` in every language (the page shows its reader's, e.g. in the token dialog). */
const refuse = (status: 401 | 403, error: Localized<string>, tokenRequired: boolean): RouteResponse => ({
  status,
  // for developers: an HTTP header (RFC 6750), read by clients, not people
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
    return refuse(403, consoleText('console.error.notFromPage', { header: CONSOLE_HEADER }), false);
  }
  const bearer = bearerOf(request);
  if (bearer !== undefined) {
    if (token !== undefined && constantTimeEqual(bearer, token)) return null;
    return refuse(401, consoleText(token ? 'console.error.wrongToken' : 'console.error.noTokenSet'), true);
  }
  if (token !== undefined && !access.trustLoopback) return refuse(401, consoleText('console.error.sendToken'), true);
  if (!isDirectLoopback(request)) return refuse(401, consoleText(token ? 'console.error.remoteSendToken' : 'console.error.remoteSetToken'), true);
  if (!hasLoopbackHost(request)) return refuse(403, consoleText('console.error.loopbackHost'), false);
  return null;
}
