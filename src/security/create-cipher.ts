import type { Logger } from 'pino';
import { DataCipher } from './encryption';
import { dataKey } from './encryption-keys';

/** Where sealed values live, for the start-up log. */
const SEALED_COLUMNS = ['step_journal.result', 'executions.result'];

/**
 * The bot's cipher for data at rest: ENCRYPTION_KEY seals new values, ENCRYPTION_OLD_KEYS only open
 * older ones. Called once at start-up, so the warning about unencrypted data is logged once.
 */
export function createCipher(config: { ENCRYPTION_KEY?: string; ENCRYPTION_OLD_KEYS: readonly string[] }, logger?: Logger): DataCipher {
  const cipher = new DataCipher(config.ENCRYPTION_KEY ? dataKey(config.ENCRYPTION_KEY) : undefined, config.ENCRYPTION_OLD_KEYS.map(dataKey));
  if (cipher.encrypting) {
    logger?.info({ keyId: cipher.keyId, readableKeyIds: cipher.keyIds, columns: SEALED_COLUMNS }, 'sensitive data is encrypted at rest');
  } else {
    logger?.warn({ columns: SEALED_COLUMNS }, 'ENCRYPTION_KEY is not set: sensitive data (plugin outputs) is stored unencrypted');
  }
  return cipher;
}
