import type { Logger } from 'pino';
import { AlertSchema } from '../../domain';
import type { AlertInput } from '../../domain';
import type { IncidentService } from '../../runtime/incident-service';
import type { InboundStore, ReplayPayload, UnfinishedDelivery } from '../../store/inbound-store';
import { FinishesLater, runClaimed } from '../core/claimed-work';
import type { ClaimedOutcome } from '../core/claimed-work';
import type { ReplayTarget } from '../../intake/delivery-replayer';
import type { ChatPort } from '../core/chat-port';
import { executeCommand, parseCommand } from '../core/commands';
import { parseTextAlert } from '../core/alert-detector/text-alert';
import type { Command, CommandContext } from '../core/commands';
import type { DecisionAccess } from '../../policy/access';
import { handleCardClick } from '../core/card-clicks';
import { eventEnvelope, LarkEventError, normalizeCardAction, normalizeMessageEvent } from './event-normalizer';
import type { BotIdentity, LarkCardClick } from './event-normalizer';
import { renderLarkCard } from './card-renderer';
import type { LarkCardJson } from './card-renderer';
import type { CardActionAnswer, LarkInboundMessage } from './types';

export type AlertDetection = { isAlert: false; reason: string } | { isAlert: true; alerts: AlertInput[] };

export interface LarkInboundOptions {
  service: IncidentService;
  /** Where command replies and reactions go. */
  chat: ChatPort;
  inbound: InboundStore;
  /** The AlertDetector, injected: which messages are alerts, and what they say. */
  detectAlerts(message: LarkInboundMessage): AlertDetection | Promise<AlertDetection>;
  botOpenId: string;
  botAppId?: string;
  /** Who may decide what (roles from the policy); clicks and typed commands get the same check. */
  access: DecisionAccess;
  logger: Logger;
  /** What /plugins lists. */
  plugins?: CommandContext['plugins'];
  /** What /silence, /silences and /unsilence act on. */
  silences?: CommandContext['silences'];
  /** How long a card click may take before it is answered and finished in the background (Lark allows 3 s). */
  cardAnswerBudgetMs?: number;
  /** Whose claims these are, for the replayer (`lark`; the web console's chat is `web`). */
  channel?: string;
  /** A claim not heartbeaten for this long is presumed abandoned by a dead instance and replayed. */
  staleClaimMs?: number;
}

const DEFAULT_CARD_ANSWER_BUDGET_MS = 2_500;
/** A command that meets an outage is tried this often, COMMAND_RETRY_MS × attempt apart. */
const COMMAND_ATTEMPTS = 3;
const COMMAND_RETRY_MS = 1_000;

/**
 * Lark's events, taken in: each delivery is claimed once (Lark redelivers for hours), what must
 * survive is persisted before the answer, and anything that waits on the incident's steps runs in
 * the background, so Lark hears back within its 3 s. Each claim keeps its delivery until the work is
 * done: if this instance dies after answering, another replays it (DeliveryReplayer → `replay`).
 */
export class LarkInbound implements ReplayTarget {
  private readonly bot: BotIdentity;
  private readonly background = new Set<Promise<boolean>>();
  private closed = false;

  constructor(private readonly options: LarkInboundOptions) {
    this.bot = { openId: options.botOpenId, appId: options.botAppId };
  }

  /**
   * The entry for the webhook and the long connection (either envelope shape). Returns the callback
   * answer for a card click (its card still to be rendered for Lark), otherwise undefined.
   * Throws when the delivery could not be persisted, so that Lark delivers it again.
   */
  async handleEvent(raw: unknown, replaying = false): Promise<CardActionAnswer | undefined> {
    this.assertOpen();
    try {
      const { eventId, eventType } = eventEnvelope(raw);
      const key = `lark:event:${eventId}`;
      if (eventType === 'card.action.trigger') return await this.clickOnce(key, normalizeCardAction(raw), this.kept('event', raw), replaying);
      if (eventType !== 'im.message.receive_v1') {
        this.options.logger.debug({ eventId, eventType }, 'lark event type not handled');
        return undefined;
      }
      const message = normalizeMessageEvent(raw, this.bot);
      await this.once(key, this.kept('event', raw), replaying, () => this.handleMessage(message, replaying));
      return undefined;
    } catch (error) {
      // Redelivering a malformed event cannot help: it is logged and acknowledged.
      if (!(error instanceof LarkEventError)) throw error;
      this.options.logger.warn({ err: error }, 'malformed lark event ignored');
      return isCardAction(raw) ? { toast: { type: 'error', content: 'This button is not one I understand.' } } : undefined;
    }
  }

