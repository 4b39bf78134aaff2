import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FlakyServiceOptions {
  /** Leave POST /admin/restart unanswered until releaseRestart(), to crash a caller mid-request. */
  holdRestart?: boolean;
}

export interface FlakyService {
  url: string;
  port: number;
  /** POST /admin/restart requests received, counted on arrival. */
  readonly restarts: number;
  /** GET /healthz requests received. */
  readonly healthChecks: number;
  readonly healthy: boolean;
  /** Answers held restarts and stops holding later ones. */
  releaseRestart(): void;
  setHealthy(healthy: boolean): void;
  /** Safe to call twice, so a test can close it early and still clean up in afterEach. */
  close(): Promise<void>;
}

/**
 * A real HTTP service on 127.0.0.1 that starts unhealthy: GET /healthz is 503 until a restart (or setHealthy).
 * GET /moved redirects off-host, to check that callers do not follow it.
 */
export async function startFlakyService(options: FlakyServiceOptions = {}): Promise<FlakyService> {
  let restarts = 0;
  let healthChecks = 0;
  let healthy = false;
  let holding = options.holdRestart ?? false;
  const held: ServerResponse[] = [];

  const answerRestart = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ restarted: true }));
  };

  const server = createServer((req, res) => {
    req.resume();
    if (req.method === 'GET' && req.url === '/healthz') {
      healthChecks += 1;
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' }).end(healthy ? 'ok' : 'unhealthy');
    } else if (req.method === 'POST' && req.url === '/admin/restart') {
      restarts += 1;
      healthy = true;
      if (holding) held.push(res);
      else answerRestart(res);
    } else if (req.method === 'GET' && req.url === '/moved') {
      res.writeHead(302, { location: 'http://example.invalid/healthz' }).end();
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get restarts() {
      return restarts;
    },
    get healthChecks() {
      return healthChecks;
    },
    get healthy() {
      return healthy;
    },
    releaseRestart() {
      holding = false;
      held.splice(0).forEach(answerRestart);
    },
    setHealthy(value) {
      healthy = value;
    },
    close() {
      if (!server.listening) return Promise.resolve();
      return new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        // Held requests and keep-alive sockets would otherwise keep close() waiting.
        server.closeAllConnections();
      });
    },
  };
}
