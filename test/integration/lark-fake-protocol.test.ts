import { createHash, createDecipheriv } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as lark from '@larksuiteoapi/node-sdk';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { postWebhook, recordingSdkLogger, startFakeLark, urlVerificationEvent } from '../fakes/lark';
import type { FakeLark, RecordingSdkLogger } from '../fakes/lark';

/**
 * Proves the fake speaks Lark's protocol by driving it with the real node SDK only: REST calls through
 * lark.Client, events through lark.WSClient + EventDispatcher, webhooks through the SDK's own decrypt
 * and signature check.
 */

const CHAT = 'oc_protocolchat0000000000000001';

let fake: FakeLark;
let sdkLog: RecordingSdkLogger;

beforeEach(async () => {
  fake = await startFakeLark();
  sdkLog = recordingSdkLogger();
});

afterEach(async () => {
  await fake.close();
});

/** What every SDK object here is built with: the fake's app, and the SDK's log kept off the console. */
function sdkParams(): { appId: string; appSecret: string; domain: string; logger: RecordingSdkLogger; loggerLevel: lark.LoggerLevel } {
  return { appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, logger: sdkLog, loggerLevel: lark.LoggerLevel.warn };
}

function sdkClient(): lark.Client {
  return new lark.Client(sdkParams());
}

interface HttpFailure {
  status: number;
  code: unknown;
  reset: unknown;
}

/** The parts of the SDK's (axios) rejection a caller sees. */
async function httpFailureOf(promise: Promise<unknown>): Promise<HttpFailure> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  const response = (error as { response?: { status: number; data: { code?: unknown }; headers: Record<string, unknown> } }).response;
  if (!response) throw new Error(`expected an HTTP failure, got ${String(error)}`);
  return { status: response.status, code: response.data.code, reset: response.headers['x-ogw-ratelimit-reset'] };
}

