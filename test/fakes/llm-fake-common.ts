import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the fake saw it. `body` is the parsed JSON (undefined when it was not JSON). */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: unknown;
}

export interface ScriptedToolCall {
  /** Generated (toolu_… / call_…) when left out. */
  id?: string;
  name: string;
  input?: Record<string, unknown>;
  /** OpenAI only: the literal `arguments` string, e.g. invalid JSON. */
  rawArguments?: string;
}

/** What the fake answers, in provider-neutral terms; each fake renders it in its own wire format. */
export type FakeReply =
  | { kind: 'text'; text: string; stop?: 'end' | 'max_tokens'; usage?: { input: number; output: number } }
  /** Several calls in one turn = parallel tool use. */
  | { kind: 'tool_calls'; text?: string; calls: ScriptedToolCall[] }
  /** An error in the provider's error format. `code`: Anthropic error.details.error_code / OpenAI error.code. */
  | { kind: 'error'; status: number; type: string; message: string; code?: string; headers?: Record<string, string> }
  /** Never answer; the connection stays open until the client gives up. */
  | { kind: 'hang' }
  /** A 200 whose body is not JSON, labelled application/json. */
  | { kind: 'invalid_json'; body: string }
  /** Any JSON as a 200 (e.g. valid JSON missing required fields). */
  | { kind: 'json'; body: unknown }
  /** OpenAI embeddings only: deterministic vectors of this length instead of the requested one. */
  | { kind: 'embeddings'; dimensions: number };

export const text = (value: string, stop?: 'end' | 'max_tokens'): FakeReply => ({ kind: 'text', text: value, stop });
export const toolCalls = (...calls: ScriptedToolCall[]): FakeReply => ({ kind: 'tool_calls', calls });
export const hang = (): FakeReply => ({ kind: 'hang' });

/** A 400/401/404 the fake's own validation produced, rendered in the provider's error format. */
export class Rejection extends Error {
  constructor(
    readonly status: number,
    readonly type: string,
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export type Answer = { status: number; body: string; headers?: Record<string, string> } | 'hang';

/**
 * A local HTTP server on 127.0.0.1:0 that speaks one provider's protocol. Each request is recorded, then
 * validated (invalid ones get a 400 without consuming the script), then answered from the queue, else
 * from `respond`, else with the fake's default.
 */
export abstract class LlmFakeServer {
  readonly requests: RecordedRequest[] = [];
  /** Consulted when the queue is empty; return undefined for the default answer. */
  respond?: (request: RecordedRequest) => FakeReply | undefined;
  private readonly queue: FakeReply[] = [];
  private readonly listeners: ((request: RecordedRequest) => void)[] = [];
  private server?: Server;

  /** Forget requests, the queue and `respond`: a clean slate between tests. */
  reset(): void {
    this.requests.length = 0;
    this.queue.length = 0;
    this.respond = undefined;
  }

  enqueue(...replies: FakeReply[]): this {
    this.queue.push(...replies);
    return this;
  }

  /** Resolves with the next request to arrive (already recorded). */
  nextRequest(): Promise<RecordedRequest> {
    return new Promise((resolve) => this.listeners.push(resolve));
  }

  async start(): Promise<{ baseURL: string }> {
    const server = createServer((req, res) => void this.handle(req, res));
    this.server = server;
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    return { baseURL: this.baseURL(`http://127.0.0.1:${port}`) };
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    server.closeAllConnections(); // hanging requests included
    await new Promise<void>((resolve) => server.close(() => resolve()));
    this.server = undefined;
  }

  /** The base URL the SDK wants: Anthropic's includes no /v1, OpenAI's does. */
  protected abstract baseURL(origin: string): string;
  /** Throws Rejection for requests the real API refuses; otherwise answers with `this.next(request)`. */
  protected abstract answer(request: RecordedRequest): Answer;
  protected abstract renderError(rejection: Rejection): Answer;

  protected json(status: number, body: unknown, headers: Record<string, string> = {}): Answer {
    return { status, body: JSON.stringify(body), headers: { 'content-type': 'application/json', ...headers } };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: unknown;
    try {
      body = raw ? JSON.parse(raw) : undefined;
    } catch {
      body = undefined;
    }
    const request: RecordedRequest = { method: req.method ?? 'GET', path: (req.url ?? '/').split('?')[0] ?? '/', headers: req.headers, body };
    this.requests.push(request);
    this.listeners.splice(0).forEach((listener) => listener(request));
    let answer: Answer;
    try {
      if (raw && body === undefined) throw new Rejection(400, 'invalid_request_error', 'The request body is not valid JSON.');
      answer = this.answer(request);
    } catch (error) {
      if (!(error instanceof Rejection)) throw error;
      answer = this.renderError(error);
    }
    if (answer === 'hang') return; // stop() or the client's disconnect ends it
    res.writeHead(answer.status, answer.headers);
    res.end(answer.body);
  }

  /** The scripted reply for a request that passed validation. */
  protected next(request: RecordedRequest): FakeReply | undefined {
    return this.queue.shift() ?? this.respond?.(request);
  }
}
