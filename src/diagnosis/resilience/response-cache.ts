import { createHash } from 'node:crypto';
import type { ChatRequest, ChatResponse } from '../llm-port';
import type { Now } from './clock';

/** JSON with object keys sorted, so equal requests hash equally whatever order their keys were built in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Everything that shapes the answer; the signal does not. */
export function requestKey(provider: string, model: string, request: ChatRequest): string {
  const { system, messages, tools, maxTokens, temperature } = request;
  const canonical = canonicalJson({ provider, model, system, messages, tools: tools ?? [], maxTokens, temperature: temperature ?? 0 });
  return createHash('sha256').update(canonical).digest('hex');
}

/** In-memory LRU of responses with a time to live. */
export class ResponseCache {
  private readonly entries = new Map<string, { response: ChatResponse; expiresAt: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries: number,
    private readonly now: Now,
  ) {}

  get(key: string): ChatResponse | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    if (entry.expiresAt <= this.now()) return undefined;
    this.entries.set(key, entry); // most recently used goes last
    return structuredClone(entry.response);
  }

  set(key: string, response: ChatResponse): void {
    if (this.ttlMs <= 0 || this.maxEntries <= 0) return;
    this.entries.delete(key);
    this.entries.set(key, { response: structuredClone(response), expiresAt: this.now() + this.ttlMs });
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (oldest.done) break;
      this.entries.delete(oldest.value);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
