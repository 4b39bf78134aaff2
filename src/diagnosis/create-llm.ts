import type { Redis } from 'ioredis';
import type { Logger } from 'pino';
import { ConfigError, customOpenAiServer, llmProviderOf } from '../config';
import type { Config } from '../config';
import type { Embedder } from '../memory/embedder';
import type { LlmPort } from './llm-port';
import { AnthropicLlm } from './providers/anthropic';
import { OpenAiLlm } from './providers/openai';
import { OpenAiEmbedder } from './providers/openai-embedder';
import { realSleep } from './resilience/clock';
import type { RateLimiter } from './resilience/rate-limiter';
import { RedisTokenBucket } from './resilience/redis-rate-limiter';
import { ResilientLlm } from './resilient-llm';
import type { ResilienceOptions } from './resilient-llm';

/** The SDKs insist on a key; local OpenAI-compatible servers ignore it. */
const PLACEHOLDER_KEY = 'not-needed';

export function defaultLlmModel(provider: 'anthropic' | 'openai'): string {
  return provider === 'anthropic' ? 'claude-sonnet-5-5' : 'gpt-5.4-mini';
}

/**
 * The configured model behind retries, a circuit breaker, a rate limit (shared by every instance through
 * Redis when REDIS_URL is set) and a cache; undefined means the offline (rule-based) engine.
 */
export function createLlm(config: Config, logger?: Pick<Logger, 'warn'>, overrides: ResilienceOptions = {}, redis?: Redis): LlmPort | undefined {
  const provider = llmProviderOf(config);
  if (provider === 'offline') return undefined;
  const model = config.LLM_MODEL ?? defaultLlmModel(provider);
  const timeoutMs = config.LLM_TIMEOUT;
  let inner: LlmPort;
  if (provider === 'anthropic') {
    if (!config.ANTHROPIC_API_KEY) throw new ConfigError('Invalid configuration: LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY.');
    inner = new AnthropicLlm({ apiKey: config.ANTHROPIC_API_KEY, baseURL: config.ANTHROPIC_BASE_URL, model, timeoutMs });
  } else {
    if (!config.OPENAI_API_KEY && !customOpenAiServer(config.OPENAI_BASE_URL)) {
      throw new ConfigError('Invalid configuration: LLM_PROVIDER=openai needs OPENAI_API_KEY (or OPENAI_BASE_URL for a local OpenAI-compatible server).');
    }
    inner = new OpenAiLlm({ apiKey: config.OPENAI_API_KEY ?? PLACEHOLDER_KEY, baseURL: config.OPENAI_BASE_URL, model, timeoutMs });
  }
  const rateLimiter = overrides.rateLimiter ?? (redis && sharedRateLimiter(redis, config, `${provider}:${model}`, overrides, logger));
  return new ResilientLlm(inner, {
    timeoutMs,
    maxRetries: config.LLM_MAX_RETRIES,
    requestsPerMinute: config.LLM_REQUESTS_PER_MINUTE,
    circuitFailures: config.LLM_CIRCUIT_FAILURES,
    circuitCooldownMs: config.LLM_CIRCUIT_COOLDOWN,
    cacheTtlMs: config.LLM_CACHE_TTL,
    // Waiting for a slot past the step's own deadline would only hide why the step failed.
    rateLimitMaxWaitMs: config.STEP_TIMEOUT,
    logger,
    ...overrides,
    rateLimiter,
  });
}

/** With the app's Redis (REDIS_URL): one request budget for all instances using this model. */
function sharedRateLimiter(redis: Redis, config: Config, model: string, overrides: ResilienceOptions, logger?: Pick<Logger, 'warn'>): RateLimiter {
  return new RedisTokenBucket({
    redis,
    key: `ai-fixer:llm-rate:${model}`,
    requestsPerMinute: overrides.requestsPerMinute ?? config.LLM_REQUESTS_PER_MINUTE,
    capacity: overrides.burst ?? overrides.requestsPerMinute ?? config.LLM_REQUESTS_PER_MINUTE,
    maxWaitMs: overrides.rateLimitMaxWaitMs ?? config.STEP_TIMEOUT,
    now: overrides.now ?? Date.now,
    sleep: overrides.sleep ?? realSleep,
    logger,
  });
}

/** The OpenAI embedder when EMBEDDINGS_PROVIDER=openai; undefined means the local embedder. */
export function createEmbedder(config: Config): Embedder | undefined {
  if (config.EMBEDDINGS_PROVIDER !== 'openai') return undefined;
  const baseURL = config.EMBEDDINGS_BASE_URL ?? config.OPENAI_BASE_URL;
  const apiKey = config.EMBEDDINGS_API_KEY ?? config.OPENAI_API_KEY;
  if (!apiKey && !customOpenAiServer(baseURL)) {
    throw new ConfigError('Invalid configuration: EMBEDDINGS_PROVIDER=openai needs EMBEDDINGS_API_KEY or OPENAI_API_KEY (or a base URL of a local server).');
  }
  return new OpenAiEmbedder({ apiKey: apiKey ?? PLACEHOLDER_KEY, baseURL, model: config.EMBEDDINGS_MODEL, timeoutMs: config.LLM_TIMEOUT });
}
