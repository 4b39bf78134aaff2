import { randomUUID } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { AlertDetector } from '../../src/chat/core/alert-detector';
import type { DecisionAccess } from '../../src/policy/access';
import type { IncidentService } from '../../src/runtime/incident-service';
import type { SilenceService } from '../../src/silences/silence-service';
import { TerminalInbound } from '../../src/chat/terminal/terminal-inbound';
import { InboundStore } from '../../src/store/inbound-store';
import { RecordingChat } from './lark-inbound-kit';
import { englishChats } from './languages';

export interface TerminalConversation {
  chat: RecordingChat;
  terminal: TerminalInbound;
  /** Types a line as `sender` (default `operator`) and returns what the bot printed in answer to it. */
  say(text: string, sender?: string): Promise<string>;
}

/** The terminal's intake on a real database, its output recorded: what a person at the terminal sees. */
export function terminalConversation(deps: { orm: MikroORM; logger: Logger; service: IncidentService; access: DecisionAccess; silences?: SilenceService }): TerminalConversation {
  const chat = new RecordingChat();
  const terminal = new TerminalInbound({ service: deps.service, chat, inbound: new InboundStore(deps.orm), detector: new AlertDetector(), access: deps.access, logger: deps.logger, silences: deps.silences, languages: englishChats() });
  return {
    chat,
    terminal,
    async say(text, sender = 'operator') {
      const messageId = `console-msg-${randomUUID()}`;
      await terminal.handle({ chatId: 'console', messageId, sender: { id: sender }, text });
      return chat.texts
        .filter((posted) => posted.options?.replyTo === messageId)
        .map((posted) => posted.text)
        .join('\n');
    },
  };
}
