import { createCipheriv, createHash, randomBytes } from 'node:crypto';
import { isRecord, parseJson } from './http-io';

/**
 * Lark's HTTPS event delivery, from the sender's side. With an Encrypt Key set the body is
 * `{"encrypt": base64(iv ‖ AES-256-CBC(sha256(key), iv, JSON))}` and the request is signed:
 * `X-Lark-Signature` = hex sha256(timestamp + nonce + encryptKey + raw body), timestamp in seconds.
 */

export interface WebhookPostOptions {
  /** Without one Lark sends the plain event and no signature. */
  encryptKey?: string;
  /** Put into `header.token` (events) or `token` (url_verification), as Lark does. */
  verificationToken?: string;
  /** Forge the signature, or sign a timestamp an hour old (a replay). */
  tamper?: 'signature' | 'timestamp';
}

export interface WebhookAnswer {
  status: number;
  body: string;
  /** The body parsed as JSON, when it is JSON (a card action's answer, a challenge echo). */
  json: unknown;
}

const STALE_SECONDS = 3600;

export function encryptLarkPayload(plaintext: string, encryptKey: string): string {
  const key = createHash('sha256').update(encryptKey).digest();
  const iv = randomBytes(16);
  const cipher = createCipheriv('aes-256-cbc', key, iv);
  return Buffer.concat([iv, cipher.update(plaintext, 'utf8'), cipher.final()]).toString('base64');
}

export function larkSignatureOf(timestamp: string, nonce: string, encryptKey: string, rawBody: string): string {
  return createHash('sha256').update(timestamp + nonce + encryptKey + rawBody).digest('hex');
}

/** The challenge Lark posts when the callback URL is configured; the app must echo `challenge`. */
export function urlVerificationEvent(challenge = randomBytes(8).toString('hex')): Record<string, unknown> {
  return { challenge, type: 'url_verification' };
}

function withToken(event: object, token: string | undefined): object {
  if (token === undefined || !isRecord(event)) return event;
  if (isRecord(event.header)) return { ...event, header: { ...event.header, token } };
  return { ...event, token };
}

export async function postWebhook(url: string, event: object, options: WebhookPostOptions = {}): Promise<WebhookAnswer> {
  const plaintext = JSON.stringify(withToken(event, options.verificationToken));
  const headers: Record<string, string> = { 'content-type': 'application/json; charset=utf-8' };
  let rawBody = plaintext;
  if (options.encryptKey !== undefined) {
    rawBody = JSON.stringify({ encrypt: encryptLarkPayload(plaintext, options.encryptKey) });
    const nowSeconds = Math.floor(Date.now() / 1000);
    const timestamp = String(options.tamper === 'timestamp' ? nowSeconds - STALE_SECONDS : nowSeconds);
    const nonce = randomBytes(8).toString('hex');
    const signedBody = options.tamper === 'signature' ? `${rawBody} ` : rawBody;
    headers['x-lark-request-timestamp'] = timestamp;
    headers['x-lark-request-nonce'] = nonce;
    headers['x-lark-signature'] = larkSignatureOf(timestamp, nonce, options.encryptKey, signedBody);
  }
  const response = await fetch(url, { method: 'POST', headers, body: rawBody });
  const body = await response.text();
  return { status: response.status, body, json: parseJson(body) };
}
