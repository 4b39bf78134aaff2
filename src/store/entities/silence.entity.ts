import { defineEntity, p } from '@mikro-orm/core';
import type { InferEntity } from '@mikro-orm/core';

/**
 * A silence: alerts its matchers select open nothing between `startsAt` and `endsAt` (or until someone
 * expires it). The row is its own audit: who created it, when and why; who expired it and when.
 */
export const SilenceRecord = defineEntity({
  name: 'SilenceRecord',
  tableName: 'silences',
  properties: {
    /** Short and typable: `SIL-7K3Q`. */
    id: p.text().primary(),
    /** Parsed matchers: [{ name, op, value }]. */
    matchers: p.json<{ name: string; op: string; value: string }[]>(),
    startsAt: p.datetime(),
    endsAt: p.datetime(),
    createdBy: p.text(),
    createdAt: p.datetime(),
    reason: p.text(),
    expiredBy: p.text().nullable(),
    expiredAt: p.datetime().nullable(),
  },
  indexes: [{ name: 'silences_ends_at_idx', properties: ['endsAt'] }],
});
export type SilenceRecord = InferEntity<typeof SilenceRecord>;

/** An alert a silence held back: recorded so people can see what was not opened, and why. */
export const SilencedAlertRecord = defineEntity({
  name: 'SilencedAlertRecord',
  tableName: 'silenced_alerts',
  properties: {
    id: p.bigint('number').primary().autoincrement(),
    silenceId: p.text(),
    fingerprint: p.text(),
    title: p.text(),
    severity: p.text(),
    service: p.text().nullable(),
    source: p.text(),
    chatId: p.text(),
    /** The chat message that carried the alert, if it came from a chat. */
    messageId: p.text().nullable(),
    at: p.datetime(),
  },
  indexes: [{ name: 'silenced_alerts_silence_idx', properties: ['silenceId', 'at'] }],
});
export type SilencedAlertRecord = InferEntity<typeof SilencedAlertRecord>;
