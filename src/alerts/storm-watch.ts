import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { ChatPort } from '../chat/core/chat-port';
import { stormCard } from '../chat/core/cards/storm-card';
import type { LockPort } from '../locks/lock-port';
import type { IncidentChange } from '../runtime/incident-service';
import { StormCardUpdates } from './storm-card-updates';
import type { FlushResult } from './storm-card-updates';
import type { Storm, StormStore } from './storm-store';
import { changesStanding, opensIncident } from './storm-threads';
import type { StormThreads } from './storm-threads';
import type { I18n } from '../i18n';

export interface StormWatchOptions {
  store: StormStore;
  chat: ChatPort;
  /** The storm card is written in every language, its times in TIMEZONE. */
  i18n: I18n;
  /** Serialises card updates of one storm across instances, so an older rendering never lands last. */
  locks: LockPort;
  logger: Logger;
  /** STORM_THRESHOLD: more openings than this in one chat within `windowMs` is a storm. */
  threshold: number;
  /** STORM_WINDOW: how far back openings count, and how long without a new one ends a storm. */
  windowMs: number;
  /** How often the storm's end and unposted cards are checked. */
  sweepIntervalMs: number;
  /** At most one card update per storm this often (default 2 s). */
  updateIntervalMs?: number;
}

/** A card a crashed instance left unposted is posted by another after this long. */
const UNPOSTED_AFTER_MS = 30_000;
const PRUNE_EVERY_MS = 60_000;

const newStormId = () => `STORM-${randomBytes(5).toString('hex').toUpperCase()}`;

/**
 * Alert storms: when more than STORM_THRESHOLD incidents open in one chat within STORM_WINDOW, one storm
 * card is posted there and kept up to date (coalesced), and the storm's incidents post their cards in its
 * thread. It ends, with a last update, STORM_WINDOW after its last new incident. State lives in Postgres,
 * so instances side by side share storms: one card per storm, whoever starts it.
 */
export class StormWatch implements StormThreads {
  private readonly updates: StormCardUpdates;
  /** This instance counting an incident's opening: its card waits for that, so it knows its storm. */
  private readonly noting = new Map<string, Promise<void>>();
  /** Openings of one chat, one after the other on this instance. */
  private readonly chatTurns = new Map<string, Promise<void>>();
  private readonly posting = new Map<string, Promise<string>>();
  private sweeper?: NodeJS.Timeout;
  private sweeping?: Promise<void>;
  private lastPruneAt = 0;

  constructor(private readonly options: StormWatchOptions) {
    this.updates = new StormCardUpdates({ intervalMs: options.updateIntervalMs ?? 2_000, flush: (id) => this.flush(id), logger: options.logger });
  }

  /** Hears every persisted transition of this instance's incidents. */
  onTransition(change: IncidentChange): void {
    if (opensIncident(change)) this.noteOpening(change.incidentId, change.context.chatId);
    else if (changesStanding(change)) void this.touchStormOf(change.incidentId);
  }

  async threadFor(incident: { incidentId: string; chatId: string }): Promise<string | undefined> {
    try {
      await this.noting.get(incident.incidentId);
      const storm = await this.options.store.stormOf(incident.incidentId);
      return storm ? await this.cardOf(storm) : undefined;
    } catch (error) {
      // A card posted at the top level beats no card at all.
      this.options.logger.warn({ err: error, incidentId: incident.incidentId }, 'could not find the storm card; posting on its own');
      return undefined;
    }
  }

  start(): void {
    this.sweeper = setInterval(() => {
      this.sweeping ??= this.sweep()
        .catch((error: unknown) => this.options.logger.warn({ err: error }, 'storm sweep failed'))
        .finally(() => (this.sweeping = undefined));
    }, this.options.sweepIntervalMs);
  }

  async stop(): Promise<void> {
    clearInterval(this.sweeper);
    await this.sweeping;
    await Promise.allSettled([...this.noting.values(), ...this.posting.values()]);
    await this.updates.stop();
  }

  private noteOpening(incidentId: string, chatId: string): void {
    const previous = this.chatTurns.get(chatId) ?? Promise.resolve();
    const turn = previous.then(() => this.open(incidentId, chatId));
    const settled = turn.catch((error: unknown) => this.options.logger.warn({ err: error, incidentId }, 'could not count an incident for storms'));
    this.chatTurns.set(chatId, settled);
    this.noting.set(incidentId, settled);
    void settled.finally(() => {
      if (this.noting.get(incidentId) === settled) this.noting.delete(incidentId);
      if (this.chatTurns.get(chatId) === settled) this.chatTurns.delete(chatId);
    });
  }

