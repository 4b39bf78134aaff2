import { count, ms, rate } from './report';
import type { Figure } from './report';
import type { CpuUse } from './stats';
import type { DurableWrites } from './scenarios/durable-writes';
import type { IntakeResult } from './scenarios/intake';
import type { RecoveryResult } from './scenarios/recovery';
import { stormFigures } from './storm-figures';
import type { StormResult } from './scenarios/storm';
import type { WorkflowLevel } from './scenarios/workflow';
import type { WritePathLevel } from './scenarios/write-paths';

export interface BenchResults {
  durableWrites: DurableWrites;
  workflow: WorkflowLevel[];
  writePaths: WritePathLevel[];
  /** Undefined when the run skipped it (`--only`). */
  intake: IntakeResult | undefined;
  recovery: RecoveryResult[];
  /** Undefined when the run skipped it (`--only`). */
  storm: StormResult | undefined;
}

/** The targets (2-core machine; issue 20 for the write path). */
export const TARGETS = {
  transitionVsRawInsert: 1.5,
  throughputShareOfCeiling: 0.5,
  writingCommitsPerIncident: 12,
  intakeAlertsPerSecond: 2_000,
  intakeWritingTransactionsPerAlert: 4,
  bootMs: 5_000,
  /** Marginal heap per extra parked incident; a parked incident kept in memory costs kilobytes. */
  bytesPerExtraParked: 64,
};

const mb = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MB`;
const pair = (a: number, b: number) => `${ms(a)} / ${ms(b)}`;
const cpu = ({ nodeShareOfCore, machineBusy }: CpuUse) =>
  `Node ${Math.round(nodeShareOfCore * 100)} % of a core, machine ${Math.round(machineBusy * 100)} % busy`;

export function figuresOf(r: BenchResults): Figure[] {
  return [...workflowFigures(r), ...writePathFigures(r.writePaths), ...(r.intake ? intakeFigures(r.intake, rawAt(r.workflow, r.intake.concurrency)) : []), ...recoveryFigures(r.recovery), ...(r.storm ? stormFigures(r.storm) : []), ...writeFigures(r.durableWrites)];
}

function workflowFigures({ workflow, durableWrites }: BenchResults): Figure[] {
  const commits = durableWrites.client.writeTransactions;
  return workflow.flatMap(({ concurrency, leases, raw, workflow: w }) => {
    const c = leases === 'Redis' ? `${concurrency}, Redis leases` : String(concurrency);
    const ceiling = raw.perSecond / commits;
    const allowed = raw.latency.p50 * TARGETS.transitionVsRawInsert;
    return [
      {
        figure: `workflow c=${c}: throughput`,
        // Node's CPU per incident is what bounds a level where Node uses a whole core.
        value: `${rate(w.perSecond, 'incidents')} (${cpu(w.cpu)}; ${ms((w.cpu.nodeShareOfCore * 1000) / w.perSecond)} Node CPU per incident)`,
        baseline: `raw ${rate(raw.perSecond, 'inserts')} ÷ ${count(commits)} commits = ${rate(ceiling, 'incidents')}`,
        target: `≥ ${TARGETS.throughputShareOfCeiling * 100} % = ${rate(ceiling * TARGETS.throughputShareOfCeiling, 'incidents')}`,
        pass: w.perSecond >= ceiling * TARGETS.throughputShareOfCeiling,
      },
      { figure: `workflow c=${c}: per incident p50 / p99`, value: pair(w.incident.p50, w.incident.p99), baseline: '', target: '' },
      {
        figure: `workflow c=${c}: per transition p50 / p99`,
        value: pair(w.transition.p50, w.transition.p99),
        baseline: `raw insert ${pair(raw.latency.p50, raw.latency.p99)}`,
        target: `p50 ≤ 1.5 × raw = ${ms(allowed)}`,
        pass: w.transition.p50 <= allowed,
      },
      {
        figure: `workflow c=${c}: event → its write starts p50 / p99`,
        value: pair(w.untilWrite.p50, w.untilWrite.p99),
        baseline: '',
        target: '',
      },
      {
        figure: `workflow c=${c}: transition's own transaction p50 / p99`,
        value: pair(w.saveTransition.p50, w.saveTransition.p99),
        baseline: `raw insert ${pair(raw.latency.p50, raw.latency.p99)}`,
        target: '',
      },
    ];
  });
}

function writePathFigures(levels: WritePathLevel[]): Figure[] {
  return levels.map(({ concurrency, paths }) => {
    const [raw, ...others] = paths;
    return {
      figure: `transition write c=${concurrency}: p50 (Node CPU per write)`,
      value: others.map((p) => `${p.label} ${ms(p.latency.p50)} (${ms(p.nodeCpuMsPerWrite)})`).join(' · '),
      baseline: raw ? `${raw.label} ${ms(raw.latency.p50)} (${ms(raw.nodeCpuMsPerWrite)})` : '',
      target: '',
    };
  });
}

/** The raw-insert rate measured at this concurrency (or the nearest level measured), if the workflow scenario ran. */
function rawAt(levels: WorkflowLevel[], concurrency: number): number | undefined {
  const inProcess = levels.filter((l) => l.leases === 'in process');
  const nearest = inProcess.sort((a, b) => Math.abs(a.concurrency - concurrency) - Math.abs(b.concurrency - concurrency))[0];
  return nearest?.raw.perSecond;
}

