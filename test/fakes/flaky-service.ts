import { createServer } from 'node:http';
import type { ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FlakyServiceOptions {
  /** Leave POST /admin/restart unanswered until releaseRestart(), to crash a caller mid-request. */
  holdRestart?: boolean;
  /** Headers every request must carry (lower-case names), else 401: proves a caller sent a configured secret. */
  requireHeaders?: Record<string, string>;
  /** Answer POST /admin/restart this long after it arrived (the restart itself applies on arrival): a wider window to die in mid-request. */
  restartDelayMs?: number;
}

export interface FlakyService {
  url: string;
  port: number;
  /** POST /admin/restart requests received, counted on arrival. */
  readonly restarts: number;
  /** The same requests by their `Idempotency-Key` header (none: under ''): a key counted twice was acted on twice. */
  readonly restartLedger: ReadonlyMap<string, number>;
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
  const restartLedger = new Map<string, number>();
  let healthChecks = 0;
  let healthy = false;
  let holding = options.holdRestart ?? false;
  const held: ServerResponse[] = [];

  const answerRestart = (res: ServerResponse): void => {
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ restarted: true }));
  };

  const server = createServer((req, res) => {
    req.resume();
    const missing = Object.entries(options.requireHeaders ?? {}).some(([name, value]) => req.headers[name] !== value);
    if (missing) {
      res.writeHead(401, { 'content-type': 'text/plain' }).end('unauthorized');
    } else if (req.method === 'GET' && req.url === '/healthz') {
      healthChecks += 1;
      res.writeHead(healthy ? 200 : 503, { 'content-type': 'text/plain' }).end(healthy ? 'ok' : 'unhealthy');
    } else if (req.method === 'POST' && req.url === '/admin/restart') {
      restarts += 1;
      const key = req.headers['idempotency-key'];
      const ledgerKey = typeof key === 'string' ? key : '';
      restartLedger.set(ledgerKey, (restartLedger.get(ledgerKey) ?? 0) + 1);
      healthy = true;
      if (holding) held.push(res);
      else if (options.restartDelayMs) setTimeout(() => answerRestart(res), options.restartDelayMs);
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
    restartLedger,
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
