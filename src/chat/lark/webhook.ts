import { createDecipheriv, createHash } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import { z } from 'zod';
import { constantTimeEqual } from '../../security/constant-time';
import type { Route, RouteRequest, RouteResponse } from '../../http/route';

/**
 * Lark's HTTPS event callback. We verify it ourselves: the SDK's check hashes re-serialised JSON
 * rather than the bytes sent, answers a forgery with 200, and accepts a replay of any age.
 */

export interface LarkWebhookOptions {
  encryptKey: string;
  /** When set, challenges and events must carry it. */
  verificationToken?: string;
  /** How far the signed timestamp may be from our clock, either way. */
  maxSkewSeconds?: number;
  path?: string;
  /** Gets the decrypted schema-2.0 event; what it returns is the HTTP answer (a card callback's response). */
  onEvent(event: object): Promise<unknown>;
}

export const LARK_EVENTS_PATH = '/lark/events';

const EncryptedBodySchema = z.object({ encrypt: z.string().min(1) });
const ChallengeSchema = z.object({ type: z.literal('url_verification'), challenge: z.string().max(1_000), token: z.string().optional() });
const EventEnvelopeSchema = z.object({
  schema: z.literal('2.0', { error: 'only schema 2.0 events are supported (enable v2 events for the app)' }),
  header: z.object({ event_id: z.string().min(1), event_type: z.string().min(1), token: z.string().optional() }),
  event: z.record(z.string(), z.unknown()),
});

interface SignatureHeaders {
  timestamp: string;
  nonce: string;
  signature: string;
}

class UnreadableBodyError extends Error {
  override name = 'UnreadableBodyError';
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return typeof value === 'string' ? value : undefined;
}

function signatureHeaders(headers: IncomingHttpHeaders): SignatureHeaders | null {
  const timestamp = header(headers, 'x-lark-request-timestamp');
  const nonce = header(headers, 'x-lark-request-nonce');
  const signature = header(headers, 'x-lark-signature');
  return timestamp !== undefined && nonce !== undefined && signature !== undefined ? { timestamp, nonce, signature } : null;
}

/** hex sha256(timestamp + nonce + encryptKey + raw body), as Lark signs it. */
export function larkSignature(timestamp: string, nonce: string, encryptKey: string, rawBody: Buffer): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey, 'utf8').update(rawBody).digest('hex');
}

/** Why the signature does not hold, or null when it does. */
function signatureProblem(signed: SignatureHeaders, rawBody: Buffer, encryptKey: string, maxSkewSeconds: number): string | null {
  if (!/^\d{1,12}$/.test(signed.timestamp)) return 'bad request timestamp';
  const skew = Math.abs(Date.now() / 1000 - Number(signed.timestamp));
  if (skew > maxSkewSeconds) return 'request timestamp outside the allowed window';
  const expected = larkSignature(signed.timestamp, signed.nonce, encryptKey, rawBody);
  return constantTimeEqual(expected, signed.signature.toLowerCase()) ? null : 'bad signature';
}

/** AES-256-CBC; key = sha256(encryptKey); the first 16 bytes of the decoded data are the IV. */
export function decryptLarkPayload(encrypt: string, encryptKey: string): string {
  const data = Buffer.from(encrypt, 'base64');
  if (data.length < 32 || data.length % 16 !== 0) throw new UnreadableBodyError('encrypted payload has a bad length');
  const key = createHash('sha256').update(encryptKey, 'utf8').digest();
  const decipher = createDecipheriv('aes-256-cbc', key, data.subarray(0, 16));
  try {
    return Buffer.concat([decipher.update(data.subarray(16)), decipher.final()]).toString('utf8');
  } catch {
    throw new UnreadableBodyError('cannot decrypt the payload (is LARK_ENCRYPT_KEY right?)');
  }
}

function parseJsonObject(text: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UnreadableBodyError('body is not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UnreadableBodyError('body is not a JSON object');
  return parsed as Record<string, unknown>;
}

/** The plain payload, decrypted when it came as `{encrypt}`. */
function openBody(rawBody: Buffer, encryptKey: string): Record<string, unknown> {
  const outer = parseJsonObject(rawBody.toString('utf8'));
  const encrypted = EncryptedBodySchema.safeParse(outer);
  return encrypted.success ? parseJsonObject(decryptLarkPayload(encrypted.data.encrypt, encryptKey)) : outer;
}

function tokenMatches(expected: string | undefined, given: string | undefined): boolean {
  return expected === undefined || (given !== undefined && constantTimeEqual(given, expected));
}

const unauthorized = (error: string): RouteResponse => ({ status: 401, body: { error } });

async function handleDelivery(options: LarkWebhookOptions, request: RouteRequest): Promise<RouteResponse> {
  const signed = signatureHeaders(request.headers);
  if (signed) {
    const problem = signatureProblem(signed, request.rawBody, options.encryptKey, options.maxSkewSeconds ?? 300);
    if (problem) return unauthorized(problem);
  }
  let payload: Record<string, unknown>;
  try {
    payload = openBody(request.rawBody, options.encryptKey);
  } catch (error) {
    if (!(error instanceof UnreadableBodyError)) throw error;
    // Unsigned junk learns nothing about why it failed.
    return signed ? { status: 400, body: { error: error.message } } : unauthorized('missing signature');
  }

  // Lark sends the setup challenge unsigned; answering it only echoes the challenge back.
  const challenge = ChallengeSchema.safeParse(payload);
  if (challenge.success) {
    if (!tokenMatches(options.verificationToken, challenge.data.token)) return unauthorized('bad verification token');
    return { status: 200, body: { challenge: challenge.data.challenge } };
  }
  if (!signed) return unauthorized('missing signature');

  const envelope = EventEnvelopeSchema.safeParse(payload);
  if (!envelope.success) return { status: 400, body: { error: 'not a Lark event', issues: envelope.error.issues } };
  if (!tokenMatches(options.verificationToken, envelope.data.header.token)) return unauthorized('bad verification token');
  const result = await options.onEvent(payload);
  return { status: 200, body: result ?? {} };
}

/** `POST /lark/events`: verified, decrypted, then handed to `onEvent`. */
export function createLarkWebhookRoute(options: LarkWebhookOptions): Route {
  return { method: 'POST', path: options.path ?? LARK_EVENTS_PATH, handle: (request) => handleDelivery(options, request) };
}