function intakeFigures(i: IntakeResult, rawPerSecond: number | undefined): Figure[] {
  const writing = i.queriesPerAlert.writeTransactions;
  const ceiling = rawPerSecond === undefined ? undefined : rawPerSecond / writing;
  return [
    {
      figure: `intake (50 % duplicates, c=${i.concurrency}): acknowledged`,
      value: rate(i.perSecond, 'alerts'),
      baseline: '',
      target: `≥ ${rate(TARGETS.intakeAlertsPerSecond, 'alerts')}`,
      pass: i.perSecond >= TARGETS.intakeAlertsPerSecond,
    },
    { figure: 'intake: time to acknowledge p50 / p99', value: pair(i.acknowledge.p50, i.acknowledge.p99), baseline: '', target: '' },
    {
      figure: 'intake: until every opened incident parked',
      value: `${rate(i.sustainedPerSecond, 'alerts')} (${cpu(i.cpu)})`,
      baseline: ceiling === undefined ? '' : `raw ${rate(rawPerSecond!, 'inserts')} ÷ ${count(writing)} = ${rate(ceiling, 'alerts')}`,
      target: ceiling === undefined ? '' : `≥ ${TARGETS.throughputShareOfCeiling * 100} % = ${rate(ceiling * TARGETS.throughputShareOfCeiling, 'alerts')}`,
      pass: ceiling === undefined ? undefined : i.sustainedPerSecond >= ceiling * TARGETS.throughputShareOfCeiling,
    },
    {
      figure: 'intake: transactions per alert',
      value: `${count(writing)} writing + ${count(i.queriesPerAlert.readTransactions)} read-only (${count(i.queriesPerAlert.statements)} statements)`,
      baseline: '',
      target: `≤ ${TARGETS.intakeWritingTransactionsPerAlert} writing`,
      pass: writing <= TARGETS.intakeWritingTransactionsPerAlert,
    },
    {
      figure: 'intake: duplicate incidents opened',
      value: `${i.duplicateIncidents} (${i.incidentsOpened} opened for ${i.alerts} alerts; ${i.mergedByTriage} merged by triage, ${i.repeatsRecorded} repeats)`,
      baseline: '',
      target: '= 0',
      pass: i.duplicateIncidents === 0,
    },
  ];
}

function recoveryFigures(results: RecoveryResult[]): Figure[] {
  const largest = results.at(-1);
  const smallest = results[0];
  const figures = results.flatMap((b): Figure[] => [
    {
      figure: `recovery ${count(b.parked)} parked: boot (pool + recover + sweep)`,
      value: `${ms(b.bootMs)} (recover + sweep ${ms(b.recoverMs)})`,
      baseline: '',
      target: b === largest ? `< ${TARGETS.bootMs / 1000} s` : '',
      pass: b === largest ? b.bootMs < TARGETS.bootMs : undefined,
    },
    { figure: `recovery ${count(b.parked)} parked: to first handled event`, value: `${ms(b.bootMs + b.firstEventMs)} (event ${ms(b.firstEventMs)})`, baseline: '', target: '' },
    {
      figure: `recovery ${count(b.parked)} parked: RSS per parked incident`,
      value: `${b.rssBytesPerParked.toFixed(1)} B (RSS +${mb(b.rssAfter - b.rssBefore)}, heap +${mb(b.heapAfter - b.heapBefore)}, ${b.liveAfterBoot} live)`,
      baseline: '',
      target: '',
    },
  ]);
  if (largest && smallest && largest !== smallest) {
    const extra = largest.parked - smallest.parked;
    const heap = (largest.heapAfter - largest.heapBefore - (smallest.heapAfter - smallest.heapBefore)) / extra;
    const rss = (largest.rssAfter - largest.rssBefore - (smallest.rssAfter - smallest.rssBefore)) / extra;
    figures.push({
      figure: `recovery: memory growth ${count(smallest.parked)} → ${count(largest.parked)} parked`,
      value: `${heap.toFixed(1)} B heap, ${rss.toFixed(1)} B RSS per extra parked incident`,
      baseline: '',
      target: `heap ≤ ${TARGETS.bytesPerExtraParked} B each`,
      pass: heap <= TARGETS.bytesPerExtraParked,
    });
  }
  return figures;
}

function writeFigures(d: DurableWrites): Figure[] {
  const tables = d.tables.map((t) => `${t.table} ${count(t.inserted)}+${count(t.updated)}`).join(', ');
  return [
    {
      figure: 'durable writes per incident: commits',
      value: `${count(d.client.writeTransactions)} writing + ${count(d.client.readTransactions)} read-only (${count(d.client.statements)} statements)`,
      baseline: `pg_stat xact_commit ${count(d.server.commits)} (incl. autovacuum)`,
      target: `≤ ${TARGETS.writingCommitsPerIncident} writing`,
      pass: d.client.writeTransactions <= TARGETS.writingCommitsPerIncident,
    },
    { figure: 'durable writes per incident: rows inserted+updated', value: tables, baseline: `pg_stat ${count(d.server.rowsInserted)} ins + ${count(d.server.rowsUpdated)} upd`, target: '' },
    { figure: 'durable writes: stored snapshot size', value: `${Math.round(d.snapshotBytes)} B`, baseline: '', target: '' },
  ];
}
