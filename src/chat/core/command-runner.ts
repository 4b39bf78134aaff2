import type { Logger } from 'pino';
import type { AlertInput } from '../../domain';
import type { DecisionAccess } from '../../policy/access';
import type { IncidentService } from '../../runtime/incident-service';
import type { BackgroundWork } from './background-work';
import type { ChatMessage } from './chat-message';
import type { ChatPort } from './chat-port';
import { FinishesLater } from './claimed-work';
import { executeCommand, parseCommand } from './commands';
import type { Command, CommandContext } from './commands';
import type { Localized } from '../../i18n';
import type { ChatLanguages } from './chat-languages';

/** A command that meets an outage is tried this often, COMMAND_RETRY_MS × attempt apart. */
const COMMAND_ATTEMPTS = 3;
const COMMAND_RETRY_MS = 1_000;

export interface CommandRunnerDeps {
  service: IncidentService;
  chat: ChatPort;
  languages: ChatLanguages;
  access: DecisionAccess;
  logger: Logger;
  plugins?: CommandContext['plugins'];
  silences?: CommandContext['silences'];
  background: BackgroundWork;
  /** Once the intake is closing, an outage is not retried any more. */
  isClosing(): boolean;
  /** How `/diag` reads the text pasted after it. */
  readPastedAlert(message: ChatMessage, text: string): Promise<AlertInput>;
}

/**
 * A person's `/command`. `/diag` opens its incident before the answer (it must survive); other
 * commands may wait on the incident's steps, so they run in the background and the reply follows.
 */
export async function runCommand(deps: CommandRunnerDeps, message: ChatMessage): Promise<FinishesLater<void> | void> {
  const command = parseCommand(message.text);
  if (!command) return;
  const context: CommandContext = {
    service: deps.service,
    sender: { id: message.sender.id },
    chatId: message.chatId,
    messageId: message.messageId,
    plugins: deps.plugins,
    access: deps.access,
    silences: deps.silences,
    parseAlert: (text: string) => deps.readPastedAlert(message, text),
    tr: await deps.languages.translatorFor(message.chatId),
    languages: deps.languages,
  };
  if (command.kind === 'diag') {
    const reply = await executeCommand(command, context);
    void deps.background.run(`command ${command.kind} reply`, () => postReply(deps.chat, message, reply));
    return;
  }
  const done = deps.background.run(`command ${command.kind}`, async () => postReply(deps.chat, message, await executeWithRetries(deps, command, context, message.text)));
  return new FinishesLater(undefined, done);
}

/**
 * A command acknowledged to the sender must be applied or answered: an outage (database, Redis) is
 * retried with backoff, and if it persists the sender is told it was not applied.
 */
async function executeWithRetries(deps: CommandRunnerDeps, command: Command, context: CommandContext, text: string): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await executeCommand(command, context);
    } catch (error) {
      if (attempt >= COMMAND_ATTEMPTS || deps.isClosing()) {
        deps.logger.error({ err: error, command: command.kind }, 'command failed after retries');
        // The error's own words (an outage: database, Redis) are shown as they came.
        const detail = error instanceof Error ? error.message : String(error);
        return context.tr.t('cmd.failed', { command: text.slice(0, 100), detail });
      }
      await new Promise((resolve) => setTimeout(resolve, COMMAND_RETRY_MS * attempt));
    }
  }
}

/**
 * Threaded under the command; keyed by its message id so a retried reply is not posted twice. The reply is
 * already written in the chat's language (`CommandContext.tr`, or the new one after `/lang`), which is the
 * language the port sends for the chat: the same words stand in every slot.
 */
function postReply(chat: ChatPort, message: ChatMessage, text: string): Promise<unknown> {
  const written: Localized<string> = { 'zh-CN': text, en: text };
  return chat.postText(message.chatId, written, `reply:${message.messageId}`, { replyTo: message.messageId });
}
