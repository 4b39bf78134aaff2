import { createHash, randomBytes } from 'node:crypto';
import { createInterface } from 'node:readline';
import type { Interface } from 'node:readline';
import type { Localized, Translator } from '../../i18n';
import type { Card } from '../core/card';
import type { ChatLanguages } from '../core/chat-languages';
import type { ChatPort, InboundMessage, PostedMessage, Reaction } from '../core/chat-port';
import { renderCardText, toTerminalText } from './render-card';

export interface ConsoleOperator {
  id: string;
  name?: string;
}

export interface ConsoleChatOptions {
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
  /** The person at the terminal: every typed line is sent as them. */
  operator: ConsoleOperator;
  chatId?: string;
  color?: boolean;
  /** The terminal's language (`/lang`, else LANGUAGE). */
  languages: ChatLanguages;
}

/** Handles one typed line; a resolved string is printed as the bot's reply. */
export type ConsoleMessageHandler = (message: InboundMessage) => Promise<string | void>;

/** Remembered keys are capped so a long session does not grow without bound. */
const MAX_REMEMBERED_KEYS = 10_000;

/** The same key gives the same id in every process, as Lark's message `uuid` does. */
export function consoleMessageId(idempotencyKey: string): string {
  return `console-${createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16)}`;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The embedded default chat: cards and replies go to a terminal, typed lines come back as messages. */
export class ConsoleChat implements ChatPort {
  readonly chatId: string;
  private readonly postedKeys = new Set<string>();
  private reader: Interface | null = null;
  private closedByCaller = false;
  private linesReceived = 0;
  private unkeyedPosts = 0;
  /** Inbound ids restart their count with each chat (a restart, a second app in one process): a random prefix keeps them from repeating. */
  private readonly idPrefix = randomBytes(4).toString('hex');

  constructor(private readonly options: ConsoleChatOptions) {
    this.chatId = options.chatId ?? 'console';
  }

  banner(): void {
    const { id, name } = this.options.operator;
    const tr = this.translator();
    const who = name ? tr.t('chat.console.namedOperator', { name, id }) : id;
    this.write(`${tr.t('chat.console.banner', { chat: this.chatId, who })}\n`);
  }

  postCard(chatId: string, cards: Localized<Card>, idempotencyKey: string): Promise<PostedMessage> {
    const messageId = consoleMessageId(idempotencyKey);
    const card = cards[this.options.languages.peek(chatId)];
    if (this.isFirstPost(idempotencyKey)) {
      this.write(this.addressLine(chatId) + renderCardText(card, messageId, this.translator(), { color: this.options.color ?? false }));
    }
    return Promise.resolve({ messageId });
  }

  /** The terminal cannot edit what it printed; it prints the card again, marked as an update. */
  updateCard(messageId: string, cards: Localized<Card>): Promise<void> {
    const card = cards[this.options.languages.peek(this.chatId)];
    this.write(`${this.translator().t('chat.console.updateOf', { id: messageId })}\n${renderCardText(card, messageId, this.translator(), { color: this.options.color ?? false })}`);
    return Promise.resolve();
  }

  react(messageId: string, reaction: Reaction): Promise<void> {
    this.write(`${this.translator().t('chat.console.reaction', { reaction, id: messageId })}\n`);
    return Promise.resolve();
  }

  postText(chatId: string, texts: Localized<string>, idempotencyKey?: string): Promise<PostedMessage> {
    const text = texts[this.options.languages.peek(chatId)];
    if (idempotencyKey === undefined) {
      this.unkeyedPosts += 1;
      this.write(`${this.addressLine(chatId)}${toTerminalText(text)}\n`);
      return Promise.resolve({ messageId: `console-out-${this.idPrefix}-${this.unkeyedPosts}` });
    }
    const messageId = consoleMessageId(idempotencyKey);
    if (this.isFirstPost(idempotencyKey)) this.write(`${this.addressLine(chatId)}${toTerminalText(text)}\n`);
    return Promise.resolve({ messageId });
  }

  /**
   * Reads lines until input ends or `close()` is called, handling them one at a time in order.
   * Resolves once reading has stopped and the lines already read are handled; never exits the process.
   */
  start(onMessage: ConsoleMessageHandler): Promise<void> {
    if (this.reader) throw new Error('ConsoleChat is already reading');
    const reader = createInterface({ input: this.options.input, crlfDelay: Infinity, terminal: false });
    this.reader = reader;
    let handled = Promise.resolve();

    reader.on('line', (line) => {
      const text = line.trim();
      if (!text) return;
      const message = this.inbound(text);
      handled = handled.then(() => this.handle(message, onMessage));
    });

    return new Promise((resolve) => {
      // `handle` never rejects, so the chain always settles.
      reader.on('close', () => void handled.then(resolve));
      reader.on('error', (error: unknown) => {
        this.write(`${this.translator().t('chat.console.readFailed', { detail: toTerminalText(messageOf(error)) })}\n`);
        reader.close();
      });
    });
  }

  /** Stops reading; a line being handled finishes, lines not yet started are dropped. */
  close(): void {
    this.closedByCaller = true;
    this.reader?.close();
  }

  private inbound(text: string): InboundMessage {
    this.linesReceived += 1;
    return {
      chatId: this.chatId,
      messageId: `console-msg-${this.idPrefix}-${this.linesReceived}`,
      sender: { ...this.options.operator },
      text,
    };
  }

  private async handle(message: InboundMessage, onMessage: ConsoleMessageHandler): Promise<void> {
    if (this.closedByCaller) return;
    try {
      const reply = await onMessage(message);
      if (reply) this.write(`${toTerminalText(reply)}\n`);
    } catch (error) {
      this.write(`${this.translator().t('chat.console.error', { detail: toTerminalText(messageOf(error)) })}\n`);
    }
  }

  private isFirstPost(idempotencyKey: string): boolean {
    if (this.postedKeys.has(idempotencyKey)) return false;
    this.postedKeys.add(idempotencyKey);
    if (this.postedKeys.size > MAX_REMEMBERED_KEYS) {
      const oldest = this.postedKeys.values().next();
      if (!oldest.done) this.postedKeys.delete(oldest.value);
    }
    return true;
  }

  /** The console shows one chat; a post meant for another (say, a Lark group) says where it was going. */
  private addressLine(chatId: string): string {
    return chatId === this.chatId ? '' : `${this.translator().t('chat.console.toChat', { chat: toTerminalText(chatId) })}\n`;
  }

  /** The terminal's language now (`/lang`, else LANGUAGE), for its own words. */
  private translator(): Translator {
    const { languages } = this.options;
    return languages.i18n.translator(languages.peek(this.chatId));
  }

  private write(text: string): void {
    this.options.output.write(text);
  }
}
