import { getShortestPaths } from '@xstate/graph';
import { describe, expect, it } from 'vitest';
import { assign, createActor, fromPromise, setup } from 'xstate';
import type { EventObject, Snapshot } from 'xstate';
import { fixMachine } from '../../machines/fix.machine';
import type { FixStepReport, StepOutcome } from '../../src/domain';

const ran = (index: number, of: number, status: StepOutcome['status'], dryRun?: true): FixStepReport => ({
  index,
  of,
  outcome: { pluginId: `step-${index}`, idempotencyKey: `k${index}`, status, summary: '', elapsedMs: 1, recovered: false },
  ...(dryRun && { dryRun }),
});
/** A step that leaves more to run, the last step, a failure part-way, a dry run's step. */
const REPORTS = [ran(0, 3, 'success'), ran(2, 3, 'success'), ran(1, 3, 'error'), ran(0, 3, 'no_data', true)];
const LABELS = ['a step succeeds', 'the last step succeeds', 'a step fails', 'a dry-run step'];
const STEP_DONE = 'xstate.done.actor.fixStep';

/** Every transition of the fix machine, one key per guarded alternative. */
function allTransitionKeys(): string[] {
  const nodes = Object.values(fixMachine.root.states);
  return nodes.flatMap((node) => [...node.transitions.entries()].flatMap(([type, candidates]) => candidates.map((_, i) => `${node.id}|${type}|${i}`)));
}

/** The chart alone has no parent to report to: the graph walks it with the report as a no-op. */
const walked = fixMachine.provide({ actions: { reportStep: () => undefined } });

interface FixPath {
  script: FixStepReport[];
  /** The transition keys it takes. */
  takes: string[];
}

function transitionKey(state: Parameters<typeof walked.getTransitionData>[0], output: FixStepReport): string | undefined {
  const [taken] = walked.getTransitionData(state, { type: STEP_DONE, output });
  if (!taken) return undefined;
  return `${taken.source.id}|${taken.eventType}|${taken.source.transitions.get(taken.eventType)?.indexOf(taken) ?? -1}`;
}

/**
 * The shortest path to each state, then every path that can go on extended by each step report, up to three
 * steps: a fix of several steps, one failing part-way, a dry run.
 */
function paths(): FixPath[] {
  const shortest = getShortestPaths(walked, {
    events: () => REPORTS.map((output) => ({ type: STEP_DONE, output })),
    serializeEvent: (event: EventObject) => JSON.stringify(event),
  });
  type Walk = FixPath & { state: Parameters<typeof walked.getTransitionData>[0] };
  let frontier: Walk[] = shortest.map((path) => {
    const steps = path.steps.slice(1).map((step, i) => ({ before: path.steps[i]!.state, output: (step.event as EventObject & { output: FixStepReport }).output }));
    return { script: steps.map((s) => s.output), takes: steps.map((s) => transitionKey(s.before, s.output) ?? ''), state: path.state };
  });
  const all = new Map<string, FixPath>();
  for (let depth = 0; depth < 3 && frontier.length > 0; depth++) {
    for (const walk of frontier) all.set(JSON.stringify(walk.script), { script: walk.script, takes: walk.takes });
    frontier = frontier
      .filter((walk) => walk.state.status === 'active')
      .flatMap((walk) => REPORTS.map((report) => ({
        script: [...walk.script, report],
        takes: [...walk.takes, transitionKey(walk.state, report) ?? ''],
        state: walked.resolveState({ value: walked.getTransitionData(walk.state, { type: STEP_DONE, output: report })[0]?.target?.[0]?.key ?? 'runningStep' }),
      })));
  }
  for (const walk of frontier) all.set(JSON.stringify(walk.script), { script: walk.script, takes: walk.takes });
  return [...all.values()];
}

/**
 * The incident as far as the fix machine sees it: invokes it, counts its reports. Its step actor answers with
 * the scripted reports in order, and counts how often it ran.
 */
function harness(script: FixStepReport[]) {
  const runs = { count: 0 };
  const step = fromPromise<FixStepReport, void>(() => {
    const report = script[runs.count++];
    return report ? Promise.resolve(report) : new Promise<FixStepReport>(() => undefined);
  });
  const parent = setup({
    types: { context: {} as { reported: number[] } },
    actors: { fix: fixMachine.provide({ actors: { runFixStep: step } }) },
  }).createMachine({
    context: { reported: [] },
    initial: 'fixing',
    states: {
      fixing: {
        on: { 'fix.stepped': { actions: assign(({ context, event }) => ({ reported: [...context.reported, (event as EventObject & FixStepReport).index] })) } },
        invoke: { id: 'fix', src: 'fix', onDone: 'done' },
      },
      done: { type: 'final' },
    },
  });
  return { parent, runs };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('paths generated from the fix chart', () => {
  const generated = paths();

  it('take every transition', () => {
    const covered = new Set(generated.flatMap((path) => path.takes));
    expect(allTransitionKeys().filter((key) => !covered.has(key))).toEqual([]);
  });

  for (const { script } of generated) {
    const name = script.map((report) => LABELS[REPORTS.indexOf(report)]).join(', ') || 'started';
    it(`runs as invoked, and resumes from its persisted snapshot after each step: ${name}`, async () => {
      const last = script.at(-1);
      const ends = last !== undefined && ((last.outcome.status !== 'success' && !last.dryRun) || last.index + 1 >= last.of);
      // Run the whole path in one actor…
      const whole = harness(script);
      const actor = createActor(whole.parent).start();
      await settle();
      expect(actor.getSnapshot().context.reported).toEqual(script.map((r) => r.index));
      expect(actor.getSnapshot().status).toBe(ends ? 'done' : 'active');
      expect(whole.runs.count).toBe(script.length + (ends ? 0 : 1));
      actor.stop();
      // …and again one step per actor: each time stopped, persisted as JSON and restored, the step that was in
      // flight runs again (exactly once) and the fix goes on from where it was.
      let persisted: Snapshot<unknown> | undefined;
      let reported: number[] = [];
      for (const report of script) {
        const part = harness([report]);
        const restored = createActor(part.parent, persisted ? { snapshot: persisted } : {}).start();
        await settle();
        expect(part.runs.count).toBe(report === last && ends ? 1 : 2);
        reported = restored.getSnapshot().context.reported;
        persisted = JSON.parse(JSON.stringify(restored.getPersistedSnapshot())) as Snapshot<unknown>;
        restored.stop();
      }
      expect(reported).toEqual(script.map((r) => r.index));
    });
  }
});
