import { describe, expect, it } from 'vitest';
import { incidentMachine } from '../../machines/incident.machine';
import { outcomeCard, proposalCard } from '../../src/chat/core/cards';
import { summaryText } from '../../src/chat/core/cards/card-format';
import { rollbackReasonText } from '../../src/chat/core/cards/rollback-parts';
import type { FixProposal, IncidentContext, Rollback, StepOutcome } from '../../src/domain';
import { ENGLISH_UTC, I18n } from '../../src/i18n';
import { incidentContext } from '../support/incident-context';

const zh = new I18n('zh-CN', 'Asia/Shanghai').translator('zh-CN');
const en = ENGLISH_UTC.translator();
const AT = '2026-12-07T06:05:00Z';

/** The rollback `startRollback` makes of a fix of three steps: the two that can be undone, last first. */
const ROLLBACK: FixProposal = {
  kind: 'rollback',
  summary: 'Roll back: Add capacity and switch the flag',
  rationale: 'Fix did not verify: undo what the fix changed, last step first.',
  riskClaim: 'medium',
  steps: [
    { pluginId: 'http.call', args: {}, summary: 'Undo: Turn off new-checkout', undo: 'none', undoes: 'k2' },
    { pluginId: 'kubernetes.scale', args: {}, summary: 'Undo: Scale checkout to 6', undo: 'none', undoes: 'k0' },
  ],
  verification: [{ pluginId: 'http.probe', args: {} }],
};
const BY_HAND: Rollback = { reason: 'Rolled back by hand', by: { id: 'ou_1', name: 'Alice' }, at: AT, fix: 'Add capacity and switch the flag', notUndone: ['Drop the poisoned cache keys'] };

function incident(overrides: Partial<IncidentContext> = {}): IncidentContext {
  return incidentContext({
    alert: { source: 'prometheus', fingerprint: 'fp', title: 'Checkout errors', status: 'firing', severity: 'critical', service: 'checkout', labels: {} },
    proposal: ROLLBACK,
    rollback: BY_HAND,
    decision: { action: 'require_approval', risk: 'medium', reasons: [], approvalsRequired: 1 },
    ...overrides,
  });
}

const outcome = (pluginId: string, status: StepOutcome['status'], summary: string): StepOutcome => ({ pluginId, idempotencyKey: `x-${pluginId}`, status, summary, elapsedMs: 1, recovered: false });

