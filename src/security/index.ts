export { SecretScrubber, REDACTED } from './redact';
export type { Scrubber, SecretScrubberOptions } from './redact';
export { createScrubber, secretsIn } from './create-scrubber';
export { isSecretKey } from './secret-keys';
