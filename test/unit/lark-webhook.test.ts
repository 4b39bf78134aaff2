import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { describe, expect, it } from 'vitest';
import { createLarkWebhookRoute, decryptLarkPayload } from '../../src/chat/lark/webhook';
import type { RouteResponse } from '../../src/http/route';

const ENCRYPT_KEY = 'test-encrypt-key';
const TOKEN = 'verification-token';

/** Lark's side, written out here rather than borrowed from the code under test. */
function encrypt(plaintext: string, key = ENCRYPT_KEY): string {
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', createHash('sha256').update(key).digest(), iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

function sign(rawBody: string, options: { timestamp?: number; key?: string } = {}): IncomingHttpHeaders {
  const timestamp = String(options.timestamp ?? Math.floor(Date.now() / 1000));
  const nonce = randomBytes(6).toString('hex');
  const signature = createHash('sha256')
    .update(timestamp + nonce + (options.key ?? ENCRYPT_KEY) + rawBody)
    .digest('hex');
  return { 'x-lark-request-timestamp': timestamp, 'x-lark-request-nonce': nonce, 'x-lark-signature': signature };
}

const event = (token = TOKEN) => ({
  schema: '2.0',
  header: { event_id: 'ev_1', event_type: 'im.message.receive_v1', token, create_time: '1700000000000' },
  event: { message: { message_id: 'om_1' } },
});

function harness(options: { verificationToken?: string } = { verificationToken: TOKEN }) {
  const received: object[] = [];
  const route = createLarkWebhookRoute({
    encryptKey: ENCRYPT_KEY,
    ...options,
    onEvent: (e) => {
      received.push(e);
      return Promise.resolve({ toast: { type: 'success', content: 'ok' } });
    },
  });
  const post = (rawBody: string, headers: IncomingHttpHeaders): Promise<RouteResponse> =>
    route.handle({ rawBody: Buffer.from(rawBody), headers, url: new URL('http://localhost/lark/events') });
  return { route, received, post };
}

describe('the Lark webhook route', () => {
  it('is POST /lark/events', () => {
    const { route } = harness();
    expect([route.method, route.path]).toEqual(['POST', '/lark/events']);
  });

  it('passes a correctly signed event on and answers with what onEvent returned', async () => {
    const { post, received } = harness();
    const body = JSON.stringify(event());
    const answer = await post(body, sign(body));
    expect(answer).toEqual({ status: 200, body: { toast: { type: 'success', content: 'ok' } } });
    expect(received).toEqual([event()]);
  });

  it('verifies the raw bytes, so a body formatted unlike JSON.stringify still verifies', async () => {
    const { post, received } = harness();
    const body = `{ "schema" : "2.0",\n  "header": {"event_id":"ev_1","event_type":"x","token":"${TOKEN}"}, "event": {} }`;
    expect((await post(body, sign(body))).status).toBe(200);
    expect(received).toHaveLength(1);
  });

  it('decrypts an encrypted event before passing it on', async () => {
    const { post, received } = harness();
    const body = JSON.stringify({ encrypt: encrypt(JSON.stringify(event())) });
    expect((await post(body, sign(body))).status).toBe(200);
    expect(received).toEqual([event()]);
  });

  it('answers 200 with an empty object when onEvent returns nothing', async () => {
    const route = createLarkWebhookRoute({ encryptKey: ENCRYPT_KEY, onEvent: () => Promise.resolve(undefined) });
    const body = JSON.stringify(event());
    const answer = await route.handle({ rawBody: Buffer.from(body), headers: sign(body), url: new URL('http://x/lark/events') });
    expect(answer).toEqual({ status: 200, body: {} });
  });

  describe('refuses with 401 and never calls onEvent', () => {
    const refusals: [string, (body: string) => IncomingHttpHeaders][] = [
      ['a forged signature', (body) => ({ ...sign(body), 'x-lark-signature': 'f'.repeat(64) })],
      ['a signature made with another key', (body) => sign(body, { key: 'someone-else' })],
      ['a stale timestamp (a replay)', (body) => sign(body, { timestamp: Math.floor(Date.now() / 1000) - 301 })],
      ['a timestamp from the future', (body) => sign(body, { timestamp: Math.floor(Date.now() / 1000) + 301 })],
      ['a timestamp that is not a number', (body) => ({ ...sign(body), 'x-lark-request-timestamp': 'soon' })],
      ['a body changed after signing', (body) => sign(body.replace('om_1', 'om_2'))],
      ['no signature headers', () => ({})],
      ['a missing nonce', (body) => ({ ...sign(body), 'x-lark-request-nonce': undefined })],
    ];
    for (const [what, headersFor] of refusals) {
      it(what, async () => {
        const { post, received } = harness();
        const body = JSON.stringify(event());
        const answer = await post(body, headersFor(body));
        expect(answer.status).toBe(401);
        expect(received).toEqual([]);
      });
    }

    it('an encrypted event without a signature', async () => {
      const { post, received } = harness();
      const body = JSON.stringify({ encrypt: encrypt(JSON.stringify(event())) });
      expect((await post(body, {})).status).toBe(401);
      expect(received).toEqual([]);
    });

    it('a signed event with the wrong verification token', async () => {
      const { post, received } = harness();
      const body = JSON.stringify(event('not-the-token'));
      expect((await post(body, sign(body))).status).toBe(401);
      expect(received).toEqual([]);
    });
  });

  describe('answers 400 to a signed body it cannot read', () => {
    const bodies: [string, string][] = [
      ['not JSON', '{"schema": '],
      ['a JSON array', '[1, 2]'],
      ['encrypted with another key', JSON.stringify({ encrypt: encrypt(JSON.stringify(event()), 'other-key') })],
      ['an encrypt field that is not ciphertext', JSON.stringify({ encrypt: 'aGVsbG8=' })],
      ['a schema 1.0 event', JSON.stringify({ uuid: 'u', event: { type: 'message' }, token: TOKEN })],
      ['an event without an event id', JSON.stringify({ schema: '2.0', header: { event_type: 'x', token: TOKEN }, event: {} })],
    ];
    for (const [what, body] of bodies) {
      it(what, async () => {
        const { post, received } = harness();
        const answer = await post(body, sign(body));
        expect(answer.status).toBe(400);
        expect(received).toEqual([]);
      });
    }
  });

  describe('the url_verification challenge', () => {
    const challenge = (token = TOKEN) => ({ type: 'url_verification', challenge: 'ch-123', token });

    it('is echoed, unsigned, when the token matches (Lark does not sign it)', async () => {
      const { post, received } = harness();
      expect(await post(JSON.stringify(challenge()), {})).toEqual({ status: 200, body: { challenge: 'ch-123' } });
      expect(received).toEqual([]);
    });

    it('is echoed when it comes encrypted and signed', async () => {
      const { post } = harness();
      const body = JSON.stringify({ encrypt: encrypt(JSON.stringify(challenge())) });
      expect(await post(body, sign(body))).toEqual({ status: 200, body: { challenge: 'ch-123' } });
    });

    it('is refused with the wrong token', async () => {
      const { post } = harness();
      expect((await post(JSON.stringify(challenge('wrong')), {})).status).toBe(401);
    });

    it('needs no token when none is configured', async () => {
      const { post } = harness({});
      const { token: _token, ...noToken } = challenge();
      expect(await post(JSON.stringify(noToken), {})).toEqual({ status: 200, body: { challenge: 'ch-123' } });
    });
  });

  it('decrypts what Lark encrypts', () => {
    expect(decryptLarkPayload(encrypt('{"a":"ü"}'), ENCRYPT_KEY)).toBe('{"a":"ü"}');
    expect(() => decryptLarkPayload('AAAA', ENCRYPT_KEY)).toThrow(/bad length/);
  });
});
