import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/config';
import { createScrubber } from '../../src/security';
import { createCipher } from '../../src/security/create-cipher';
import { DataCipher, DecryptionError, EncryptionKeyUnavailableError, PLAINTEXT } from '../../src/security/encryption';
import type { SealedValue } from '../../src/security/encryption';
import { dataKey, decodeKey, keyIdOf } from '../../src/security/encryption-keys';

const keyText = () => randomBytes(32).toString('base64');
const CONTEXT = 'executions.result:INC-1/1/execute-0';
const VALUE = { status: 'success', summary: 'done', data: { stdout: 'select * from users where email = \'ann@example.com\'', rows: [1, 2, 3], ok: true, none: null } };

/** Flips one bit of a base64 field, keeping it valid base64 of the same length. */
function flipped(sealed: SealedValue, field: 'iv' | 'tag' | 'data'): SealedValue {
  const bytes = Buffer.from(sealed[field], 'base64');
  bytes[bytes.length - 1]! ^= 0x01;
  return { ...sealed, [field]: bytes.toString('base64') };
}

function sealWith(cipher: DataCipher, value: unknown = VALUE, context = CONTEXT): SealedValue {
  return cipher.seal(value, context) as SealedValue;
}

describe('DataCipher', () => {
  const key = dataKey(keyText());
  const cipher = new DataCipher(key);

  it('round-trips JSON values, with a fresh IV each time, and the envelope holds no plaintext', () => {
    for (const value of [VALUE, 'a string with ünïcode ✓', 42, [1, 'two', { three: 3 }], false]) {
      expect(cipher.open(cipher.seal(value, CONTEXT), CONTEXT)).toEqual(value);
    }
    const first = sealWith(cipher);
    const second = sealWith(cipher);
    expect(first).toMatchObject({ $enc: 'v1', kid: key.id });
    expect(Buffer.from(first.iv, 'base64')).toHaveLength(12);
    expect(Buffer.from(first.tag, 'base64')).toHaveLength(16);
    expect(first.iv).not.toBe(second.iv);
    expect(first.data).not.toBe(second.data);
    expect(JSON.stringify(first)).not.toMatch(/ann@example|select|stdout|success/);
  });

  it('leaves null and undefined as they are, so nullable columns stay null', () => {
    expect(cipher.seal(null, CONTEXT)).toBeNull();
    expect(cipher.seal(undefined, CONTEXT)).toBeUndefined();
  });

  it('passes plain values through, so rows written before the key was set stay readable', () => {
    expect(cipher.open(VALUE, CONTEXT)).toEqual(VALUE);
    expect(cipher.open('text', CONTEXT)).toBe('text');
    expect(cipher.open(null, CONTEXT)).toBeNull();
    expect(cipher.open({ $enc: 1, note: 'a non-string $enc is plain data' }, CONTEXT)).toEqual({ $enc: 1, note: 'a non-string $enc is plain data' });
  });

  it('without a key, stores plain and still opens nothing it cannot read', () => {
    expect(PLAINTEXT.encrypting).toBe(false);
    expect(PLAINTEXT.seal(VALUE, CONTEXT)).toBe(VALUE);
    expect(() => PLAINTEXT.open(sealWith(cipher), CONTEXT)).toThrow(EncryptionKeyUnavailableError);
  });

  it('detects a flipped bit in the ciphertext, the tag or the IV', () => {
    const sealed = sealWith(cipher);
    for (const field of ['data', 'tag', 'iv'] as const) {
      expect(() => cipher.open(flipped(sealed, field), CONTEXT)).toThrow(DecryptionError);
    }
    expect(() => cipher.open(flipped(sealed, 'data'), CONTEXT)).toThrow(`${CONTEXT} failed authentication with key ${key.id}`);
  });

  it('refuses a value moved to another row or column (the context is authenticated)', () => {
    const sealed = sealWith(cipher);
    expect(() => cipher.open(sealed, 'executions.result:INC-2/1/execute-0')).toThrow(DecryptionError);
    expect(() => cipher.open(sealed, 'step_journal.result:INC-1/1/execute-0')).toThrow(DecryptionError);
  });

  it('refuses truncated fields, malformed envelopes and unknown versions with a clear error', () => {
    const sealed = sealWith(cipher);
    expect(() => cipher.open({ ...sealed, tag: sealed.tag.slice(0, 8) }, CONTEXT)).toThrow(/malformed encrypted value/);
    expect(() => cipher.open({ $enc: 'v1', kid: key.id, iv: sealed.iv }, CONTEXT)).toThrow(/malformed encrypted value/);
    expect(() => cipher.open({ ...sealed, $enc: 'v9' }, CONTEXT)).toThrow(/encryption format v9, which this version cannot read/);
  });

  it('rotates: old keys still open what they sealed, new values use the current key', () => {
    const oldKey = dataKey(keyText());
    const before = sealWith(new DataCipher(oldKey));
    const rotated = new DataCipher(dataKey(keyText()), [oldKey]);
    expect(rotated.open(before, CONTEXT)).toEqual(VALUE);
    const after = sealWith(rotated);
    expect(after.kid).toBe(rotated.keyId);
    expect(after.kid).not.toBe(oldKey.id);
    expect(rotated.keyIds).toEqual([rotated.keyId, oldKey.id]);
    // Once the old key is dropped, its values are named as unreadable, never decrypted into garbage.
    expect(() => new DataCipher(dataKey(keyText())).open(before, CONTEXT)).toThrow(
      `${CONTEXT} was encrypted with key ${oldKey.id}, which is not configured: set ENCRYPTION_KEY to it or list it in ENCRYPTION_OLD_KEYS.`,
    );
  });

  it('does not open a value under a forged key id of another configured key', () => {
    const other = dataKey(keyText());
    const both = new DataCipher(key, [other]);
    expect(() => both.open({ ...sealWith(cipher), kid: other.id }, CONTEXT)).toThrow(DecryptionError);
  });
});

