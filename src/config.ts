import { z } from 'zod';
import type { Timeouts } from './domain';

const DURATION = /^(\d+)(ms|s|m|h|d)?$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** `90s`, `30m`, `2h`, or plain milliseconds. */
const Duration = z
  .string()
  .trim()
  .regex(DURATION, 'expected a duration such as 500ms, 90s, 30m, 2h or 1d')
  .transform((text) => {
    const [, amount, unit] = DURATION.exec(text) ?? [];
    return Number(amount) * UNIT_MS[(unit ?? 'ms') as keyof typeof UNIT_MS];
  })
  .refine((ms) => ms > 0, 'must be longer than zero');

const optionalText = z
  .string()
  .trim()
  .optional()
  .transform((v) => (v ? v : undefined));

/** `a, b ,c` → ['a', 'b', 'c']; unset or blank → []. */
const List = z
  .string()
  .optional()
  .transform((text) => (text ?? '').split(',').map((item) => item.trim()).filter(Boolean));

const Bool = (fallback: 'true' | 'false') => z.enum(['true', 'false']).default(fallback).transform((v) => v === 'true');

/** The whole environment contract, parsed once at start-up. Nothing else reads process.env. */
export const ConfigSchema = z.object({
  DATABASE_URL: optionalText,
  DATA_DIR: z.string().trim().min(1).default('./data'),
  PORT: z.coerce.number().int().min(0).max(65_535).default(3000),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).optional(),
  TARGETS_FILE: optionalText,
  /** An extra directory of plugins, loaded after the built-ins in plugins/. */
  PLUGINS_DIR: optionalText,
  /** Identical diagnostic calls within this window share one run (an alert storm asking the same thing). */
  PLUGIN_CACHE_TTL: Duration.default(30_000),
  CONSOLE_OPERATOR: z.string().trim().min(1).default('console-operator'),
  AUTO_EXECUTE_LOW_RISK: Bool('true'),
  LARK_APP_ID: optionalText,
  LARK_APP_SECRET: optionalText,
  LARK_DOMAIN: z.url().default('https://open.feishu.cn'),
  LARK_EVENT_MODE: z.enum(['ws', 'webhook']).default('ws'),
  LARK_ENCRYPT_KEY: optionalText,
  LARK_VERIFICATION_TOKEN: optionalText,
  /** Chats whose history is read for alerts posted by other bots (which Lark does not push as events). */
  LARK_ALERT_CHAT_IDS: List,
  /** Senders (app ids, open ids) whose messages in those chats are alerts. */
  LARK_ALERT_SENDER_IDS: List,
  /** Treat every bot sender in the alert chats as a monitoring bot. */
  LARK_ALERT_ALL_BOTS: Bool('false'),
  LARK_HISTORY_POLL_INTERVAL: Duration.default(3_000),
  /** Where cards of incidents opened through the HTTP intake go. */
  LARK_DEFAULT_CHAT_ID: optionalText,
  /** Who may approve or reject (user open ids); empty means anyone in the chat. */
  APPROVER_IDS: List,
  /** Keys accepted by POST /api/alerts (header `Authorization: Bearer <key>`). */
  API_KEYS: List,
  /** `label=value:chat_id, …`: incidents from POST /api/alerts whose label matches go to that chat. */
  ALERT_ROUTES: List.pipe(
    z.array(
      z
        .string()
        .regex(/^[^=:\s]+=[^=:]+:\S+$/, 'expected label=value:chat_id, e.g. team=payments:oc_0123')
        .transform((entry) => {
          const [match = '', chatId = ''] = entry.split(/:(?=[^:]*$)/);
          const [label = '', value = ''] = match.split('=');
          return { label: label.trim(), value: value.trim(), chatId: chatId.trim() };
        }),
    ),
  ),
  /** JSON file of extra alert templates: [{ "name", "pattern" (regex with named groups), "flags"?, "source"? }]. */
  ALERT_TEMPLATES_FILE: optionalText,
  DIAGNOSIS_APPROVAL_TIMEOUT: Duration.default(30 * 60_000),
  PROPOSAL_APPROVAL_TIMEOUT: Duration.default(30 * 60_000),
  STEP_TIMEOUT: Duration.default(5 * 60_000),
  EXECUTION_TIMEOUT: Duration.default(10 * 60_000),
  DEADLINE_SWEEP_INTERVAL: Duration.default(1_000),
  VERIFY_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  VERIFY_INTERVAL: Duration.default(2_000),
});

export type Config = z.infer<typeof ConfigSchema> & {
  /** The environment as read at start-up: targets may reference secrets in it as `${NAME}`. */
  env: Readonly<Record<string, string | undefined>>;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = ConfigSchema.safeParse(env);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${problems.join('\n  ')}`);
  }
  const config: Config = { ...parsed.data, env: { ...env } };
  if (!!config.LARK_APP_ID !== !!config.LARK_APP_SECRET) {
    throw new ConfigError('Invalid configuration: set both LARK_APP_ID and LARK_APP_SECRET, or neither.');
  }
  if (larkEnabled(config) && config.LARK_EVENT_MODE === 'webhook' && !config.LARK_ENCRYPT_KEY) {
    throw new ConfigError('Invalid configuration: LARK_EVENT_MODE=webhook needs LARK_ENCRYPT_KEY to verify signatures.');
  }
  return config;
}

/** Lark is on when the app's credentials are set; otherwise the console is the chat. */
export function larkEnabled(config: Config): boolean {
  return !!(config.LARK_APP_ID && config.LARK_APP_SECRET);
}

export function timeoutsFrom(config: Config): Timeouts {
  return {
    diagnosisApproval: config.DIAGNOSIS_APPROVAL_TIMEOUT,
    proposalApproval: config.PROPOSAL_APPROVAL_TIMEOUT,
    diagnosisStep: config.STEP_TIMEOUT,
    proposalStep: config.STEP_TIMEOUT,
    executionStep: config.EXECUTION_TIMEOUT,
    verificationStep: config.STEP_TIMEOUT,
  };
}