describe('fake Lark open APIs through lark.Client', () => {
  it('issues a tenant token for the right app secret only', async () => {
    const client = sdkClient();
    const token = await client.auth.tenantAccessToken.internal({ data: { app_id: fake.appId, app_secret: fake.appSecret } });
    expect(token).toMatchObject({ code: 0, expire: 7200 });
    expect((token as { tenant_access_token?: string }).tenant_access_token).toMatch(/^t-/);

    const wrong = await httpFailureOf(client.auth.tenantAccessToken.internal({ data: { app_id: fake.appId, app_secret: 'nope' } }));
    expect(wrong).toMatchObject({ status: 400, code: 10014 });
  });

  it('rejects API calls without a valid bearer token', async () => {
    const anonymous = await fetch(`${fake.url}/open-apis/im/v1/messages?receive_id_type=chat_id`, { method: 'POST', body: '{}' });
    expect(anonymous.status).toBe(400);
    expect(await anonymous.json()).toMatchObject({ code: 99991661 });
    const forged = await fetch(`${fake.url}/open-apis/im/v1/messages?receive_id_type=chat_id`, {
      method: 'POST',
      headers: { authorization: 'Bearer t-forged' },
      body: '{}',
    });
    expect(await forged.json()).toMatchObject({ code: 99991663 });
  });

  it('creates, dedups by uuid, replies in thread, patches and reacts', async () => {
    const client = sdkClient();
    const text = { receive_id: CHAT, msg_type: 'text', content: JSON.stringify({ text: 'hello' }), uuid: 'alert-1' };
    const first = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: text });
    const again = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data: text });
    expect(first.code).toBe(0);
    expect(first.data?.message_id).toMatch(/^om_/);
    expect(again.data?.message_id).toBe(first.data?.message_id);
    expect(first.data?.sender).toMatchObject({ id: fake.appId, id_type: 'app_id', sender_type: 'app' });
    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({ chatId: CHAT, msgType: 'text', content: { text: 'hello' }, uuid: 'alert-1' });

    const alertId = first.data?.message_id ?? '';
    const card = { schema: '2.0', config: { update_multi: true }, body: { elements: [{ tag: 'markdown', content: 'v1' }] } };
    const reply = await client.im.v1.message.reply({
      path: { message_id: alertId },
      data: { msg_type: 'interactive', content: JSON.stringify(card), reply_in_thread: true },
    });
    expect(reply.data).toMatchObject({ parent_id: alertId, root_id: alertId, chat_id: CHAT });
    expect(reply.data?.thread_id).toMatch(/^omt_/);
    expect(fake.latestCard(CHAT)?.sent).toMatchObject({ replyTo: alertId, replyInThread: true });

    const cardId = reply.data?.message_id ?? '';
    const updated = { ...card, body: { elements: [{ tag: 'markdown', content: 'v2' }] } };
    const patch = await client.im.v1.message.patch({ path: { message_id: cardId }, data: { content: JSON.stringify(updated) } });
    expect(patch.code).toBe(0);
    expect(fake.patches).toHaveLength(1);
    expect(fake.latestCard(CHAT)?.card).toEqual(updated);

    const reaction = await client.im.v1.messageReaction.create({
      path: { message_id: alertId },
      data: { reaction_type: { emoji_type: 'OnIt' } },
    });
    expect(reaction.data?.reaction_type?.emoji_type).toBe('OnIt');
    expect(fake.reactions).toMatchObject([{ messageId: alertId, emojiType: 'OnIt', removed: false }]);
    await client.im.v1.messageReaction.delete({ path: { message_id: alertId, reaction_id: reaction.data?.reaction_id ?? '' } });
    expect(fake.reactions[0]?.removed).toBe(true);
    // Only the token request and the API calls above reached the fake: the SDK cached its token.
    expect(fake.requests.filter((r) => r.path.endsWith('tenant_access_token/internal'))).toHaveLength(1);
  });

  it('lets a uuid be reused once Lark has forgotten it (after an hour)', async () => {
    const client = sdkClient();
    const data = { receive_id: CHAT, msg_type: 'text', content: JSON.stringify({ text: 'x' }), uuid: 'hourly' };
    const first = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data });
    fake.advanceClock(61 * 60 * 1000);
    const later = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data });
    expect(later.data?.message_id).not.toBe(first.data?.message_id);
    expect(fake.sent).toHaveLength(2);
  });

  it('rejects cards Lark would refuse', async () => {
    const client = sdkClient();
    const withAction = { schema: '2.0', body: { elements: [{ tag: 'action', actions: [] }] } };
    const failure = await httpFailureOf(
      client.im.v1.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: CHAT, msg_type: 'interactive', content: JSON.stringify(withAction) },
      }),
    );
    expect(failure).toMatchObject({ status: 400, code: 230099 });
    const huge = { schema: '2.0', body: { elements: [{ tag: 'markdown', content: 'x'.repeat(40_000) }] } };
    const tooBig = await httpFailureOf(
      client.im.v1.message.create({
        params: { receive_id_type: 'chat_id' },
        data: { receive_id: CHAT, msg_type: 'interactive', content: JSON.stringify(huge) },
      }),
    );
    expect(tooBig.code).toBe(230025);
    expect(fake.sent).toHaveLength(0);
  });

  it('answers injected throttling as Lark does, in both forms', async () => {
    const client = sdkClient();
    const data = { receive_id: CHAT, msg_type: 'text', content: JSON.stringify({ text: 'x' }) };
    fake.throttleNext(1, { mode: 'http429', resetSeconds: 3 });
    expect(await httpFailureOf(client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data }))).toEqual({
      status: 429,
      code: 99991400,
      reset: '3',
    });
    fake.throttleNext(1, { mode: 'code99991400', resetSeconds: 2 });
    expect(await httpFailureOf(client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data }))).toEqual({
      status: 400,
      code: 99991400,
      reset: '2',
    });
    const through = await client.im.v1.message.create({ params: { receive_id_type: 'chat_id' }, data });
    expect(through.code).toBe(0);
    expect(fake.throttledCount).toBe(2);
    expect(fake.sent).toHaveLength(1);
  });

  it('lists a chat in the list API shape, paginated, from start_time on', async () => {
    const client = sdkClient();
    const base = Math.floor(fake.now() / 1000) * 1000 - 60_000;
    fake.postAsBot(CHAT, { msgType: 'text', content: { text: 'too old' }, senderAppId: 'cli_monitor000000001', createTime: base - 10_000 });
    const alert = { title: 'PrometheusAlert', elements: [[{ tag: 'text', text: 'KubePodCrashLooping' }]] };
    fake.postAsBot(CHAT, { msgType: 'interactive', content: alert, senderAppId: 'cli_monitor000000001', createTime: base });
    const { message: human } = fake.postAsUser(CHAT, { text: 'looking', mentionBot: true, createTime: base + 1000 });
    await client.im.v1.message.create({
      params: { receive_id_type: 'chat_id' },
      data: { receive_id: CHAT, msg_type: 'interactive', content: JSON.stringify({ schema: '2.0', body: { elements: [] } }) },
    });
    fake.postAsBot('oc_another', { msgType: 'text', content: { text: 'elsewhere' }, senderAppId: 'cli_monitor000000001' });

    const params = {
      container_id_type: 'chat',
      container_id: CHAT,
      start_time: String(base / 1000),
      sort_type: 'ByCreateTimeAsc' as const,
      page_size: 2,
    };
    const page1 = await client.im.v1.message.list({ params });
    expect(page1.data?.has_more).toBe(true);
    expect(page1.data?.items?.map((i) => i.msg_type)).toEqual(['interactive', 'text']);
    expect(page1.data?.items?.[0]).toMatchObject({
      chat_id: CHAT,
      create_time: String(base),
      sender: { id: 'cli_monitor000000001', id_type: 'app_id', sender_type: 'app' },
      body: { content: JSON.stringify(alert) },
    });
    expect(page1.data?.items?.[1]).toMatchObject({
      message_id: human.messageId,
      sender: { id_type: 'open_id', sender_type: 'user' },
      mentions: [{ key: '@_user_1', id: fake.bot.openId, id_type: 'open_id', name: fake.bot.name }],
    });
    expect(JSON.parse(page1.data?.items?.[1]?.body?.content ?? '')).toEqual({ text: '@_user_1 looking' });

    const page2 = await client.im.v1.message.list({ params: { ...params, page_token: page1.data?.page_token ?? '' } });
    expect(page2.data?.has_more).toBe(false);
    // A JSON 2.0 card is not returned as sent: the list API shows a placeholder.
    expect(page2.data?.items?.[0]?.body?.content).toContain('请升级至最新版本客户端');

    const seen: string[] = [];
    for await (const page of await client.im.v1.message.listWithIterator({ params: { ...params, page_size: 1 } })) {
      for (const item of page?.items ?? []) seen.push(item.message_id ?? '');
    }
    expect(seen).toHaveLength(3);
  });
});

