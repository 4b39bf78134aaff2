import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/core/card';
import type { ChatPort, PostedMessage, PostOptions, Reaction } from '../../src/chat/core/chat-port';
import { ConsoleChat } from '../../src/chat/terminal/console-chat';
import { RedactingChat } from '../../src/chat/core/redacting-chat';
import { REDACTED, SecretScrubber } from '../../src/security';
import type { Localized } from '../../src/i18n';
import { englishChats, same } from '../support/languages';

const ID = 'INC-7K2M9Q4T';
const scrubber = new SecretScrubber({ secrets: ['known-secret-value'] });

const approve = { incidentId: ID, action: 'diagnosis.approved', kind: 'diagnosis', attempt: 1 } as const;
const card: Card = {
  title: `Diagnosis for ${ID}: login with password=title-pw-1 fails`,
  tone: 'red',
  sections: ['**Alert**\n> cannot reach postgres://app:section-pw-2@db-1:5432/orders', '**Evidence**\n> Authorization: Bearer evidence-tok-3.xyz'],
  fields: [
    { label: 'Service', value: 'checkout' },
    { label: 'api_key', value: 'api_key=field-key-4' },
  ],
  buttons: [{ label: 'Approve known-secret-value', style: 'primary', value: approve, command: `/approve ${ID} diagnosis` }],
  footer: 'seen token=footer-tok-5 on pod checkout-7d9f8c6b5-x2k4z',
};
/** The card in both languages: the Chinese copy carries a secret of its own. */
const cards: Localized<Card> = { en: card, 'zh-CN': { ...card, title: `${ID} 诊断：password=title-zh-pw-7 登录失败` } };
const SECRETS = ['title-zh-pw-7', 'title-pw-1', 'section-pw-2', 'evidence-tok-3', 'field-key-4', 'footer-tok-5', 'known-secret-value', 'text-pw-6'];

type Call = { method: string; args: unknown[] };

/** Records what reaches the real chat. */
class RecordingChat implements ChatPort {
  readonly calls: Call[] = [];
  postCard(chatId: string, posted: Localized<Card>, idempotencyKey: string, options?: PostOptions): Promise<PostedMessage> {
    this.calls.push({ method: 'postCard', args: [chatId, posted, idempotencyKey, options] });
    return Promise.resolve({ messageId: 'om_card' });
  }
  postText(chatId: string, text: Localized<string>, idempotencyKey?: string, options?: PostOptions): Promise<PostedMessage> {
    this.calls.push({ method: 'postText', args: [chatId, text, idempotencyKey, options] });
    return Promise.resolve({ messageId: 'om_text' });
  }
  updateCard(messageId: string, updated: Localized<Card>): Promise<void> {
    this.calls.push({ method: 'updateCard', args: [messageId, updated] });
    return Promise.resolve();
  }
  react(messageId: string, reaction: Reaction): Promise<void> {
    this.calls.push({ method: 'react', args: [messageId, reaction] });
    return Promise.resolve();
  }
}

describe('RedactingChat', () => {
  it('scrubs every card field and text before delegating, and passes ids, keys and options through', async () => {
    const inner = new RecordingChat();
    const chat = new RedactingChat(inner, scrubber);

    expect(await chat.postCard('oc_1', cards, 'key-1', { replyTo: 'om_alert' })).toEqual({ messageId: 'om_card' });
    expect(await chat.postText('oc_1', same('db password: text-pw-6'), 'key-2', { replyTo: 'om_alert' })).toEqual({ messageId: 'om_text' });
    await chat.updateCard('om_card', cards);
    await chat.react('om_alert', 'working');

    expect(JSON.stringify(inner.calls)).not.toMatch(new RegExp(SECRETS.join('|')));
    const [postCard, postText, updateCard, react] = inner.calls;
    const scrubbed: Card = {
      title: `Diagnosis for ${ID}: login with password=${REDACTED} fails`,
      tone: 'red',
      sections: [`**Alert**\n> cannot reach postgres://app:${REDACTED}@db-1:5432/orders`, `**Evidence**\n> Authorization: Bearer ${REDACTED}`],
      fields: [
        { label: 'Service', value: 'checkout' },
        { label: 'api_key', value: `api_key=${REDACTED}` },
      ],
      buttons: [{ label: `Approve ${REDACTED}`, style: 'primary', value: approve, command: `/approve ${ID} diagnosis` }],
      footer: `seen token=${REDACTED} on pod checkout-7d9f8c6b5-x2k4z`,
    };
    const scrubbedCards = { en: scrubbed, 'zh-CN': { ...scrubbed, title: `${ID} 诊断：password=${REDACTED} 登录失败` } };
    expect(postCard).toEqual({ method: 'postCard', args: ['oc_1', scrubbedCards, 'key-1', { replyTo: 'om_alert' }] });
    expect(postText).toEqual({ method: 'postText', args: ['oc_1', same(`db password: ${REDACTED}`), 'key-2', { replyTo: 'om_alert' }] });
    expect(updateCard).toEqual({ method: 'updateCard', args: ['om_card', scrubbedCards] });
    expect(react).toEqual({ method: 'react', args: ['om_alert', 'working'] });
    // The caller's card is not changed.
    expect(card.title).toContain('title-pw-1');
  });

  it('keeps secrets off the console terminal', async () => {
    const output = new PassThrough();
    let written = '';
    output.on('data', (chunk: Buffer) => {
      written += chunk.toString('utf8');
    });
    const chat = new RedactingChat(new ConsoleChat({ input: new PassThrough(), output, operator: { id: 'ops' }, languages: englishChats() }), scrubber);

    await chat.postCard('console', cards, 'key-1');
    await chat.postText('console', same('db password: text-pw-6'));
    await chat.updateCard('console-1', cards);

    for (const secret of SECRETS) expect(written).not.toContain(secret);
    expect(written).toContain('checkout-7d9f8c6b5-x2k4z');
    expect(written).toContain(`/approve ${ID} diagnosis`);
  });
});
