import type { Logger } from 'pino';
import type { AlertInput } from '../../domain';
import type { ReplayTarget } from '../../intake/delivery-replayer';
import type { DecisionAccess } from '../../policy/access';
import type { IncidentService } from '../../runtime/incident-service';
import type { InboundStore, ReplayPayload, UnfinishedDelivery } from '../../store/inbound-store';
import { parseTextAlert } from './alert-detector/text-alert';
import { reactWithOutcome } from './alert-outcome';
import type { AlertAnnouncer } from './alert-outcome';
import { BackgroundWork } from './background-work';
import { handleCardClick } from './card-clicks';
import type { CardClick, ChatMessage, ClickAnswer } from './chat-message';
import { isChatMessage } from './chat-message';
import type { ChatPort } from './chat-port';
import { runClaimed } from './claimed-work';
import type { ClaimedOutcome, FinishesLater } from './claimed-work';
import { runCommand } from './command-runner';
import type { CommandContext } from './commands';
import { routeMessage } from './message-routing';
import { readTypedAlerts, sentText } from './typed-alerts';
import type { AlertDetection } from './typed-alerts';
import type { ChatLanguages } from './chat-languages';

/** What every chat adapter hands the core, whatever its platform. */
export type ChatDoorDeps = Pick<ChatInboundOptions, 'service' | 'chat' | 'inbound' | 'access' | 'logger' | 'plugins' | 'silences' | 'languages'>;

export interface ChatInboundOptions {
  service: IncidentService;
  /** Where command replies, reactions and hints go. */
  chat: ChatPort;
  /** Each chat's language (`/lang`, else LANGUAGE) and the catalogs replies are written from. */
  languages: ChatLanguages;
  inbound: InboundStore;
  /** The AlertDetector, injected: which messages are alerts, and what they say. */
  detectAlerts(message: ChatMessage): AlertDetection | Promise<AlertDetection>;
  /** What an alert read with no known tool says it came from (`lark`, `web console`, `console`). */
  alertSource: string;
  /** The bot's own sender ids in this chat. */
  ownIds: readonly string[];
  /** Who may decide what (roles from the policy); clicks and typed commands get the same check. */
  access: DecisionAccess;
  logger: Logger;
  /** What /plugins lists. */
  plugins?: CommandContext['plugins'];
  /** What /silence, /silences and /unsilence act on. */
  silences?: CommandContext['silences'];
  /** Whose claims these are, for the replayer (`lark`, `web`). */
  channel: string;
  /** False: claims keep nothing to replay (nobody replays this chat; its input is not delivered again). */
  replayable?: boolean;
  /** A claim not heartbeaten for this long is presumed abandoned by a dead instance and replayed. */
  staleClaimMs?: number;
  /** How long a card click may take before it is answered and finished in the background (Lark allows 3 s). */
  cardAnswerBudgetMs?: number;
  /** How the sender hears what became of an alert; default: a reaction on the message. */
  announce?: AlertAnnouncer;
  /** A person's message that holds no alert; default: left alone. */
  notAnAlert?: (message: ChatMessage, reason: string) => Promise<unknown>;
}

const DEFAULT_CARD_ANSWER_BUDGET_MS = 2_500;
/** Named when only Lark had messages; kept so that claims taken by earlier versions still deduplicate. */
const MESSAGE_CLAIM_PREFIX = 'lark:message:';

/**
 * The chat intake every platform shares: each delivery is claimed once (chats redeliver), what must
 * survive is persisted before the answer, and anything that waits on the incident's steps runs in the
 * background. Each claim keeps its delivery until the work is done: if this instance dies after
 * answering, another replays it (DeliveryReplayer → `replay`). Adapters bring the messages and clicks
 * in, normalised, and render what goes out.
 */
export class ChatInbound implements ReplayTarget {
  private readonly background: BackgroundWork;
  private closed = false;

  constructor(private readonly options: ChatInboundOptions) {
    this.background = new BackgroundWork(options.logger);
  }

