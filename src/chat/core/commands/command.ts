import type { Actor, AlertInput, IncidentEvent } from '../../../domain';
import type { DecisionAccess } from '../../../policy/access';
import type { IncidentService } from '../../../runtime/incident-service';
import type { Matcher } from '../../../silences/matchers';
import type { SilenceService } from '../../../silences/silence-service';
import type { Language, MessageKey, MessageValues, Translator } from '../../../i18n';
import type { ChatLanguages } from '../chat-languages';
import type { CommandName } from './command-usage';

export type Command =
  | { kind: 'help' }
  | { kind: 'incidents' }
  | { kind: 'plugins' }
  | { kind: 'oncall' }
  /** `/lang`: say the chat's language (`language` unset), choose one, or go back to LANGUAGE (`null`). */
  | { kind: 'lang'; language?: Language | null }
  | { kind: 'diag'; text: string }
  | { kind: 'status'; incidentId: string }
  | { kind: 'approve'; incidentId: string; subject: DecisionSubject; comment?: string }
  | { kind: 'reject'; incidentId: string; subject: DecisionSubject; reason?: string }
  | { kind: 'escalate'; incidentId: string; reason?: string }
  | { kind: 'ignore'; incidentId: string; reason?: string }
  | { kind: 'retry'; incidentId: string }
  | { kind: 'resolve'; incidentId: string; note?: string }
  /** `/rollback`: undo the last fix of an escalated or resolved incident (within ROLLBACK_WINDOW). */
  | { kind: 'rollback'; incidentId: string; reason?: string }
  | { kind: 'silence'; matchers: Matcher[]; duration: string; reason?: string }
  | { kind: 'silences' }
  | { kind: 'unsilence'; silenceId: string }
  | { kind: 'invalid'; problem: CommandProblem };

/**
 * What is wrong with a typed command, as a catalog message: parsing is pure and has no reader yet. `usage`
 * names the command whose usage line and example fill `{usage}` and `{example}`.
 */
export interface CommandProblem {
  key: MessageKey;
  values?: MessageValues;
  usage?: CommandName;
}

/** What an /approve or /reject decides; named by the person so a stale command cannot decide the next question. */
export type DecisionSubject = 'diagnosis' | 'proposal';

export interface CommandContext {
  service: IncidentService;
  sender: Actor;
  /** The chat the command was typed in: /diag opens its incident there. */
  chatId: string;
  /** The chat message that carried the command, kept on the decision for the audit trail. */
  messageId: string;
  /** What /plugins lists. */
  plugins?: () => PluginSummary[];
  /** How /diag reads its text; chats with a richer alert parser (Lark's AlertDetector) pass it in. */
  parseAlert?: (text: string) => AlertInput | Promise<AlertInput>;
  /** Who may decide what; the same check card clicks get. Unset: anyone (tests of parsing and replies). */
  access?: DecisionAccess;
  /** What /silence, /silences and /unsilence act on; unset: those commands say silences are not available. */
  silences?: SilenceService;
  /** The chat's language and TIMEZONE: replies are written with it. */
  tr: Translator;
  /** What `/lang` changes; unset: the chat's language cannot be changed here. */
  languages?: ChatLanguages;
}

export interface PluginSummary {
  id: string;
  category: string;
  risk: string;
  description: string;
}

/** An incident event a person sends by command. */
export type PersonEvent = Extract<IncidentEvent, { by: unknown }>;
