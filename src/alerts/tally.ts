import type { Alert, AlertTally } from '../domain';
import { affectedOf } from './group-key';

/** The tally of a new incident's alerts, before they are stored (the store's tally() counts the same way). */
export function tallyOfNew(alerts: Alert[], at: Date): AlertTally {
  const byFingerprint = new Map(alerts.map((a) => [a.fingerprint, a]));
  const unique = [...byFingerprint.values()];
  const affected = [...new Set(unique.map(affectedOf).filter((a): a is string => a !== undefined))];
  return {
    total: unique.length,
    firing: unique.filter((a) => a.status === 'firing').length,
    affected: affected.slice(0, 20),
    affectedTotal: affected.length,
    lastAt: at.toISOString(),
  };
}
