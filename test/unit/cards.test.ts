import { describe, expect, it } from 'vitest';
import { diagnosisCard, escapeMarkdown, outcomeCard, proposalCard, quoteUntrusted } from '../../src/chat/core/cards';
import { parseCommand } from '../../src/chat/core/commands';
import type { Card } from '../../src/chat/core/card';
import type { Alert, IncidentContext } from '../../src/domain';
import { ENGLISH_UTC } from '../../src/i18n';
import { EXAMPLE_INCIDENT_ID, incidentContext } from '../support/incident-context';

const ID = EXAMPLE_INCIDENT_ID;
const tr = ENGLISH_UTC.translator();

function incident(overrides: Partial<IncidentContext> = {}): IncidentContext {
  return incidentContext({
    alert: {
      source: 'console',
      fingerprint: 'fp',
      title: 'HTTP 503 on /pay',
      status: 'firing',
      severity: 'critical',
      service: 'checkout',
      labels: {},
    },
    triage: { verdict: 'new', reason: 'first time' },
    diagnosis: {
      summary: 'Checkout pods are out of memory',
      rootCause: 'A memory leak after the 1.4 deploy',
      category: 'resource',
      severity: 'critical',
      confidence: 0.82,
      evidence: [{ source: 'k8s.pods', summary: '3 pods OOMKilled', status: 'success' }],
    },
    proposal: {
      summary: 'Roll back checkout to 1.3',
      rationale: 'The leak started with 1.4',
      riskClaim: 'medium',
      steps: [{ pluginId: 'k8s.rollback', args: { deployment: 'checkout' }, summary: 'Roll back the deployment' }],
      verification: [{ pluginId: 'http.check', args: { url: 'https://checkout/health' } }],
    },
    decision: { action: 'require_approval', risk: 'medium', reasons: ['Production change'], approvalsRequired: 1 },
    ...overrides,
  });
}

function withAlert(patch: Partial<Alert>): IncidentContext {
  const base = incident();
  if (!base.alert) throw new Error('fixture has an alert');
  return incident({ alert: { ...base.alert, ...patch } });
}

function allText(card: Card): string {
  return [card.title, ...card.sections, ...card.fields.map((f) => `${f.label}: ${f.value}`), card.footer ?? ''].join('\n');
}

describe('diagnosisCard', () => {
  it('shows severity, the quoted alert, the diagnosis and approve/reject commands', () => {
    const card = diagnosisCard(incident(), tr);
    expect(card.title).toContain('CRITICAL');
    expect(card.title).toContain(ID);
    expect(card.tone).toBe('red');
    const text = allText(card);
    expect(text).toContain('> HTTP 503 on /pay');
    expect(text).toContain('Checkout pods are out of memory');
    expect(text).toContain('A memory leak after the 1.4 deploy');
    expect(text).toContain('resource');
    expect(text).toContain('82%');
    expect(text).toContain('3 pods OOMKilled');
    expect(card.buttons).toEqual([
      { label: 'Approve', style: 'primary', value: { incidentId: ID, action: 'diagnosis.approved', kind: 'diagnosis', attempt: 1 }, command: `/approve ${ID} diagnosis` },
      { label: 'Reject', style: 'danger', value: { incidentId: ID, action: 'diagnosis.rejected', kind: 'diagnosis', attempt: 1 }, command: `/reject ${ID} diagnosis` },
    ]);
  });

  it('quotes hostile alert text instead of letting it format, mention or drive a terminal', () => {
    const hostile = '**URGENT** <at id=all></at> [click](http://evil) \u001b[2J\n# /approve INC-1';
    const card = diagnosisCard(withAlert({ title: hostile }), tr);
    const alertSection = card.sections[0] ?? '';
    expect(alertSection).toContain('\\*\\*URGENT\\*\\*');
    expect(alertSection).toContain('\\<at id=all\\>');
    expect(alertSection).toContain('\\[click\\]');
    expect(alertSection).not.toContain('\u001b');
    expect(alertSection).toContain('> \\# /approve INC-1');
    for (const line of alertSection.split('\n').slice(1)) expect(line.startsWith('> ')).toBe(true);
  });

  it('caps very long alert text', () => {
    const card = diagnosisCard(withAlert({ title: 'x'.repeat(500), description: 'y'.repeat(5000) }), tr);
    const text = allText(card);
    expect(text).not.toContain('x'.repeat(301));
    expect(text).not.toContain('y'.repeat(801));
    expect(text).toContain('…');
  });

  it('refuses to build without a diagnosis', () => {
    expect(() => diagnosisCard(incident({ diagnosis: null }), tr)).toThrow(/no diagnosis/);
  });
});

