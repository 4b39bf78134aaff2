import type { IncomingMessage, ServerResponse } from 'node:http';

/** Request/response plumbing shared by the fake's routes; answers are JSON as Lark's gateway sends them. */

export async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}

export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

/** Lark's error envelope; most business errors of the im APIs come back as HTTP 400. */
export function sendLarkError(res: ServerResponse, status: number, code: number, msg: string, headers: Record<string, string> = {}): void {
  sendJson(res, status, { code, msg }, headers);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
