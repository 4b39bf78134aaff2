import type { UserPattern } from '../../../security/user-pattern';
import type { AlertInput } from '../../../domain';

/**
 * A Lark message as the detector needs it: already fetched (events for humans, the message list API
 * for bots) and with its content JSON parsed. Everything in it is untrusted data.
 */
export interface LarkMessageForDetection {
  /** `msg_type` of the list API (`message_type` in events). */
  msgType: 'text' | 'post' | 'interactive' | (string & {});
  /** Parsed content JSON as the API returns it: `{text}`, `{title, content}` or `{title, elements}`. */
  content: unknown;
  /** The card JSON the tool posted, when known; the only readable form of a card 2.0 message. */
  cardAsSent?: unknown;
  sender: { kind: 'bot' | 'user'; id?: string };
  /** Whether the message @-mentions this bot. */
  mentionsBot: boolean;
}

/**
 * An operator-configured layout for a tool the general parser reads badly.
 *
 * `match` runs on the flattened message text (card header or post title on the first line, then the
 * body with Markdown removed). Named groups fill fields: `title`, `severity`, `status`, `service`,
 * `instance`, `description`, `startsAt` (or `time`), `endsAt`; any other named group becomes a label.
 * With the `g` flag every match is one alert. The first template that matches wins over the general
 * parser, which still fills the fields the template leaves out.
 *
 * The pattern runs on RE2 (linear in the text, whatever an operator wrote: see compileUserPattern).
 *
 * @example { name: 'billing-cron', source: 'BillingCron', match: compileUserPattern('^CRON (?<status>FAILED|OK) (?<title>\\S+) on (?<instance>\\S+)', 'm') }
 */
export interface AlertTemplate {
  name: string;
  match: UserPattern;
  source?: string;
}

export interface AlertDetectorOptions {
  templates?: readonly AlertTemplate[];
  /** Sender ids of this bot itself, whose own cards quote alerts and must not be read back as new ones. */
  selfSenderIds?: readonly string[];
}

/** Where an alert's severity came from; Alert requires one, so `fallback` means "not shown". */
export type SeverityOrigin = 'message' | 'template' | 'tool-default' | 'fallback';

export interface DetectedAlertDetails {
  severityOrigin: SeverityOrigin;
  /** Name of the template that produced the alert, if one did. */
  template?: string;
}

export type AlertDetection =
  | { isAlert: false; reason: string; source?: string }
  /** `details[i]` describes `alerts[i]`. */
  | { isAlert: true; alerts: AlertInput[]; details: DetectedAlertDetails[] };