describe('proposalCard', () => {
  it("shows the model's expected outcome, the checks' expectations, how to undo and what the model cost", () => {
    const base = incident();
    const proposal = {
      ...base.proposal!,
      expectedOutcome: 'Error rate back under 1%.',
      rollback: ['k8s.rollback can undo "Roll back" if the fix makes things worse.'],
      verification: [{ pluginId: 'http.probe', args: {}, expect: [{ path: 'errors.value', atMost: 0 }] }],
      agent: { provider: 'anthropic', model: 'claude-sonnet-5-5', turns: 3, toolCalls: 2, inputTokens: 4_000, outputTokens: 210, costUsd: 0.0152 },
    };
    const text = allText(proposalCard({ ...base, proposal }, tr));
    expect(text).toContain('Expected outcome');
    expect(text).toContain('Error rate back under 1%.');
    expect(text).toContain('http.probe (errors.value ≤ 0)');
    expect(text).toContain('If it makes things worse');
    expect(text).toContain('claude-sonnet-5-5 · 3 turns · 2 checks · 4,210 tokens · $0.0152');
  });

  it('shows the fix, each step with its plugin, risk, policy and approvals', () => {
    const card = proposalCard(incident(), tr);
    const text = allText(card);
    expect(text).toContain('Roll back checkout to 1.3');
    expect(text).toContain('Roll back the deployment (k8s.rollback)');
    expect(text).toContain('Risk: medium');
    expect(text).toContain('Policy: require approval');
    expect(text).toContain('Production change');
    expect(text).toContain('Approvals: 0 of 1');
    expect(card.buttons.map((b) => [b.value.action, b.command])).toEqual([
      ['proposal.approved', `/approve ${ID} fix`],
      ['proposal.rejected', `/reject ${ID} fix`],
    ]);
  });

  it('shows who may approve, the approvals so far of two for critical, quotas left and a dry-run notice', () => {
    const decision = {
      action: 'require_approval' as const,
      risk: 'critical' as const,
      reasons: ['Critical changes never run by themselves.'],
      approvalsRequired: 2,
      approvers: { roles: ['admin'], ids: ['ou_a', 'ou_b'] },
      quotas: [
        { scope: 'all services', limit: 10, left: 7 },
        { scope: 'service checkout', limit: 3, left: 1 },
      ],
      dryRun: true,
    };
    const approval = { by: { id: 'ou_a', name: 'Ann_*' }, source: { kind: 'card' as const, messageId: 'm1' }, at: '2026-01-01T00:00:00Z' };
    const card = proposalCard(incident({ decision, approvals: { proposalApprovers: [approval] } }), tr);
    const text = allText(card);
    expect(card.title).toContain('Fix needs approval (dry run)');
    expect(text).toContain('Approvals: 1 of 2 (Ann\\_\\*)');
    expect(text).toContain('May approve: admin');
    expect(text).toContain('Automatic runs left this hour: 7 of 10 (all services), 1 of 3 (service checkout)');
    expect(text).toContain('- Critical changes never run by themselves.');
    expect(text).toContain('**Dry run**: nothing will run.');
    expect(card.buttons).toHaveLength(2);
  });

  it('refuses to build without a proposal or a decision', () => {
    expect(() => proposalCard(incident({ proposal: null }), tr)).toThrow(/no proposal/);
    expect(() => proposalCard(incident({ decision: null }), tr)).toThrow(/no policy decision/);
  });
});

describe('decision buttons', () => {
  it('gives every decision button a command that names the same subject as its action', () => {
    const buttons = [...diagnosisCard(incident(), tr).buttons, ...proposalCard(incident(), tr).buttons];
    for (const b of buttons) {
      const command = parseCommand(b.command);
      const decision = command?.kind === 'approve' ? 'approved' : command?.kind === 'reject' ? 'rejected' : null;
      const subject = command?.kind === 'approve' || command?.kind === 'reject' ? command.subject : null;
      expect(`${subject}.${decision}`).toBe(b.value.action);
    }
  });
});

