import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import prometheusQuery from '../../plugins/diagnostic/prometheus-query';
import prometheusQueryRange from '../../plugins/diagnostic/prometheus-query-range';
import type { PluginContext } from '../../src/plugins/plugin';
import { runPlugin } from '../../src/plugins/run-plugin';
import { TargetsSchema } from '../../src/plugins/targets';
import { startFakePrometheus } from '../fakes/prometheus-api';
import type { FakePrometheus, FakeSeries } from '../fakes/prometheus-api';

const logger = pino({ level: 'silent' });
/** A fixed evaluation time, so results do not depend on the clock. */
const T = 1_700_000_000;

const requestSamples: [number, number][] = Array.from({ length: 41 }, (_, i) => [T + i * 15, 100 + i * 10]);
const series: FakeSeries[] = [
  { labels: { __name__: 'up', job: 'api', instance: 'b:9090' }, value: () => 0 },
  { labels: { __name__: 'up', job: 'api', instance: 'a:9090' }, value: () => 1 },
  { labels: { __name__: 'http_requests_total', job: 'api', code: '500' }, samples: requestSamples },
  { labels: { __name__: 'weird', kind: 'inf' }, value: () => Infinity },
  { labels: { __name__: 'weird', kind: 'nan' }, value: () => NaN },
  ...Array.from({ length: 30 }, (_, i): FakeSeries => ({ labels: { __name__: 'many', i: String(i) }, value: (t) => i + (t % 60) / 100 })),
];

