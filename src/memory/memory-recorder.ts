import type { Logger } from 'pino';
import { phaseOf } from '../../machines/incident.view';
import type { IncidentPhase } from '../../machines/incident.view';
import type { IncidentChange, IncidentListener } from '../runtime/incident-service';
import type { IncidentMemory } from './incident-memory';
import { memoryAlertOf } from './memory-record';
import type { IncidentMemoryRecordInput } from './memory-record';

/** Where the recorder finds an incident's latest post-incident summary (the summary store). */
export interface SummarySource {
  latest(incidentId: string): Promise<{ text: { en: string } } | undefined>;
}

const SUMMARY_LIMIT = 4000;

/** The phases where an incident has ended for now (`escalated` may be retried or resolved later). */
const ENDINGS = ['resolved', 'escalated', 'ignored'] as const;
const isEnding = (phase: IncidentPhase): phase is (typeof ENDINGS)[number] => (ENDINGS as readonly IncidentPhase[]).includes(phase);

/**
 * What memory keeps of an incident that just reached `resolved`, `escalated` or `ignored`; undefined
 * for every other transition (merged repeats are not remembered: their original is).
 */
export function memoryRecordOf(change: IncidentChange, at = new Date()): IncidentMemoryRecordInput | undefined {
  const phase = phaseOf(change.toState);
  const ending = isEnding(phase) ? phase : undefined;
  const { alert, diagnosis, proposal, execution, verification } = change.context;
  if (!ending || !alert) return undefined;
  const executed = execution !== null;
  const fixWorked = execution?.succeeded === true && verification?.passed === true;
  return {
    incidentId: change.incidentId,
    alert: memoryAlertOf(alert),
    diagnosis: diagnosis && { summary: diagnosis.summary, rootCause: diagnosis.rootCause, category: diagnosis.category },
    fix: proposal && {
      summary: proposal.summary,
      steps: proposal.steps.map(({ pluginId, args }) => ({ pluginId, args })),
      executed,
      verification: proposal.verification,
    },
    // A fix that ran and did not work, handed to people, is what the next diagnosis most needs to hear about.
    outcome: ending === 'escalated' && executed && !fixWorked ? 'failed' : ending,
    fixWorked,
    endedAt: at.toISOString(),
    ...(alert.startsAt != null && { startedAt: alert.startsAt }),
  };
}

/**
 * Remembers incidents as they end, from the runtime's listener callbacks. Best effort: a failure is
 * logged and never reaches the incident. Writes for one incident run in order, so an escalation
 * remembered late cannot overwrite the resolution that followed it.
 */
export class MemoryRecorder {
  private readonly queues = new Map<string, Promise<void>>();

  constructor(
    private readonly memory: Pick<IncidentMemory, 'remember'>,
    private readonly logger: Logger,
    /** The post-incident summaries: the one kept when the incident ended goes into its text. */
    private readonly summaries?: SummarySource,
  ) {}

  /** Subscribes to the runtime; returns the unsubscribe function. */
  attach(subscribe: (listener: IncidentListener) => () => void): () => void {
    return subscribe((change) => this.onChange(change));
  }

  onChange(change: IncidentChange): void {
    const record = memoryRecordOf(change);
    if (!record) return;
    const previous = this.queues.get(change.incidentId) ?? Promise.resolve();
    const next = previous.then(() => this.remember(record));
    this.queues.set(change.incidentId, next);
    void next.finally(() => {
      if (this.queues.get(change.incidentId) === next) this.queues.delete(change.incidentId);
    });
  }

  /** Resolves once every write started so far has finished (for shutdown and tests). */
  async idle(): Promise<void> {
    while (this.queues.size > 0) await Promise.all(this.queues.values());
  }

  private async remember(record: IncidentMemoryRecordInput): Promise<void> {
    try {
      await this.memory.remember(await this.withSummary(record));
      this.logger.debug({ incidentId: record.incidentId, outcome: record.outcome }, 'incident remembered');
    } catch (error) {
      this.logger.warn({ err: error, incidentId: record.incidentId }, 'could not remember the incident; memory misses it');
    }
  }

  /** The summary posted when it ended (written before the ending transition, so it is there by now). */
  private async withSummary(record: IncidentMemoryRecordInput): Promise<IncidentMemoryRecordInput> {
    const summary = await this.summaries?.latest(record.incidentId);
    return summary ? { ...record, summary: summary.text.en.slice(0, SUMMARY_LIMIT) } : record;
  }
}