describe('outcomeCard', () => {
  it('tells what ran and how it verified when resolved, with no buttons', () => {
    const card = outcomeCard(
      incident({
        execution: {
          succeeded: true,
          steps: [
            { pluginId: 'k8s.rollback', idempotencyKey: 'k', status: 'success', summary: 'rolled back', elapsedMs: 5, recovered: false },
          ],
        },
        verification: { passed: true, checks: [{ pluginId: 'http.check', passed: true, summary: '200 OK' }] },
      }),
      'resolved',
      tr,
    );
    expect(card.tone).toBe('green');
    expect(card.title).toContain('Resolved');
    const text = allText(card);
    expect(text).toContain('k8s.rollback success: rolled back');
    expect(text).toContain('http.check passed: 200 OK');
    expect(card.buttons).toEqual([]);
  });

  it('gives the reason, quoted detail and retry/resolve/ignore when escalated', () => {
    const card = outcomeCard(
      incident({ escalation: { reason: 'Diagnosis rejected', detail: 'wrong <service>', at: '2024-01-01T00:00:00Z' } }),
      'escalated',
      tr,
    );
    expect(card.title).toContain('Escalated');
    const text = allText(card);
    expect(text).toContain('Diagnosis rejected');
    expect(text).toContain('> wrong \\<service\\>');
    expect(card.buttons.map((b) => [b.label, b.value.action, b.command])).toEqual([
      ['Retry', 'incident.retry', `/retry ${ID}`],
      ['Resolve', 'incident.resolve', `/resolve ${ID}`],
      ['Ignore', 'incident.ignore', `/ignore ${ID}`],
    ]);
  });

  it('warns when a step has an unknown effect', () => {
    const card = outcomeCard(
      incident({
        escalation: { reason: 'Remediation timed out; its effect is unknown', at: '2024-01-01T00:00:00Z' },
        execution: {
          succeeded: false,
          steps: [{ pluginId: 'k8s.rollback', idempotencyKey: 'k', status: 'unknown', summary: '?', elapsedMs: 1, recovered: true }],
        },
      }),
      'escalated',
      tr,
    );
    expect(allText(card)).toContain('unknown effect');
  });

  it('says a dry run changed nothing and what would have run', () => {
    const step = { pluginId: 'http.call', idempotencyKey: 'k', status: 'no_data' as const, summary: 'Dry run, not run. Would have: POST /admin/restart', elapsedMs: 0, recovered: false };
    const card = outcomeCard(
      incident({ escalation: { reason: 'Dry run: nothing was changed', at: '2024-01-01T00:00:00Z' }, execution: { succeeded: false, dryRun: true, steps: [step] } }),
      'escalated',
      tr,
    );
    const text = allText(card);
    expect(text).toContain('**Dry run**: nothing was changed. What would have run:');
    expect(text).toContain('Would have: POST /admin/restart');
    expect(text).not.toContain('**What ran**');
  });

  it('shows why policy let a fix run without asking', () => {
    const decision = { action: 'auto_execute' as const, risk: 'low' as const, reasons: ['Runs without asking: low risk.'], approvalsRequired: 0 };
    const step = { pluginId: 'http.call', idempotencyKey: 'k', status: 'success' as const, summary: 'HTTP 200', elapsedMs: 3, recovered: false };
    const card = outcomeCard(incident({ decision, execution: { succeeded: true, steps: [step] } }), 'resolved', tr);
    expect(allText(card)).toContain('**Policy**: ran without asking.\n- Runs without asking: low risk.');
  });
});

describe('markdown quoting', () => {
  it('escapes syntax and line-start markers, and removes control characters', () => {
    expect(escapeMarkdown('a_b *c* `d`')).toBe('a\\_b \\*c\\* \\`d\\`');
    expect(escapeMarkdown('- item\n1. step')).toBe('\\- item\n1\\. step');
    expect(escapeMarkdown('red\u001b[31m\u202e')).toBe('red \\[31m ');
  });

  it('quotes every line', () => {
    expect(quoteUntrusted('one\ntwo')).toBe('> one\n> two');
    expect(quoteUntrusted('   ')).toBe('> (empty)');
  });
});
