import type { IncomingMessage } from 'node:http';

export type BodyOutcome = { kind: 'body'; body: Buffer } | { kind: 'too_large' } | { kind: 'too_slow' };

/**
 * The body, unless it exceeds the cap (checked on the declared length first, then on what arrives) or
 * does not arrive in full within `timeoutMs`. Node's own requestTimeout is only checked every 30 s,
 * so a slow chunked upload held its socket for up to a minute; this deadline is exact.
 */
export function readBody(req: IncomingMessage, maxBytes: number, timeoutMs: number): Promise<BodyOutcome> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > maxBytes) return Promise.resolve({ kind: 'too_large' });
  // Not `for await`: leaving that loop early destroys the socket before the 413 can be sent.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (outcome: BodyOutcome) => {
      clearTimeout(timer);
      req.off('data', onData);
      resolve(outcome);
    };
    const timer = setTimeout(() => finish({ kind: 'too_slow' }), timeoutMs);
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) return void chunks.push(chunk);
      finish({ kind: 'too_large' });
    };
    req.on('data', onData);
    req.once('end', () => finish({ kind: 'body', body: Buffer.concat(chunks) }));
    req.once('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/** Enough of an error message to say what failed; a driver error can quote a whole 1 MB payload. */
const MAX_LOGGED_MESSAGE = 1_000;

/** The error as logged: its message cut short (also where the stack repeats it), its code, its frames. */
export function errorForLog(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { message: String(error).slice(0, MAX_LOGGED_MESSAGE) };
  const message = error.message.length > MAX_LOGGED_MESSAGE ? `${error.message.slice(0, MAX_LOGGED_MESSAGE)}… (${error.message.length} characters)` : error.message;
  const frames = error.stack?.includes(error.message) ? error.stack.slice(error.stack.indexOf(error.message) + error.message.length) : '';
  const code = (error as { code?: unknown }).code;
  return { type: error.name, message, ...(typeof code === 'string' ? { code } : {}), stack: `${error.name}: ${message}${frames.slice(0, 4_000)}` };
}