describe('keys', () => {
  const bytes = randomBytes(32);

  it('are 32 bytes as hex or base64 (standard, URL-safe, unpadded)', () => {
    for (const text of [bytes.toString('hex'), bytes.toString('hex').toUpperCase(), bytes.toString('base64'), bytes.toString('base64url'), ` ${bytes.toString('base64')}\n`]) {
      expect(decodeKey(text)).toEqual(bytes);
    }
    for (const text of ['', 'short', randomBytes(16).toString('base64'), randomBytes(31).toString('hex'), randomBytes(33).toString('base64'), `${bytes.toString('hex')}00`]) {
      expect(decodeKey(text)).toBeUndefined();
    }
  });

  it('are named by a short, stable hash that does not contain the key', () => {
    const id = keyIdOf(bytes);
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    expect(keyIdOf(Buffer.from(bytes))).toBe(id);
    expect(keyIdOf(randomBytes(32))).not.toBe(id);
    expect(bytes.toString('hex')).not.toContain(id);
    expect(dataKey(bytes.toString('base64')).id).toBe(dataKey(bytes.toString('hex')).id);
  });
});

describe('configuration', () => {
  it('rejects a malformed ENCRYPTION_KEY or old key by name, without echoing it', () => {
    const bad = 'not-a-key-but-a-secret-passphrase';
    expect(() => loadConfig({ ENCRYPTION_KEY: bad })).toThrow(ConfigError);
    expect(() => loadConfig({ ENCRYPTION_KEY: bad })).toThrow(/ENCRYPTION_KEY: must be 32 random bytes as 64 hex characters or base64/);
    expect(() => loadConfig({ ENCRYPTION_KEY: bad })).not.toThrow(new RegExp(bad));
    expect(() => loadConfig({ ENCRYPTION_KEY: keyText(), ENCRYPTION_OLD_KEYS: `${keyText()}, ${bad}` })).toThrow(/ENCRYPTION_OLD_KEYS\.1: must be 32 random bytes/);
  });

  it('builds the cipher from the keys and redacts them everywhere the scrubber works', () => {
    const [current, old1, old2] = [keyText(), keyText(), randomBytes(32).toString('hex')];
    const config = loadConfig({ ENCRYPTION_KEY: current, ENCRYPTION_OLD_KEYS: `${old1},${old2}` });
    const cipher = createCipher(config);
    expect(cipher.keyId).toBe(dataKey(current).id);
    expect(cipher.open(sealWith(new DataCipher(dataKey(old2))), CONTEXT)).toEqual(VALUE);
    const scrubbed = createScrubber(config).scrubText(`keys ${current} ${old1} ${old2}`);
    expect(scrubbed).not.toContain(current);
    expect(scrubbed).not.toContain(old1);
    expect(scrubbed).not.toContain(old2);
  });

  it('warns once at start-up that sensitive data is not encrypted when no key is set', () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk: Buffer, _encoding, done) => (lines.push(chunk.toString()), done()) });
    const logger = pino({ level: 'info' }, sink);
    expect(createCipher(loadConfig({}), logger).encrypting).toBe(false);
    const plain = lines.map((line) => JSON.parse(line) as { level: number; msg: string });
    expect(plain).toEqual([expect.objectContaining({ level: 40, msg: expect.stringMatching(/ENCRYPTION_KEY is not set: sensitive data .* unencrypted/) as unknown })]);
    lines.length = 0;
    const keyed = createCipher(loadConfig({ ENCRYPTION_KEY: keyText() }), logger);
    expect(lines.map((line) => JSON.parse(line) as { level: number; keyId: string })).toEqual([expect.objectContaining({ level: 30, keyId: keyed.keyId })]);
  });
});
