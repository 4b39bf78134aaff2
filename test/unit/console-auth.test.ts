import { describe, expect, it } from 'vitest';
import { CONSOLE_HEADER, refuseConsoleRequest } from '../../src/server/console/console-auth';

const TOKEN = 'a-console-token-long-enough';
const local = { [CONSOLE_HEADER]: '1', host: 'localhost:3000' };

const status = (remoteAddress: string, headers: Record<string, string>, token?: string) =>
  refuseConsoleRequest({ remoteAddress, headers }, token)?.status ?? 200;

describe('who may use the web console', () => {
  it('lets a browser on this machine in without a token', () => {
    expect(status('127.0.0.1', local)).toBe(200);
    expect(status('::1', { ...local, host: '[::1]:3000' })).toBe(200);
    expect(status('::ffff:127.0.0.1', { ...local, host: '127.0.0.1:3000' })).toBe(200);
    expect(status('127.0.0.1', local, TOKEN)).toBe(200);
  });

  it('asks anyone else for the token, and takes only the right one', () => {
    expect(status('10.1.2.3', local)).toBe(401);
    expect(status('10.1.2.3', local, TOKEN)).toBe(401);
    expect(refuseConsoleRequest({ remoteAddress: '10.1.2.3', headers: local }, TOKEN)?.body).toMatchObject({ tokenRequired: true });
    expect(status('10.1.2.3', { ...local, host: 'ops.example:3000', authorization: `Bearer ${TOKEN}` }, TOKEN)).toBe(200);
    expect(status('10.1.2.3', { ...local, authorization: 'Bearer not-the-token-at-all' }, TOKEN)).toBe(401);
    // With no token configured there is no token to give: the console stays on this machine.
    expect(status('10.1.2.3', { ...local, authorization: `Bearer ${TOKEN}` })).toBe(401);
  });

  it('treats requests through a proxy on this machine as remote', () => {
    expect(status('127.0.0.1', { ...local, 'x-forwarded-for': '203.0.113.9' })).toBe(401);
    expect(status('127.0.0.1', { ...local, forwarded: 'for=203.0.113.9' })).toBe(401);
  });

  it('refuses other sites driving it from the same browser, and rebound DNS names', () => {
    expect(status('127.0.0.1', { host: 'localhost:3000' })).toBe(403);
    expect(status('127.0.0.1', { ...local, origin: 'https://evil.example' })).toBe(403);
    expect(status('127.0.0.1', { ...local, origin: 'http://localhost:3000' })).toBe(200);
    expect(status('127.0.0.1', { ...local, host: 'rebound.evil.example:3000' })).toBe(403);
  });
});
