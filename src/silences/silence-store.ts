import { randomInt } from 'node:crypto';
import type { MikroORM } from '@mikro-orm/postgresql';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import { SilenceRecord, SilencedAlertRecord } from '../store/entities';
import type { Matcher, MatchOp } from './matchers';

/** A silence as the rest of the bot sees it. */
export interface Silence {
  id: string;
  matchers: Matcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  createdAt: Date;
  reason: string;
  expiredBy: string | null;
  expiredAt: Date | null;
}

export interface NewSilence {
  matchers: Matcher[];
  startsAt: Date;
  endsAt: Date;
  createdBy: string;
  reason: string;
}

/** What a silenced alert leaves behind. */
export interface HeldAlert {
  silenceId: string;
  fingerprint: string;
  title: string;
  severity: string;
  service: string | null;
  source: string;
  chatId: string;
  messageId: string | null;
  at: Date;
}

/** Letters and digits nobody mixes up when reading an id aloud (no 0/O, 1/I/L, U). */
const ID_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

function newSilenceId(): string {
  let id = 'SIL-';
  for (let i = 0; i < 4; i++) id += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return id;
}

function toSilence(row: SilenceRecord): Silence {
  return {
    id: row.id,
    matchers: row.matchers.map((m) => ({ name: m.name, op: m.op as MatchOp, value: m.value })),
    startsAt: row.startsAt,
    endsAt: row.endsAt,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    reason: row.reason,
    expiredBy: row.expiredBy ?? null,
    expiredAt: row.expiredAt ?? null,
  };
}

/** Silences in Postgres: every instance reads the same ones, so a silence typed anywhere holds everywhere. */
export class SilenceStore {
  constructor(private readonly orm: MikroORM) {}

  async create(silence: NewSilence): Promise<Silence> {
    for (let attempt = 0; ; attempt++) {
      const em = this.orm.em.fork();
      const row = em.create(SilenceRecord, { id: newSilenceId(), ...silence, createdAt: new Date(), expiredBy: null, expiredAt: null });
      try {
        await em.flush();
        return toSilence(row);
      } catch (error) {
        // Ids are short to be typable: on the rare clash, draw another.
        if (!(error instanceof UniqueConstraintViolationException) || attempt >= 5) throw error;
      }
    }
  }

  async get(id: string): Promise<Silence | null> {
    const row = await this.orm.em.fork().findOne(SilenceRecord, { id });
    return row ? toSilence(row) : null;
  }

  /** In force at `at`: started, not ended, not expired by hand. */
  async active(at: Date): Promise<Silence[]> {
    const rows = await this.orm.em.fork().find(SilenceRecord, { startsAt: { $lte: at }, endsAt: { $gt: at }, expiredAt: null }, { orderBy: { endsAt: 'asc', id: 'asc' } });
    return rows.map(toSilence);
  }

  /** Everything that ended (by time or by hand) since `since`, newest first. */
  async endedSince(since: Date, now: Date, limit: number): Promise<Silence[]> {
    const rows = await this.orm.em.fork().find(
      SilenceRecord,
      { $or: [{ expiredAt: { $gte: since } }, { endsAt: { $gte: since, $lte: now } }] },
      { orderBy: { endsAt: 'desc', id: 'asc' }, limit },
    );
    return rows.map(toSilence);
  }

  /** Ends a silence now; false when it had already ended (nothing changed). */
  async expire(id: string, by: string, at: Date): Promise<boolean> {
    const changed = await this.orm.em.fork().nativeUpdate(SilenceRecord, { id, expiredAt: null, endsAt: { $gt: at } }, { expiredBy: by, expiredAt: at });
    return changed > 0;
  }

  async recordHeld(held: HeldAlert): Promise<void> {
    const em = this.orm.em.fork();
    em.create(SilencedAlertRecord, held);
    await em.flush();
  }

  /** The alerts a silence held back, newest first. */
  async held(silenceId: string, limit: number): Promise<HeldAlert[]> {
    const rows = await this.orm.em.fork().find(SilencedAlertRecord, { silenceId }, { orderBy: { at: 'desc', id: 'desc' }, limit });
    return rows.map((r) => ({ silenceId: r.silenceId, fingerprint: r.fingerprint, title: r.title, severity: r.severity, service: r.service ?? null, source: r.source, chatId: r.chatId, messageId: r.messageId ?? null, at: r.at }));
  }

  async heldCounts(silenceIds: string[]): Promise<Map<string, number>> {
    if (silenceIds.length === 0) return new Map();
    const rows = await this.orm.em.fork().getConnection().execute<{ silence_id: string; n: string }[]>(
      'select silence_id, count(*) as n from silenced_alerts where silence_id in (?) group by silence_id',
      [silenceIds],
    );
    return new Map(rows.map((r) => [r.silence_id, Number(r.n)]));
  }
}
