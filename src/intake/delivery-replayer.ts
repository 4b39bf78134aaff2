import type { Logger } from 'pino';
import { DEFAULT_STALE_CLAIM_MS } from '../store/inbound-store';
import type { InboundStore, UnfinishedDelivery } from '../store/inbound-store';

/** An intake that can do a delivery's work again from what its claim kept. */
export interface ReplayTarget {
  /** False when the kept delivery is not one it can replay (another version's, say): it is given up. */
  replay(delivery: UnfinishedDelivery): Promise<boolean>;
}

export interface DeliveryReplayerOptions {
  /** Which claims are this target's (`ReplayPayload.channel`). */
  channel: string;
  inbound: InboundStore;
  target: ReplayTarget;
  logger: Logger;
  intervalMs?: number;
  staleAfterMs?: number;
  /** Completed claims are kept this long for dedup (Lark redelivers for hours), then pruned. */
  retentionMs?: number;
}

const DEFAULT_INTERVAL_MS = 10_000;
const DEFAULT_RETENTION_MS = 24 * 3_600_000;
const PRUNE_EVERY_MS = 3_600_000;

/**
 * Finishes deliveries that were acknowledged by an instance that died before their work was done (a
 * command running in the background, a late card click): their claims stop being heartbeaten, and
 * after a while any instance takes them over and runs them again. Also prunes old claims.
 */
export class DeliveryReplayer {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<unknown> | undefined;
  private prunedAt = 0;

  constructor(private readonly options: DeliveryReplayerOptions) {}

  start(): void {
    const tick = () => {
      this.running = this.sweep()
        .catch((error: unknown) => this.options.logger.error({ err: error, channel: this.options.channel }, 'replaying unfinished deliveries failed'))
        .finally(() => {
          if (this.timer !== undefined) this.timer = setTimeout(tick, this.options.intervalMs ?? DEFAULT_INTERVAL_MS);
        });
    };
    this.timer = setTimeout(tick, this.options.intervalMs ?? DEFAULT_INTERVAL_MS);
  }

  async stop(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.running;
  }

  /** One pass: replays what is abandoned now; returns how many deliveries it tried. */
  async sweep(): Promise<number> {
    const { inbound, channel, logger } = this.options;
    const abandoned = await inbound.unfinished(channel, this.options.staleAfterMs ?? DEFAULT_STALE_CLAIM_MS);
    for (const delivery of abandoned) {
      if ('unreadable' in delivery) {
        logger.error({ err: delivery.unreadable, key: delivery.key }, 'cannot open a kept delivery; it is not replayed');
        await inbound.giveUp(delivery.key);
        continue;
      }
      logger.warn({ key: delivery.key, kind: delivery.replay.kind }, 'finishing a delivery abandoned by a stopped instance');
      try {
        if (await this.options.target.replay(delivery)) continue;
        logger.error({ key: delivery.key, kind: delivery.replay.kind }, 'cannot replay this delivery; given up');
        await inbound.giveUp(delivery.key);
      } catch (error) {
        logger.error({ err: error, key: delivery.key }, 'replaying a delivery failed; it is tried again later');
      }
    }
    await this.pruneNowAndThen();
    return abandoned.length;
  }

  private async pruneNowAndThen(): Promise<void> {
    if (Date.now() - this.prunedAt < PRUNE_EVERY_MS) return;
    this.prunedAt = Date.now();
    const pruned = await this.options.inbound.prune(new Date(Date.now() - (this.options.retentionMs ?? DEFAULT_RETENTION_MS)));
    if (pruned > 0) this.options.logger.info({ pruned, channel: this.options.channel }, 'pruned old inbound claims');
  }
}
