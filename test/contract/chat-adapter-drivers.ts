import { randomUUID } from 'node:crypto';
import { AlertDetector } from '../../src/chat/core/alert-detector';
import type { Card } from '../../src/chat/core/card';
import type { ChatMessage } from '../../src/chat/core/chat-message';
import type { ChatPort, PostedMessage, PostOptions, Reaction } from '../../src/chat/core/chat-port';
import { TerminalInbound } from '../../src/chat/terminal/terminal-inbound';
import { WebChat } from '../../src/chat/web/web-chat';
import { WEB_CHANNEL, WebInbound } from '../../src/chat/web/web-inbound';
import type { DecisionAccess } from '../../src/policy/access';
import { InboundStore } from '../../src/store/inbound-store';
import { WebMessageStore } from '../../src/store/web-message-store';
import { BOT, CHAT, clickEvent, larkInbound, messageEvent, RecordingChat } from '../support/lark-inbound-kit';
import type { WorkflowHarness } from '../support/workflow-harness';
import type { Localized } from '../../src/i18n';
import { englishChats } from '../support/languages';

/** A person's decision on the diagnosis card, as each chat lets them make it. */
export type Decision = 'diagnosis.approved' | 'diagnosis.rejected';

/** One chat adapter, driven the way its platform drives it (raw Lark events, web posts and clicks, typed lines). */
export interface AdapterDriver {
  name: string;
  /** The chat the adapter's incidents live in. */
  chatId: string;
  /** A person writes `text` to the bot; the same `delivery` twice is one delivery made twice. Resolves to the message id. */
  personSays(text: string, delivery?: string): Promise<string>;
  /** A message the bot itself posted, reaching the intake again; undefined where the platform cannot carry one. */
  botSays?: (text: string) => Promise<void>;
  /** What the bot has answered to a message so far, in this chat (answers may follow the delivery). */
  answersTo(messageId: string): Promise<string[]>;
  /** A person decides from the incident's diagnosis card; resolves to what they were told. */
  decide(person: string, incidentId: string, decision: Decision): Promise<string>;
  close(): Promise<void>;
}

export interface DriverDeps {
  h: WorkflowHarness;
  access: DecisionAccess;
  /** Where the machine posted the incident's diagnosis card. */
  diagnosisCard: (incidentId: string) => Promise<string>;
  /** The web chat the machine posts the web console's cards to. */
  webChat: WebChat;
}

const ALICE = 'ou_alice';
const WEB_BOT = 'ai-fixer';

export function larkDriver({ h, access, diagnosisCard }: DriverDeps): AdapterDriver {
  const chat = new RecordingChat();
  const detector = new AlertDetector({ selfSenderIds: [BOT] });
  const inbound = larkInbound(h, chat, { detectAlerts: (message) => detector.detect(message), access });
  let clicks = 0;
  return {
    name: 'lark',
    chatId: CHAT,
    async personSays(text, delivery = randomUUID()) {
      await inbound.handleEvent(messageEvent(`om_${delivery}`, text, { eventId: `ev_${delivery}`, sender: ALICE, mentionBot: true }));
      return `om_${delivery}`;
    },
    async botSays(text) {
      await inbound.handleEvent(messageEvent(`om_${randomUUID()}`, text, { sender: BOT }));
    },
    answersTo(messageId) {
      return Promise.resolve(chat.texts.filter((posted) => posted.chatId === CHAT && posted.options?.replyTo === messageId).map((posted) => posted.text));
    },
    async decide(person, incidentId, decision) {
      const click = clickEvent({ incidentId, action: decision, messageId: await diagnosisCard(incidentId), operator: person, eventId: `ev_click_${++clicks}` });
      const answer = await inbound.handleEvent(click);
      return answer?.toast.content.en ?? '';
    },
    close: () => inbound.close(),
  };
}

