import type { Logger } from 'pino';
import { z } from 'zod';
import type { DecisionAccess } from '../../policy/access';
import type { IncidentService } from '../../runtime/incident-service';
import { SecretScrubber } from '../../security';
import type { Scrubber } from '../../security';
import type { InboundStore, UnfinishedDelivery } from '../../store/inbound-store';
import { FinishesLater } from '../core/claimed-work';
import type { ReplayTarget } from '../../intake/delivery-replayer';
import type { WebMessage } from '../../store/web-message-store';
import type { CommandContext } from '../core/commands';
import type { AlertDetector } from '../core/alert-detector';
import { flatText } from '../core/alert-detector/flat-message';
import { flattenMessage } from '../core/alert-detector/flatten-content';
import { ChatInbound } from '../core/chat-inbound';
import { clickToast } from '../core/chat-message';
import type { ChatMessage, ClickAnswer } from '../core/chat-message';
import { findSample } from './alert-samples';
import { buttonOnCard } from './card-buttons';
import type { WebChat } from './web-chat';
import type { ChatLanguages } from '../core/chat-languages';

/** The longest message the console takes; the composer shows it before sending. */
export const MAX_MESSAGE_CHARS = 8_000;

/** A client-chosen id: a retried POST names the same message or click and is taken once. */
const ClientId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/, 'expected 8-64 letters, digits, _ or -');

export const WebMessageInput = z
  .object({
    id: ClientId,
    text: z
      .string()
      .trim()
      // Catalog keys: the console's parseBody shows them in the reader's language.
      .min(1, 'console.error.emptyMessage')
      .max(MAX_MESSAGE_CHARS, 'console.error.messageTooLong')
      .optional(),
    /** One of the alert samples, posted as a monitoring bot. */
    sample: z.string().max(40).optional(),
    /** `monitor`: post the text as a monitoring bot would (it need not look like a person's pasted alert). */
    as: z.enum(['person', 'monitor']).default('person'),
  })
  .strict()
  .refine((input) => (input.text === undefined) !== (input.sample === undefined), 'console.error.textOrSample');
export type WebMessageInput = z.infer<typeof WebMessageInput>;

export const WebClickInput = z
  .object({
    id: ClientId,
    messageId: z.string().min(1).max(200),
    value: z.object({ incidentId: z.string().min(1).max(100), action: z.string().min(1).max(60), kind: z.string().max(20).optional(), attempt: z.number().int().min(0).optional() }).strict(),
  })
  .strict();
export type WebClickInput = z.infer<typeof WebClickInput>;

export interface WebInboundOptions {
  service: IncidentService;
  chat: WebChat;
  inbound: InboundStore;
  detector: AlertDetector;
  /** Who is at the console: messages and clicks are theirs, checked against the approvers like a Lark user's. */
  user: { id: string };
  /** The bot's own id in the web chat, and the monitoring bot the samples are posted as. */
  botId: string;
  monitorId: string;
  /** The same check Lark clicks and commands get: roles from the policy (or APPROVER_IDS). */
  access: DecisionAccess;
  logger: Logger;
  plugins?: CommandContext['plugins'];
  silences?: CommandContext['silences'];
  languages: ChatLanguages;
  /**
   * Redacts what people type before it is stored and shown to every viewer, as every other door
   * redacts. Default: the built-in rules; the bot passes its own (REDACT_PATTERNS, known secrets).
   */
  scrubber?: Scrubber;
}

/** The replayer's channel for the console's messages and clicks. */
export const WEB_CHANNEL = 'web';
/** What the web console's alerts say they came from when no known tool is recognised. */
export const WEB_SOURCE = 'web console'; // for developers: a source name, like `lark` or `prometheus`

/**
 * The web console as a chat adapter: each message and click is persisted, then handled by the chat
 * core every chat shares (alert detection, commands, approver checks, card clicks). What was
 * acknowledged is finished by another instance if this one dies first (`replay`).
 */
export class WebInbound implements ReplayTarget {
  private readonly core: ChatInbound;
  /** People's plain messages being read now: if they hold no alert, the person is told why. */
  private readonly wantsHint = new Set<string>();
  private readonly scrubber: Scrubber;

  constructor(private readonly options: WebInboundOptions) {
    this.scrubber = options.scrubber ?? new SecretScrubber();
    this.core = new ChatInbound({
      service: options.service,
      chat: options.chat,
      inbound: options.inbound,
      detectAlerts: (message) => options.detector.detect(message),
      alertSource: WEB_SOURCE,
      ownIds: [options.botId],
      access: options.access,
      logger: options.logger,
      plugins: options.plugins,
      silences: options.silences,
      languages: options.languages,
      channel: WEB_CHANNEL,
      notAnAlert: (message, reason) => this.hint(message, reason),
    });
  }

