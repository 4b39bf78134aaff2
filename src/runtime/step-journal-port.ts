/** How far an earlier run of a step got. */
export type StepStatus = 'started' | 'done' | 'failed';

/** What an earlier run of a step left: its outcome, or `started` if it never finished. */
export interface RecordedStep {
  status: StepStatus;
  result: unknown;
  error: string | null;
}

/** What the step journal needs of storage (src/store/step-journal-store.ts implements it). */
export interface StepJournalPort {
  /**
   * Records that the step is starting, or returns what an earlier run of it recorded (after a crash, a
   * `started` row that never finished). Null when this is the first run. The key is unique: of two runs
   * claiming it at once, one gets null.
   */
  claim(key: string, incidentId: string, step: string): Promise<RecordedStep | null>;
  finish(key: string, result: unknown): Promise<void>;
  fail(key: string, error: string): Promise<void>;
}
