import { describe, expect, it } from 'vitest';
import type { IncidentEventType, PolicyDecision } from '../../src/domain';
import { accessFrom, parsePolicy } from '../../src/policy';
import { workflowOf } from '../../machines/incident.view';
import type { IncidentView } from '../../src/runtime/incident-service';
import { incidentActions } from '../../src/server/console/incident-actions';
import { incidentContext } from '../support/incident-context';

const rules = parsePolicy({ roles: { admin: ['boss'], operator: ['ops'], viewer: ['watcher'] }, approvers: { high: ['admin'] } }, 'test');
const access = accessFrom(() => rules);

function view(state: string, accepts: IncidentEventType[], decision?: PolicyDecision): IncidentView {
  const context = { ...incidentContext(), ...(decision ? { decision } : {}) };
  return {
    id: 'INC-7K2M9Q4T', state, status: 'parked', version: 1, title: 't', severity: 'high', service: null, fingerprint: 'fp', chatId: 'web',
    mergedInto: null, wakeAt: null, createdAt: new Date(0), updatedAt: new Date(0),
    context, accepts, workflow: workflowOf(state, context, { can: (event) => accepts.includes(event.type) }),
  };
}
const byType = (actions: ReturnType<typeof incidentActions>) => Object.fromEntries(actions.map((a) => [a.type, a.refused?.en ?? null]));

describe('the incident page’s actions', () => {
  it('are what the chart accepts now, in the cards’ order, not the rest', () => {
    const actions = incidentActions(view('escalated', ['incident.ignore', 'incident.retry', 'incident.resolve']), access, 'boss');
    expect(actions.map((a) => [a.type, a.label.en])).toEqual([['incident.retry', 'Retry'], ['incident.resolve', 'Mark resolved'], ['incident.ignore', 'Dismiss']]);
    expect(incidentActions(view('resolved', []), access, 'boss')).toEqual([]);
  });

  it('are named in every language (the page shows its reader’s)', () => {
    const [retry] = incidentActions(view('escalated', ['incident.retry']), access, 'boss');
    expect(retry?.label).toEqual({ en: 'Retry', 'zh-CN': '重试' });
  });

  it('carry the policy’s verdict for the viewer, as a card click would get it', () => {
    const high: PolicyDecision = { action: 'require_approval', risk: 'high', reasons: [], approvalsRequired: 1, approvers: { roles: ['admin'], ids: ['boss'] } };
    const fix = view('open.awaitingProposalApproval', ['proposal.approved', 'proposal.rejected', 'incident.escalate'], high);
    expect(byType(incidentActions(fix, access, 'boss'))).toEqual({ 'proposal.approved': null, 'proposal.rejected': null, 'incident.escalate': null });
    const asOperator = byType(incidentActions(fix, access, 'ops'));
    expect(asOperator['proposal.approved']).toMatch(/may decide on a high-risk fix \(you hold operator\)/);
    expect(asOperator['incident.escalate']).toBeNull();
    expect(byType(incidentActions(view('open.awaitingDiagnosisApproval', ['diagnosis.approved']), access, 'watcher'))['diagnosis.approved']).toMatch(/you hold viewer/);
  });
});
