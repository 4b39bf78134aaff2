import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import type { AnyStateNode } from 'xstate';
import { incidentMachine } from '../../machines/incident.machine';
import type { FileReport } from '../../tools/stately-check/src/check-file';
import type { Finding } from '../../tools/stately-check/src/findings';

const ROOT = join(import.meta.dirname, '../..');
const FIXTURES = 'test/fixtures/stately-check';

interface CheckRun { exitCode: number; errors: number; reports: FileReport[] }

/** Runs the check as `npm test` does (the script installs the tool's folder when it is missing). */
async function runCheck(...files: string[]): Promise<CheckRun> {
  const run = (stdout: string, exitCode: number) => ({ exitCode, ...(JSON.parse(stdout) as Omit<CheckRun, 'exitCode'>) });
  try {
    const { stdout } = await promisify(execFile)('bash', ['scripts/stately-check.sh', '--json', ...files], { cwd: ROOT, maxBuffer: 16 << 20 });
    return run(stdout, 0);
  } catch (failure) {
    const { stdout, code } = failure as { stdout?: string; code?: number };
    if (stdout === undefined || typeof code !== 'number') throw failure;
    return run(stdout, code);
  }
}

const findingsIn = (run: CheckRun, fixture: string): Finding[] => {
  const report = run.reports.find((r) => r.file.endsWith(`/${fixture}.machine.ts`));
  if (!report) throw new Error(`no report for ${fixture}`);
  return [...report.findings, ...report.machines.flatMap((m) => m.findings)];
};

const stateNodesBelow = (node: AnyStateNode): AnyStateNode[] =>
  Object.values(node.states).flatMap((child) => [child, ...stateNodesBelow(child)]);

describe('stately-check on the real chart', () => {
  it('passes every machine file, sees every state, and only warns', async () => {
    const run = await runCheck();
    const incident = run.reports.find((r) => r.file.endsWith('/machines/incident.machine.ts'));
    const errors = run.reports.flatMap((r) => [...r.findings, ...r.machines.flatMap((m) => m.findings)]).filter((f) => f.level === 'error');

    expect(errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(incident?.machines.map((m) => m.id)).toEqual(['incident']);
    expect(incident?.machines[0]?.counts.states).toBe(1 + stateNodesBelow(incidentMachine.root).length);
  });
});

describe('stately-check on broken machines', () => {
  let run: CheckRun;
  beforeAll(async () => {
    run = await runCheck(...['lost-across-files', 'inline-code', 'dropped-keys', 'unimplemented'].map((name) => `${FIXTURES}/${name}.machine.ts`));
  });
  const expectFinding = (fixture: string, level: Finding['level'], at: string, message: string) =>
    expect(findingsIn(run, fixture)).toContainEqual(expect.objectContaining({ level, at, message: expect.stringContaining(message) as unknown }));

  it('fails the run', () => {
    expect(run.exitCode).toBe(1);
    expect(run.errors).toBeGreaterThan(0);
  });

  it('reports states and transitions the editor cannot see (defined in another module)', () => {
    expectFinding('lost-across-files', 'error', '(machine).paused', 'state lost in the editor');
    expectFinding('lost-across-files', 'error', '(machine).paused on resume[0]', 'transition lost in the editor: running');
    expectFinding('lost-across-files', 'error', '(machine).running on stop[0]', 'transition lost in the editor: stopped');
  });

  it('reports actions that are code or lost', () => {
    expectFinding('lost-across-files', 'error', '(machine).running on ping[0] action[0]', 'inline action');
    expectFinding('inline-code', 'error', '(machine).idle entry[0]', 'inline action');
    expectFinding('inline-code', 'error', '(machine).idle on bump[0] action[0]', 'inline action');
  });

  it('reports guards that are code or lost', () => {
    expectFinding('inline-code', 'error', '(machine).idle on start[0] guard', "inline guard where the editor needs a name: code and(['isReady', 'isAllowed'])");
    expectFinding('inline-code', 'error', '(machine).idle on bump[0] guard', 'inline guard');
    expectFinding('dropped-keys', 'error', '(machine).idle on go[0] guard', 'guard lost in the editor: isReady');
  });

  it('reports actors given as logic instead of a name, and context or input that is code', () => {
    expectFinding('inline-code', 'error', '(machine).working invoke[0]', 'inline actor');
    expectFinding('inline-code', 'error', '(machine) context', 'context is code');
    expectFinding('inline-code', 'error', '(machine).doubling invoke[0] input', 'input is code');
  });

  it('reports keys the import drops', () => {
    expectFinding('dropped-keys', 'error', '(machine) output', 'key lost in the editor');
    expectFinding('dropped-keys', 'error', '(machine).fetching.previous target', 'key lost in the editor: "second"');
  });

  it('reports references without an implementation', () => {
    expectFinding('unimplemented', 'error', '(machine).idle entry[1]', "action 'page' is referenced but not implemented");
  });

  it('only warns about what the editor keeps, built-in blocks and unused implementations', () => {
    for (const at of ['(machine).fetching invoke[0] input', '(machine).idle on again[0] reenter', '(machine).idle after ackTimeout[0]']) {
      expect(findingsIn(run, 'dropped-keys')).toContainEqual(expect.objectContaining({ level: 'warning', at, expected: true }));
    }
    expectFinding('inline-code', 'warning', '(machine).idle entry[1]', 'inline built-in action');
    expectFinding('unimplemented', 'warning', 'setup.actions.neverUsed', 'never referenced');
  });
});
