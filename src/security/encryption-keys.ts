import { createHash } from 'node:crypto';
import { z } from 'zod';

/** AES-256: 32 bytes. */
export const KEY_BYTES = 32;

export interface DataKey {
  /** Short hash of the key: names it in envelopes and errors without revealing it. */
  id: string;
  secret: Buffer;
}

const HEX = /^[0-9a-fA-F]{64}$/;
// Standard or URL-safe alphabet, padded or not: 32 bytes are 43 characters plus one `=`.
const BASE64 = /^[A-Za-z0-9+/_-]{43}=?$/;

/** 64 hex characters or base64 of exactly 32 bytes; undefined for anything else (never guessed or padded). */
export function decodeKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  if (HEX.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (!BASE64.test(trimmed)) return undefined;
  const bytes = Buffer.from(trimmed.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  return bytes.length === KEY_BYTES ? bytes : undefined;
}

/** 12 hex characters of a domain-separated SHA-256: enough to tell keys apart, useless to guess one. */
export function keyIdOf(secret: Buffer): string {
  return createHash('sha256').update('ai-fixer data key\0').update(secret).digest('hex').slice(0, 12);
}

export function dataKey(text: string): DataKey {
  const secret = decodeKey(text);
  if (!secret) throw new Error(KEY_FORMAT_MESSAGE);
  return { id: keyIdOf(secret), secret };
}

const KEY_FORMAT_MESSAGE = `must be ${KEY_BYTES} random bytes as 64 hex characters or base64 (e.g. \`openssl rand -base64 32\`)`;

/** For config: the text is validated here and decoded where it is used; the message never echoes the key. */
export const EncryptionKeyText = z.string().trim().refine((text) => decodeKey(text) !== undefined, KEY_FORMAT_MESSAGE);
