/** Why a model call failed, in terms the workflow can act on. Adapters map provider errors to these. */
export class LlmError extends Error {
  override name = 'LlmError';
  constructor(
    message: string,
    /** Worth another try later (rate limit, overload, 5xx, timeout, connection). */
    readonly retryable: boolean,
    readonly details: { status?: number; retryAfterMs?: number } = {},
  ) {
    super(message);
  }
}

/** Out of credit / quota: retrying cannot help until a person acts. Never retried. */
export class LlmSpendLimitError extends LlmError {
  override name = 'LlmSpendLimitError';
  constructor(message: string, details: { status?: number } = {}) {
    super(message, false, details);
  }
}

/** The provider cannot be used right now (retries exhausted, circuit open, timeout): the incident escalates. */
export class LlmUnavailableError extends LlmError {
  override name = 'LlmUnavailableError';
  constructor(message: string, details: { status?: number; retryAfterMs?: number } = {}) {
    super(message, false, details);
  }
}
