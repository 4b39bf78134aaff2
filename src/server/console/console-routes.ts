import type { z } from 'zod';
import { InvalidInputError } from '../../domain/errors';
import type { Route, RouteRequest, RouteResponse } from '../../http/route';
import type { Localized } from '../../i18n';
import { refuseConsoleRequest } from './console-auth';
import type { LoopbackTrust } from './console-auth';
import { consoleText } from './console-text';
import { boundOf, isConsoleKey } from './console-text';

export const API = '/api/console';

/**
 * A console API route: refused unless the caller may use the console (token, or this machine). A bare
 * token (or none) is taken as `{ token }`: loopback is not trusted once a token is set.
 */
export function consoleRoute(
  trust: LoopbackTrust | string | undefined,
  method: Route['method'],
  path: string,
  handle: (request: RouteRequest) => Promise<RouteResponse>,
): Route {
  const access = typeof trust === 'object' ? trust : { token: trust };
  return {
    method,
    path: `${API}${path}`,
    // Before the body is read, and again on the whole request for a caller that skips the server's check.
    authorize: (request) => refuseConsoleRequest(request, access),
    handle: async (request) => refuseConsoleRequest(request, access) ?? noStore(await handle(request)),
  };
}

function noStore(response: RouteResponse): RouteResponse {
  return { ...response, headers: { 'cache-control': 'no-store', ...response.headers } };
}

/**
 * A 400 saying what is wrong. `error` is in every language when it is ours; a message from below (an input
 * error's own text) goes as it is, and the page shows either.
 */
export const badRequest = (error: Localized<string> | string, issues?: unknown): RouteResponse => ({ status: 400, body: { error, ...(issues ? { issues } : {}) } });

/** The JSON body checked against a schema; a 400 saying what is wrong otherwise. */
export function parseBody<T extends z.ZodType>(request: RouteRequest, schema: T): { ok: true; value: z.infer<T> } | { ok: false; response: RouteResponse } {
  if (!/^application\/json\b/i.test(request.headers['content-type'] ?? '')) return { ok: false, response: badRequest(consoleText('console.error.sendJson')) };
  let json: unknown;
  try {
    json = JSON.parse(request.rawBody.toString('utf8'));
  } catch {
    return { ok: false, response: badRequest(consoleText('console.error.notJson')) };
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    // The first reason goes in the error itself: that is the line a person sees. A schema of ours names a
    // catalog message (with the bound it broke); anything else is zod's own words.
    const first = parsed.error.issues[0];
    if (first && isConsoleKey(first.message)) return { ok: false, response: badRequest(consoleText(first.message, boundOf(first)), issues) };
    const reason = issues[0] ? `${issues[0].path}: ${issues[0].message}` : '?';
    return { ok: false, response: badRequest(consoleText('console.error.invalidBody', { reason }), issues) };
  }
  return { ok: true, value: parsed.data };
}

/** The runtime's "bad input" is the caller's mistake; anything else is ours and propagates. */
export function invalidInput(error: unknown): RouteResponse {
  if (error instanceof InvalidInputError) return badRequest(error.message);
  throw error;
}
