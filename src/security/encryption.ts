import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { DataKey } from './encryption-keys';

const ALGORITHM = 'aes-256-gcm';
const VERSION = 'v1';
/** 96 bits, random per value: GCM's recommended IV size; collisions are negligible below 2^32 values per key. */
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * An encrypted JSON value as it sits in a json column. A type, not an interface, so it fits the
 * columns' `Record<string, unknown>`. Plain values beside it stay readable: they have no `$enc`.
 */
export type SealedValue = {
  $enc: typeof VERSION;
  /** Which key sealed it (see keyIdOf). */
  kid: string;
  iv: string;
  tag: string;
  /** Ciphertext of the value's JSON; all three base64. */
  data: string;
};

/** A value sealed with a key that is no longer configured: say which one, never return garbage. */
export class EncryptionKeyUnavailableError extends Error {
  override name = 'EncryptionKeyUnavailableError';
  constructor(
    readonly keyId: string,
    readonly context: string,
  ) {
    super(`${context} was encrypted with key ${keyId}, which is not configured: set ENCRYPTION_KEY to it or list it in ENCRYPTION_OLD_KEYS.`);
  }
}

/** Altered ciphertext, a value moved to another row, or a broken envelope. */
export class DecryptionError extends Error {
  override name = 'DecryptionError';
}

/** Whether a stored value is an envelope (of any version); plain JSON never has a string `$enc`. */
export function isSealed(value: unknown): value is { $enc: string } {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && typeof (value as { $enc?: unknown }).$enc === 'string';
}

/**
 * AES-256-GCM for JSON columns. `context` names the column and row (`executions.result:<key>`) and is
 * authenticated with the value, so a ciphertext copied to another row or column fails to open. Without
 * a current key, seal stores values as they are; open reads envelopes with any configured key and
 * passes plain values through, so rows written before encryption was switched on stay readable.
 */
export class DataCipher {
  private readonly keys: ReadonlyMap<string, Buffer>;

  constructor(
    private readonly current: DataKey | undefined,
    old: readonly DataKey[] = [],
  ) {
    this.keys = new Map([...old, ...(current ? [current] : [])].map((key) => [key.id, key.secret]));
  }

  /** True when new values are written encrypted. */
  get encrypting(): boolean {
    return this.current !== undefined;
  }

  get keyId(): string | undefined {
    return this.current?.id;
  }

  /** Every key that can open values, current first. */
  get keyIds(): string[] {
    return [...this.keys.keys()].reverse();
  }

  seal<T>(value: T, context: string): T | SealedValue {
    if (!this.current || value === undefined || value === null) return value;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv(ALGORITHM, this.current.secret, iv, { authTagLength: TAG_BYTES });
    cipher.setAAD(additionalData(this.current.id, context));
    const data = Buffer.concat([cipher.update(JSON.stringify(value), 'utf8'), cipher.final()]);
    return { $enc: VERSION, kid: this.current.id, iv: iv.toString('base64'), tag: cipher.getAuthTag().toString('base64'), data: data.toString('base64') };
  }

  /** The value as it was sealed; plain values unchanged. Throws rather than return anything unauthenticated. */
  open<T = unknown>(stored: unknown, context: string): T {
    if (!isSealed(stored)) return stored as T;
    const envelope = checkEnvelope(stored, context);
    const secret = this.keys.get(envelope.kid);
    if (!secret) throw new EncryptionKeyUnavailableError(envelope.kid, context);
    const iv = Buffer.from(envelope.iv, 'base64');
    const tag = Buffer.from(envelope.tag, 'base64');
    if (iv.length !== IV_BYTES || tag.length !== TAG_BYTES) throw new DecryptionError(`${context}: malformed encrypted value (IV or tag size).`);
    const decipher = createDecipheriv(ALGORITHM, secret, iv, { authTagLength: TAG_BYTES });
    decipher.setAAD(additionalData(envelope.kid, context));
    decipher.setAuthTag(tag);
    let plain: Buffer;
    try {
      plain = Buffer.concat([decipher.update(Buffer.from(envelope.data, 'base64')), decipher.final()]);
    } catch (error) {
      throw new DecryptionError(`${context} failed authentication with key ${envelope.kid}: it was altered, or copied from another row.`, { cause: error });
    }
    return JSON.parse(plain.toString('utf8')) as T;
  }
}

function additionalData(keyId: string, context: string): Buffer {
  return Buffer.from(`${VERSION}\0${keyId}\0${context}`, 'utf8');
}

function checkEnvelope(stored: { $enc: string }, context: string): SealedValue {
  if (stored.$enc !== VERSION) throw new DecryptionError(`${context} uses encryption format ${stored.$enc}, which this version cannot read.`);
  const fields = stored as Record<string, unknown>;
  if (['kid', 'iv', 'tag', 'data'].some((field) => typeof fields[field] !== 'string')) {
    throw new DecryptionError(`${context}: malformed encrypted value (kid, iv, tag and data must be strings).`);
  }
  return stored as SealedValue;
}

/** No key: values are stored and read as they are (the default of every store). */
export const PLAINTEXT = new DataCipher(undefined);
