import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { Timeouts } from './domain';
import { RedactPatterns } from './security/redact-config';
import { EncryptionKeyText } from './security/encryption-keys';

const DURATION = /^(\d+)(ms|s|m|h|d)?$/;
const UNIT_MS = { ms: 1, s: 1_000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** Milliseconds of a text DURATION matched (NaN otherwise). */
function durationMs(text: string): number {
  const [, amount, unit] = DURATION.exec(text) ?? [];
  return amount === undefined ? NaN : Number(amount) * UNIT_MS[(unit ?? 'ms') as keyof typeof UNIT_MS];
}

/** `90s`, `30m`, `2h`, or plain milliseconds. */
const Duration = z
  .string()
  .trim()
  .regex(DURATION, 'expected a duration such as 500ms, 90s, 30m, 2h or 1d')
  .transform(durationMs)
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

/** Like Duration, but `0` is allowed: it turns the feature off. */
const DurationOrOff = z
  .string()
  .trim()
  .regex(DURATION, 'expected a duration such as 90s, 10m or 2h, or 0 for off')
  .transform(durationMs);

/** A roster role, a Lark group (`oc_…`) or a person (`ou_…`). */
const CHAIN_TARGET = /^[A-Za-z0-9_-]{1,100}$/;

/** `sre-leads:15m,oc_abc123:30m` → [{ to: 'sre-leads', afterMs: 900000 }, …]: each level and its wait after the previous reminder. */
const EscalationChain = List.transform((entries, ctx) =>
  entries.map((entry, index) => {
    const colon = entry.lastIndexOf(':');
    const to = entry.slice(0, colon).trim();
    const afterMs = durationMs(entry.slice(colon + 1).trim());
    if (colon < 0 || !CHAIN_TARGET.test(to) || !(afterMs > 0)) {
      ctx.addIssue({
        code: 'custom',
        message: `level ${index + 1} "${entry}": expected role-or-id:duration, e.g. sre-leads:15m,oc_abc123:30m (a roster role, a group oc_… or a person ou_…, then a wait longer than zero)`,
      });
    }
    return { to, afterMs };
  }),
);

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
  // --- Web console (src/server/console) at `/`. Outside loopback it needs `Authorization: Bearer <CONSOLE_TOKEN>`
  // (unset: loopback only). CONSOLE_USER is whom it acts as (default CONSOLE_OPERATOR), checked like a Lark user.
  CONSOLE_TOKEN: optionalText.pipe(z.string().min(16, 'use at least 16 characters').optional()),
  // With a token set, loopback peers need it too (a reverse proxy on this machine is a loopback peer):
  // `true` lets a browser on this machine in without it, for a host with no proxy in front.
  CONSOLE_TRUST_LOOPBACK: Bool('false'),
  CONSOLE_USER: optionalText,
  // --- end web console
  AUTO_EXECUTE_LOW_RISK: Bool('true'),
  // --- Execution policy (src/policy). AUTO_EXECUTE_LOW_RISK and APPROVER_IDS feed the built-in policy when no POLICY_FILE is given.
  /** YAML or JSON policy: fences, quotas, freezes, roles and who approves what; reloaded when it changes. */
  POLICY_FILE: optionalText,
  /** Shared state across instances (incident leases, policy quotas and cooldowns); unset: in-process, single instance. */
  REDIS_URL: optionalText.pipe(z.url().optional()),
  /** With REDIS_URL: how long an instance's hold on an incident lasts unless renewed (how soon another takes over if it dies). */
  LEASE_TTL: Duration.default(30_000),
  /** How long an event waits for another instance to let go of an incident it is working on. */
  LEASE_WAIT: Duration.default(10_000),
  /** Evaluate proposals and show their plans, but run nothing. */
  DRY_RUN: Bool('false'),
  // --- end execution policy
  LARK_APP_ID: optionalText,
  LARK_APP_SECRET: optionalText,
  LARK_DOMAIN: z.url().default('https://open.feishu.cn'),
  /** What replies, cards and the console say by default (`/lang` changes it per chat): unset → zh-CN, or en with Lark's international domain. */
  LANGUAGE: optionalText.pipe(z.enum(['zh-CN', 'en'], { error: 'use zh-CN or en' }).optional()),
  /** Where people are: times in cards, replies and the console are shown in this IANA zone. */
  TIMEZONE: z.string().trim().default('Asia/Shanghai').refine(isTimeZone, 'not an IANA time zone (e.g. Asia/Shanghai, UTC)'),
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
  API_KEYS: List.pipe(z.array(z.string().min(16, 'use at least 16 characters per key'))),
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
  /** A diagnosis or proposal card nobody answered this long is followed by a reminder mentioning the on-call; 0: none. */
  REMIND_AFTER: DurationOrOff.default(10 * 60_000),
  /** After the first reminder, each level in turn after its wait: `role-or-id:duration, …` (see README). */
  ESCALATION_CHAIN: EscalationChain,
  // --- Alert lifecycle (src/alerts): one incident per problem.
  /** Labels that make alerts one problem when the sender gives no group (Alertmanager's groupKey wins). */
  GROUP_BY: z
    .string()
    .default('alertname,service,cluster,namespace')
    .transform((list) => list.split(',').map((label) => label.trim()).filter(Boolean)),
  /** Alerts of one group join an incident opened this long ago at most, while nothing was changed yet; 0 turns label grouping off. */
  GROUP_WINDOW: Duration.default(5 * 60_000),
  MAX_CONCURRENT_DIAGNOSES: z.coerce.number().int().min(1).max(1_000).default(4),
  /** More incidents than this opening in one chat within 5 minutes is a storm: one storm card instead of a message each. */
  STORM_THRESHOLD: z.coerce.number().int().min(1).max(10_000).default(10),
  /** How far back openings count towards a storm, and how long without a new incident ends one. */
  STORM_WINDOW: Duration.default(5 * 60_000),
  RESOLVE_ON_RECOVERY: Bool('true'),
  /** Escalated and every alert recovered: resolved after this long without a new firing. */
  RECOVERY_QUIET: Duration.default(5 * 60_000),
  /** An alert firing again this soon after its incident recovered reopens that incident. */
  REOPEN_WINDOW: Duration.default(30 * 60_000),
  /** Reopenings after which an incident no longer resolves by itself. */
  FLAP_LIMIT: z.coerce.number().int().min(1).max(100).default(3),
  // --- end alert lifecycle
  /** How long after an incident ended `/rollback` may still undo its last fix. */
  ROLLBACK_WINDOW: Duration.default(60 * 60_000),
  VERIFY_ATTEMPTS: z.coerce.number().int().min(1).max(100).default(5),
  VERIFY_INTERVAL: Duration.default(2_000),
  // --- Vector memory (src/memory): runbooks folder synced into knowledge; how many past incidents/runbooks diagnosis sees.
  RUNBOOKS_DIR: z.string().trim().min(1).default('./runbooks'),
  MEMORY_RECALL_K: z.coerce.number().int().min(1).max(50).default(5),
  // --- end vector memory
  // --- LLM and embeddings (src/diagnosis/create-llm.ts). Unset LLM_PROVIDER picks anthropic, then openai, by the keys present.
  LLM_PROVIDER: z.enum(['anthropic', 'openai', 'offline']).optional(),
  /** Default per provider (see defaultLlmModel); required for OpenAI-compatible servers other than api.openai.com. */
  LLM_MODEL: optionalText,
  ANTHROPIC_API_KEY: optionalText,
  ANTHROPIC_BASE_URL: optionalText.pipe(z.url().optional()),
  OPENAI_API_KEY: optionalText,
  /** An OpenAI-compatible server (Ollama, vLLM, DeepSeek); its key may be unset. */
  OPENAI_BASE_URL: optionalText.pipe(z.url().optional()),
  /** Per attempt. */
  LLM_TIMEOUT: Duration.default(60_000),
  LLM_MAX_RETRIES: z.coerce.number().int().min(0).max(10).default(3),
  LLM_REQUESTS_PER_MINUTE: z.coerce.number().int().min(1).max(100_000).default(60),
  LLM_CIRCUIT_FAILURES: z.coerce.number().int().min(1).max(1_000).default(5),
  LLM_CIRCUIT_COOLDOWN: Duration.default(60_000),
  /** Identical model calls within this window are answered from memory. */
  LLM_CACHE_TTL: Duration.default(10 * 60_000),
  EMBEDDINGS_PROVIDER: z.enum(['local', 'openai']).default('local'),
  EMBEDDINGS_MODEL: z.string().trim().min(1).default('text-embedding-3-small'),
  /** Default OPENAI_BASE_URL / OPENAI_API_KEY. */
  EMBEDDINGS_BASE_URL: optionalText.pipe(z.url().optional()),
  EMBEDDINGS_API_KEY: optionalText,
  // --- The agent loop (src/diagnosis/llm-diagnostician.ts): bounds per diagnosis or proposal, and prices for cost.
  LLM_MAX_TURNS: z.coerce.number().int().min(2).max(50).default(8),
  LLM_MAX_TOKENS_PER_STEP: z.coerce.number().int().min(1_000).default(200_000),
  LLM_MAX_OUTPUT_TOKENS: z.coerce.number().int().min(256).max(64_000).default(4_096),
  LLM_MAX_TOOL_CALLS_PER_TURN: z.coerce.number().int().min(1).max(32).default(8),
  /** Characters of one tool result the model reads. */
  LLM_TOOL_OUTPUT_LIMIT: z.coerce.number().int().min(500).default(8_000),
  /** USD per million tokens, for models the built-in price list does not know. */
  LLM_PRICE_INPUT: z.coerce.number().min(0).optional(),
  LLM_PRICE_OUTPUT: z.coerce.number().min(0).optional(),
  // --- end LLM
  // --- Operations (src/observability, src/server): /metrics access, TLS, shutdown.
  /** Bearer token /metrics needs from anywhere but this machine; unset: /metrics is open (keep the port private). */
  METRICS_TOKEN: optionalText.pipe(z.string().min(16, 'use at least 16 characters').optional()),
  /** PEM files: with both set the server speaks HTTPS itself; else plain HTTP (behind a TLS proxy). */
  TLS_CERT: optionalText,
  TLS_KEY: optionalText,
  /** After intake stops, how long running steps may finish before they are stopped (and re-run after restart). */
  SHUTDOWN_GRACE: Duration.default(10_000),
  /** The whole shutdown; past it the process exits 1. */
  SHUTDOWN_TIMEOUT: Duration.default(30_000),
  // --- end operations
  /** Extra secret regexes scrubbed from alerts, tool output, chat and logs (JSON array or comma-separated). */
  REDACT_PATTERNS: RedactPatterns,
  // --- Encryption at rest (src/security/encryption.ts): plugin outputs in step_journal.result and executions.result.
  /** 32 bytes, hex or base64 (`openssl rand -base64 32`). Unset: stored as plain JSON, with a warning at start-up. */
  ENCRYPTION_KEY: optionalText.pipe(EncryptionKeyText.optional()),
  /** Earlier keys, comma-separated: values they sealed stay readable; new values use ENCRYPTION_KEY. */
  ENCRYPTION_OLD_KEYS: List.pipe(z.array(EncryptionKeyText)),
  // --- end encryption at rest
});