  /** Persists the message, then handles it once (a repeated POST is handled at most once). */
  async send(input: WebMessageInput): Promise<WebMessage> {
    const { message } = await this.options.chat.receive(this.toStored(input));
    const chatMessage = toChatMessage(message, this.options);
    this.wantsHint.add(chatMessage.messageId);
    try {
      await this.core.handleMessage(chatMessage);
    } finally {
      this.wantsHint.delete(chatMessage.messageId);
    }
    return message;
  }

  /** A button on one of the bot's cards, checked against the card as stored, then handled like a Lark click. */
  async click(input: WebClickInput, replaying = false): Promise<ClickAnswer> {
    const message = await this.options.chat.find(input.messageId);
    if (!message?.card || !buttonOnCard(message.card, input.value)) return clickToast('error', this.options.languages.i18n.text('chat.toast.notOnCard'));
    // A failure gives the claim back: the same click may be tried again (a failed replay is tried again later).
    const outcome = await this.core.claimOnce(`web:click:${input.id}`, { kind: 'click', data: input }, replaying, () => this.applyClick(input, message));
    return outcome.first ? outcome.value : clickToast('info', this.options.languages.i18n.text('chat.toast.alreadyReceived'));
  }

  /** Does again the work of a message or click whose claim was abandoned (the instance that took it died). */
  async replay(delivery: UnfinishedDelivery): Promise<boolean> {
    if (delivery.replay.kind !== 'click') return this.core.replay(delivery);
    const input = WebClickInput.safeParse(delivery.replay.data);
    if (!input.success) return false;
    await this.click(input.data, true);
    return true;
  }

  close(): Promise<void> {
    return this.core.close();
  }

  private async applyClick(input: WebClickInput, message: WebMessage): Promise<ClickAnswer | FinishesLater<ClickAnswer>> {
    const answer = await this.core.handleClick({
      incidentId: input.value.incidentId,
      action: input.value.action,
      ...(input.value.kind !== undefined ? { cardKind: input.value.kind } : {}),
      ...(input.value.attempt !== undefined ? { attempt: input.value.attempt } : {}),
      operatorId: this.options.user.id,
      messageId: input.messageId,
      chatId: message.chatId,
    });
    // Lark replaces the card from the callback answer; here the answer's card is stored the same way.
    if (!(answer instanceof FinishesLater) && answer.card) await this.options.chat.updateCard(input.messageId, answer.card);
    return answer;
  }

  private toStored(input: WebMessageInput) {
    const messageId = `web-in-${input.id}`;
    const sample = input.sample === undefined ? undefined : findSample(input.sample);
    if (input.sample !== undefined && !sample) throw new UnknownSampleError(input.sample);
    if (sample) {
      const flat = flattenMessage(sample.content, undefined);
      return { messageId, author: 'monitor' as const, senderId: this.options.monitorId, text: flat ? flatText(flat) : sample.label, content: { msgType: sample.msgType, content: sample.content } };
    }
    const monitor = input.as === 'monitor';
    const text = this.scrubber.scrubText(input.text ?? '');
    return { messageId, author: monitor ? ('monitor' as const) : ('person' as const), senderId: monitor ? this.options.monitorId : this.options.user.id, text };
  }

  /** A person's message sent now that holds no alert: they are told why, and what to do instead. */
  private async hint(message: ChatMessage, reason: string): Promise<void> {
    if (!this.wantsHint.has(message.messageId)) return;
    // The detector's reason is its own words, shown as it gave them.
    const text = this.options.languages.i18n.text('chat.hint.web', { reason });
    await this.options.chat.postText(message.chatId, text, `hint:${message.messageId}`, { replyTo: message.messageId });
  }
}

export class UnknownSampleError extends Error {
  override name = 'UnknownSampleError';
  constructor(readonly sample: string) {
    super(`No alert sample "${sample}".`);
  }
}

/** As the chat core sees messages: a person talking to the console addresses the bot, as an @-mention does in a group. */
function toChatMessage(message: WebMessage, options: WebInboundOptions): ChatMessage {
  const stored = message.content as { msgType?: string; content?: unknown } | null;
  const person = message.author === 'person';
  return {
    messageId: message.messageId,
    chatId: message.chatId,
    msgType: stored?.msgType ?? 'text',
    content: stored?.content ?? { text: message.text ?? '' },
    sender: { kind: person ? 'user' : 'bot', id: person ? options.user.id : options.monitorId },
    mentionsBot: person,
    createTime: Date.parse(message.createdAt),
    text: message.text ?? '',
  };
}
