import type { StormSize } from './scenarios/storm';
import type { WorkflowLevelSize } from './scenarios/workflow';

export interface BenchSizes {
  durableWriteIncidents: number;
  warmupIncidents: number;
  workflow: WorkflowLevelSize[];
  /** Writes per path per workflow concurrency level. */
  writePathWrites: number;
  intakeAlerts: number;
  intakeConcurrency: number;
  recoveryParked: number[];
  storm: StormSize;
}

export const FULL: BenchSizes = {
  durableWriteIncidents: 100,
  warmupIncidents: 50,
  workflow: [
    { concurrency: 1, incidents: 150, rawInserts: 1_000 },
    { concurrency: 16, incidents: 600, rawInserts: 4_000 },
    { concurrency: 64, incidents: 1_500, rawInserts: 8_000 },
  ],
  writePathWrites: 2_000,
  intakeAlerts: 6_000,
  intakeConcurrency: 64,
  recoveryParked: [10_000, 100_000],
  // The storm: 1,000 alerts in 20 Alertmanager groups within 10 s, half the groups resolved 30 s later.
  storm: { groups: 20, alertsPerGroup: 50, waves: 5, spreadMs: 10_000, resolveAfterMs: 30_000, quietMs: 3_000, stormThreshold: 10 },
};

/** For CI: exercises every path in seconds; its figures mean nothing. */
export const SMOKE: BenchSizes = {
  durableWriteIncidents: 3,
  warmupIncidents: 2,
  workflow: [
    { concurrency: 1, incidents: 3, rawInserts: 20 },
    { concurrency: 4, incidents: 8, rawInserts: 40 },
  ],
  writePathWrites: 20,
  intakeAlerts: 40,
  intakeConcurrency: 8,
  recoveryParked: [200, 1_000],
  storm: { groups: 4, alertsPerGroup: 3, waves: 2, spreadMs: 100, resolveAfterMs: 100, quietMs: 500, stormThreshold: 2 },
};