describe('fake Lark long connection through lark.WSClient', () => {
  let ws: lark.WSClient | undefined;

  afterEach(() => {
    ws?.close({ force: true });
    ws = undefined;
  });

  function startWs(handles: Record<string, (data: unknown) => Promise<unknown>>): void {
    const dispatcher = new lark.EventDispatcher({ logger: sdkLog, loggerLevel: lark.LoggerLevel.warn }).register(handles);
    ws = new lark.WSClient(sdkParams());
    void ws.start({ eventDispatcher: dispatcher });
  }

  it('delivers a message event and a card action, and carries the handler result back in the ACK', async () => {
    const received: unknown[] = [];
    const answer = { toast: { type: 'success', content: 'Approved' } };
    startWs({
      'im.message.receive_v1': (data) => {
        received.push(data);
        return Promise.resolve(undefined);
      },
      'card.action.trigger': (data) => {
        received.push(data);
        return Promise.resolve(answer);
      },
    });
    await fake.waitForClient();

    const { event } = fake.postAsUser(CHAT, { text: '/status INC-1', mentionBot: true });
    const messageAck = await fake.pushEvent(event);
    expect(messageAck).toEqual({ code: 200, result: undefined });
    // The dispatcher flattens header and event into one object.
    expect(received[0]).toMatchObject({
      event_type: 'im.message.receive_v1',
      event_id: event.header.event_id,
      message: { chat_id: CHAT, message_type: 'text', content: JSON.stringify({ text: '@_user_1 /status INC-1' }) },
      sender: { sender_type: 'user' },
    });

    const value = { incidentId: 'INC-1', action: 'diagnosis.approved' };
    const click = fake.cardActionEvent({ value, messageId: 'om_card', chatId: CHAT });
    const clickAck = await fake.pushEvent(click, { fragments: 3 });
    expect(clickAck).toEqual({ code: 200, result: answer });
    expect(received[1]).toMatchObject({
      action: { value: { incidentId: 'INC-1', action: 'diagnosis.approved' } },
      context: { open_message_id: 'om_card', open_chat_id: CHAT },
      operator: { open_id: expect.stringMatching(/^ou_/) as string },
    });
  });

  it('reports a failing handler as code 500', async () => {
    startWs({ 'im.message.receive_v1': () => Promise.reject(new Error('handler broke')) });
    const ack = await fake.pushEvent(fake.messageEvent({ chatId: CHAT, text: 'hi' }));
    expect(ack.code).toBe(500);
  });

  it('queues events while the client is away and delivers them after it reconnects', async () => {
    const received: string[] = [];
    startWs({
      'im.message.receive_v1': (data) => {
        received.push((data as { message: { content: string } }).message.content);
        return Promise.resolve(undefined);
      },
    });
    // Pushed before the client has even connected: held until it listens.
    const early = fake.pushEvent(fake.messageEvent({ chatId: CHAT, text: 'early' }));
    await early;
    expect(fake.connectionsOpened).toBe(1);

    fake.dropConnection();
    const during = fake.pushEvent(fake.messageEvent({ chatId: CHAT, text: 'during the outage' }));
    expect(await during).toMatchObject({ code: 200 });
    expect(fake.connectionsOpened).toBe(2);
    expect(received.map((c) => (JSON.parse(c) as { text: string }).text)).toEqual(['early', 'during the outage']);
  });
});

