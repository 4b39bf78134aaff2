import OpenAI from 'openai';
import type { Embedder } from '../../memory/embedder';
import { EMBEDDING_DIMENSIONS } from '../../store/entities/knowledge.entity';
import { LlmError } from '../llm-errors';
import { toOpenAiLlmError } from './openai';
import { isRecord, malformed, rethrowIfAborted } from './provider-errors';

export interface OpenAiEmbedderOptions {
  apiKey: string;
  baseURL?: string;
  /** e.g. text-embedding-3-small; any model of an OpenAI-compatible server that honours `dimensions`. */
  model: string;
  /** Must match the knowledge table's vector column. */
  dimensions?: number;
  timeoutMs?: number;
  /** Texts per request (OpenAI accepts up to 2048). */
  batchSize?: number;
}

/** Embeddings through POST /embeddings, asking for exactly the column's dimensions. */
export class OpenAiEmbedder implements Embedder {
  readonly name: string;
  readonly dimensions: number;
  private readonly client: OpenAI;
  private readonly batchSize: number;

  constructor(options: OpenAiEmbedderOptions) {
    this.name = options.model;
    this.dimensions = options.dimensions ?? EMBEDDING_DIMENSIONS;
    this.batchSize = options.batchSize ?? 256;
    this.client = new OpenAI({ apiKey: options.apiKey, baseURL: options.baseURL, timeout: options.timeoutMs ?? 60_000, maxRetries: 2 });
  }

  async embed(texts: string[], signal?: AbortSignal): Promise<number[][]> {
    const vectors: number[][] = [];
    for (let start = 0; start < texts.length; start += this.batchSize) {
      vectors.push(...(await this.embedBatch(texts.slice(start, start + this.batchSize), signal)));
    }
    return vectors;
  }

  private async embedBatch(input: string[], signal?: AbortSignal): Promise<number[][]> {
    let raw: unknown;
    try {
      // `float` explicitly: the SDK otherwise asks for base64, which several compatible servers lack.
      raw = await this.client.embeddings.create({ model: this.name, input, dimensions: this.dimensions, encoding_format: 'float' }, { signal });
    } catch (error) {
      rethrowIfAborted(signal);
      throw toOpenAiLlmError(error);
    }
    const data: unknown = isRecord(raw) ? raw.data : undefined;
    if (!Array.isArray(data) || data.length !== input.length) {
      throw malformed('openai embeddings', `expected ${input.length} embeddings, got ${Array.isArray(data) ? data.length : 'none'}`);
    }
    const vectors: number[][] = new Array<number[]>(input.length);
    for (const [position, item] of data.entries()) {
      const embedding: unknown = isRecord(item) ? item.embedding : undefined;
      if (!Array.isArray(embedding) || !embedding.every((x) => typeof x === 'number')) throw malformed('openai embeddings', 'an embedding is not a number array');
      if (embedding.length !== this.dimensions) {
        throw new LlmError(
          `embeddings model ${this.name} returned vectors of ${embedding.length} dimensions, but the knowledge table stores ${this.dimensions}: ` +
            `use a model that honours dimensions=${this.dimensions} (e.g. text-embedding-3-small), or the local embedder`,
          false,
        );
      }
      const index = isRecord(item) && typeof item.index === 'number' ? item.index : position;
      if (!(index >= 0 && index < input.length) || vectors[index]) throw malformed('openai embeddings', `bad or repeated index ${index}`);
      vectors[index] = embedding;
    }
    return vectors;
  }
}
