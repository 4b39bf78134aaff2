import { describe, expect, it } from 'vitest';
import { refuseScrape } from '../../src/observability/metrics-route';
import { CONSOLE_HEADER, refuseConsoleRequest } from '../../src/server/console/console-auth';

const TOKEN = 'a-console-token-long-enough';
const local = { [CONSOLE_HEADER]: '1', host: 'localhost:3000' };

const status = (remoteAddress: string, headers: Record<string, string>, token?: string, trustLoopback = false) =>
  refuseConsoleRequest({ remoteAddress, headers }, { token, trustLoopback })?.status ?? 200;
const scrape = (remoteAddress: string, headers: Record<string, string>, token?: string, trustLoopback = false) =>
  refuseScrape({ remoteAddress, headers }, { token, trustLoopback })?.status ?? 200;

describe('who may use the web console', () => {
  it('lets a browser on this machine in without a token when none is set', () => {
    expect(status('127.0.0.1', local)).toBe(200);
    expect(status('::1', { ...local, host: '[::1]:3000' })).toBe(200);
    expect(status('::ffff:127.0.0.1', { ...local, host: '127.0.0.1:3000' })).toBe(200);
  });

  it('asks this machine for the token too once one is set, unless CONSOLE_TRUST_LOOPBACK', () => {
    // A reverse proxy on this machine that adds no forwarding header (nginx's bare proxy_pass) looks exactly like this.
    expect(status('127.0.0.1', local, TOKEN)).toBe(401);
    expect(status('127.0.0.1', { ...local, authorization: `Bearer ${TOKEN}` }, TOKEN)).toBe(200);
    expect(status('127.0.0.1', local, TOKEN, true)).toBe(200);
    expect(status('127.0.0.1', { ...local, 'x-forwarded-for': '203.0.113.9' }, TOKEN, true)).toBe(401);
  });

  it('asks anyone else for the token, and takes only the right one', () => {
    expect(status('10.1.2.3', local)).toBe(401);
    expect(status('10.1.2.3', local, TOKEN)).toBe(401);
    expect(refuseConsoleRequest({ remoteAddress: '10.1.2.3', headers: local }, { token: TOKEN })?.body).toMatchObject({ tokenRequired: true });
    expect(status('10.1.2.3', { ...local, host: 'ops.example:3000', authorization: `Bearer ${TOKEN}` }, TOKEN)).toBe(200);
    expect(status('10.1.2.3', { ...local, authorization: 'Bearer not-the-token-at-all' }, TOKEN)).toBe(401);
    // With no token configured there is no token to give: the console stays on this machine.
    expect(status('10.1.2.3', { ...local, authorization: `Bearer ${TOKEN}` })).toBe(401);
  });

  it('treats requests through a proxy on this machine as remote', () => {
    expect(status('127.0.0.1', { ...local, 'x-forwarded-for': '203.0.113.9' })).toBe(401);
    expect(status('127.0.0.1', { ...local, forwarded: 'for=203.0.113.9' })).toBe(401);
    // Only a proxy sends the header at all, even empty.
    expect(status('127.0.0.1', { ...local, 'x-forwarded-for': '' })).toBe(401);
    expect(status('127.0.0.1', { ...local, 'x-real-ip': '' })).toBe(401);
  });

  it('refuses other sites driving it from the same browser, and rebound DNS names', () => {
    expect(status('127.0.0.1', { host: 'localhost:3000' })).toBe(403);
    expect(status('127.0.0.1', { ...local, origin: 'https://evil.example' })).toBe(403);
    expect(status('127.0.0.1', { ...local, origin: 'http://localhost:3000' })).toBe(200);
    expect(status('127.0.0.1', { ...local, host: 'rebound.evil.example:3000' })).toBe(403);
  });
});

describe('who may scrape /metrics', () => {
  const METRICS = 'a-metrics-token-long-enough';
  const scraper = { host: '127.0.0.1:3000' };

  it('asks everyone for METRICS_TOKEN once one is set, this machine too unless CONSOLE_TRUST_LOOPBACK', () => {
    expect(scrape('127.0.0.1', scraper, METRICS)).toBe(401);
    expect(scrape('127.0.0.1', { ...scraper, authorization: `Bearer ${METRICS}` }, METRICS)).toBe(200);
    expect(scrape('10.0.0.8', { ...scraper, authorization: 'Bearer wrong-token-wrong-token' }, METRICS)).toBe(401);
    expect(scrape('127.0.0.1', scraper, METRICS, true)).toBe(200);
    expect(scrape('127.0.0.1', { ...scraper, 'x-forwarded-for': '' }, METRICS, true)).toBe(401);
  });

  it('refuses a rebound DNS name on a loopback socket, as the console does', () => {
    expect(scrape('127.0.0.1', { host: 'rebound.evil.example:3000' })).toBe(403);
    expect(scrape('127.0.0.1', { host: 'rebound.evil.example:3000' }, METRICS, true)).toBe(403);
    expect(scrape('127.0.0.1', scraper)).toBe(200);
    expect(scrape('10.0.0.8', { host: 'metrics.internal:3000' })).toBe(200);
  });
});
