import type { MikroORM } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import type { Alert, SeenBefore } from '../domain';
import type { IncidentListener } from '../runtime/incident-service';
import type { Embedder } from './embedder';
import { IncidentMemory } from './incident-memory';
import type { IncidentMemoryOptions } from './incident-memory';
import { KnowledgeStore } from './knowledge-store';
import { MemoryRecorder } from './memory-recorder';
import { SummaryStore } from '../store/summary-store';
import { alertText, memoryAlertOf } from './memory-record';
import { syncRunbooks } from './runbooks';
import { SEEN_BEFORE_RECALL_K, seenBeforeOf } from './seen-before';
import type { RunbookSteps, RunbookSyncReport } from './runbooks';

export { LocalEmbedder } from './local-embedder';
export type { Embedder } from './embedder';
export { IncidentMemory, FIX_BONUS } from './incident-memory';
export type { KnowledgeMatch, RecalledIncident } from './incident-memory';
export { EmbeddingShapeError, KnowledgeStore } from './knowledge-store';
export { MemoryRecorder, memoryRecordOf } from './memory-recorder';
export { alertText, memoryAlertOf } from './memory-record';
export type { IncidentMemoryRecordInput, IncidentOutcome } from './memory-record';
export { fillPlaceholders, loadRunbooks, matchRunbooks, parseRunbook, placeholdersOf, syncRunbooks } from './runbooks';
export type { Runbook, RunbookMatch, RunbookSyncReport } from './runbooks';
export { runbookPluginProblems } from './runbook-plugins';
export { SEEN_BEFORE_DAYS, SEEN_BEFORE_MIN_SIMILARITY, seenBeforeOf, whenOf } from './seen-before';
export type { IncidentMemoryRecord, MemoryAlert } from './memory-record';

/** A past incident as the diagnosis prompt shows it. */
export interface PastIncidentNote {
  incidentId: string;
  title: string;
  summary: string;
  fix?: string;
  outcome: string;
  similarity: number;
  score: number;
}

/** A runbook as the diagnosis prompt shows it: an excerpt, then its structured plugin calls, if any. */
export interface KnowledgeNote {
  title: string;
  path: string;
  content: string;
  similarity: number;
}

/** Which incident is recalling (it is left out of its own recall) and when. */
export interface RecallOptions {
  exceptIncidentId?: string;
  now?: Date;
}

/** What memory recalls for an alert: notes for the prompt, and what people are shown of it. */
export interface Recollection {
  incidents: PastIncidentNote[];
  knowledge: KnowledgeNote[];
  /** The closest past incidents and how often this happened lately (see seenBeforeOf). */
  seenBefore?: SeenBefore;
}

export interface Memory {
  incidents: IncidentMemory;
  store: KnowledgeStore;
  /** Remembers incidents as they end; await `recorder.idle()` before closing the ORM. */
  recorder: MemoryRecorder;
  /** Similar past incidents and runbooks for an alert, shaped for the diagnosis prompt. */
  recollect(alert: Alert, signal?: AbortSignal, options?: RecallOptions): Promise<Recollection>;
  syncRunbooks(dir: string, signal?: AbortSignal): Promise<RunbookSyncReport>;
  /** Starts remembering ended incidents; returns the unsubscribe function. */
  attach(subscribe: (listener: IncidentListener) => () => void): () => void;
}

export interface MemoryDeps extends Omit<IncidentMemoryOptions, 'logger'> {
  orm: MikroORM;
  embedder: Embedder;
  logger: Logger;
}

/** Vector memory over the ORM's database, for the composition root. */
export function createMemory(deps: MemoryDeps): Memory {
  const store = new KnowledgeStore(deps.orm);
  if (deps.embedder.dimensions !== store.dimensions) {
    throw new Error(`Embedder ${deps.embedder.name} makes ${deps.embedder.dimensions}-dimensional vectors; the knowledge table stores ${store.dimensions}.`);
  }
  const { defaultK, minIncidentSimilarity, minKnowledgeSimilarity, logger } = deps;
  const incidents = new IncidentMemory(store, deps.embedder, { defaultK, minIncidentSimilarity, minKnowledgeSimilarity, logger });
  const recorder = new MemoryRecorder(incidents, deps.logger, new SummaryStore(deps.orm));
  return {
    incidents,
    store,
    recorder,
    async recollect(alert, signal, options = {}) {
      const [recalled, runbooks] = await Promise.all([
        incidents.recallForAlert(alert, Math.max(incidents.defaultK, SEEN_BEFORE_RECALL_K), signal),
        incidents.searchKnowledge(alertText(memoryAlertOf(alert)), incidents.defaultK, signal),
      ]);
      const others = recalled.filter((p) => p.incidentId !== options.exceptIncidentId);
      const past = others.slice(0, incidents.defaultK);
      const seenBefore = seenBeforeOf(others, { now: options.now ?? new Date() });
      return {
        ...(seenBefore && { seenBefore }),
        incidents: past.map((p) => ({
          incidentId: p.incidentId,
          title: p.title,
          summary: p.summary,
          ...(p.fix && { fix: `${p.fix.summary} (${p.fixWorked ? 'worked' : p.fix.executed ? 'did not work' : 'not run'})` }),
          outcome: p.outcome,
          similarity: p.similarity,
          score: p.score,
        })),
        knowledge: runbooks.map((r) => ({ title: r.title, path: r.path, content: withSteps(r.excerpt, r.steps), similarity: r.similarity })),
      };
    },
    syncRunbooks: (dir, signal) => syncRunbooks(dir, { store, embedder: deps.embedder, logger: deps.logger, ...(signal && { signal }) }),
    attach: (subscribe) => recorder.attach(subscribe),
  };
}

/** The runbook's structured plugin calls after its text, so the model can propose them by id and args. */
function withSteps(text: string, steps: RunbookSteps): string {
  const lines = (label: string, list: { plugin: string; args: Record<string, unknown>; expect?: unknown }[]) =>
    list.map((step) => `${label}: ${step.plugin} ${JSON.stringify(step.args)}${step.expect ? ` expect ${JSON.stringify(step.expect)}` : ''}`);
  const structured = [...lines('diagnostic', steps.diagnostics), ...lines('remediation', steps.remediation), ...lines('verification', steps.verification)];
  return structured.length > 0 ? `${text}\n\nStructured steps ({{placeholders}} come from the alert and targets):\n${structured.join('\n')}` : text;
}
