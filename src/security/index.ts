export { SecretScrubber, REDACTED } from './redact';
export type { Scrubber, SecretScrubberOptions } from './redact';
export { createScrubber, secretsIn } from './create-scrubber';
export { scrubResult } from './scrub-result';
export { isSecretKey } from './secret-keys';
