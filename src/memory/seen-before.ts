import type { PastIncident, SeenBefore } from '../domain';
import type { RecalledIncident } from './incident-memory';

/**
 * Past incidents less similar than this are not shown to people: above the recall floor
 * (DEFAULT_MIN_INCIDENT_SIMILARITY, 0.3) because a person reads "seen before" as "the same thing again".
 * Tuned for the local embedder, where rewordings of one alert score 0.35 and up and repeats near 1.
 */
export const SEEN_BEFORE_MIN_SIMILARITY = 0.4;
/** How far back "this happened N times" counts. */
export const SEEN_BEFORE_DAYS = 30;
/** How many past incidents the card and the page list. */
export const SEEN_BEFORE_SHOWN = 3;
/** How many recalled incidents the count is made from. */
export const SEEN_BEFORE_RECALL_K = 20;
const CAUSE_CHARS = 300;
const DAY_MS = 24 * 60 * 60 * 1000;

/** When a remembered incident happened: its alert's start when known, else when it ended. */
export function whenOf(incident: Pick<RecalledIncident, 'startedAt' | 'endedAt'>): string | undefined {
  return incident.startedAt ?? incident.endedAt;
}

/** The plugins of a fix that ran; empty when none ran. */
function ranFix(incident: RecalledIncident): string[] {
  return incident.fix?.executed ? incident.fix.steps.map((step) => step.pluginId) : [];
}

function pastIncident(incident: RecalledIncident): PastIncident {
  const at = whenOf(incident);
  const cause = incident.diagnosis?.rootCause.trim();
  return {
    incidentId: incident.incidentId,
    ...(at && { at }),
    ...(cause && { cause: cause.length > CAUSE_CHARS ? `${cause.slice(0, CAUSE_CHARS - 1)}…` : cause }),
    fix: ranFix(incident),
    verified: incident.fixWorked,
    similarity: Math.round(Math.min(1, Math.max(0, incident.similarity)) * 1000) / 1000,
  };
}

/** The fix that resolved the most of `incidents` (verified), ties to the most recent; undefined when none did. */
function mostSuccessfulFix(incidents: RecalledIncident[]): { pluginIds: string[]; resolved: number } | undefined {
  const byFix = new Map<string, { pluginIds: string[]; resolved: number }>();
  for (const incident of incidents) {
    const pluginIds = ranFix(incident);
    if (!incident.fixWorked || pluginIds.length === 0) continue;
    const key = pluginIds.join('\n');
    const entry = byFix.get(key) ?? { pluginIds, resolved: 0 };
    entry.resolved += 1;
    byFix.set(key, entry);
  }
  let best: { pluginIds: string[]; resolved: number } | undefined;
  for (const entry of byFix.values()) if (!best || entry.resolved > best.resolved) best = entry;
  return best;
}

/**
 * What people are shown of memory's recall for an incident: the closest past incidents above
 * SEEN_BEFORE_MIN_SIMILARITY (never the incident itself), how many happened in the last SEEN_BEFORE_DAYS,
 * and the fix that resolved most of those. Undefined when nothing similar enough was remembered.
 */
export function seenBeforeOf(recalled: readonly RecalledIncident[], options: { now: Date; exceptIncidentId?: string }): SeenBefore | undefined {
  const similar = recalled
    .filter((incident) => incident.similarity >= SEEN_BEFORE_MIN_SIMILARITY && incident.incidentId !== options.exceptIncidentId)
    .sort((a, b) => b.similarity - a.similarity || (whenOf(b) ?? '').localeCompare(whenOf(a) ?? ''));
  if (similar.length === 0) return undefined;
  const since = options.now.getTime() - SEEN_BEFORE_DAYS * DAY_MS;
  const recent = similar.filter((incident) => {
    const at = whenOf(incident);
    return at !== undefined && Date.parse(at) >= since;
  });
  const fix = mostSuccessfulFix(recent);
  return {
    incidents: similar.slice(0, SEEN_BEFORE_SHOWN).map(pastIncident),
    recent: { days: SEEN_BEFORE_DAYS, count: recent.length, ...(fix && { fix }) },
  };
}