export function webDriver({ h, access, webChat, diagnosisCard }: DriverDeps): AdapterDriver {
  const inbounds = new Map<string, WebInbound>();
  const seen = new Map<string, Record<string, unknown>>();
  const as = (user: string) => {
    const existing = inbounds.get(user);
    if (existing) return existing;
    const detector = new AlertDetector({ selfSenderIds: [WEB_BOT] });
    const inbound = new WebInbound({ service: h.runtime, chat: webChat, inbound: new InboundStore(h.orm), detector, user: { id: user }, botId: WEB_BOT, monitorId: 'monitoring-bot', access, logger: h.logger, languages: englishChats() });
    inbounds.set(user, inbound);
    return inbound;
  };
  const closeAll = () => Promise.all([...inbounds.values()].map((inbound) => inbound.close()));
  return {
    name: 'web',
    chatId: webChat.chatId,
    async personSays(text, delivery = randomUUID()) {
      const message = await as(ALICE).send({ id: `d-${delivery}`, text, as: 'person' });
      return message.messageId;
    },
    // The web console posts the bot's messages itself; one can reach the intake again only as a kept delivery replayed.
    async botSays(text) {
      const data: ChatMessage = { messageId: `web-${randomUUID()}`, chatId: webChat.chatId, msgType: 'text', content: { text }, sender: { kind: 'bot', id: WEB_BOT }, mentionsBot: false, createTime: Date.now(), text };
      await as(ALICE).replay({ key: `lark:message:${data.messageId}`, replay: { channel: WEB_CHANNEL, kind: 'message', data } });
    },
    async answersTo(messageId) {
      return (await webChat.history(300)).filter((message) => message.replyTo === messageId).map((message) => message.text ?? '');
    },
    async decide(person, incidentId, decision) {
      const cardId = await diagnosisCard(incidentId);
      // The card as the page first showed it: a decided card loses its buttons, an open tab keeps them.
      const shown = seen.get(cardId) ?? (await webChat.find(cardId))?.card;
      if (shown) seen.set(cardId, shown);
      const value = buttonValue(shown, decision);
      const answer = await as(person).click({ id: `click-${randomUUID()}`, messageId: cardId, value });
      return answer.toast.content.en;
    },
    close: async () => void (await closeAll()),
  };
}

export function terminalDriver({ h, access }: DriverDeps): AdapterDriver {
  const chat = new RecordingChat();
  const terminal = new TerminalInbound({ service: h.runtime, chat, inbound: new InboundStore(h.orm), detector: new AlertDetector(), access, logger: h.logger, languages: englishChats() });
  const type = async (text: string, sender: string, delivery: string) => {
    const messageId = `console-msg-${delivery}`;
    await terminal.handle({ chatId: 'console', messageId, sender: { id: sender }, text });
    return messageId;
  };
  const answers = (messageId: string) => chat.texts.filter((posted) => posted.chatId === 'console' && posted.options?.replyTo === messageId).map((posted) => posted.text);
  return {
    name: 'terminal',
    chatId: 'console',
    personSays: (text, delivery = randomUUID()) => type(text, ALICE, delivery),
    // Only the person at the terminal writes to it: the bot's output is printed, never read back.
    botSays: undefined,
    answersTo: (messageId) => Promise.resolve(answers(messageId)),
    // The terminal shows a card's buttons as the commands to type.
    async decide(person, incidentId, decision) {
      const command = decision === 'diagnosis.approved' ? `/approve ${incidentId} diagnosis` : `/reject ${incidentId} diagnosis`;
      return answers(await type(command, person, randomUUID())).join('\n');
    },
    close: () => terminal.close(),
  };
}

/** The value of the card's button for `action`, as the browser sends it back. */
function buttonValue(card: Record<string, unknown> | null | undefined, action: string): { incidentId: string; action: string; kind?: string; attempt?: number } {
  const found = JSON.stringify(card ?? {}).match(new RegExp(`"value":(\\{[^{}]*"action":"${action.replace('.', '\\.')}"[^{}]*\\})`));
  if (!found?.[1]) throw new Error(`No ${action} button on the card.`);
  return JSON.parse(found[1]) as { incidentId: string; action: string; kind?: string; attempt?: number };
}

/** The machine's chat, known before the web chat exists (it needs the harness's database). */
export class LateChat implements ChatPort {
  target: ChatPort | undefined;
  private get chat(): ChatPort {
    if (!this.target) throw new Error('The chat is not set yet.');
    return this.target;
  }
  postCard(chatId: string, card: Localized<Card>, key: string, options?: PostOptions): Promise<PostedMessage> {
    return this.chat.postCard(chatId, card, key, options);
  }
  postText(chatId: string, text: Localized<string>, key?: string, options?: PostOptions): Promise<PostedMessage> {
    return this.chat.postText(chatId, text, key, options);
  }
  updateCard(messageId: string, card: Localized<Card>): Promise<void> {
    return this.chat.updateCard(messageId, card);
  }
  react(messageId: string, reaction: Reaction): Promise<void> {
    return this.chat.react(messageId, reaction);
  }
}

export function newWebChat(h: WorkflowHarness): WebChat {
  return new WebChat(new WebMessageStore(h.orm), { botId: WEB_BOT, languages: englishChats() });
}
