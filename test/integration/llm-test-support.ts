import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { ChatMessage, ChatRequest, ChatResponse, ToolSpec } from '../../src/diagnosis/llm-port';
import type { Sleep } from '../../src/diagnosis/resilience/clock';

export const tools: ToolSpec[] = [
  { name: 'query_metrics', description: 'Run a PromQL query.', inputSchema: { type: 'object', properties: { query: { type: 'string' } }, required: ['query'] } },
  { name: 'read_logs', description: 'Tail an app log.', inputSchema: { type: 'object', properties: { app: { type: 'string' } }, required: ['app'] } },
];

/** A first user turn (plus any later turns) with the two tools. */
export const ask = (content: string, messages: ChatMessage[] = []): ChatRequest => ({
  system: 'You are the on-call engineer.',
  messages: [{ role: 'user', content }, ...messages],
  tools,
  maxTokens: 512,
});

export const reply = (text: string): ChatResponse => ({ text, toolCalls: [], stopReason: 'end', usage: { inputTokens: 10, outputTokens: 5 }, model: 'm1' });

/** A clock that only moves when the code under test sleeps (or the test advances it). */
export function fakeTime(): { now: () => number; sleep: Sleep; sleeps: number[]; advance(ms: number): void } {
  let now = 1_000_000;
  const sleeps: number[] = [];
  return {
    now: () => now,
    sleeps,
    sleep: (ms, signal) => {
      if (signal?.aborted) return Promise.reject(signal.reason as Error);
      sleeps.push(ms);
      now += ms;
      return Promise.resolve();
    },
    advance: (ms) => {
      now += ms;
    },
  };
}

/** A base URL on a port that was just free: connecting is refused. */
export async function closedPortURL(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}`;
}