export type Config = z.infer<typeof ConfigSchema> & {
  /** The environment as read at start-up: targets may reference secrets in it as `${NAME}`. */
  env: Readonly<Record<string, string | undefined>>;
};

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** LANGUAGE, or what the Lark domain suggests: Feishu (China) reads Chinese first, Lark international English. */
export function defaultLanguageOf(config: Pick<Config, 'LANGUAGE' | 'LARK_DOMAIN'>): 'zh-CN' | 'en' {
  if (config.LANGUAGE) return config.LANGUAGE;
  return new URL(config.LARK_DOMAIN).hostname.endsWith('larksuite.com') ? 'en' : 'zh-CN';
}

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
  if (config.ESCALATION_CHAIN.length > 0 && config.REMIND_AFTER === 0) {
    throw new ConfigError('Invalid configuration: ESCALATION_CHAIN starts after the first reminder; set REMIND_AFTER above 0 (or unset ESCALATION_CHAIN).');
  }
  checkLlmConfig(config);
  checkTlsConfig(config);
  return config;
}

export type LlmProviderName = 'anthropic' | 'openai' | 'offline';

/** Both files or neither, and readable now: a typo should stop start-up, not the first TLS handshake. */
function checkTlsConfig(config: Config): void {
  if (!!config.TLS_CERT !== !!config.TLS_KEY) {
    throw new ConfigError('Invalid configuration: set both TLS_CERT and TLS_KEY (PEM files), or neither.');
  }
  for (const name of ['TLS_CERT', 'TLS_KEY'] as const) {
    const file = config[name];
    if (!file) continue;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      throw new ConfigError(`Invalid configuration: ${name}: cannot read ${file} (${error instanceof Error ? error.message : String(error)}).`);
    }
    if (!text.includes('-----BEGIN ')) throw new ConfigError(`Invalid configuration: ${name}: ${file} is not a PEM file.`);
  }
}

