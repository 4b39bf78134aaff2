/** How far an earlier run of a step got. `started` is only found in rows written before outcomes rode with transitions. */
export type StepStatus = 'started' | 'done' | 'failed';

/** What an earlier run of a step left: its outcome, or `started` if it never finished. */
export interface RecordedStep {
  status: StepStatus;
  result: unknown;
  error: string | null;
}

/** A finished step's outcome as it is written: its result already sealed for its row (see StepJournalPort.seal). */
export interface StepOutcome {
  key: string;
  incidentId: string;
  step: string;
  status: 'done' | 'failed';
  /** The sealed result (null for a failure or a step without one). */
  result: unknown;
  error: string | null;
  startedAt: Date;
  finishedAt: Date;
}

/**
 * What the step journal needs of storage (src/store/step-journal-store.ts implements it). An outcome is
 * written once: the first one recorded under a key wins. Most outcomes are not written through this port
 * but with the transition their step causes (IncidentStorePort.saveTransition).
 */
export interface StepJournalPort {
  /** What an earlier run of the step recorded, or null. A read: it writes nothing. */
  recorded(key: string): Promise<RecordedStep | null>;
  /** Writes outcomes in one statement (one commit). */
  record(outcomes: StepOutcome[]): Promise<void>;
  /** The result as its row stores it (encrypted when a key is configured); `recorded` opens it again. */
  seal(key: string, result: unknown): unknown;
}
