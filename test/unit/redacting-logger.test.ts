import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger';
import { REDACTED, SecretScrubber } from '../../src/security';

/** A pino destination that keeps each written line. */
function capture() {
  const lines: string[] = [];
  return {
    destination: { write: (line: string) => void lines.push(line) },
    text: () => lines.join(''),
    records: () => lines.map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

class QueryError extends Error {
  override name = 'QueryError';
}

describe('createLogger', () => {
  it('keeps secrets out of messages, format arguments, fields, errors and child bindings', () => {
    const out = capture();
    const logger = createLogger('info', { destination: out.destination });
    const child = logger.child({ target: 'postgres://app:child-pw-1@db-1:5432/orders' }).child({ step: 'probe', note: 'api_key=grandchild-key-11' });

    child.info('connecting with password=msg-pw-2 as %s', 'Bearer arg-token-3.abc');
    logger.warn(
      { password: 'field-pw-4', request: { headers: { authorization: 'Basic YWRtaW46ZmllbGQtcHctNQ==', host: 'api.internal' } }, deep: { a: { b: { apiKey: 'deep-key-6' } } }, note: 'token=note-tok-7', user: 'alice' },
      'request failed',
    );
    const cause = new Error('upstream said secret=cause-secret-8');
    logger.error({ err: new QueryError('auth failed for postgres://app:err-pw-9@db-1/orders', { cause }) }, 'query failed');
    logger.error(new Error('bare error with token=bare-tok-10'));

    const text = out.text();
    const secrets = ['child-pw-1', 'msg-pw-2', 'arg-token-3', 'field-pw-4', 'ZmllbGQtcHctNQ==', 'deep-key-6', 'note-tok-7', 'cause-secret-8', 'err-pw-9', 'bare-tok-10', 'grandchild-key-11'];
    for (const secret of secrets) expect(text).not.toContain(secret);
    const [info, warn, error, bare] = out.records();
    expect(info).toMatchObject({ target: `postgres://app:${REDACTED}@db-1:5432/orders`, step: 'probe', note: `api_key=${REDACTED}`, msg: `connecting with password=${REDACTED} as Bearer ${REDACTED}` });
    expect(warn).toMatchObject({
      msg: 'request failed',
      password: REDACTED,
      request: { headers: { authorization: REDACTED, host: 'api.internal' } },
      deep: { a: { b: { apiKey: REDACTED } } },
      note: `token=${REDACTED}`,
      user: 'alice',
    });
    // Still a proper error record: type, message and stack, just without the secret.
    expect(error).toMatchObject({ msg: 'query failed', err: { type: 'QueryError', message: `auth failed for postgres://app:${REDACTED}@db-1/orders: upstream said secret=${REDACTED}` } });
    expect((error?.err as { stack: string }).stack).toContain('QueryError: auth failed for postgres://app:[redacted]@db-1/orders');
    expect(bare).toMatchObject({ msg: `bare error with token=${REDACTED}`, err: { type: 'Error' } });
  });

  it('uses the scrubber it is given, so secrets known only as values are redacted too', () => {
    const out = capture();
    const logger = createLogger('info', { destination: out.destination, scrubber: new SecretScrubber({ secrets: ['plain-looking-value'] }) });
    logger.info({ detail: 'sent plain-looking-value to the api' }, 'echo plain-looking-value');
    expect(out.text()).not.toContain('plain-looking-value');
    expect(out.records()[0]).toMatchObject({ detail: `sent ${REDACTED} to the api`, msg: `echo ${REDACTED}` });
  });

  it('censors well-known secret fields by path even when the scrubber lets everything through', () => {
    const out = capture();
    const passThrough = { scrubText: (text: string) => text, scrubValue: (value: unknown) => value };
    const logger = createLogger('info', { destination: out.destination, scrubber: passThrough });
    logger.info({ password: 'p1', db: { token: 'p2', conn: { client_secret: 'p3' } }, req: { headers: { 'set-cookie': 'p4' } }, user: 'dave' }, 'login');
    expect(out.records()[0]).toMatchObject({
      password: REDACTED,
      db: { token: REDACTED, conn: { client_secret: REDACTED } },
      req: { headers: { 'set-cookie': REDACTED } },
      user: 'dave',
    });
  });

  it('still builds a stderr logger from the level alone', () => {
    expect(createLogger('silent').level).toBe('silent');
  });
});
