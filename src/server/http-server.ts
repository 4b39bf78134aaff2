import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { Route, RouteResponse } from '../http/route';
import { errorForLog, readBody } from './request-body';

export interface HealthChecks {
  /** Resolves when the database answers. */
  database(): Promise<void>;
  /** Further dependencies by name (redis, chat): each resolves when usable and rejects saying why not. */
  others?: Record<string, () => Promise<void>>;
}

export interface HttpServerOptions {
  port: number;
  host?: string;
  checks: HealthChecks;
  routes?: Route[];
  logger: Logger;
  /** Bodies above this are refused with 413 before they are buffered. */
  maxBodyBytes?: number;
  /** PEM certificate and key: serve HTTPS directly instead of plain HTTP behind a proxy. */
  tls?: { cert: Buffer; key: Buffer };
  /** A body not in full within this long is refused with 408 and its connection closed (default 30 s). */
  bodyTimeoutMs?: number;
}

export interface RunningServer {
  port: number;
  /**
   * Shutting down: `/readyz` answers 503 so load balancers move on, and every request but GET/HEAD
   * (alerts, Lark events, console posts) is refused with 503 so its sender retries elsewhere or later.
   */
  drain(): void;
  close(): Promise<void>;
}

const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
/** Slow senders must not hold sockets open indefinitely. */
const REQUEST_TIMEOUT_MS = 30_000;
/** A readiness check that hangs (a Redis reconnect loop) counts as failed rather than stalling the probe. */
const CHECK_TIMEOUT_MS = 3_000;


/**
 * `/healthz` says the process is alive; `/readyz` that it can do its work (database reachable, and the
 * other checks given) and is not shutting down. Other modules add their endpoints as routes.
 */
export async function startHttpServer(options: HttpServerOptions): Promise<RunningServer> {
  const state = { draining: false };
  const routes = [...healthRoutes(options.checks, state), ...(options.routes ?? [])];
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const streams = new Set<AbortController>();
  const handler = (req: IncomingMessage, res: ServerResponse) => {
    if (state.draining && req.method !== 'GET' && req.method !== 'HEAD') {
      return refuse(req, res, { status: 503, headers: { 'retry-after': '5' }, body: { error: 'shutting down; try again shortly' } });
    }
    dispatch(req, res, routes, { maxBodyBytes, bodyTimeoutMs: options.bodyTimeoutMs ?? REQUEST_TIMEOUT_MS }, streams).catch((error: unknown) => {
      // Not the whole error: a driver's message can quote the request's whole payload.
      options.logger.error({ err: errorForLog(error), method: req.method, path: req.url?.split('?')[0]?.slice(0, 200) }, 'http handler failed');
      if (!res.headersSent) reply(res, { status: 500, body: { error: 'internal error' } });
      else res.end();
    });
  };
  const server: Server = options.tls ? createTlsServer({ cert: options.tls.cert, key: options.tls.key }, handler) : createServer(handler);
  server.requestTimeout = REQUEST_TIMEOUT_MS;
  server.headersTimeout = REQUEST_TIMEOUT_MS;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    drain: () => void (state.draining = true),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Open streams never go idle: end them, or close would wait for their clients forever.
        for (const stream of streams) stream.abort();
        server.closeIdleConnections();
      }),
  };
}

function healthRoutes(checks: HealthChecks, state: { draining: boolean }): Route[] {
  const all = Object.entries({ database: () => checks.database(), ...checks.others });
  return [
    { method: 'GET', path: '/healthz', handle: () => Promise.resolve({ status: 200, body: { status: 'ok' } }) },
    {
      method: 'GET',
      path: '/readyz',
      async handle() {
        if (state.draining) return { status: 503, body: { status: 'draining' } };
        const failures = (await Promise.all(all.map(async ([name, check]) => [name, await failureOf(check)] as const))).filter(([, why]) => why !== undefined);
        if (failures.length === 0) return { status: 200, body: { status: 'ready' } };
        return { status: 503, body: { status: 'not ready', ...Object.fromEntries(failures) } };
      },
    },
  ];
}

/** Why a check failed, or undefined when it passed in time. */
async function failureOf(check: () => Promise<void>): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${CHECK_TIMEOUT_MS / 1_000}s`)), CHECK_TIMEOUT_MS);
  });
  try {
    await Promise.race([check(), timeout]);
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    clearTimeout(timer);
  }
}

interface BodyLimits {
  maxBodyBytes: number;
  bodyTimeoutMs: number;
}

async function dispatch(req: IncomingMessage, res: ServerResponse, routes: Route[], limits: BodyLimits, streams: Set<AbortController>): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  const atPath = routes.filter((r) => r.path === url.pathname);
  if (atPath.length === 0) return refuse(req, res, { status: 404, body: { error: 'not found' } });
  const route = atPath.find((r) => r.method === req.method);
  if (!route) {
    const allow = atPath.map((r) => r.method).join(', ');
    return refuse(req, res, { status: 405, headers: { allow }, body: { error: `method not allowed; use ${allow}` } });
  }
  const head = { headers: req.headers, url, remoteAddress: req.socket.remoteAddress };
  const refused = route.authorize?.(head);
  if (refused) return refuse(req, res, refused);
  const read = await readBody(req, limits.maxBodyBytes, limits.bodyTimeoutMs);
  if (read.kind === 'too_large') {
    return refuse(req, res, { status: 413, body: { error: `request body too large (at most ${limits.maxBodyBytes} bytes)` } });
  }
  if (read.kind === 'too_slow') {
    reply(res, { status: 408, headers: { connection: 'close' }, body: { error: `the body did not arrive within ${limits.bodyTimeoutMs / 1_000}s` } });
    // A slow sender is not waited for: the socket goes once the answer is written.
    res.once('finish', () => req.socket.destroy());
    return;
  }
  const response = await route.handle({ ...head, rawBody: read.body });
  if (response.stream) return openStream(res, response, response.stream, streams);
  reply(res, response);
}

function openStream(res: ServerResponse, response: RouteResponse, stream: NonNullable<RouteResponse['stream']>, streams: Set<AbortController>): void {
  const closed = new AbortController();
  streams.add(closed);
  res.once('close', () => closed.abort());
  closed.signal.addEventListener('abort', () => {
    streams.delete(closed);
    res.end();
  });
  res.writeHead(response.status, response.headers);
  res.flushHeaders();
  stream(res, closed.signal);
}

/** Answers without reading the body; the connection is closed so an unread body cannot confuse the next request. */
function refuse(req: IncomingMessage, res: ServerResponse, response: RouteResponse): void {
  reply(res, { ...response, headers: { ...response.headers, connection: 'close' } });
  req.resume();
}

function reply(res: ServerResponse, response: RouteResponse): void {
  if (response.raw !== undefined) {
    res.writeHead(response.status, response.headers);
    res.end(response.raw);
    return;
  }
  res.writeHead(response.status, { ...response.headers, 'content-type': 'application/json' });
  res.end(JSON.stringify(response.body ?? null));
}
