import { describe, expect, it } from 'vitest';
import { executeCommand, helpText, parseCommand, problemText } from '../../src/chat/core/commands';
import type { Command } from '../../src/chat/core/commands';
import { incidentStatus } from '../../src/chat/core/commands/status-command';
import type { FixProposal, IncidentContext, IncidentEvent, IncidentEventType } from '../../src/domain';
import { ENGLISH_UTC, I18n } from '../../src/i18n';
import { accessFrom, parsePolicy } from '../../src/policy';
import type { CreateIncidentRequest, IncidentService, IncidentView, ReportedIncident } from '../../src/runtime/incident-service';
import { eventNotAccepted } from '../../src/runtime/incident-view';
import { workflowOf } from '../../machines/incident.view';
import { incidentContext } from '../support/incident-context';

const ID = 'INC-7K2M9Q4T';
const EN = ENGLISH_UTC.translator();
const ZH = new I18n('zh-CN', 'Asia/Shanghai').translator('zh-CN');
const MINUTE = 60_000;

const FIX: FixProposal = {
  summary: 'Add capacity and clear the cache',
  rationale: 'Saturated',
  riskClaim: 'medium',
  steps: [
    { pluginId: 'kubernetes.scale', args: {}, summary: 'Scale checkout to 6', undo: 'rollback' },
    { pluginId: 'redis.delete_keys', args: {}, summary: 'Drop the poisoned cache keys', undo: 'none' },
  ],
  verification: [{ pluginId: 'http.probe', args: {} }],
};
const RAN = { succeeded: true, steps: FIX.steps.map((s, i) => ({ pluginId: s.pluginId, idempotencyKey: `k${i}`, status: 'success' as const, summary: 'done', elapsedMs: 1, recovered: false })) };

/** A fix that ran and was escalated `endedAgo` ms ago (it did not verify, say). */
function afterFix(endedAgo: number, overrides: Partial<IncidentContext> = {}): IncidentContext {
  const at = new Date(Date.now() - endedAgo).toISOString();
  return incidentContext({ incidentId: ID, proposal: FIX, execution: RAN, escalation: { reason: 'Fix did not verify', at }, ...overrides });
}

function view(state: string, accepts: IncidentEventType[], context: IncidentContext, status: IncidentView['status'] = 'parked'): IncidentView {
  return {
    id: ID, state, status, version: 1, title: 'HTTP 503 on /pay', severity: 'high', service: 'checkout', fingerprint: 'fp', chatId: 'oc_ops',
    mergedInto: null, wakeAt: null, createdAt: new Date('2024-05-01T10:00:00Z'), updatedAt: new Date('2024-05-01T10:05:00Z'),
    context, accepts, workflow: workflowOf(state, context, { can: (event) => accepts.includes(event.type) }),
  };
}

/** Takes what the view accepts (the chart's guard is the view's `accepts` here), refuses the rest as the runtime does. */
class FakeService implements IncidentService {
  readonly sent: IncidentEvent[] = [];
  constructor(private current: IncidentView) {}
  create(_request: CreateIncidentRequest): Promise<ReportedIncident> {
    return Promise.reject(new Error('not used'));
  }
  send(incidentId: string, event: IncidentEvent): Promise<IncidentView> {
    if (!this.current.accepts.includes(event.type)) return Promise.reject(eventNotAccepted(incidentId, event.type, this.current.state));
    this.sent.push(event);
    this.current = view('open.awaitingProposalApproval', ['proposal.approved', 'proposal.rejected'], this.current.context, 'parked');
    return Promise.resolve(this.current);
  }
  get(): Promise<IncidentView | null> {
    return Promise.resolve(this.current);
  }
  listOpen(): Promise<IncidentView[]> {
    return Promise.resolve([]);
  }
}

const policy = parsePolicy({ roles: { operator: ['ops'], viewer: ['watcher'] } }, 'test');

function run(service: IncidentService, text: string, options: { tr?: typeof EN; sender?: string; withPolicy?: boolean } = {}): Promise<string> {
  const command = parseCommand(text);
  if (!command) throw new Error(`not a command: ${text}`);
  const access = options.withPolicy ? { access: accessFrom(() => policy) } : {};
  return executeCommand(command, { service, sender: { id: options.sender ?? 'ops', name: 'Operator' }, chatId: 'oc_ops', messageId: 'msg-1', tr: options.tr ?? EN, ...access });
}

describe('/rollback: parsing and help', () => {
  it.each<[string, Command]>([
    [`/rollback ${ID}`, { kind: 'rollback', incidentId: ID, reason: undefined }],
    [`/ROLLBACK ${ID}  made it   worse`, { kind: 'rollback', incidentId: ID, reason: 'made it worse' }],
  ])('parses %s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it('needs an incident id, and says how to write it', () => {
    const command = parseCommand('/rollback');
    expect(command?.kind === 'invalid' && problemText(EN, command.problem)).toBe(`/rollback needs an incident id: /rollback <id> [reason], e.g. /rollback ${ID}`);
  });

  it('is in /help, in both languages', () => {
    expect(helpText(EN)).toMatch(/\/rollback <id> \[reason\] +undo the last fix of an escalated or resolved incident/);
    expect(helpText(ZH)).toMatch(/\/rollback <事件ID> \[原因\] +回滚已升级或已解决事件的上一次修复/);
  });
});

