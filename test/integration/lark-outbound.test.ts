import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/core/card';
import { quoteUntrusted } from '../../src/chat/core/cards';
import { renderLarkCard } from '../../src/chat/core/card-json';
import { LarkChat, larkMessageUuid } from '../../src/chat/lark/lark-chat';
import { LarkApiError, createLarkClient } from '../../src/chat/lark/lark-client';
import { startFakeLark } from '../fakes/lark';
import type { FakeLark } from '../fakes/lark';
import { englishChats, same } from '../support/languages';

/** LarkChat through the real SDK against the fake open platform, which enforces Lark's rate limits. */

const CHAT = 'oc_incidents000000000000000000001';
const MONITOR = 'cli_a1b2c3d4e5f60718';
const logger = pino({ level: 'silent' });

let fake: FakeLark;

beforeEach(async () => {
  fake = await startFakeLark({ enforceRateLimits: true });
});

afterEach(async () => {
  await fake.close();
});

/** A fresh client and chat, as a restarted process would build them. */
function larkChat(): LarkChat {
  return new LarkChat({ client: createLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, logger }), logger, languages: englishChats() });
}

function card(title: string, overrides: Partial<Card> = {}): Card {
  return {
    title,
    tone: 'orange',
    sections: [`**Alert**\n${quoteUntrusted('HTTP 503 on /pay <at id=all></at>')}`],
    fields: [{ label: 'Incident', value: 'INC-1' }],
    buttons: [
      {
        label: 'Approve',
        style: 'primary',
        value: { incidentId: 'INC-1', action: 'diagnosis.approved', kind: 'diagnosis', attempt: 1 },
        command: '/approve INC-1 diagnosis',
      },
    ],
    footer: 'Incident INC-1 · attempt 1',
    ...overrides,
  };
}

function seedAlert(): string {
  const alert = { title: 'PrometheusAlert', elements: [[{ tag: 'text', text: 'KubePodCrashLooping' }]] };
  return fake.postAsBot(CHAT, { msgType: 'interactive', content: alert, senderAppId: MONITOR }).messageId;
}