describe('the proposal card of a rollback', () => {
  it('says it rolls back the fix, why, what it undoes last first and what it cannot; no verification, no undo notes', () => {
    const card = proposalCard(incident(), en);
    expect(card.title).toBe('[CRITICAL] Roll back the fix: needs approval · INC-7K2M9Q4T');
    expect(card.sections).toContain('**Why roll back**\nAlice asked to roll back the fix.');
    expect(card.sections).toContain('**The fix being undone**\nAdd capacity and switch the flag');
    expect(card.sections).toContain('**What is undone, last step first**\n1. Undo: Turn off new-checkout (http.call)\n2. Undo: Scale checkout to 6 (kubernetes.scale)');
    expect(card.sections).toContain('**What cannot be undone**\n- Drop the poisoned cache keys');
    expect(card.sections.at(-1)).toBe('Nothing checks the systems after a rollback: once it has run, the incident goes to people.');
    const text = card.sections.join('\n');
    expect(text).not.toMatch(/Verified by|cannot be fully undone|Proposed fix/);
    expect(card.buttons.map((b) => b.value.action)).toEqual(['proposal.approved', 'proposal.rejected']);
  });

  it('in Chinese, with the chart’s reasons in the catalog’s words', () => {
    const card = proposalCard(incident({ rollback: { ...BY_HAND, reason: 'Fix did not verify', by: undefined } }), zh);
    expect(card.title).toBe('[严重] 回滚修复待审批 · INC-7K2M9Q4T');
    expect(card.sections).toContain('**回滚原因**\n修复已执行但未通过验证。');
    expect(card.sections).toContain('**撤销的步骤（从最后一步开始）**\n1. 撤销：Turn off new-checkout（http.call）\n2. 撤销：Scale checkout to 6（kubernetes.scale）');
    expect(card.sections).toContain('**无法撤销的改动**\n- Drop the poisoned cache keys');
    expect(card.sections.join('\n')).not.toContain('验证方式');
  });

  it('shows what the fix’s checks found when it did not verify, before what is undone', () => {
    const failed = { passed: false, checks: [{ pluginId: 'http.probe', passed: false, summary: 'HTTP 503 (3 of 3 probes)' }] };
    const original = { proposal: { ...ROLLBACK, kind: 'fix' as const }, execution: null, verification: failed };
    const card = proposalCard(incident({ rollback: { ...BY_HAND, reason: 'Fix did not verify', original } }), en);
    const checks = card.sections.findIndex((section) => section.includes('HTTP 503 (3 of 3 probes)'));
    expect(checks).toBeGreaterThan(0);
    expect(card.sections[checks]).toContain('http.probe');
    expect(checks).toBeLessThan(card.sections.findIndex((section) => section.startsWith('**What is undone')));
    // A fix that verified (a rollback by hand of a resolved incident) shows no checks.
    const verified = { ...original, verification: { passed: true, checks: [{ ...failed.checks[0]!, passed: true }] } };
    expect(proposalCard(incident({ rollback: { ...BY_HAND, original: verified } }), en).sections.join('\n')).not.toContain('HTTP 503');
  });

  it('a fix (not a rollback) keeps its own card', () => {
    const fix = incident({ proposal: { ...ROLLBACK, kind: 'fix', summary: 'Scale up' }, rollback: null });
    expect(proposalCard(fix, en).title).toBe('[CRITICAL] Fix needs approval · INC-7K2M9Q4T');
  });

  it('every reason the chart rolls back for has its words in the catalog, in both languages', () => {
    const reasons = [...JSON.stringify(incidentMachine.config).matchAll(/"type":"startRollback","params":\{"reason":"([^"]+)"\}/g)].map((m) => m[1] ?? '');
    expect(new Set(reasons)).toEqual(new Set(['Remediation failed', 'Fix did not verify', 'Rolled back by hand']));
    for (const reason of reasons) {
      for (const tr of [en, zh]) expect(rollbackReasonText(tr, { ...BY_HAND, reason })).not.toBe(reason);
    }
    expect(rollbackReasonText(en, { ...BY_HAND, reason: 'Some *new* reason' })).toBe('Some \\*new\\* reason');
  });
});

describe('the escalation card after a rollback', () => {
  it('names what was undone and what was not (the fix’s own, a failed undo, one not tried)', () => {
    const ctx = incident({
      escalation: { reason: 'The rollback did not complete', at: AT },
      execution: { succeeded: false, steps: [outcome('http.call', 'error', 'HTTP 500')] },
      proposal: { ...ROLLBACK, steps: [...ROLLBACK.steps] },
    });
    const card = outcomeCard(ctx, 'escalated', en);
    expect(card.sections).toContain('**Why**\nThe rollback did not complete');
    expect(outcomeCard(ctx, 'escalated', zh).sections).toContain('**原因**\n回滚未能完成');
    expect(card.sections).toContain('**Rollback not completed**: Add capacity and switch the flag. Alice asked to roll back the fix.');
    expect(card.sections).not.toContain('**What was undone**');
    expect(card.sections).toContain(
      '**What cannot be undone**\n- Drop the poisoned cache keys\n- http.call error: HTTP 500\n- Undo: Scale checkout to 6 (kubernetes.scale): not tried, an earlier undo failed',
    );
  });

  it('after it ran: "Rolled back", and each undo that succeeded, in both languages', () => {
    const ctx = incident({
      escalation: { reason: 'Rolled back', at: AT },
      execution: { succeeded: true, steps: [outcome('http.call', 'success', 'flag on again'), outcome('kubernetes.scale', 'success', 'back to 3 replicas')] },
    });
    const card = outcomeCard(ctx, 'escalated', en);
    expect(card.sections).toContain('**Why**\nRolled back');
    expect(card.sections).toContain('**Rolled back**: Add capacity and switch the flag. Alice asked to roll back the fix.');
    expect(card.sections).toContain('**What was undone**\n- http.call success: flag on again\n- kubernetes.scale success: back to 3 replicas');
    expect(card.sections).toContain('**What cannot be undone**\n- Drop the poisoned cache keys');
    expect(card.sections.join('\n')).not.toContain('**What ran**');
    const chinese = outcomeCard(ctx, 'escalated', zh);
    expect(chinese.sections).toContain('**原因**\n已回滚修复');
    expect(chinese.sections).toContain('**已回滚**：Add capacity and switch the flag。Alice 请求回滚修复。');
    expect(chinese.sections).toContain('**已撤销的改动**\n- http.call 成功：flag on again\n- kubernetes.scale 成功：back to 3 replicas');
  });

  it('an escalated fix that can still be rolled back offers it (a button, a line); past ROLLBACK_WINDOW or after a rollback, not', () => {
    const fix: FixProposal = { ...ROLLBACK, kind: 'fix', steps: [{ pluginId: 'kubernetes.scale', args: {}, summary: 'Scale checkout to 6', undo: 'rollback' }] };
    const execution = { succeeded: true, steps: [outcome('kubernetes.scale', 'success', 'scaled to 6')] };
    const escalatedAgo = (ms: number) => incident({ proposal: fix, rollback: null, execution, escalation: { reason: 'Remediation timed out; its effect is unknown', at: new Date(Date.now() - ms).toISOString() } });
    const card = outcomeCard(escalatedAgo(60_000), 'escalated', en);
    expect(card.buttons.map((b) => [b.label, b.value.action, b.command])).toContainEqual(['Roll back', 'incident.rollback', '/rollback INC-7K2M9Q4T']);
    expect(card.sections.at(-1)).toBe('Roll back undoes what the fix changed, where its plugins can (for a while after it ended).');
    expect(outcomeCard(escalatedAgo(60_000), 'escalated', zh).buttons.map((b) => b.label)).toContain('回滚');
    expect(outcomeCard(escalatedAgo(2 * 3_600_000), 'escalated', en).buttons.map((b) => b.value.action)).not.toContain('incident.rollback');
    const afterRollback = incident({ execution, escalation: { reason: 'Rolled back', at: new Date().toISOString() } });
    expect(outcomeCard(afterRollback, 'escalated', en).buttons.map((b) => b.value.action)).toEqual(['incident.retry', 'incident.resolve', 'incident.ignore']);
  });

  it('a rollback step whose run to undo is not on record says so, from the catalog', () => {
    const note = { key: 'card.step.undoUnrecorded', values: { plugin: 'kubernetes.scale' } };
    expect(summaryText(en, { summary: 'raw', note }, 300)).toBe('kubernetes.scale undid nothing: the run to undo is not on record.');
    expect(summaryText(zh, { summary: 'raw', note }, 300)).toBe('kubernetes.scale 未撤销任何改动：找不到要撤销的那次执行记录。');
  });
});
