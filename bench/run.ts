/**
 * `npm run bench` — the orchestrator's own cost against real Postgres, with instant LLM, plugins and chat.
 * `npm run bench -- --smoke` runs tiny sizes for CI: it fails only if the harness breaks, never on targets.
 * `npm run bench -- --only=workflow,intake` runs some scenarios (durable writes always: the workflow target
 * is stated in its commits); names: workflow, writePaths, intake, recovery, storm.
 * Prints a table and writes bench/results/<timestamp>.json.
 */
import { describeEnvironment } from './environment';
import { figuresOf } from './figures';
import type { BenchResults } from './figures';
import { formatTable, writeResults } from './report';
import { measureDurableWrites } from './scenarios/durable-writes';
import { measureIntake } from './scenarios/intake';
import { measureRecovery } from './scenarios/recovery';
import { measureStorm } from './scenarios/storm';
import { measureWorkflow } from './scenarios/workflow';
import { measureWritePaths } from './scenarios/write-paths';
import { FULL, SMOKE } from './sizes';

const smoke = process.argv.includes('--smoke');
/** The Redis a multi-instance deployment would lease incidents in (BENCH_REDIS_URL; the test machine's by default). */
const REDIS_URL = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379/9';
const sizes = smoke ? SMOKE : FULL;
const only = process.argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const selected = (name: keyof BenchResults) => !only || only.includes(name);

async function stage<T>(name: string, measure: () => Promise<T>): Promise<T> {
  process.stderr.write(`bench: ${name}…`);
  const started = performance.now();
  const result = await measure();
  process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

async function main(): Promise<void> {
  const startedAt = new Date();
  const environment = await describeEnvironment();
  if (!environment.gcExposed) process.stderr.write('bench: run with node --expose-gc for memory figures after collection\n');
  // Commits per incident first: the throughput target of the workflow scenario is stated in them.
  const results: BenchResults = {
    durableWrites: await stage('durable writes per incident', () => measureDurableWrites(sizes.durableWriteIncidents)),
    workflow: selected('workflow') ? await stage('full workflow and raw-insert baseline', () => measureWorkflow(sizes.workflow, sizes.warmupIncidents, REDIS_URL)) : [],
    writePaths: selected('writePaths')
      ? await stage('where a transition write goes', () =>
          measureWritePaths(sizes.workflow.map(({ concurrency }) => ({ concurrency, writes: sizes.writePathWrites }))),
        )
      : [],
    intake: selected('intake') ? await stage('alert intake', () => measureIntake(sizes.intakeAlerts, sizes.intakeConcurrency)) : undefined,
    recovery: selected('recovery') ? await stage('recovery', () => measureRecovery(sizes.recoveryParked)) : [],
    storm: selected('storm') ? await stage('alert storm through /api/alerts', () => measureStorm(sizes.storm)) : undefined,
  };
  const figures = figuresOf(results);
  process.stdout.write(`\n${formatTable(figures)}`);
  const path = await writeResults({ startedAt, mode: smoke ? 'smoke' : 'full', sizes, environment, figures, results }, startedAt);
  process.stdout.write(`\nwrote ${path}${smoke ? ' (smoke sizes: figures are not meaningful)' : ''}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`\nbench: the harness failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