describe('LarkChat against the fake open platform', () => {
  it('posts a card in the alert’s thread, as rendered, with a uuid', async () => {
    const alertId = seedAlert();
    const diagnosis = card('[HIGH] Diagnosis ready · INC-1');
    const posted = await larkChat().postCard(CHAT, same(diagnosis), 'INC-1:diagnosis', { replyTo: alertId });

    expect(fake.sent).toHaveLength(1);
    expect(fake.sent[0]).toMatchObject({
      messageId: posted.messageId,
      chatId: CHAT,
      msgType: 'interactive',
      replyTo: alertId,
      replyInThread: true,
      uuid: larkMessageUuid(CHAT, 'INC-1:diagnosis'),
    });
    expect(fake.sent[0]?.content).toEqual(renderLarkCard(same(diagnosis), 'en'));
    expect(fake.message(posted.messageId)?.threadId).toMatch(/^omt_/);
  });

  it('creates the card in the chat when there is nothing to reply to', async () => {
    const posted = await larkChat().postCard(CHAT, same(card('Standalone')), 'INC-2:outcome');
    expect(fake.sent[0]).toMatchObject({ messageId: posted.messageId, chatId: CHAT, replyInThread: false });
    expect(fake.sent[0]?.replyTo).toBeUndefined();
  });

  it('never posts twice for one idempotency key, even across a restart', async () => {
    const alertId = seedAlert();
    const before = await larkChat().postCard(CHAT, same(card('Diagnosis')), 'INC-1:diagnosis', { replyTo: alertId });
    const afterRestart = await larkChat().postCard(CHAT, same(card('Diagnosis')), 'INC-1:diagnosis', { replyTo: alertId });
    const text = await larkChat().postText(CHAT, same('Working on it'), 'INC-1:ack');
    const textAgain = await larkChat().postText(CHAT, same('Working on it'), 'INC-1:ack');
    const other = await larkChat().postCard(CHAT, same(card('Proposal')), 'INC-1:proposal', { replyTo: alertId });

    expect(afterRestart.messageId).toBe(before.messageId);
    expect(textAgain.messageId).toBe(text.messageId);
    expect(other.messageId).not.toBe(before.messageId);
    expect(fake.sent.map((s) => s.messageId)).toEqual([before.messageId, text.messageId, other.messageId]);
  });

  it('posts plain text without letting it mention anyone', async () => {
    await larkChat().postText(CHAT, same('ping <at user_id="all">everyone</at>'));
    const { text } = fake.sent[0]?.content as { text: string };
    expect(text).toBe('ping <\u200bat user_id="all">everyone</at>');
    expect(fake.sent[0]?.uuid).toBeUndefined();
  });

  it('sends an urgent notification of its own card, on the channel asked, and Lark refuses one of a message it did not post', async () => {
    const chat = larkChat();
    const posted = await chat.postCard(CHAT, same(card('Escalated', { mentions: [{ kind: 'person', id: 'ou_oncall' }] })), 'INC-1:escalated');
    expect(JSON.stringify(fake.latestCard(CHAT)?.card)).toContain('<at id=ou_oncall></at>');
    await chat.urgent(posted.messageId, ['ou_oncall', 'ou_backup'], 'app');
    await chat.urgent(posted.messageId, ['ou_oncall'], 'phone');
    expect(fake.urgents).toEqual([
      { messageId: posted.messageId, channel: 'app', userIds: ['ou_oncall', 'ou_backup'] },
      { messageId: posted.messageId, channel: 'phone', userIds: ['ou_oncall'] },
    ]);
    await expect(chat.urgent(seedAlert(), ['ou_oncall'], 'sms')).rejects.toThrow(/Lark urgent sms failed: code 230001/);
    expect(fake.urgents).toHaveLength(2);
  });

  it('patches a posted card in place', async () => {
    const chat = larkChat();
    const posted = await chat.postCard(CHAT, same(card('Diagnosis ready')), 'INC-1:diagnosis');
    const decided = card('Diagnosis approved by Ann', { tone: 'green', buttons: [] });
    await chat.updateCard(posted.messageId, same(decided));

    expect(fake.patches).toHaveLength(1);
    expect(fake.latestCard(CHAT)).toMatchObject({ messageId: posted.messageId, card: renderLarkCard(same(decided), 'en') });
    expect(fake.sent).toHaveLength(1);
  });

  it('marks progress with Lark emoji, taking the working mark down when done', async () => {
    const chat = larkChat();
    const alertId = seedAlert();
    const duplicateId = seedAlert();
    await chat.react(alertId, 'working');
    await chat.react(alertId, 'done');
    await chat.react(duplicateId, 'duplicate');
    await chat.react(duplicateId, 'failed');

    expect(fake.reactions.map(({ messageId, emojiType, removed }) => ({ messageId, emojiType, removed }))).toEqual([
      { messageId: alertId, emojiType: 'OnIt', removed: true },
      { messageId: alertId, emojiType: 'DONE', removed: false },
      { messageId: duplicateId, emojiType: 'JIAYI', removed: false },
      { messageId: duplicateId, emojiType: 'CrossMark', removed: false },
    ]);
  });

  it('shrugs off a reaction Lark refuses', async () => {
    await expect(larkChat().react('om_gone', 'working')).resolves.toBeUndefined();
    expect(fake.reactions).toHaveLength(0);
  });

  it('retries throttled sends, in both forms, and delivers each exactly once', async () => {
    const chat = larkChat();
    fake.throttleNext(1, { mode: 'http429', resetSeconds: 1 });
    fake.throttleNext(1, { mode: 'code99991400', resetSeconds: 1 });
    const posts = await Promise.all([
      chat.postCard(CHAT, same(card('One')), 'k1'),
      chat.postCard('oc_second', same(card('Two')), 'k2'),
      chat.postText(CHAT, same('three'), 'k3'),
    ]);

    expect(fake.throttledCount).toBe(2);
    expect(new Set(posts.map((p) => p.messageId)).size).toBe(3);
    expect(fake.sent.map((s) => s.uuid).sort()).toEqual(
      [larkMessageUuid(CHAT, 'k1'), larkMessageUuid('oc_second', 'k2'), larkMessageUuid(CHAT, 'k3')].sort(),
    );
  });

  it('retries a send whose connection was cut when it carries a uuid, and never one that does not', async () => {
    const chat = larkChat();
    fake.dropNextSends(1);
    const posted = await chat.postCard(CHAT, same(card('Survives a reset')), 'k-reset');
    expect(fake.sent.filter((s) => s.uuid === larkMessageUuid(CHAT, 'k-reset'))).toHaveLength(1);
    expect(posted.messageId).toBeTruthy();

    fake.dropNextSends(1);
    await expect(chat.postText(CHAT, same('no idempotency key'))).rejects.toBeInstanceOf(LarkApiError);
    expect(fake.sent.filter((s) => (s.content as { text?: string }).text === 'no idempotency key')).toHaveLength(0);
  });

  it('paces a burst to Lark’s 5 messages per second per chat', async () => {
    const chat = larkChat();
    const started = Date.now();
    const posts = await Promise.all(Array.from({ length: 11 }, (_, i) => chat.postText(CHAT, same(`line ${i}`), `burst-${i}`)));

    expect(new Set(posts.map((p) => p.messageId)).size).toBe(11);
    expect(fake.rateLimitViolations).toEqual([]);
    expect(fake.sent.map((s) => (s.content as { text: string }).text)).toEqual(Array.from({ length: 11 }, (_, i) => `line ${i}`));
    expect(Date.now() - started).toBeGreaterThanOrEqual(2000);
  });

  it('fails fast with Lark’s code and msg when the send is refused', async () => {
    const failure = larkChat().postCard(CHAT, same(card('Orphan')), 'INC-9:diagnosis', { replyTo: 'om_missing' });
    await expect(failure).rejects.toBeInstanceOf(LarkApiError);
    await expect(failure).rejects.toThrow(/Lark reply to message failed: code 230001, msg ".*om_missing.*", HTTP 400/);
    expect(fake.requests.filter((r) => r.path.endsWith('/reply'))).toHaveLength(1);
  });
});
