import { pino } from 'pino';
import type { Logger } from 'pino';

/** Paths redacted in every log line, whatever logs them. */
const REDACT = ['*.password', '*.token', '*.secret', '*.apiKey', '*.authorization', '*.headers.authorization', '*.headers.cookie'];

/** JSON logs to stderr: stdout belongs to the console chat when it is on. */
export function createLogger(level: string): Logger {
  return pino({ level, redact: { paths: REDACT, censor: '[redacted]' } }, pino.destination(2));
}
