import type { MikroORM } from '@mikro-orm/postgresql';
import type { ClaimResult } from './inbound-store';
import { pooledQuery } from './pooled-sql';
import type { ItemOutcome } from './write-batcher';

/** One delivery's claim as InboundStore.claimDelivery takes it. */
export interface Claim {
  key: string;
  /** The sealed replay JSON, or null. */
  replay: string | null;
  staleSecs: number;
  repeatSecs: number | null;
}

/**
 * Claims several deliveries in one statement (see InboundStore.claimDelivery for what a claim does). The
 * outer select reads each row as it was before this statement: whether a claim that did not take was done.
 */
const CLAIM_DELIVERIES = `
  with input as (
    select * from unnest($1::text[], $2::jsonb[]) as t(key, replay)
  ), taken as (
    insert into inbound_events (key, received_at, replay) select key, now(), replay from input
    on conflict (key) do update
      set received_at = now(), done_at = null, takeovers = inbound_events.takeovers + 1,
          replay = coalesce(excluded.replay, inbound_events.replay)
      where (inbound_events.done_at is null and inbound_events.received_at < now() - make_interval(secs => $3::float8))
         or inbound_events.done_at < now() - make_interval(secs => $4::float8)
    returning key
  )
  select input.key, exists (select 1 from taken where taken.key = input.key) as claimed,
         (select done_at is not null from inbound_events e where e.key = input.key) as done
    from input`;

/** Each claim's result, in order: one statement per set of options (in practice one), each key claimed once. */
export async function claimAll(orm: MikroORM, batch: Claim[]): Promise<ItemOutcome<ClaimResult>[]> {
  const groups = new Map<string, Claim[]>();
  for (const claim of batch) {
    const options = `${claim.staleSecs}/${claim.repeatSecs}`;
    groups.set(options, [...(groups.get(options) ?? []), claim]);
  }
  const results = new Map<Claim, ItemOutcome<ClaimResult>>();
  await Promise.all(
    [...groups.values()].map(async (claims) => {
      try {
        const answers = await claimOnce(orm, claims);
        claims.forEach((claim) => results.set(claim, { value: answers.get(claim)! }));
      } catch (error) {
        claims.forEach((claim) => results.set(claim, { error }));
      }
    }),
  );
  return batch.map((claim) => results.get(claim)!);
}

async function claimOnce(orm: MikroORM, claims: Claim[]): Promise<Map<Claim, ClaimResult>> {
  // The same key twice in one batch: the first is claimed as usual; the others are what a claim right after it would be.
  const first = new Map<string, Claim>();
  for (const claim of claims) if (!first.has(claim.key)) first.set(claim.key, claim);
  const unique = [...first.values()];
  const { staleSecs, repeatSecs } = unique[0]!;
  const rows = await pooledQuery<{ key: string; claimed: boolean; done: boolean | null }>(orm, CLAIM_DELIVERIES, [
    unique.map((c) => c.key),
    unique.map((c) => c.replay),
    staleSecs,
    repeatSecs,
  ], 'inbound-claim');
  const byKey = new Map<string, ClaimResult>(
    // Invisible to this statement yet conflicting: claimed by a statement that committed a moment ago.
    rows.map((row) => [row.key, row.claimed ? 'claimed' : row.done === true ? 'done' : 'in_progress']),
  );
  return new Map(
    claims.map((claim) => {
      const result = byKey.get(claim.key) ?? 'in_progress';
      return [claim, first.get(claim.key) === claim || result !== 'claimed' ? result : 'in_progress'];
    }),
  );
}
