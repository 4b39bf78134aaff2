import { describe, expect, it } from 'vitest';
import { consoleText } from '../../src/server/console/console-text';

interface Incident {
  state: string;
  proposal?: { kind?: string; steps: { pluginId: string }[] } | null;
  execution?: { steps: unknown[] } | null;
}
type FixProgress = { key: string; values: { n: number; of: number; plugin: string } } | null;
/** A module of the page: plain JS checked by web/tsconfig.json, without declarations for this compiler; typed here. */
const WEB_MODULE = '../../web/fix-progress.js';
const { fixProgress } = (await import(WEB_MODULE)) as { fixProgress: (incident: Incident) => FixProgress };

/** The note the incident page's statechart shows at `remediating.executing`: the step running now and its plugin. */
const plan = (kind: 'fix' | 'rollback' | undefined, ...pluginIds: string[]) => ({ ...(kind ? { kind } : {}), steps: pluginIds.map((pluginId) => ({ pluginId, summary: `${pluginId} step` })) });
const done = (n: number) => ({ succeeded: false, steps: Array.from({ length: n }, (_, i) => ({ pluginId: `done-${i}`, status: 'success', summary: 'ok' })) });

describe('the fix step the statechart notes', () => {
  it('is the step after those done, with its plugin, while the incident is in remediating.executing', () => {
    const proposal = plan('fix', 'kubernetes.scale', 'kubernetes.rollout-restart', 'http.call');
    expect(fixProgress({ state: 'remediating.executing', proposal, execution: null })).toEqual({ key: 'console.statechart.fixStep', values: { n: 1, of: 3, plugin: 'kubernetes.scale' } });
    expect(fixProgress({ state: 'remediating.executing', proposal, execution: done(1) })).toEqual({ key: 'console.statechart.fixStep', values: { n: 2, of: 3, plugin: 'kubernetes.rollout-restart' } });
    // A proposal from before rollbacks existed has no kind: a fix.
    expect(fixProgress({ state: 'remediating.executing', proposal: plan(undefined, 'http.call'), execution: undefined })?.key).toBe('console.statechart.fixStep');
  });

  it('says "Undoing" for a rollback', () => {
    const proposal = plan('rollback', 'kubernetes.scale', 'http.call');
    expect(fixProgress({ state: 'remediating.executing', proposal, execution: done(1) })).toEqual({ key: 'console.statechart.undoingStep', values: { n: 2, of: 2, plugin: 'http.call' } });
  });

  it('notes nothing once the fix is over, before it starts, or without a plan', () => {
    const proposal = plan('fix', 'kubernetes.scale', 'http.call');
    for (const state of ['remediating.verifying', 'escalating', 'resolved', 'open.awaitingProposalApproval', 'remediating']) expect(fixProgress({ state, proposal, execution: done(1) })).toBeNull();
    expect(fixProgress({ state: 'remediating.executing', proposal, execution: done(2) })).toBeNull();
    expect(fixProgress({ state: 'remediating.executing', proposal: null, execution: null })).toBeNull();
    expect(fixProgress({ state: 'remediating.executing' })).toBeNull();
  });

  it('reads in both languages from the catalog', () => {
    expect(consoleText('console.statechart.fixStep', { n: 2, of: 3, plugin: 'kubernetes.scale' })).toEqual({ en: 'Step 2 of 3: kubernetes.scale', 'zh-CN': '第 2/3 步：kubernetes.scale' });
    expect(consoleText('console.statechart.undoingStep', { n: 1, of: 2, plugin: 'kubernetes.scale' })).toEqual({ en: 'Undoing step 1 of 2: kubernetes.scale', 'zh-CN': '正在撤销第 1/2 步：kubernetes.scale' });
  });
});
