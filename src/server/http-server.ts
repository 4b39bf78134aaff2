import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';

export interface HealthChecks {
  /** Resolves when the database answers. */
  database(): Promise<void>;
}

export interface RunningServer {
  port: number;
  close(): Promise<void>;
}

/** `/healthz` says the process is alive; `/readyz` that it can do its work (database reachable). */
export async function startHttpServer(port: number, checks: HealthChecks, logger: Logger): Promise<RunningServer> {
  const server: Server = createServer((req, res) => {
    handle(req, res, checks).catch((error: unknown) => {
      logger.error({ err: error, url: req.url }, 'http handler failed');
      if (!res.headersSent) reply(res, 500, { error: 'internal error' });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '0.0.0.0', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

async function handle(req: IncomingMessage, res: ServerResponse, checks: HealthChecks): Promise<void> {
  const path = new URL(req.url ?? '/', 'http://localhost').pathname;
  if (req.method !== 'GET') return reply(res, 405, { error: 'method not allowed' });
  if (path === '/healthz') return reply(res, 200, { status: 'ok' });
  if (path === '/readyz') {
    try {
      await checks.database();
      return reply(res, 200, { status: 'ready' });
    } catch (error) {
      return reply(res, 503, { status: 'not ready', database: error instanceof Error ? error.message : String(error) });
    }
  }
  reply(res, 404, { error: 'not found' });
}

function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