  /**
   * Records the opening, then joins the chat's storm, or starts one when the chat now has more openings in
   * the window than the threshold. Every instance records before it looks, so the last of several
   * simultaneous openings sees them all, and whoever starts the storm sweeps earlier openings into it.
   */
  private async open(incidentId: string, chatId: string): Promise<void> {
    const { store, threshold, windowMs } = this.options;
    const at = new Date();
    await store.recordOpening(incidentId, chatId, at);
    for (let tries = 0; tries < 2; tries++) {
      let storm = await store.goingOn(chatId);
      let started = false;
      if (!storm) {
        const windowStart = new Date(at.getTime() - windowMs);
        if ((await store.openingsSince(chatId, windowStart)) <= threshold) return;
        ({ storm, started } = await store.start({ id: newStormId(), chatId, startedAt: at, windowStart }));
      }
      if (!(await store.join(storm, at))) continue; // it ended just now: look again
      if (started) this.options.logger.info({ stormId: storm.id, chatId }, 'alert storm started');
      if (started || !storm.cardMessageId) void this.cardOf(storm).catch((error: unknown) => this.options.logger.warn({ err: error, stormId: storm.id }, 'could not post the storm card'));
      this.updates.touch(storm.id);
      return;
    }
  }

  /** The storm's card, posted once: one post at a time here, and an idempotency key for other instances and restarts. */
  private cardOf(storm: Storm): Promise<string> {
    if (storm.cardMessageId) return Promise.resolve(storm.cardMessageId);
    const running = this.posting.get(storm.id);
    if (running) return running;
    const posting = this.postCard(storm).finally(() => this.posting.delete(storm.id));
    this.posting.set(storm.id, posting);
    return posting;
  }

  private async postCard(storm: Storm): Promise<string> {
    const { store, chat } = this.options;
    const current = (await store.get(storm.id)) ?? storm;
    if (current.cardMessageId) return current.cardMessageId;
    const input = { stormId: storm.id, startedAt: current.startedAt, windowMs: this.options.windowMs, endedAt: current.endedAt, members: await store.members(storm.id) };
    const { messageId } = await chat.postCard(storm.chatId, this.options.i18n.both((tr) => stormCard(input, tr)), `storm/${storm.id}`);
    const recorded = await store.recordCard(storm.id, messageId);
    this.updates.posted(storm.id);
    return recorded;
  }

  private async touchStormOf(incidentId: string): Promise<void> {
    try {
      const storm = await this.options.store.stormOf(incidentId);
      if (storm && !storm.endedAt) this.updates.touch(storm.id);
    } catch (error) {
      this.options.logger.warn({ err: error, incidentId }, 'could not look up the storm of an incident');
    }
  }

  /** Rewrites the card from the stored state, under a lock shared by the instances. */
  private async flush(stormId: string): Promise<FlushResult> {
    const { store, chat, locks, windowMs, i18n } = this.options;
    return locks.withLock(`storm-card:${stormId}`, async () => {
      const storm = await store.get(stormId);
      if (!storm?.cardMessageId) return storm?.endedAt ? 'ended' : 'updated'; // the post will show the latest state
      const members = await store.members(stormId);
      const input = { stormId, startedAt: storm.startedAt, windowMs, endedAt: storm.endedAt, members };
      await chat.updateCard(storm.cardMessageId, i18n.both((tr) => stormCard(input, tr)));
      return storm.endedAt ? 'ended' : 'updated';
    });
  }

  /** Ends quiet storms (each by one instance, which gives its card the last update), posts cards left unposted, prunes. */
  private async sweep(): Promise<void> {
    const { store, windowMs, logger } = this.options;
    const now = Date.now();
    for (const storm of await store.endQuiet(new Date(now - windowMs), new Date(now))) {
      logger.info({ stormId: storm.id, chatId: storm.chatId }, 'alert storm ended');
      this.updates.touch(storm.id);
    }
    for (const storm of await store.withoutCard(new Date(now - UNPOSTED_AFTER_MS))) await this.cardOf(storm);
    if (now - this.lastPruneAt >= PRUNE_EVERY_MS) {
      this.lastPruneAt = now;
      await store.prune(new Date(now - windowMs));
    }
  }
}
