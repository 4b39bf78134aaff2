import { describe, expect, it } from 'vitest';
import {
  LarkEventError,
  normalizeCardAction,
  normalizeLarkEvent,
  normalizeListedMessage,
  normalizeMessageEvent,
} from '../../src/chat/lark/event-normalizer';

const BOT = { openId: 'ou_bot', appId: 'cli_0123456789abcdef' };

function messageEvent(message: Record<string, unknown>, sender: Record<string, unknown> = {}) {
  return {
    schema: '2.0',
    header: { event_id: 'ev_1', event_type: 'im.message.receive_v1', create_time: '1700000000000', app_id: BOT.appId },
    event: {
      sender: { sender_id: { open_id: 'ou_alice', union_id: 'on_alice', user_id: null }, sender_type: 'user', ...sender },
      message: {
        message_id: 'om_1',
        chat_id: 'oc_ops',
        chat_type: 'group',
        message_type: 'text',
        create_time: '1741918665123',
        content: JSON.stringify({ text: 'hello' }),
        ...message,
      },
    },
  };
}

const mention = (key: string, openId: string, name: string) => ({ key, id: { open_id: openId, union_id: `on_${name}`, user_id: null }, name });

/** What the SDK's EventDispatcher hands a handler: header and event spread into one object. */
function flattened(envelope: ReturnType<typeof messageEvent>) {
  return { schema: envelope.schema, ...envelope.header, ...envelope.event };
}

describe('im.message.receive_v1', () => {
  it('becomes a LarkInboundMessage with the content parsed and the sender a user', () => {
    expect(normalizeMessageEvent(messageEvent({}), BOT)).toEqual({
      eventId: 'ev_1',
      messageId: 'om_1',
      chatId: 'oc_ops',
      msgType: 'text',
      content: { text: 'hello' },
      sender: { kind: 'user', id: 'ou_alice' },
      mentionsBot: false,
      createTime: 1741918665123,
      text: 'hello',
    });
  });

  it('drops the bot\'s own mention so "@Bot /status X" reads as a command, and names other people', () => {
    const message = normalizeMessageEvent(
      messageEvent({
        content: JSON.stringify({ text: '@_user_1 /status INC-1 cc @_user_2' }),
        mentions: [mention('@_user_1', 'ou_bot', 'AlertBot'), mention('@_user_2', 'ou_bob', 'Bob')],
      }),
      BOT,
    );
    expect(message.mentionsBot).toBe(true);
    expect(message.text).toBe('/status INC-1 cc @Bob');
  });

  it('does not confuse @_user_1 with @_user_10', () => {
    const mentions = Array.from({ length: 10 }, (_, i) => mention(`@_user_${i + 1}`, `ou_${i + 1}`, `P${i + 1}`));
    const message = normalizeMessageEvent(messageEvent({ content: JSON.stringify({ text: '@_user_10 and @_user_1' }), mentions }), BOT);
    expect(message.text).toBe('@P10 and @P1');
    expect(message.mentionsBot).toBe(false);
  });

  it('accepts the shape the SDK EventDispatcher flattens events into', () => {
    const direct = normalizeMessageEvent(messageEvent({}), BOT);
    expect(normalizeMessageEvent(flattened(messageEvent({})), BOT)).toEqual(direct);
  });

  it('flattens a post: title, then each row, with mentions and links as text', () => {
    const content = {
      title: 'Disk almost full',
      content: [
        [
          { tag: 'text', text: 'host db-1 at ' },
          { tag: 'text', text: '91%' },
        ],
        [
          { tag: 'at', user_id: '@_user_1', user_name: 'Bob' },
          { tag: 'a', href: 'http://x', text: ' runbook' },
        ],
        [{ tag: 'img', image_key: 'img_1' }],
      ],
    };
    const message = normalizeMessageEvent(
      messageEvent({ message_type: 'post', content: JSON.stringify(content), mentions: [mention('@_user_1', 'ou_bob', 'Bob')] }),
      BOT,
    );
    expect(message.text).toBe('Disk almost full\nhost db-1 at 91%\n@Bob runbook');
    expect(message.content).toEqual(content);
  });

  it('unwraps a post with a locale wrapper', () => {
    const content = { zh_cn: { title: '告警', content: [[{ tag: 'text', text: '磁盘使用率过高' }]] } };
    const message = normalizeMessageEvent(messageEvent({ message_type: 'post', content: JSON.stringify(content) }), BOT);
    expect(message.text).toBe('告警\n磁盘使用率过高');
  });

  it('keeps an image message with empty text', () => {
    const message = normalizeMessageEvent(messageEvent({ message_type: 'image', content: JSON.stringify({ image_key: 'k' }) }), BOT);
    expect(message.text).toBe('');
  });

  it('rejects content that is not JSON, naming the problem', () => {
    expect(() => normalizeMessageEvent(messageEvent({ content: 'not json' }), BOT)).toThrow(/content is not JSON/);
  });

  it('rejects an event without a chat id, naming the field', () => {
    const event = messageEvent({ chat_id: undefined });
    expect(() => normalizeMessageEvent(event, BOT)).toThrow(LarkEventError);
    expect(() => normalizeMessageEvent(event, BOT)).toThrow(/chat_id/);
  });

  it('rejects a create time that is not milliseconds', () => {
    expect(() => normalizeMessageEvent(messageEvent({ create_time: 'yesterday' }), BOT)).toThrow(/create_time/);
  });
});