describe('/rollback: sending it', () => {
  it('sends incident.rollback with who and why, and says what happens now', async () => {
    const service = new FakeService(view('escalated', ['incident.retry', 'incident.rollback'], afterFix(5 * MINUTE)));
    expect(await run(service, `/rollback ${ID} made it worse`)).toBe(`Rolling back the last fix of ${ID}. Now: Waiting for someone to approve the fix.`);
    expect(service.sent).toEqual([{ type: 'incident.rollback', reason: 'made it worse', by: { id: 'ops', name: 'Operator' }, source: { kind: 'command', messageId: 'msg-1' } }]);
  });

  it('a resolved incident is done, but takes /rollback under the policy (not "finished")', async () => {
    const resolved = afterFix(5 * MINUTE, { escalation: null, resolution: { by: { id: 'system' }, at: new Date().toISOString() } });
    const service = new FakeService(view('resolved', ['incident.rollback'], resolved, 'done'));
    expect(await run(service, `/rollback ${ID}`, { withPolicy: true })).toMatch(/^Rolling back the last fix/);
    expect(await run(new FakeService(view('resolved', ['incident.rollback'], resolved, 'done')), `/rollback ${ID}`, { withPolicy: true, sender: 'watcher' })).toMatch(
      /^Only people holding operator or admin may roll back a fix \(you hold viewer\)/,
    );
  });

  it('/status lists /rollback where the incident takes it', async () => {
    const service = new FakeService(view('escalated', ['incident.retry', 'incident.rollback'], afterFix(5 * MINUTE)));
    expect(await incidentStatus(service, ID, EN)).toContain('Accepts: /retry, /rollback');
  });

  it('/status names the fix a rollback undoes', async () => {
    const rollback = { reason: 'Fix did not verify', at: new Date().toISOString(), fix: FIX.summary, notUndone: [] };
    const service = new FakeService(view('escalated', ['incident.retry'], afterFix(MINUTE, { proposal: { ...FIX, kind: 'rollback' }, rollback })));
    expect(await incidentStatus(service, ID, EN)).toContain('Rollback of the fix: "Add capacity and clear the cache"');
    expect(await incidentStatus(service, ID, ZH)).toContain('回滚的修复：');
  });
});

describe('/rollback: why the chart refuses it', () => {
  it('an incident that is neither escalated nor resolved', async () => {
    const service = new FakeService(view('open.awaitingDiagnosisApproval', ['diagnosis.approved'], afterFix(0)));
    expect(await run(service, `/rollback ${ID}`)).toBe(`Only an escalated or resolved incident can be rolled back; ${ID} is not (Waiting for someone to confirm the diagnosis).`);
    expect(await run(service, `/rollback ${ID}`, { tr: ZH })).toBe(`只有已升级或已解决的事件才能回滚；${ID} 当前不是（等待确认诊断）。`);
  });

  it('a fix none of whose changes can be undone', async () => {
    const noUndo = afterFix(5 * MINUTE, { proposal: { ...FIX, steps: FIX.steps.map((s) => ({ ...s, undo: 'none' as const })) } });
    const service = new FakeService(view('escalated', ['incident.retry'], noUndo));
    expect(await run(service, `/rollback ${ID}`)).toMatch(new RegExp(`^Nothing of the last fix of ${ID} can be undone`));
  });

  it('a fix that was already rolled back', async () => {
    const rolledBack = afterFix(5 * MINUTE, { proposal: { ...FIX, kind: 'rollback' } });
    const service = new FakeService(view('escalated', ['incident.retry'], rolledBack));
    expect(await run(service, `/rollback ${ID}`)).toBe(`The last fix of ${ID} has already been rolled back; a rollback is not rolled back itself.`);
  });

  it('after ROLLBACK_WINDOW: when it ended and how long the window is, in both languages', async () => {
    const late = afterFix(3 * 60 * MINUTE, { timeouts: { ...incidentContext().timeouts, rollbackWindow: 90 * MINUTE } });
    const service = new FakeService(view('escalated', ['incident.retry'], late));
    expect(await run(service, `/rollback ${ID}`)).toBe(`Too late to roll back ${ID}: its last fix ended 3 hours ago, and a fix can be rolled back only within 1 h 30 min (ROLLBACK_WINDOW).`);
    expect(await run(service, `/rollback ${ID}`, { tr: ZH })).toBe(`${ID} 已无法回滚：上一次修复已于3小时前结束，而修复只能在结束后1 小时 30 分钟内回滚（ROLLBACK_WINDOW）。`);
  });
});