  /** A message from any door (event, chat history, web post, typed line); each message id is handled once. */
  async handleMessage(message: ChatMessage, replaying = false): Promise<void> {
    this.assertOpen();
    await this.claimOnce(MESSAGE_CLAIM_PREFIX + message.messageId, { kind: 'message', data: message }, replaying, () => this.routeMessage(message));
  }

  /** A click's answer; work that goes on past the answer budget comes back as FinishesLater. */
  async handleClick(click: CardClick): Promise<ClickAnswer | FinishesLater<ClickAnswer>> {
    this.assertOpen();
    return handleCardClick(
      {
        service: this.options.service,
        chat: this.options.chat,
        access: this.options.access,
        i18n: this.options.languages.i18n,
        logger: this.options.logger,
        answerBudgetMs: this.options.cardAnswerBudgetMs ?? DEFAULT_CARD_ANSWER_BUDGET_MS,
        inBackground: (what, work) => this.background.run(what, work),
      },
      click,
    );
  }

  /**
   * Runs `work` for the first delivery of `key` (runClaimed), keeping `kept` for a replay: a failure
   * gives the claim back so a redelivery is taken (a failed replay keeps it for the next); a
   * redelivery while the work is in progress is acknowledged, since the claim keeps the delivery.
   */
  async claimOnce<T>(key: string, kept: Omit<ReplayPayload, 'channel'>, replaying: boolean, work: () => Promise<T | FinishesLater<T>>): Promise<ClaimedOutcome<T>> {
    const { inbound, logger, staleClaimMs, channel } = this.options;
    const replay = this.options.replayable === false ? undefined : { channel, ...kept };
    const outcome = await runClaimed({ inbound, logger, staleAfterMs: staleClaimMs, replaying }, key, replay, work);
    if (!outcome.first) logger.debug({ key, claim: outcome.claim }, 'redelivery ignored');
    return outcome;
  }

  /** Does again the work of a message whose claim was abandoned; false for what is not a message (the adapter's own kinds). */
  async replay({ replay }: UnfinishedDelivery): Promise<boolean> {
    if (replay.kind !== 'message' || !isChatMessage(replay.data)) return false;
    await this.handleMessage(replay.data, true);
    return true;
  }

  /** Resolves once the work started so far (replies, reactions, late clicks) has finished. */
  settled(): Promise<void> {
    return this.background.settled();
  }

  /** Refuses new deliveries and waits for background work (command replies, late clicks, reactions). */
  async close(): Promise<void> {
    this.closed = true;
    await this.background.settled();
  }

  private routeMessage(message: ChatMessage): Promise<FinishesLater<void> | void> {
    const { service, logger, chat, ownIds } = this.options;
    return routeMessage(
      {
        service,
        logger,
        background: this.background,
        ownIds,
        readAlerts: (m) => this.readAlerts(m),
        announce: this.options.announce ?? reactWithOutcome(chat),
        notAnAlert: this.options.notAnAlert,
        runCommand: (m) =>
          runCommand(
            { ...this.options, background: this.background, isClosing: () => this.closed, readPastedAlert: (from, text) => this.readPastedAlert(from, text) },
            m,
          ),
      },
      message,
    );
  }

  private async readAlerts(message: ChatMessage): Promise<AlertDetection> {
    return readTypedAlerts(await this.options.detectAlerts(message), sentText(message), this.options.alertSource);
  }

  /** What `/diag <text>` opens: the detector's reading of a pasted alert, else the plain one-line form. */
  private async readPastedAlert(message: ChatMessage, text: string): Promise<AlertInput> {
    const detection = await this.readAlerts({ ...message, msgType: 'text', content: { text }, text, mentionsBot: true });
    return detection.isAlert && detection.alerts[0] ? detection.alerts[0] : parseTextAlert(text, this.options.alertSource);
  }

  /** Throws once closing: the sender delivers again, to this instance's successor. */
  assertOpen(): void {
    if (this.closed) throw new Error('The chat intake is shutting down; the delivery will be retried.');
  }
}
