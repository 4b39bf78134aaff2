import type { ReplayTarget } from '../../intake/delivery-replayer';
import type { ReplayPayload, UnfinishedDelivery } from '../../store/inbound-store';
import { renderLarkCard } from '../core/card-json';
import type { LarkCardJson } from '../core/card-json';
import { ChatInbound } from '../core/chat-inbound';
import type { ChatInboundOptions } from '../core/chat-inbound';
import { clickToast } from '../core/chat-message';
import type { ChatMessage, ClickAnswer } from '../core/chat-message';
import { eventEnvelope, LarkEventError, normalizeCardAction, normalizeMessageEvent } from './event-normalizer';
import type { BotIdentity, LarkCardClick } from './event-normalizer';
import type { Language } from '../../i18n';

export interface LarkInboundOptions extends Omit<ChatInboundOptions, 'alertSource' | 'ownIds' | 'channel'> {
  botOpenId: string;
  botAppId?: string;
}

/** Whose claims these are, for the replayer; alerts read with no known tool say they came from Lark too. */
const LARK_CHANNEL = 'lark';

/**
 * Lark's events, taken in: the envelopes (webhook or long connection) are unwrapped and normalised,
 * and the chat core does the rest. Each event is claimed once (Lark redelivers for hours), and
 * answered within Lark's 3 s; a card click's answer is rendered as Lark's callback response.
 */
export class LarkInbound implements ReplayTarget {
  private readonly core: ChatInbound;
  private readonly bot: BotIdentity;

  constructor(private readonly options: LarkInboundOptions) {
    this.bot = { openId: options.botOpenId, appId: options.botAppId };
    const ownIds = [options.botOpenId, options.botAppId].filter((id): id is string => id !== undefined);
    this.core = new ChatInbound({ ...options, alertSource: LARK_CHANNEL, ownIds, channel: LARK_CHANNEL });
  }

  /**
   * The entry for the webhook and the long connection (either envelope shape). Returns the callback
   * answer for a card click (its card still to be rendered for Lark), otherwise undefined.
   * Throws when the delivery could not be persisted, so that Lark delivers it again.
   */
  async handleEvent(raw: unknown, replaying = false): Promise<ClickAnswer | undefined> {
    this.core.assertOpen();
    try {
      const { eventId, eventType } = eventEnvelope(raw);
      const key = `lark:event:${eventId}`;
      const kept = { kind: 'event', data: raw };
      if (eventType === 'card.action.trigger') return await this.clickOnce(key, normalizeCardAction(raw), kept, replaying);
      if (eventType !== 'im.message.receive_v1') {
        this.options.logger.debug({ eventId, eventType }, 'lark event type not handled');
        return undefined;
      }
      const message = normalizeMessageEvent(raw, this.bot);
      await this.core.claimOnce(key, kept, replaying, () => this.core.handleMessage(message, replaying));
      return undefined;
    } catch (error) {
      // Redelivering a malformed event cannot help: it is logged and acknowledged.
      if (!(error instanceof LarkEventError)) throw error;
      this.options.logger.warn({ err: error }, 'malformed lark event ignored');
      return isCardAction(raw) ? clickToast('error', this.options.languages.i18n.text('chat.toast.unknownButton')) : undefined;
    }
  }

  /** A message from the chat history (or an event already unwrapped); each message id is handled once. */
  handleMessage(message: ChatMessage, replaying = false): Promise<void> {
    return this.core.handleMessage(message, replaying);
  }

  /** Does again the work of a delivery whose claim was abandoned (the instance that took it died). */
  async replay(delivery: UnfinishedDelivery): Promise<boolean> {
    if (delivery.replay.kind !== 'event') return this.core.replay(delivery);
    await this.handleEvent(delivery.replay.data, true);
    return true;
  }

  /** Refuses new deliveries and waits for background work (command replies, late clicks, reactions). */
  close(): Promise<void> {
    return this.core.close();
  }

  /** A click that fails is answered with a toast (the person can click again) rather than redelivered. */
  private async clickOnce(key: string, click: LarkCardClick, kept: Omit<ReplayPayload, 'channel'>, replaying: boolean): Promise<ClickAnswer> {
    try {
      const result = await this.core.claimOnce(key, kept, replaying, () => this.core.handleClick(click));
      return result.first ? result.value : clickToast('info', this.options.languages.i18n.text('chat.toast.alreadyReceived'));
    } catch (error) {
      this.options.logger.error({ err: error, incidentId: click.incidentId }, 'card click failed');
      return clickToast('error', this.options.languages.i18n.text('chat.toast.clickFailed'));
    }
  }
}

/** Lark's callback toast: `content` is the fallback, `i18n` what each clicker's client language shows. */
export interface LarkToast {
  type: ClickAnswer['toast']['type'];
  content: string;
  i18n: Record<'zh_cn' | 'en_us', string>;
}

/** A click's answer as Lark's callback response wants it: the toast, and the card rendered to card JSON. */
export function larkCallbackResponse(answer: ClickAnswer | undefined, fallback: Language): { toast?: LarkToast; card?: { type: 'raw'; data: LarkCardJson } } {
  if (!answer) return {};
  const { type, content } = answer.toast;
  const toast = { type, content: content[fallback], i18n: { zh_cn: content['zh-CN'], en_us: content.en } };
  return { toast, ...(answer.card ? { card: { type: 'raw', data: renderLarkCard(answer.card, fallback) } } : {}) };
}

function isCardAction(raw: unknown): boolean {
  try {
    return eventEnvelope(raw).eventType === 'card.action.trigger';
  } catch {
    return false;
  }
}
