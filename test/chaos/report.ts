import type { Case } from './driver';
import type { FaultFigures } from './faults';
import type { Violation } from './invariants';
import type { Supervisor } from './supervisor';
import type { World } from './world';

export interface RunSummary {
  seed: number;
  profile: string;
  seconds: number;
  incidents: number;
  cases: Case[];
  supervisor: Supervisor;
  faults: FaultFigures;
  world: World;
  violations: Violation[];
  escalations: Map<string, number>;
  logDir: string;
  database: string;
}

/** The final table: what was done, what was broken, and every violation found. */
export function renderReport(s: RunSummary): string {
  const alerts = s.cases.reduce((n, c) => n + c.payloads.length, 0);
  const undelivered = s.cases.reduce((n, c) => n + c.undelivered, 0);
  const outcomes = new Map<string, number>();
  for (const c of s.cases) {
    const key = `${c.plan} → ${c.finalState ?? 'no incident'}`;
    outcomes.set(key, (outcomes.get(key) ?? 0) + 1);
  }
  const commands = s.cases.flatMap((c) => c.commands);
  const rows: [string, string][] = [
    ['seed', `${s.seed} (replay: npm run chaos -- --${s.profile} --seed ${s.seed})`],
    ['duration', `${s.seconds} s`],
    ['incidents', String(s.incidents)],
    ['alerts', `${s.cases.length} (${alerts} payloads, ${s.cases.filter((c) => c.repeat).length} sent twice; ${undelivered} never acknowledged)`],
    ['instances', `${s.supervisor.instances.length} (${s.supervisor.instances.reduce((n, i) => n + i.starts, 0)} starts)`],
    ['kills (SIGKILL)', `${s.faults.kills} (${s.faults.killsMidRemediation} mid-remediation, ${s.faults.killsMidRequest} mid-request)`],
    ['unplanned exits', `${s.supervisor.unplannedExits.length} after serving, ${s.supervisor.failedStarts} while starting`],
    ['Postgres restarts', String(s.faults.postgresRestarts)],
    ['Redis flushes / restarts', `${s.faults.redisFlushes} (${s.faults.flushesAsFixStarts} as a fix was approved) / ${s.faults.redisRestarts}`],
    ['connection drops', `${s.faults.connectionsCut} (Lark ${s.world.larkProxy.drops}, LLM ${s.world.modelProxy.drops}; ${s.faults.dropBursts} bursts)`],
    ['LLM errors injected', `${s.world.modelFaults.rateLimited} × 429, ${s.world.modelFaults.overloaded} × 529, ${s.world.modelFaults.hung} hung`],
    ['commands sent', `${commands.length} (${commands.filter((c) => c.acknowledged).length} acknowledged)`],
    ['target restarts', String([...s.world.targets.values()].reduce((n, t) => n + t.restarts, 0))],
    ['Lark messages sent', String(s.world.lark.sent.length)],
    ['violations', String(s.violations.length)],
  ];
  const width = Math.max(...rows.map(([k]) => k.length));
  const lines = [`\nchaos run (${s.profile})`, ...rows.map(([k, v]) => `  ${k.padEnd(width)}  ${v}`)];
  lines.push('  outcomes (plan → final state):');
  for (const [key, n] of [...outcomes].sort()) lines.push(`    ${String(n).padStart(3)}  ${key}`);
  if (s.escalations.size) lines.push('  escalated because:');
  for (const [reason, n] of [...s.escalations].sort((a, b) => b[1] - a[1])) lines.push(`    ${String(n).padStart(3)}  ${reason}`);
  for (const exit of s.supervisor.unplannedExits) {
    lines.push(`  unplanned exit of ${exit.instance} (code ${exit.code}, signal ${exit.signal}): ${exit.lastErrors.at(-1) ?? 'no error logged'}`);
  }
  if (s.violations.length) {
    lines.push('  VIOLATIONS:');
    const byInvariant = new Map<string, string[]>();
    for (const v of s.violations) byInvariant.set(v.invariant, [...(byInvariant.get(v.invariant) ?? []), v.detail]);
    for (const [invariant, details] of byInvariant) {
      lines.push(`    ${invariant} (${details.length}):`);
      for (const detail of details) lines.push(`      - ${detail}`);
    }
    lines.push(`  logs: ${s.logDir}  database kept: ${s.database}`);
  } else {
    lines.push('  every invariant held');
  }
  return `${lines.join('\n')}\n`;
}