/** LLM_PROVIDER, or when unset: anthropic if its key is set, else openai if its key or URL is, else offline. */
export function llmProviderOf(config: Config): LlmProviderName {
  if (config.LLM_PROVIDER) return config.LLM_PROVIDER;
  if (config.ANTHROPIC_API_KEY) return 'anthropic';
  if (config.OPENAI_API_KEY || config.OPENAI_BASE_URL) return 'openai';
  return 'offline';
}

/** A configured OpenAI-compatible server other than api.openai.com (which serves other model names). */
export function customOpenAiServer(baseURL: string | undefined): boolean {
  return !!baseURL && new URL(baseURL).hostname !== 'api.openai.com';
}

function checkLlmConfig(config: Config): void {
  const provider = llmProviderOf(config);
  if (provider === 'anthropic' && !config.ANTHROPIC_API_KEY) {
    throw new ConfigError('Invalid configuration: LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY.');
  }
  if (provider === 'openai' && !config.OPENAI_API_KEY && !customOpenAiServer(config.OPENAI_BASE_URL)) {
    throw new ConfigError('Invalid configuration: LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server).');
  }
  if (provider === 'openai' && customOpenAiServer(config.OPENAI_BASE_URL) && !config.LLM_MODEL) {
    throw new ConfigError(`Invalid configuration: OPENAI_BASE_URL points at ${config.OPENAI_BASE_URL}; set LLM_MODEL to a model that server serves.`);
  }
  if (config.EMBEDDINGS_PROVIDER === 'openai' && !(config.EMBEDDINGS_API_KEY ?? config.OPENAI_API_KEY) && !customOpenAiServer(config.EMBEDDINGS_BASE_URL ?? config.OPENAI_BASE_URL)) {
    throw new ConfigError('Invalid configuration: EMBEDDINGS_PROVIDER=openai needs EMBEDDINGS_API_KEY or OPENAI_API_KEY (or a base URL of a local server).');
  }
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
    recoveryQuiet: config.RECOVERY_QUIET,
    reopenWindow: config.REOPEN_WINDOW,
    rollbackWindow: config.ROLLBACK_WINDOW,
    reminder: config.REMIND_AFTER,
  };
}