describe('fake Lark webhook poster', () => {
  const encryptKey = 'test-encrypt-key';
  let server: Server;
  let url: string;
  const deliveries: { headers: IncomingHttpHeaders; raw: string }[] = [];
  const handled: unknown[] = [];

  beforeEach(async () => {
    deliveries.length = 0;
    handled.length = 0;
    const dispatcher = new lark.EventDispatcher({ encryptKey, logger: sdkLog, loggerLevel: lark.LoggerLevel.warn }).register({
      'card.action.trigger': (data: unknown) => {
        handled.push(data);
        return Promise.resolve({ toast: { type: 'info', content: 'seen' } });
      },
    });
    const sdkHandler = lark.adaptDefault('/lark/events', dispatcher, { autoChallenge: true });
    // Record the raw request, then let the SDK's own adapter (decrypt + signature check) answer it.
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => deliveries.push({ headers: req.headers, raw: Buffer.concat(chunks).toString('utf8') }));
      void sdkHandler(req, res);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/lark/events`;
  });

  afterEach(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('encrypts and signs as documented, so the SDK accepts it', async () => {
    const click = fake.cardActionEvent({ value: { incidentId: 'INC-9', action: 'incident.retry' }, messageId: 'om_1', chatId: CHAT });
    const answer = await postWebhook(url, click, { encryptKey, verificationToken: 'vt-1' });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({ toast: { type: 'info', content: 'seen' } });
    expect(handled).toHaveLength(1);

    const [{ headers, raw }] = deliveries as [{ headers: IncomingHttpHeaders; raw: string }];
    const timestamp = String(headers['x-lark-request-timestamp']);
    const nonce = String(headers['x-lark-request-nonce']);
    const expected = createHash('sha256').update(timestamp + nonce + encryptKey + raw).digest('hex');
    expect(headers['x-lark-signature']).toBe(expected);
    expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);

    const { encrypt } = JSON.parse(raw) as { encrypt: string };
    const viaSdk = JSON.parse(new lark.AESCipher(encryptKey).decrypt(encrypt)) as typeof click;
    // An independent decrypt: key = sha256(encryptKey), IV = the first 16 bytes.
    const bytes = Buffer.from(encrypt, 'base64');
    const decipher = createDecipheriv('aes-256-cbc', createHash('sha256').update(encryptKey).digest(), bytes.subarray(0, 16));
    const independent = JSON.parse(Buffer.concat([decipher.update(bytes.subarray(16)), decipher.final()]).toString('utf8')) as unknown;
    expect(viaSdk).toEqual(independent);
    expect(viaSdk.header).toMatchObject({ event_type: 'card.action.trigger', token: 'vt-1' });
  });

  it('forges the signature or signs a stale timestamp on request', async () => {
    const click = fake.cardActionEvent({ value: { incidentId: 'INC-9', action: 'incident.retry' }, messageId: 'om_1', chatId: CHAT });
    const forged = await postWebhook(url, click, { encryptKey, tamper: 'signature' });
    // The SDK answers a bad signature with an empty 200 and never calls the handler.
    expect(forged).toMatchObject({ status: 200, body: '' });
    expect(handled).toHaveLength(0);

    await postWebhook(url, click, { encryptKey, tamper: 'timestamp' });
    const stale = deliveries[1];
    expect(Date.now() / 1000 - Number(stale?.headers['x-lark-request-timestamp'])).toBeGreaterThan(3000);
    // Correctly signed, only old: the SDK has no timestamp window and accepts the replay.
    expect(handled).toHaveLength(1);
  });

  it('sends the url_verification challenge encrypted', async () => {
    const challenge = urlVerificationEvent('c-123');
    const answer = await postWebhook(url, challenge, { encryptKey, verificationToken: 'vt-1' });
    expect(answer.json).toEqual({ challenge: 'c-123' });
  });
});