  /** A message from any door (event, chat history); each message id is handled once. */
  async handleMessage(message: LarkInboundMessage, replaying = false): Promise<void> {
    this.assertOpen();
    await this.once(`lark:message:${message.messageId}`, this.kept('message', message), replaying, () => this.routeMessage(message));
  }

  /** Does again the work of a delivery whose claim was abandoned (the instance that took it died). */
  async replay({ replay }: UnfinishedDelivery): Promise<boolean> {
    if (replay.kind === 'event') await this.handleEvent(replay.data, true);
    else if (replay.kind === 'message' && isInboundMessage(replay.data)) await this.handleMessage(replay.data, true);
    else return false;
    return true;
  }

  /** A click's answer; work that goes on past the answer budget comes back as FinishesLater. */
  async handleCardAction(click: LarkCardClick): Promise<CardActionAnswer | FinishesLater<CardActionAnswer>> {
    this.assertOpen();
    return handleCardClick(
      {
        service: this.options.service,
        chat: this.options.chat,
        access: this.options.access,
        logger: this.options.logger,
        answerBudgetMs: this.options.cardAnswerBudgetMs ?? DEFAULT_CARD_ANSWER_BUDGET_MS,
        inBackground: (what, work) => this.inBackground(what, work),
      },
      click,
    );
  }

  /** Refuses new deliveries and waits for background work (command replies, late clicks, reactions). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.background.size > 0) await Promise.all([...this.background]);
  }

  /**
   * Runs `work` for the first delivery of `key` (runClaimed): a failure gives the claim back so a
   * redelivery is taken (a failed replay keeps it for the next); a redelivery while the work is in
   * progress is acknowledged, since the claim keeps the delivery and is replayed if its holder dies.
   */
  private async once<T>(key: string, replay: ReplayPayload, replaying: boolean, work: () => Promise<T | FinishesLater<T>>): Promise<ClaimedOutcome<T>> {
    const { inbound, logger, staleClaimMs } = this.options;
    const outcome = await runClaimed({ inbound, logger, staleAfterMs: staleClaimMs, replaying }, key, replay, work);
    if (!outcome.first) this.options.logger.debug({ key, claim: outcome.claim }, 'lark redelivery ignored');
    return outcome;
  }

  private kept(kind: 'event' | 'message', data: unknown): ReplayPayload {
    return { channel: this.options.channel ?? 'lark', kind, data };
  }

  /** A click that fails is answered with a toast (the person can click again) rather than redelivered. */
  private async clickOnce(key: string, click: LarkCardClick, replay: ReplayPayload, replaying: boolean): Promise<CardActionAnswer> {
    try {
      const result = await this.once(key, replay, replaying, () => this.handleCardAction(click));
      return result.first ? result.value : { toast: { type: 'info', content: 'Already received this click.' } };
    } catch (error) {
      this.options.logger.error({ err: error, incidentId: click.incidentId }, 'card click failed');
      return { toast: { type: 'error', content: 'Could not record your click. Please try again.' } };
    }
  }

  private async routeMessage(message: LarkInboundMessage): Promise<FinishesLater<void> | void> {
    const own = [this.bot.openId, this.bot.appId];
    if (own.includes(message.sender.id)) return;
    if (message.sender.kind === 'user' && message.text.startsWith('/')) return this.runCommand(message);
    const detection = await this.options.detectAlerts(message);
    if (!detection.isAlert) {
      this.options.logger.debug({ messageId: message.messageId, reason: detection.reason }, 'message is not an alert');
      return;
    }
    await this.openIncidents(message, detection.alerts);
  }

  /**
   * The alerts a message carries are one problem: one `create` (which groups them with what is open),
   * resolved once it is persisted. An alert the detector read but that is not valid is skipped.
   */
  private async openIncidents(message: LarkInboundMessage, detected: AlertInput[]): Promise<void> {
    const alerts = detected.filter((alert) => {
      const valid = AlertSchema.safeParse(alert).success;
      if (!valid) this.options.logger.warn({ messageId: message.messageId }, 'detected alert is not valid; skipped');
      return valid;
    });
    const [alert, ...alongWith] = alerts;
    if (!alert) return;
    const view = await this.options.service.create({ alert, alongWith, chatId: message.chatId, alertMessageId: message.messageId, by: { id: message.sender.id } });
    if (view.silenced) {
      this.options.logger.info({ silenceId: view.silenced.silenceId, messageId: message.messageId }, 'alert from a lark message silenced');
      void this.inBackground('silenced reaction', () => this.options.chat.react(message.messageId, 'silenced'));
      return;
    }
    this.options.logger.info({ incidentId: view.id, messageId: message.messageId, opened: view.opened }, 'alert taken from a lark message');
    const recovery = alerts.every((a) => a.status === 'resolved');
    const reaction = view.opened ? 'working' : recovery ? 'done' : 'duplicate';
    void this.inBackground(`${reaction} reaction`, () => this.options.chat.react(message.messageId, reaction));
  }