describe('a chat-history item (im/v1/messages list)', () => {
  const item = {
    message_id: 'om_20',
    msg_type: 'post',
    create_time: '1741917482000',
    chat_id: 'oc_alerts',
    sender: { id: 'cli_9e44d8e26dbb500d', id_type: 'app_id', sender_type: 'app' },
    body: {
      content: JSON.stringify({
        title: 'Problem: MySQL: Replication lag is too high (over 5m)',
        content: [[{ tag: 'text', text: 'Host: mysql-slave-02\n' }, { tag: 'at', user_id: '@_user_1', user_name: '陈杰' }]],
      }),
    },
    mentions: [{ key: '@_user_1', id: 'ou_chen', id_type: 'open_id', name: '陈杰' }],
  };

  it('becomes a LarkInboundMessage from a bot, without an event id', () => {
    expect(normalizeListedMessage(item, BOT)).toEqual({
      messageId: 'om_20',
      chatId: 'oc_alerts',
      msgType: 'post',
      content: JSON.parse(item.body.content) as unknown,
      sender: { kind: 'bot', id: 'cli_9e44d8e26dbb500d' },
      mentionsBot: false,
      createTime: 1741917482000,
      text: 'Problem: MySQL: Replication lag is too high (over 5m)\nHost: mysql-slave-02\n@陈杰',
    });
  });

  it('sees a mention of the bot by its app id', () => {
    const mentioning = { ...item, mentions: [{ key: '@_user_1', id: BOT.appId, id_type: 'app_id', name: 'AlertBot' }] };
    expect(normalizeListedMessage(mentioning, BOT).mentionsBot).toBe(true);
  });

  it('takes a message without a sender (a custom webhook bot) as from an unknown bot', () => {
    const { sender: _sender, ...anonymous } = item;
    expect(normalizeListedMessage(anonymous, BOT).sender).toEqual({ kind: 'bot', id: 'unknown' });
  });

  it('flattens the simplified interactive shape the list API returns for cards', () => {
    const card = {
      title: 'PrometheusAlert',
      elements: [[{ tag: 'a', href: 'http://x', text: 'KubePodCrashLooping' }, { tag: 'text', text: ' firing' }], [{ tag: 'hr' }], [{ tag: 'note', elements: [{ tag: 'text', text: 'note' }] }]],
    };
    const message = normalizeListedMessage({ ...item, msg_type: 'interactive', body: { content: JSON.stringify(card) } }, BOT);
    expect(message.text).toBe('PrometheusAlert\nKubePodCrashLooping firing\n\nnote');
  });

  it('rejects an item without a body', () => {
    const { body: _body, ...bodiless } = item;
    expect(() => normalizeListedMessage(bodiless, BOT)).toThrow(/Malformed listed message[\s\S]*body/);
  });
});

describe('card.action.trigger', () => {
  const click = (value: Record<string, unknown>) => ({
    schema: '2.0',
    header: { event_id: 'ev_click', event_type: 'card.action.trigger', token: 't' },
    event: {
      operator: { open_id: 'ou_alice', union_id: 'on_alice' },
      token: 'c-1',
      action: { value, tag: 'button' },
      host: 'im_message',
      context: { open_message_id: 'om_card', open_chat_id: 'oc_ops' },
    },
  });

  it('becomes a LarkCardAction carrying the button value', () => {
    const value = { incidentId: 'INC-1', action: 'diagnosis.approved', kind: 'diagnosis', attempt: 2, version: 7 };
    expect(normalizeCardAction(click(value))).toEqual({
      eventId: 'ev_click',
      incidentId: 'INC-1',
      action: 'diagnosis.approved',
      cardKind: 'diagnosis',
      attempt: 2,
      version: 7,
      operatorId: 'ou_alice',
      messageId: 'om_card',
      chatId: 'oc_ops',
    });
  });

  it('leaves the optional parts out when the button does not carry them', () => {
    const action = normalizeCardAction(click({ incidentId: 'INC-1', action: 'incident.retry' }));
    expect(action).not.toHaveProperty('cardKind');
    expect(action).not.toHaveProperty('attempt');
  });

  it('rejects a button value without an incident id', () => {
    expect(() => normalizeCardAction(click({ action: 'diagnosis.approved' }))).toThrow(/incidentId/);
  });
});

describe('normalizeLarkEvent', () => {
  it('sorts events by type', () => {
    expect(normalizeLarkEvent(messageEvent({}), BOT)).toMatchObject({ kind: 'message', eventId: 'ev_1' });
    const other = { schema: '2.0', header: { event_id: 'ev_9', event_type: 'im.chat.member.bot.added_v1' }, event: {} };
    expect(normalizeLarkEvent(other, BOT)).toEqual({ kind: 'other', eventId: 'ev_9', eventType: 'im.chat.member.bot.added_v1' });
  });

  it('rejects something that is not an event at all', () => {
    expect(() => normalizeLarkEvent({ hello: 'world' }, BOT)).toThrow(/Malformed Lark event[\s\S]*event_id/);
    expect(() => normalizeLarkEvent('text', BOT)).toThrow(LarkEventError);
  });
});
