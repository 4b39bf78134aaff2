import type { Alert } from '../domain';
import type { Runbook } from './runbook-schema';

/** Points per kind of evidence: a matching label (e.g. alertname) says most, a keyword least. */
export const MATCH_POINTS = { label: 3, service: 2, keyword: 1 } as const;

export type MatchableAlert = Pick<Alert, 'title'> & Partial<Pick<Alert, 'description' | 'service' | 'labels'>>;

export interface RunbookMatch {
  runbook: Runbook;
  score: number;
  /** Why it matched, for people and the model: `label alertname=KubePodCrashLooping`, `keyword "oom"`. */
  reasons: string[];
}

/** Labels that commonly name the alert's service. */
const SERVICE_LABELS = ['service', 'app', 'app.kubernetes.io/name'];

/**
 * Runbooks that fit the alert, best first, scored by matching labels, services and keywords (see
 * MATCH_POINTS). A runbook that lists services does not match an alert about another service.
 * Pure and deterministic, for the offline engine; semantic search over knowledge is the fuzzy complement.
 */
export function matchRunbooks(alert: MatchableAlert, runbooks: readonly Runbook[]): RunbookMatch[] {
  const labels = lowerKeys(alert.labels ?? {});
  const services = [alert.service, ...SERVICE_LABELS.map((name) => labels[name])].filter((s): s is string => !!s).map(fold);
  const text = fold([alert.title, alert.description ?? '', ...Object.values(alert.labels ?? {})].join('\n'));
  const matches: RunbookMatch[] = [];
  for (const runbook of runbooks) {
    const reasons: string[] = [];
    let score = 0;
    if (runbook.services.length > 0 && services.length > 0) {
      const service = runbook.services.find((name) => services.includes(fold(name)));
      if (!service) continue;
      score += MATCH_POINTS.service;
      reasons.push(`service ${service}`);
    }
    for (const [key, values] of Object.entries(runbook.labels)) {
      const actual = labels[fold(key)];
      if (actual !== undefined && values.some((value) => fold(value) === fold(actual))) {
        score += MATCH_POINTS.label;
        reasons.push(`label ${key}=${actual}`);
      }
    }
    for (const keyword of runbook.keywords) {
      if (containsPhrase(text, fold(keyword))) {
        score += MATCH_POINTS.keyword;
        reasons.push(`keyword "${keyword}"`);
      }
    }
    if (score > 0) matches.push({ runbook, score, reasons });
  }
  return matches.sort((a, b) => b.score - a.score || a.runbook.path.localeCompare(b.runbook.path));
}

function fold(text: string): string {
  return text.normalize('NFKC').toLowerCase().trim();
}

function lowerKeys(labels: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([key, value]) => [fold(key), value]));
}

/** Whole words only, spaces matching `-` and `_` too: "crash loop" finds "crash-loop", "oom" does not find "zoom". */
function containsPhrase(text: string, phrase: string): boolean {
  if (!phrase) return false;
  const escaped = phrase.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '[\\s_-]+');
  return new RegExp(`(?<![\\p{L}\\p{N}])${escaped}(?![\\p{L}\\p{N}])`, 'u').test(text);
}
