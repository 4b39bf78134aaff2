import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { createEmbedder, createLlm } from '../../src/diagnosis/create-llm';
import { OpenAiEmbedder } from '../../src/diagnosis/providers/openai-embedder';
import { ResilientLlm } from '../../src/diagnosis/resilient-llm';
import { FakeAnthropicApi } from '../fakes/anthropic-api';
import { text } from '../fakes/llm-fake-common';
import { FakeOpenAiApi } from '../fakes/openai-api';
import { ask } from './llm-test-support';

const llmFrom = (env: Record<string, string>) => createLlm(loadConfig(env));

describe('createLlm: which provider', () => {
  it.each([
    [{}, undefined, undefined],
    [{ ANTHROPIC_API_KEY: 'sk-ant' }, 'anthropic', 'claude-sonnet-5-5'],
    [{ OPENAI_API_KEY: 'sk' }, 'openai', 'gpt-5.4-mini'],
    [{ ANTHROPIC_API_KEY: 'sk-ant', OPENAI_API_KEY: 'sk' }, 'anthropic', 'claude-sonnet-5-5'],
    [{ ANTHROPIC_API_KEY: 'sk-ant', OPENAI_API_KEY: 'sk', LLM_PROVIDER: 'openai', LLM_MODEL: 'gpt-5.4' }, 'openai', 'gpt-5.4'],
    [{ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1', LLM_MODEL: 'llama3.1:8b' }, 'openai', 'llama3.1:8b'],
    [{ ANTHROPIC_API_KEY: 'sk-ant', LLM_PROVIDER: 'offline' }, undefined, undefined],
  ])('%j → %s %s', (env, provider, model) => {
    const llm = llmFrom(env);
    expect(llm?.provider).toBe(provider);
    expect(llm?.model).toBe(model);
    if (llm) expect(llm).toBeInstanceOf(ResilientLlm);
  });

  it.each([
    [{ LLM_PROVIDER: 'anthropic' }, /LLM_PROVIDER=anthropic needs ANTHROPIC_API_KEY/],
    [{ LLM_PROVIDER: 'openai' }, /LLM_PROVIDER=openai needs OPENAI_API_KEY/],
    [{ OPENAI_BASE_URL: 'http://127.0.0.1:11434/v1' }, /set LLM_MODEL to a model that server serves/],
    [{ EMBEDDINGS_PROVIDER: 'openai' }, /EMBEDDINGS_PROVIDER=openai needs EMBEDDINGS_API_KEY or OPENAI_API_KEY/],
    [{ LLM_PROVIDER: 'gemini' }, /LLM_PROVIDER/],
    [{ ANTHROPIC_BASE_URL: 'not a url' }, /ANTHROPIC_BASE_URL/],
    [{ LLM_TIMEOUT: 'soon' }, /LLM_TIMEOUT: expected a duration/],
  ])('%j is a ConfigError', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('reads the resilience settings', () => {
    const config = loadConfig({ LLM_TIMEOUT: '90s', LLM_MAX_RETRIES: '5', LLM_CIRCUIT_COOLDOWN: '2m', LLM_CACHE_TTL: '1h', LLM_REQUESTS_PER_MINUTE: '30' });
    expect(config).toMatchObject({ LLM_TIMEOUT: 90_000, LLM_MAX_RETRIES: 5, LLM_CIRCUIT_COOLDOWN: 120_000, LLM_CACHE_TTL: 3_600_000, LLM_REQUESTS_PER_MINUTE: 30 });
    expect(loadConfig({})).toMatchObject({ LLM_TIMEOUT: 60_000, LLM_MAX_RETRIES: 3, LLM_CIRCUIT_FAILURES: 5, EMBEDDINGS_PROVIDER: 'local', EMBEDDINGS_MODEL: 'text-embedding-3-small' });
  });
});

describe('createLlm and createEmbedder reach the configured servers', () => {
  const anthropic = new FakeAnthropicApi();
  const openai = new FakeOpenAiApi();
  let anthropicURL: string;
  let openaiURL: string;

  beforeAll(async () => {
    ({ baseURL: anthropicURL } = await anthropic.start());
    ({ baseURL: openaiURL } = await openai.start());
  });
  afterAll(async () => {
    await anthropic.stop();
    await openai.stop();
  });

  it('sends Anthropic calls to ANTHROPIC_BASE_URL with the key', async () => {
    anthropic.enqueue(text('hello'));
    const llm = llmFrom({ ANTHROPIC_API_KEY: 'sk-ant-config', ANTHROPIC_BASE_URL: anthropicURL });
    expect((await llm?.chat(ask('q')))?.text).toBe('hello');
    expect(anthropic.requests.at(-1)?.headers.authorization).toBe('Bearer sk-ant-config');
  });

  it('talks to a keyless local server with a placeholder key', async () => {
    openai.enqueue(text('hi'));
    const llm = llmFrom({ OPENAI_BASE_URL: openaiURL, LLM_MODEL: 'llama3.1:8b' });
    expect((await llm?.chat(ask('q')))?.text).toBe('hi');
    expect(openai.requests.at(-1)?.body).toMatchObject({ model: 'llama3.1:8b', max_tokens: 512 });
  });

  it('builds the embedder only for EMBEDDINGS_PROVIDER=openai, falling back to the OpenAI settings', async () => {
    expect(createEmbedder(loadConfig({ OPENAI_API_KEY: 'sk' }))).toBeUndefined();
    const embedder = createEmbedder(loadConfig({ EMBEDDINGS_PROVIDER: 'openai', OPENAI_API_KEY: 'sk-openai', OPENAI_BASE_URL: openaiURL, LLM_MODEL: 'llama3.1:8b' }));
    expect(embedder).toBeInstanceOf(OpenAiEmbedder);
    expect(embedder?.name).toBe('text-embedding-3-small');
    expect(await embedder?.embed(['disk full'])).toHaveLength(1);
    expect(openai.requests.at(-1)?.headers.authorization).toBe('Bearer sk-openai');
  });
});
