import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Alert } from '../domain';
import type { Embedder } from './embedder';
import type { KnowledgeStore } from './knowledge-store';
import { alertText, IncidentMemoryRecordSchema, incidentEmbeddingText, incidentSummary, memoryAlertOf } from './memory-record';
import type { IncidentMemoryRecord, IncidentMemoryRecordInput } from './memory-record';
import { RunbookMetadataSchema } from './runbook-schema';
import type { RunbookSteps } from './runbook-schema';

/** Added to a past incident's similarity when its fix worked, subtracted when a fix ran and failed. */
export const FIX_BONUS = 0.1;

/**
 * Cut-offs tuned for the local embedder, whose unrelated texts score up to about 0.2 (hash collisions in
 * 256 dimensions) and rewordings of one alert 0.35 and up. A model embedder has its own scale: set them.
 */
export const DEFAULT_MIN_INCIDENT_SIMILARITY = 0.3;
export const DEFAULT_MIN_KNOWLEDGE_SIMILARITY = 0.15;

export interface IncidentMemoryOptions {
  /** How many results recall and searchKnowledge give by default (MEMORY_RECALL_K). */
  defaultK?: number;
  /** Past incidents less similar than this are not recalled, however their fix went. */
  minIncidentSimilarity?: number;
  /** Runbooks are long texts compared with short alerts: their similarities run lower. */
  minKnowledgeSimilarity?: number;
  logger?: Logger;
}

export interface RecalledIncident extends IncidentMemoryRecord {
  title: string;
  /** What happened, in a few lines, for people and the model. */
  summary: string;
  /** Cosine similarity of the query to this incident, 0–1. */
  similarity: number;
  /** `similarity` ± FIX_BONUS: how results are ranked. */
  score: number;
}

export interface KnowledgeMatch {
  title: string;
  /** The runbook's path relative to the runbooks folder. */
  path: string;
  category?: string;
  services: string[];
  /** The start of the runbook's text. */
  excerpt: string;
  steps: RunbookSteps;
  similarity: number;
}

const EXCERPT_CHARS = 1_200;

/**
 * Memory of ended incidents and runbook knowledge, for diagnosis. Ranking of past incidents:
 * `score = similarity + FIX_BONUS` when the fix worked, `- FIX_BONUS` when a fix ran and did not work
 * (outcome `failed`, or executed without working), unchanged otherwise; incidents below
 * `minIncidentSimilarity` are dropped first, so a worked fix never lifts an unrelated incident.
 */
export class IncidentMemory {
  readonly defaultK: number;
  private readonly minIncidentSimilarity: number;
  private readonly minKnowledgeSimilarity: number;

  constructor(
    private readonly store: KnowledgeStore,
    private readonly embedder: Embedder,
    private readonly options: IncidentMemoryOptions = {},
  ) {
    this.defaultK = options.defaultK ?? 5;
    this.minIncidentSimilarity = options.minIncidentSimilarity ?? DEFAULT_MIN_INCIDENT_SIMILARITY;
    this.minKnowledgeSimilarity = options.minKnowledgeSimilarity ?? DEFAULT_MIN_KNOWLEDGE_SIMILARITY;
  }

  /** Remembers an ended incident under `incident:<id>`; a later end of the same incident overwrites it. */
  async remember(input: IncidentMemoryRecordInput, signal?: AbortSignal): Promise<void> {
    const record = IncidentMemoryRecordSchema.parse(input);
    const text = incidentEmbeddingText(record);
    const contentHash = sha256(text);
    const sourceKey = `incident:${record.incidentId}`;
    const entry = {
      kind: 'incident' as const,
      sourceKey,
      incidentId: record.incidentId,
      title: record.alert.title,
      content: incidentSummary(record),
      metadata: record,
      contentHash,
      embedder: this.embedder.name,
    };
    const stored = await this.store.get(sourceKey);
    if (stored?.contentHash === contentHash && stored.embedder === this.embedder.name) {
      await this.store.updateDetails(entry);
      return;
    }
    const [vector] = await this.embedder.embed([text], signal);
    await this.store.upsert(entry, vector ?? []);
  }

  /** Past incidents like the query (alert text, or a symptom in words), best-ranked first. */
  async recall(query: string, k = this.defaultK, signal?: AbortSignal): Promise<RecalledIncident[]> {
    const hits = await this.search(query, 'incident', Math.min(100, k * 4), signal);
    const recalled: RecalledIncident[] = [];
    for (const hit of hits) {
      if (hit.similarity < this.minIncidentSimilarity) continue;
      const parsed = IncidentMemoryRecordSchema.safeParse(hit.metadata);
      if (!parsed.success) {
        this.options.logger?.debug({ sourceKey: hit.sourceKey }, 'memory entry without a readable incident record skipped');
        continue;
      }
      const record = parsed.data;
      recalled.push({ ...record, title: hit.title, summary: hit.content, similarity: hit.similarity, score: hit.similarity + fixAdjustment(record) });
    }
    return recalled.sort((a, b) => b.score - a.score).slice(0, k);
  }

  /** What memory keeps of one incident; undefined when it has none (or none it can read). */
  async remembered(incidentId: string): Promise<IncidentMemoryRecord | undefined> {
    const stored = await this.store.get(`incident:${incidentId}`);
    const parsed = stored && IncidentMemoryRecordSchema.safeParse(stored.metadata);
    return parsed?.success ? parsed.data : undefined;
  }

  recallForAlert(alert: Alert, k = this.defaultK, signal?: AbortSignal): Promise<RecalledIncident[]> {
    return this.recall(alertText(memoryAlertOf(alert)), k, signal);
  }

  /** Runbooks whose text is like the query, most similar first. */
  async searchKnowledge(query: string, k = this.defaultK, signal?: AbortSignal): Promise<KnowledgeMatch[]> {
    const hits = await this.search(query, 'runbook', k, signal);
    const matches: KnowledgeMatch[] = [];
    for (const hit of hits) {
      const parsed = RunbookMetadataSchema.safeParse(hit.metadata);
      if (hit.similarity < this.minKnowledgeSimilarity || !parsed.success) continue;
      const { path, category, services, diagnostics, remediation, verification } = parsed.data;
      matches.push({
        title: hit.title,
        path,
        ...(category !== undefined && { category }),
        services,
        excerpt: excerpt(hit.content),
        steps: { diagnostics, remediation, verification },
        similarity: hit.similarity,
      });
    }
    return matches;
  }

  private async search(query: string, kind: 'incident' | 'runbook', k: number, signal?: AbortSignal) {
    const [vector] = await this.embedder.embed([query], signal);
    return this.store.search(vector ?? [], { kind, k, embedder: this.embedder.name });
  }
}

function fixAdjustment(record: IncidentMemoryRecord): number {
  if (record.fixWorked) return FIX_BONUS;
  const fixFailed = record.outcome === 'failed' || (record.fix?.executed ?? false);
  return fixFailed ? -FIX_BONUS : 0;
}

/** The first paragraphs up to EXCERPT_CHARS, cut at a paragraph or line break when there is one. */
export function excerpt(text: string, max = EXCERPT_CHARS): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  const at = Math.max(cut.lastIndexOf('\n\n'), cut.lastIndexOf('\n'));
  return `${(at > max / 2 ? cut.slice(0, at) : cut).trimEnd()}\n…`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