/** A port that was just free: connecting to it is refused. (fetch refuses well-known ports such as 1 outright.) */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('prometheus plugins against a fake Prometheus', () => {
  let prometheus: FakePrometheus;
  let ctx: PluginContext;

  beforeAll(async () => {
    prometheus = await startFakePrometheus({ series });
    const targets = TargetsSchema.parse({
      prometheus: {
        main: { baseUrl: prometheus.url, headers: { authorization: 'Bearer test-token' } },
        prefixed: { baseUrl: `${prometheus.url}/prom/` },
        down: { baseUrl: `http://127.0.0.1:${await closedPort()}` },
      },
    });
    ctx = { signal: new AbortController().signal, logger, targets };
  });
  afterAll(() => prometheus.close());
  beforeEach(() => {
    prometheus.setDelay(0);
    prometheus.setFailure(undefined);
    prometheus.setWarnings([]);
    prometheus.requests.length = 0;
  });

  describe('prometheus.query', () => {
    it('summarises a vector, highest first, and sends the target headers', async () => {
      const result = await runPlugin(prometheusQuery, { target: 'main', query: 'up{job="api"}', time: T }, ctx);
      expect(result).toMatchObject({
        status: 'success',
        data: {
          resultType: 'vector',
          seriesCount: 2,
          truncated: false,
          series: [
            { metric: { instance: 'a:9090' }, value: 1, at: new Date(T * 1000).toISOString() },
            { metric: { instance: 'b:9090' }, value: 0 },
          ],
        },
      });
      expect(result.summary).toContain('2 series\n• up{job="api", instance="a:9090"} = 1\n• up{job="api", instance="b:9090"} = 0');
      expect(prometheus.requests[0]).toMatchObject({ path: '/api/v1/query', params: { query: 'up{job="api"}', time: String(T) } });
      expect(prometheus.requests[0]?.headers.authorization).toBe('Bearer test-token');
    });

    it('keeps special values readable and JSON-safe', async () => {
      const result = await runPlugin(prometheusQuery, { target: 'main', query: 'weird', time: new Date(T * 1000).toISOString() }, ctx);
      expect(result.data?.series).toEqual([
        { metric: { __name__: 'weird', kind: 'inf' }, value: '+Inf', at: new Date(T * 1000).toISOString() },
        { metric: { __name__: 'weird', kind: 'nan' }, value: 'NaN', at: new Date(T * 1000).toISOString() },
      ]);
      expect(result.summary).toContain('weird{kind="inf"} = +Inf');
      expect(prometheus.requests[0]?.params.time).toBe(String(T));
    });

    it('summarises a matrix from a range selector with min, max and last', async () => {
      const result = await runPlugin(prometheusQuery, { target: 'main', query: 'http_requests_total[5m]', time: T + 600 }, ctx);
      expect(result).toMatchObject({ status: 'success', data: { resultType: 'matrix', seriesCount: 1 } });
      const [first] = result.data?.series as { points: number; min: number; max: number; last: number; samples: unknown[] }[];
      expect(first).toMatchObject({ points: 20, min: 310, max: 500, last: 500, lastAt: new Date((T + 600) * 1000).toISOString() });
      expect(result.summary).toContain('http_requests_total{job="api", code="500"}: last 500, min 310, max 500 (20 points)');
    });

    it('returns scalars and strings, and no_data for an empty vector', async () => {
      expect(await runPlugin(prometheusQuery, { target: 'main', query: '42', time: T }, ctx)).toMatchObject({ status: 'success', data: { resultType: 'scalar', value: 42 } });
      expect(await runPlugin(prometheusQuery, { target: 'main', query: '"hello"', time: T }, ctx)).toMatchObject({ status: 'success', data: { resultType: 'string', value: 'hello' } });
      const empty = await runPlugin(prometheusQuery, { target: 'main', query: 'nonexistent_metric', time: T }, ctx);
      expect(empty).toMatchObject({ status: 'no_data', data: { seriesCount: 0 } });
      expect(empty.summary).toContain('no series');
    });

    it('caps series for the model and lines for people, and passes warnings on', async () => {
      prometheus.setWarnings(['PromQL info: metric might not be a counter']);
      const result = await runPlugin(prometheusQuery, { target: 'main', query: 'many', time: T, maxSeries: 5 }, ctx);
      expect(result.data).toMatchObject({ seriesCount: 30, truncated: true, warnings: ['PromQL info: metric might not be a counter'] });
      expect(result.data?.series).toHaveLength(5);
      expect((result.data?.series as { metric: { i: string } }[])[0]?.metric.i).toBe('29');
      expect(result.summary.split('\n')).toHaveLength(1 + 8 + 1);
      expect(result.summary).toContain('(+22 more series)');
      expect((await runPlugin(prometheusQuery, { target: 'main', query: 'many', maxSeries: 101 }, ctx)).summary).toContain('Invalid arguments');
    });

    it("turns Prometheus errors into error results with Prometheus' errorType", async () => {
      const bad = await runPlugin(prometheusQuery, { target: 'main', query: 'up{', time: T }, ctx);
      expect(bad).toMatchObject({ status: 'error', data: { errorType: 'bad_data' } });
      expect(bad.summary).toContain('rejected the query (bad_data): 1:1: parse error');

      prometheus.setFailure({ httpStatus: 422, errorType: 'execution', error: 'many-to-many matching not allowed' });
      expect(await runPlugin(prometheusQuery, { target: 'main', query: 'up' }, ctx)).toMatchObject({
        status: 'error',
        summary: 'Prometheus main rejected the query (execution): many-to-many matching not allowed',
        data: { errorType: 'execution', error: 'many-to-many matching not allowed' },
      });
      prometheus.setFailure({ httpStatus: 503, errorType: 'timeout', error: 'query timed out in expression evaluation' });
      expect((await runPlugin(prometheusQuery, { target: 'main', query: 'up' }, ctx)).data).toMatchObject({ errorType: 'timeout' });
    });

    it('reports unknown targets, refused connections and non-API answers as errors', async () => {
      expect((await runPlugin(prometheusQuery, { target: 'nope', query: 'up' }, ctx)).summary).toBe(
        'Unknown prometheus target "nope"; configured targets: main, prefixed, down',
      );
      expect(await runPlugin(prometheusQuery, { target: 'down', query: 'up' }, ctx)).toMatchObject({
        status: 'error',
        summary: 'Prometheus down: connection refused',
      });
      // The base URL's path prefix is kept; this fake serves none, so it answers 404 in plain text.
      const prefixed = await runPlugin(prometheusQuery, { target: 'prefixed', query: 'up' }, ctx);
      expect(prefixed).toMatchObject({ status: 'error', data: { errorType: 'http_404', error: '404 page not found' } });
      expect(prometheus.requests.at(-1)?.path).toBe('/prom/api/v1/query');
    });
  });

  describe('prometheus.query_range', () => {
    it('queries a window with a step and summarises each series', async () => {
      const args = { target: 'main', query: 'http_requests_total', start: T, end: new Date((T + 600) * 1000).toISOString(), step: '15s' };
      const result = await runPlugin(prometheusQueryRange, args, ctx);
      expect(result).toMatchObject({
        status: 'success',
        data: { resultType: 'matrix', seriesCount: 1, stepSeconds: 15, start: new Date(T * 1000).toISOString(), end: new Date((T + 600) * 1000).toISOString() },
      });
      expect((result.data?.series as unknown[])[0]).toMatchObject({ points: 41, min: 100, max: 500, last: 500 });
      expect(result.summary).toContain('over 10m');
      expect(result.summary).toContain('(step 15s)');
      expect(prometheus.requests[0]).toMatchObject({ path: '/api/v1/query_range', params: { start: String(T), end: String(T + 600), step: '15' } });
    });

    it('defaults to the last hour at a step near 240 points, and downsamples for the model', async () => {
      const result = await runPlugin(prometheusQueryRange, { target: 'main', query: 'up' }, ctx);
      expect(result).toMatchObject({ status: 'success', data: { seriesCount: 2, stepSeconds: 15 } });
      const [top] = result.data?.series as { points: number; samples: unknown[]; metric: Record<string, string> }[];
      expect(top?.points).toBe(241);
      expect(top?.samples).toHaveLength(60);
      expect(top?.metric.instance).toBe('a:9090');
      const params = prometheus.requests[0]?.params ?? {};
      expect(Number(params.end) - Number(params.start)).toBe(3600);
    });

    it('refuses too many points, inverted and overlong ranges without asking Prometheus', async () => {
      const dense = await runPlugin(prometheusQueryRange, { target: 'main', query: 'up', start: 'now-2h', step: 1 }, ctx);
      expect(dense).toMatchObject({ status: 'error' });
      expect(dense.summary).toContain('7201 points per series exceeds the 1000 maximum; use step ≥ 8s');
      const inverted = await runPlugin(prometheusQueryRange, { target: 'main', query: 'up', start: 'now', end: 'now-1h' }, ctx);
      expect(inverted.summary).toContain('end must be after start');
      const long = await runPlugin(prometheusQueryRange, { target: 'main', query: 'up', start: 'now-8d', step: '1h' }, ctx);
      expect(long.summary).toContain('range 8d exceeds the 7d maximum');
      expect((await runPlugin(prometheusQueryRange, { target: 'main', query: 'up', start: 'yesterday' }, ctx)).summary).toContain('Invalid arguments');
      expect(prometheus.requests).toHaveLength(0);
    });

    it("passes Prometheus' own range errors on", async () => {
      const result = await runPlugin(prometheusQueryRange, { target: 'main', query: 'up[5m]' }, ctx);
      expect(result).toMatchObject({ status: 'error', data: { errorType: 'bad_data' } });
      expect(result.summary).toContain('invalid expression type "range vector" for range query');
    });
  });

  describe('timeouts and cancellation', () => {
    it('time out with error results', async () => {
      prometheus.setDelay(2_000);
      const instant = await runPlugin({ ...prometheusQuery, timeoutMs: 200 }, { target: 'main', query: 'up' }, ctx);
      expect(instant).toMatchObject({ status: 'error', summary: 'prometheus.query timed out after 200 ms' });
      const range = await runPlugin({ ...prometheusQueryRange, timeoutMs: 200 }, { target: 'main', query: 'up' }, ctx);
      expect(range).toMatchObject({ status: 'error', summary: 'prometheus.query_range timed out after 200 ms' });
      expect(range.elapsedMs).toBeLessThan(1_500);
    });

    it("rethrows the caller's own cancellation", async () => {
      prometheus.setDelay(2_000);
      const controller = new AbortController();
      const running = runPlugin(prometheusQuery, { target: 'main', query: 'up' }, { ...ctx, signal: controller.signal });
      setTimeout(() => controller.abort(new Error('operator cancelled')), 50);
      await expect(running).rejects.toThrow('operator cancelled');
    });
  });
});
