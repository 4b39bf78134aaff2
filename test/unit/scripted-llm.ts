import type { ChatRequest, ChatResponse, LlmPort } from '../../src/diagnosis/llm-port';
import { LlmError } from '../../src/diagnosis/llm-errors';
import { ResilientLlm } from '../../src/diagnosis/resilient-llm';
import type { ResilienceOptions } from '../../src/diagnosis/resilient-llm';
import { fakeTime, reply } from '../integration/llm-test-support';

export type Step = (request: ChatRequest) => Promise<ChatResponse>;

/** An in-memory provider that plays a script, one step per call, then answers "ok". */
export class ScriptedLlm implements LlmPort {
  readonly provider = 'scripted';
  readonly model = 'm1';
  readonly calls: ChatRequest[] = [];
  constructor(private readonly script: Step[] = []) {}
  chat(request: ChatRequest): Promise<ChatResponse> {
    this.calls.push(request);
    return (this.script.shift() ?? (() => Promise.resolve(reply('ok'))))(request);
  }
}

export const fail = (error: Error): Step => () => Promise.reject(error);
export const overloaded = (): Step => fail(new LlmError('529 overloaded', true, { status: 529 }));
export const answer = (text: string): Step => () => Promise.resolve(reply(text));
/** Never settles on its own: rejects with the signal's reason when the call is aborted. */
export const hang: Step = (request) =>
  new Promise((_, reject) => {
    const signal = request.signal;
    if (signal?.aborted) reject(signal.reason as Error);
    signal?.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });

export function setup(script: Step[], options: ResilienceOptions = {}) {
  const time = fakeTime();
  const inner = new ScriptedLlm(script);
  const llm = new ResilientLlm(inner, { now: time.now, sleep: time.sleep, random: () => 0.5, cacheTtlMs: 0, ...options });
  return { inner, llm, time };
}

