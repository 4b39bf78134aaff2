import { connect } from 'node:net';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHttpServer } from '../../src/server/http-server';
import type { RunningServer } from '../../src/server/http-server';
import type { Route } from '../../src/http/route';

/** What the server logged, one JSON line each. */
const logged: string[] = [];
const logger = pino({ level: 'info' }, { write: (line: string) => void logged.push(line) });
const bodiesRead: number[] = [];
const KEY = 'the-right-key-0123456789';

const guarded: Route = {
  method: 'POST',
  path: '/guarded',
  authorize: ({ headers }) => (headers.authorization === `Bearer ${KEY}` ? null : { status: 401, body: { error: 'unauthorized' } }),
  handle: ({ rawBody }) => {
    bodiesRead.push(rawBody.length);
    return Promise.resolve({ status: 202, body: { bytes: rawBody.length } });
  },
};
const failing: Route = {
  method: 'POST',
  path: '/fails',
  handle: ({ rawBody }) => Promise.reject(new Error(`insert failed: ${rawBody.toString('utf8')}`)),
};

let server: RunningServer;
beforeAll(async () => {
  server = await startHttpServer({ port: 0, host: '127.0.0.1', logger, checks: { database: () => Promise.resolve() }, routes: [guarded, failing], bodyTimeoutMs: 300 });
});
afterAll(() => server.close());

/** Sends `head` (and `body`) on a raw socket and resolves with everything the server wrote before closing. */
function exchange(head: string, body = ''): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(server.port, '127.0.0.1', () => socket.write(head + body));
    let answer = '';
    socket.on('data', (chunk: Buffer) => {
      answer += chunk.toString('utf8');
      // Answered: done (a refused upload is not read to its end).
      if (/\r\n\r\n/.test(answer) && /connection: close/i.test(answer)) socket.end();
    });
    socket.once('close', () => resolve(answer));
    socket.once('error', reject);
  });
}

describe('the HTTP server and what a caller sends', () => {
  it('refuses a caller without the key before reading its body (a declared megabyte that never comes)', async () => {
    const answer = await exchange('POST /guarded HTTP/1.1\r\nhost: localhost\r\ncontent-type: application/json\r\ncontent-length: 1000000\r\n\r\n', '{"a":');
    expect(answer).toMatch(/^HTTP\/1\.1 401/);
    expect(bodiesRead).toEqual([]);
  });

  it('closes a slow chunked upload with 408 once the body deadline passes', async () => {
    const head = `POST /guarded HTTP/1.1\r\nhost: localhost\r\nauthorization: Bearer ${KEY}\r\ntransfer-encoding: chunked\r\n\r\n`;
    // One chunk, then nothing: the body never ends.
    const answer = await exchange(head, '5\r\nhello\r\n');
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
    // Our deadline, not Node's requestTimeout (checked only every 30 s, so up to a minute).
    expect(answer).toContain('the body did not arrive within 0.3s');
    expect(bodiesRead).toEqual([]);
  });

  it('logs a failing handler without the payload its error quotes', async () => {
    const payload = `{"secretish":"${'x'.repeat(200_000)}"}`;
    const response = await fetch(`http://127.0.0.1:${server.port}/fails`, { method: 'POST', body: payload });
    expect(response.status).toBe(500);
    const line = logged.find((entry) => entry.includes('http handler failed')) ?? '';
    expect(line).toContain('insert failed');
    expect(line.length).toBeLessThan(10_000);
  });
});
