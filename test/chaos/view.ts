import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from './services';

export interface IncidentRow {
  id: string;
  state: string;
  status: 'active' | 'parked' | 'done';
  fingerprint: string;
  merged_into: string | null;
}

/** States an incident rests in: it waits for nobody but a person, or for nothing. */
export const FINAL_STATES = new Set(['resolved', 'ignored', 'merged', 'escalated']);

/**
 * What the people in the chaos run see: incidents and the bot's replies to their commands, read
 * from the database a few times a second (one query for everyone, not one per person).
 */
export class View {
  readonly incidents = new Map<string, IncidentRow>();
  readonly byFingerprint = new Map<string, IncidentRow[]>();
  /** The bot's reply by the message id it answers, and when the runner first saw it. */
  readonly replies = new Map<string, { text: string; seenAt: number }>();
  private lastSeq = 0;
  private waiters: (() => void)[] = [];
  private running = false;
  private loop: Promise<void> | undefined;

  constructor(private readonly db: Db) {}

  start(): void {
    this.running = true;
    this.loop = this.poll();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
    this.release();
  }

  /** Resolves after the next successful refresh. */
  next(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** The incident an alert's fingerprint ended up in: the one not merged into another. */
  primaryFor(fingerprint: string): IncidentRow | undefined {
    const rows = this.byFingerprint.get(fingerprint) ?? [];
    const primary = rows.find((r) => r.merged_into === null);
    if (primary) return primary;
    const merged = rows.find((r) => r.merged_into !== null);
    return merged?.merged_into ? this.incidents.get(merged.merged_into) : undefined;
  }

  private async poll(): Promise<void> {
    while (this.running) {
      try {
        await this.refresh();
        this.release();
      } catch {
        // Postgres is restarting: the people wait, as they would.
      }
      await sleep(300);
    }
  }

  private async refresh(): Promise<void> {
    const rows = await this.db.query<IncidentRow>('select id, state, status, fingerprint, merged_into from incidents', [], 2_000);
    this.byFingerprint.clear();
    for (const row of rows) {
      this.incidents.set(row.id, row);
      const list = this.byFingerprint.get(row.fingerprint) ?? [];
      list.push(row);
      this.byFingerprint.set(row.fingerprint, list);
    }
    const replies = await this.db.query<{ seq: string; reply_to: string; text: string | null }>(
      `select seq, reply_to, text from web_messages where author = 'bot' and reply_to is not null and seq > $1 order by seq`,
      [this.lastSeq],
      2_000,
    );
    for (const reply of replies) {
      if (!this.replies.has(reply.reply_to)) this.replies.set(reply.reply_to, { text: reply.text ?? '', seenAt: Date.now() });
      this.lastSeq = Math.max(this.lastSeq, Number(reply.seq));
    }
  }

  private release(): void {
    for (const waiter of this.waiters.splice(0)) waiter();
  }
}
