import type { Logger } from 'pino';
import { DEFAULT_STALE_CLAIM_MS } from '../../store/inbound-store';
import type { ClaimResult, InboundStore, ReplayPayload } from '../../store/inbound-store';

/** Work answered now that goes on in the background: its claim is completed only when `done` resolves true. */
export class FinishesLater<T> {
  constructor(
    readonly answer: T,
    readonly done: Promise<boolean>,
  ) {}
}

export type ClaimedOutcome<T> = { first: true; value: T } | { first: false; claim: Exclude<ClaimResult, 'claimed'> };

export interface ClaimedWorkOptions {
  inbound: InboundStore;
  logger: Logger;
  /** A claim not heartbeaten for this long is presumed abandoned by a dead holder. */
  staleAfterMs?: number;
  /**
   * The delivery was acknowledged already (a replay): if the work fails, the claim is kept for the
   * replayer rather than given back for a redelivery that will not come.
   */
  replaying?: boolean;
}

/**
 * Runs `work` for the first delivery of `key` (or one taken over from a holder that died) and
 * completes the claim once the work is persisted. While the work runs, the claim is heartbeaten so
 * that nobody takes it over; `replay` is kept with the claim until then, so that if this process dies
 * the work is done again by another (DeliveryReplayer). A failure before the answer gives the claim
 * back (the sender redelivers); a failed replay leaves it for the next one.
 */
export async function runClaimed<T>(
  options: ClaimedWorkOptions,
  key: string,
  replay: ReplayPayload | undefined,
  work: () => Promise<T | FinishesLater<T>>,
): Promise<ClaimedOutcome<T>> {
  const staleAfterMs = options.staleAfterMs ?? DEFAULT_STALE_CLAIM_MS;
  const claim = await options.inbound.claimDelivery(key, { staleAfterMs, replay });
  if (claim !== 'claimed') return { first: false, claim };
  const stopHeartbeat = heartbeat(options, key, staleAfterMs);
  try {
    const value = await work();
    if (value instanceof FinishesLater) {
      void value.done
        .then((ok) => (ok ? options.inbound.complete(key) : undefined))
        .catch((error: unknown) => options.logger.warn({ err: error, key }, 'could not complete an inbound claim; it will be replayed later'))
        .finally(stopHeartbeat);
      return { first: true, value: value.answer };
    }
    stopHeartbeat();
    await options.inbound.complete(key);
    return { first: true, value };
  } catch (error) {
    stopHeartbeat();
    await (options.replaying ? options.inbound.abandon(key) : options.inbound.release(key)).catch((releaseError: unknown) => {
      options.logger.error({ err: releaseError, key }, 'could not release an inbound claim; it is taken again once stale');
    });
    throw error;
  }
}

function heartbeat(options: ClaimedWorkOptions, key: string, staleAfterMs: number): () => void {
  const timer = setInterval(() => {
    options.inbound.heartbeat(key).catch((error: unknown) => options.logger.warn({ err: error, key }, 'inbound claim heartbeat failed'));
  }, staleAfterMs / 3);
  timer.unref();
  return () => clearInterval(timer);
}