  /** What `/diag <text>` opens: the detector's reading of a pasted alert, else the plain one-line form. */
  private async parsePastedAlert(message: LarkInboundMessage, text: string): Promise<AlertInput> {
    const detection = await this.options.detectAlerts({ ...message, msgType: 'text', content: { text }, text, mentionsBot: true });
    return detection.isAlert && detection.alerts[0] ? detection.alerts[0] : parseTextAlert(text, 'lark');
  }

  /** `/diag` opens its incident before the answer (it must survive); other commands may wait on steps, so they run in the background. */
  private async runCommand(message: LarkInboundMessage): Promise<FinishesLater<void> | void> {
    const command = parseCommand(message.text);
    if (!command) return;
    const sender = { id: message.sender.id };
    const context = {
      service: this.options.service,
      sender,
      chatId: message.chatId,
      messageId: message.messageId,
      plugins: this.options.plugins,
      access: this.options.access,
      silences: this.options.silences,
      parseAlert: (text: string) => this.parsePastedAlert(message, text),
    };
    if (command.kind === 'diag') return this.reply(message, await executeCommand(command, context));
    const done = this.inBackground(`command ${command.kind}`, async () => this.postReply(message, await this.executeWithRetries(command, context, message.text)));
    return new FinishesLater(undefined, done);
  }

  /**
   * A command acknowledged to the sender must be applied or answered: an outage (database, Redis) is
   * retried with backoff, and if it persists the sender is told it was not applied.
   */
  private async executeWithRetries(command: Command, context: CommandContext, text: string): Promise<string> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await executeCommand(command, context);
      } catch (error) {
        if (attempt >= COMMAND_ATTEMPTS || this.closed) {
          this.options.logger.error({ err: error, command: command.kind }, 'command failed after retries');
          return `Could not apply "${text.slice(0, 100)}" just now (${error instanceof Error ? error.message : String(error)}). Nothing changed; please try again.`;
        }
        await new Promise((resolve) => setTimeout(resolve, COMMAND_RETRY_MS * attempt));
      }
    }
  }

  private reply(message: LarkInboundMessage, text: string): void {
    void this.inBackground('command reply', () => this.postReply(message, text));
  }

  /** Threaded under the command; keyed by its message id so a retried reply is not posted twice. */
  private postReply(message: LarkInboundMessage, text: string): Promise<unknown> {
    return this.options.chat.postText(message.chatId, text, `reply:${message.messageId}`, { replyTo: message.messageId });
  }

  /** Resolves true when the work succeeded; a failure is logged, never thrown. */
  private inBackground(what: string, work: () => Promise<unknown>): Promise<boolean> {
    const task = work().then(
      () => true,
      (error: unknown) => {
        this.options.logger.error({ err: error }, `${what} failed`);
        return false;
      },
    );
    this.background.add(task);
    void task.finally(() => this.background.delete(task));
    return task;
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('Lark intake is shutting down; the delivery will be retried.');
  }
}

/** A click's answer as Lark's callback response wants it: the toast, and the card rendered to card JSON. */
export function larkCallbackResponse(answer: CardActionAnswer | undefined): { toast?: CardActionAnswer['toast']; card?: { type: 'raw'; data: LarkCardJson } } {
  if (!answer) return {};
  return { toast: answer.toast, ...(answer.card ? { card: { type: 'raw', data: renderLarkCard(answer.card) } } : {}) };
}

function isInboundMessage(data: unknown): data is LarkInboundMessage {
  const message = data as Partial<LarkInboundMessage> | null;
  return typeof message?.messageId === 'string' && typeof message.chatId === 'string' && typeof message.text === 'string' && typeof message.sender?.id === 'string';
}

function isCardAction(raw: unknown): boolean {
  try {
    return eventEnvelope(raw).eventType === 'card.action.trigger';
  } catch {
    return false;
  }
}
