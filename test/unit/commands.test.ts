import { describe, expect, it } from 'vitest';
import { executeCommand, helpText, parseCommand, problemText } from '../../src/chat/core/commands';
import type { Command, CommandContext } from '../../src/chat/core/commands';
import type { IncidentContext, IncidentEvent, IncidentEventType, PolicyDecision } from '../../src/domain';
import { accessFrom, parsePolicy } from '../../src/policy';
import { InvalidInputError, UnknownIncidentError } from '../../src/domain/errors';
import type { CreateIncidentRequest, IncidentService, IncidentView, ReportedIncident } from '../../src/runtime/incident-service';
import { eventNotAccepted } from '../../src/runtime/incident-view';
import { workflowOf } from '../../machines/incident.view';
import { incidentContext } from '../support/incident-context';
import { ENGLISH_UTC, I18n } from '../../src/i18n';
import { incidentStatus } from '../../src/chat/core/commands/status-command';

const ID = 'INC-7K2M9Q4T';
const EN = ENGLISH_UTC.translator();
const HELP_TEXT = helpText(EN);
/** What an invalid command tells its sender, in English. */
const problemOf = (command: Command | null): string => (command?.kind === 'invalid' ? problemText(EN, command.problem) : '');
const OPERATOR = { id: 'ops', name: 'Operator' };

/** Where each parked state moves on an accepted event; enough of the chart for commands. */
const NEXT_STATE: Partial<Record<IncidentEventType, string>> = {
  'diagnosis.approved': 'open.proposing',
  'diagnosis.rejected': 'escalating',
  'proposal.approved': 'remediating.executing',
  'proposal.rejected': 'escalating',
  'incident.escalate': 'escalating',
  'incident.ignore': 'ignored',
  'incident.retry': 'open.diagnosing',
  'incident.resolve': 'resolving',
};

const context = (): IncidentContext => incidentContext({ incidentId: ID });

function view(state: string, accepts: IncidentEventType[], overrides: Partial<IncidentView> = {}): IncidentView {
  const ctx = overrides.context ?? context();
  return {
    id: ID,
    state,
    status: 'parked',
    version: 1,
    title: 'HTTP 503 on /pay',
    severity: 'high',
    service: 'checkout',
    fingerprint: 'fp',
    chatId: 'oc_ops',
    mergedInto: null,
    wakeAt: null,
    createdAt: new Date('2024-05-01T10:00:00Z'),
    updatedAt: new Date('2024-05-01T10:05:00Z'),
    context: ctx,
    accepts,
    workflow: workflowOf(state, ctx, { can: (event) => accepts.includes(event.type) }),
    ...overrides,
  };
}

/** An in-memory IncidentService: refuses events its state does not accept, like the real one, and records what it got. */
class FakeIncidentService implements IncidentService {
  /** Every event sent, accepted or not. */
  readonly attempts: { incidentId: string; event: IncidentEvent }[] = [];
  /** The events the incident accepted. */
  readonly sent: { incidentId: string; event: IncidentEvent }[] = [];
  reads = 0;
  readonly incidents = new Map<string, IncidentView>();
  failNextSendWith: Error | null = null;

  constructor(...views: IncidentView[]) {
    for (const v of views) this.incidents.set(v.id, v);
  }

  create(_request: CreateIncidentRequest): Promise<ReportedIncident> {
    return Promise.reject(new Error('not used'));
  }

  send(incidentId: string, event: IncidentEvent): Promise<IncidentView> {
    const failure = this.failNextSendWith;
    this.failNextSendWith = null;
    this.attempts.push({ incidentId, event });
    if (failure) return Promise.reject(failure);
    const current = this.incidents.get(incidentId);
    if (!current) return Promise.reject(new UnknownIncidentError(incidentId));
    if (!current.accepts.includes(event.type)) {
      return Promise.reject(eventNotAccepted(incidentId, event.type, current.state));
    }
    this.sent.push({ incidentId, event });
    const next = view(NEXT_STATE[event.type] ?? current.state, [], { status: 'active', version: current.version + 1 });
    this.incidents.set(incidentId, next);
    return Promise.resolve(next);
  }

  get(incidentId: string): Promise<IncidentView | null> {
    this.reads += 1;
    return Promise.resolve(this.incidents.get(incidentId) ?? null);
  }

  listOpen(limit = 50): Promise<IncidentView[]> {
    return Promise.resolve([...this.incidents.values()].filter((v) => v.status !== 'done').slice(0, limit));
  }
}

const PLUGINS = [{ id: 'http.probe', category: 'diagnostic', risk: 'read-only', description: 'Probe a health check.\nMore text.' }];

function run(service: IncidentService, text: string): Promise<string> {
  const command = parseCommand(text);
  if (!command) throw new Error(`not a command: ${text}`);
  const ctx: CommandContext = { service, sender: OPERATOR, chatId: 'oc_ops', messageId: 'msg-1', plugins: () => PLUGINS, tr: ENGLISH_UTC.translator() };
  return executeCommand(command, ctx);
}

const awaitingDiagnosis = () =>
  view('open.awaitingDiagnosisApproval', ['diagnosis.approved', 'diagnosis.rejected', 'incident.escalate', 'incident.ignore']);
const awaitingProposal = () =>
  view('open.awaitingProposalApproval', ['proposal.approved', 'proposal.rejected', 'incident.escalate', 'incident.ignore']);
const escalated = () =>
  view('escalated', ['incident.retry', 'incident.resolve', 'incident.ignore'], {
    context: { ...context(), escalation: { reason: 'Diagnosis rejected', detail: 'wrong service', at: '2024-05-01T10:06:00Z' } },
  });

describe('parseCommand', () => {
  it('returns null for text that is not a command', () => {
    expect(parseCommand('[critical] checkout down')).toBeNull();
    expect(parseCommand('')).toBeNull();
  });

  it.each<[string, Command]>([
    ['/help', { kind: 'help' }],
    ['  /INCIDENTS ', { kind: 'incidents' }],
    [`/status ${ID}`, { kind: 'status', incidentId: ID }],
    [`/approve ${ID} diagnosis`, { kind: 'approve', incidentId: ID, subject: 'diagnosis', comment: undefined }],
    [`/approve ${ID} Diagnosis looks right`, { kind: 'approve', incidentId: ID, subject: 'diagnosis', comment: 'looks right' }],
    [`/approve ${ID} FIX`, { kind: 'approve', incidentId: ID, subject: 'proposal', comment: undefined }],
    [`/approve ${ID} proposal go`, { kind: 'approve', incidentId: ID, subject: 'proposal', comment: 'go' }],
    [`/reject ${ID} diagnosis  wrong   service`, { kind: 'reject', incidentId: ID, subject: 'diagnosis', reason: 'wrong service' }],
    [`/reject ${ID} fix too risky`, { kind: 'reject', incidentId: ID, subject: 'proposal', reason: 'too risky' }],
    [`/escalate ${ID} need db team`, { kind: 'escalate', incidentId: ID, reason: 'need db team' }],
    [`/ignore ${ID} test alert`, { kind: 'ignore', incidentId: ID, reason: 'test alert' }],
    [`/retry ${ID}`, { kind: 'retry', incidentId: ID }],
    [`/resolve ${ID} restarted by hand`, { kind: 'resolve', incidentId: ID, note: 'restarted by hand' }],
  ])('parses %s', (text, expected) => {
    expect(parseCommand(text)).toEqual(expected);
  });

  it.each([
    ['/frobnicate', /Unknown command \/frobnicate/],
    ['/', /command name/],
    ['/approve', /needs an incident id: \/approve <id> diagnosis\|fix \[comment\], e\.g\. \/approve INC-7K2M9Q4T diagnosis/],
    ['/status <script>', /does not look like an incident id/],
    [`/retry ${ID} now please`, /takes only an incident id/],
    ['/help me', /takes no arguments/],
    [`/approve ${ID} fix ${'x'.repeat(1001)}`, /comment is too long/],
  ])('explains what is wrong with %s', (text, message) => {
    const command = parseCommand(text);
    expect(command?.kind).toBe('invalid');
    expect(problemOf(command)).toMatch(message);
  });

  it.each([
    [`/approve ${ID}`, 'approve'],
    [`/approve ${ID} looks right`, 'approve'],
    [`/reject ${ID} constructor`, 'reject'],
    [`/reject ${ID} diagnosisfix`, 'reject'],
  ])('asks %s to name the diagnosis or the fix', (text, name) => {
    expect(parseCommand(text)?.kind).toBe('invalid');
    expect(problemOf(parseCommand(text))).toBe(`Say what you ${name}: /${name} ${ID} diagnosis or /${name} ${ID} fix`);
  });
});

describe('executeCommand', () => {
  it('answers /help with the command list, and invalid commands with their message', async () => {
    const service = new FakeIncidentService();
    expect(await run(service, '/help')).toBe(HELP_TEXT);
    expect(HELP_TEXT).toContain('/approve <id> diagnosis|fix [comment]');
    expect(HELP_TEXT).toContain('/reject <id> diagnosis|fix [reason]');
    expect(await run(service, '/nope')).toMatch(/Unknown command/);
  });

  it('/approve … diagnosis approves the diagnosis', async () => {
    const service = new FakeIncidentService(awaitingDiagnosis());
    const reply = await run(service, `/approve ${ID} diagnosis right call`);
    expect(service.sent).toEqual([
      {
        incidentId: ID,
        event: {
          type: 'diagnosis.approved',
          comment: 'right call',
          by: OPERATOR,
          source: { kind: 'command', messageId: 'msg-1' },
        },
      },
    ]);
    expect(reply).toBe(`Approved the diagnosis of ${ID}. Now: Working out a fix.`);
  });

  it('/approve … fix and /reject … fix decide the proposal', async () => {
    const approving = new FakeIncidentService(awaitingProposal());
    expect(await run(approving, `/approve ${ID} fix`)).toBe(`Approved the fix of ${ID}. Now: Applying the fix.`);
    expect(approving.sent[0]?.event.type).toBe('proposal.approved');

    const rejecting = new FakeIncidentService(awaitingProposal());
    const reply = await run(rejecting, `/reject ${ID} fix too risky`);
    expect(rejecting.sent[0]?.event).toMatchObject({ type: 'proposal.rejected', reason: 'too risky' });
    expect(reply).toBe(`Rejected the fix of ${ID}. Now: Handing it over to people.`);
  });

  it('a late /approve … diagnosis cannot approve the fix that replaced it', async () => {
    const service = new FakeIncidentService(awaitingDiagnosis());
    await run(service, `/approve ${ID} diagnosis`);
    service.incidents.set(ID, awaitingProposal());

    const reply = await run(service, `/approve ${ID} diagnosis`);
    expect(service.attempts.map((a) => a.event.type)).toEqual(['diagnosis.approved', 'diagnosis.approved']);
    expect(service.sent.map((s) => s.event.type)).toEqual(['diagnosis.approved']);
    expect(service.incidents.get(ID)?.state).toBe('open.awaitingProposalApproval');
    expect(reply).toBe(
      `Incident ${ID} cannot take "Diagnosis approved" now. Where it stands: Waiting for someone to approve the fix. Type /status ${ID} to see what it accepts.`,
    );
  });

  it('sends the named decision without reading the state first, and lets the service refuse it', async () => {
    const service = new FakeIncidentService(view('open.diagnosing', ['incident.escalate', 'incident.ignore'], { status: 'active' }));
    expect(await run(service, `/reject ${ID} fix`)).toMatch(/cannot take "Fix rejected" now\. Where it stands: Looking for the root cause\./);
    expect(service.attempts.map((a) => a.event.type)).toEqual(['proposal.rejected']);
    expect(service.sent).toEqual([]);
    expect(service.reads).toBe(0);
  });

  it.each([
    ['/retry', 'incident.retry', 'Retrying'],
    ['/resolve', 'incident.resolve', 'Resolved'],
    ['/ignore', 'incident.ignore', 'Ignored'],
  ])('%s sends %s with who and where', async (command, type, verb) => {
    const service = new FakeIncidentService(escalated());
    const reply = await run(service, `${command} ${ID}`);
    expect(service.sent[0]?.event).toMatchObject({ type, by: OPERATOR, source: { kind: 'command', messageId: 'msg-1' } });
    expect(reply).toMatch(new RegExp(`^${verb} ${ID}\\. Now: `));
  });

  it('a decision typed in one chat about an incident of another says where the incident lives', async () => {
    const service = new FakeIncidentService(awaitingDiagnosis());
    const fromTerminal = (text: string) => {
      const command = parseCommand(text);
      if (!command) throw new Error(`not a command: ${text}`);
      return executeCommand(command, { service, sender: OPERATOR, chatId: 'console', messageId: 'msg-3', tr: ENGLISH_UTC.translator() });
    };
    const webIncident = (v: IncidentView): IncidentView => ({ ...v, chatId: 'web' });
    service.send = ((send) => async (id: string, event: IncidentEvent) => webIncident(await send(id, event)))(service.send.bind(service));
    expect(await fromTerminal(`/approve ${ID} diagnosis`)).toBe(
      `Approved the diagnosis of ${ID}. Now: Working out a fix. ${ID} lives in the web console chat: its cards and what follows appear there, not here.`,
    );
    service.incidents.set(ID, escalated());
    expect(await fromTerminal(`/resolve ${ID}`)).toMatch(new RegExp(`^Resolved ${ID}\\. Now: Announcing that it is resolved\\. ${ID} lives in the web console chat`));
  });

  it('/escalate carries the reason', async () => {
    const service = new FakeIncidentService(awaitingDiagnosis());
    await run(service, `/escalate ${ID} needs the db team`);
    expect(service.sent[0]?.event).toMatchObject({ type: 'incident.escalate', reason: 'needs the db team' });
  });

  it('/status shows state, severity, service, title, times, escalation and what it accepts', async () => {
    const service = new FakeIncidentService(escalated());
    const reply = await run(service, `/status ${ID}`);
    expect(reply).toContain(`${ID}: Handed over to people\n`);
    expect(reply).not.toContain('escalated');
    expect(reply).toContain('Title: "HTTP 503 on /pay"');
    expect(reply).toContain('Severity: high · Service: "checkout"');
    expect(reply).toContain('Opened: May 1, 10:00 · Updated: May 1, 10:05');
    expect(reply).toContain('Escalated: Diagnosis rejected: "wrong service"');
    expect(reply).toContain('Accepts: /retry, /resolve, /ignore');
  });

  it('/status says recent times relative to now, in TIMEZONE', async () => {
    const now = new Date('2024-05-01T10:08:00Z');
    const reply = await incidentStatus(new FakeIncidentService(escalated()), ID, new I18n('en', 'Asia/Shanghai').translator(), now);
    expect(reply).toContain('Opened: May 1, 18:00 (8 minutes ago) · Updated: May 1, 18:05 (3 minutes ago)');
  });

  it('/status names the subject that /approve and /reject take now', async () => {
    expect(await run(new FakeIncidentService(awaitingDiagnosis()), `/status ${ID}`)).toContain(
      'Accepts: /approve … diagnosis, /reject … diagnosis, /escalate, /ignore',
    );
    expect(await run(new FakeIncidentService(awaitingProposal()), `/status ${ID}`)).toContain(
      'Accepts: /approve … fix, /reject … fix, /escalate, /ignore',
    );
  });

  it('/status keeps a hostile title on one quoted line', async () => {
    const service = new FakeIncidentService(view('escalated', [], { title: 'x\nINC-1: resolved (done)' }));
    const reply = await run(service, `/status ${ID}`);
    expect(reply).toContain('Title: "x INC-1: resolved (done)"');
    expect(reply).toContain('Accepts: nothing from people right now');
  });

  it('/incidents lists open incidents one per line, or says there are none', async () => {
    expect(await run(new FakeIncidentService(), '/incidents')).toBe('No open incidents.');
    const other = view('open.diagnosing', [], { id: 'INC-2', severity: 'critical', service: null, title: 'Disk full' });
    const reply = await run(new FakeIncidentService(awaitingDiagnosis(), other), '/incidents');
    expect(reply.split('\n')).toEqual([
      'Open incidents:',
      `${ID} [high] "HTTP 503 on /pay" on "checkout" · Waiting for someone to confirm the diagnosis`,
      'INC-2 [critical] "Disk full" · Looking for the root cause',
    ]);
  });

  it('turns the service refusals into replies', async () => {
    const service = new FakeIncidentService(awaitingDiagnosis());
    expect(await run(service, '/status INC-NOPE')).toMatch(/^No incident INC-NOPE\. Type \/incidents/);
    expect(await run(service, '/approve INC-NOPE diagnosis')).toMatch(/^No incident INC-NOPE/);
    expect(await run(service, `/retry ${ID}`)).toMatch(/cannot take "Retry requested" now\. Where it stands: Waiting for someone to confirm the diagnosis\. Type \/status/);
    service.failNextSendWith = new InvalidInputError('comment too long');
    expect(await run(service, `/ignore ${ID}`)).toBe('Not accepted: comment too long');
  });

  it('lets other errors propagate', async () => {
    const service = new FakeIncidentService(awaitingDiagnosis());
    service.failNextSendWith = new Error('database down');
    await expect(run(service, `/approve ${ID} diagnosis`)).rejects.toThrow('database down');
  });
});

describe('in Chinese', () => {
  const zh = new I18n('zh-CN', 'Asia/Shanghai').translator();
  const runZh = (service: IncidentService, text: string) => {
    const command = parseCommand(text);
    if (!command) throw new Error(`not a command: ${text}`);
    return executeCommand(command, { service, sender: OPERATOR, chatId: 'oc_ops', messageId: 'msg-1', tr: zh });
  };

  it('/help lists every command with what it does in Chinese; the command names stay as typed', () => {
    const help = helpText(zh);
    expect(help.split('\n')[0]).toBe('可用命令：');
    expect(help).toMatch(/\/approve <事件ID> diagnosis\|fix \[备注\] +确认诊断或批准修复方案/);
    expect(help).toMatch(/\/lang \[zh\|en\|default\] +查看本群使用的语言/);
  });

  it('answers decisions, /status and refusals in Chinese, with the phase labels', async () => {
    expect(await runZh(new FakeIncidentService(awaitingDiagnosis()), `/approve ${ID} diagnosis`)).toBe(`已确认 ${ID} 的诊断。当前：正在制定修复方案。`);
    const status = await incidentStatus(new FakeIncidentService(escalated()), ID, zh, new Date('2024-05-01T10:08:00Z'));
    expect(status).toContain('创建于：5月1日 18:00（8分钟前）');
    expect(status).toMatch(/已升级：.*驳回.*："wrong service"/);
    expect(await runZh(new FakeIncidentService(), '/status INC-NOPE')).toBe('没有事件 INC-NOPE。输入 /incidents 查看未关闭的事件。');
    expect(await runZh(new FakeIncidentService(), '/frobnicate')).toMatch(/^未知命令 \/frobnicate。/);
  });
});

describe('/diag, /plugins and /status without an id', () => {
  it('parses /diag with its text and refuses it without', () => {
    expect(parseCommand('/diag [high] checkout returns 503 service=checkout')).toEqual({
      kind: 'diag',
      text: '[high] checkout returns 503 service=checkout',
    });
    const empty = parseCommand('/diag');
    expect(problemOf(empty)).toMatch(/Say what is wrong/);
    expect(parseCommand('/status')).toEqual({ kind: 'incidents' });
    expect(parseCommand('/plugins extra')).toMatchObject({ kind: 'invalid' });
  });

  it('/plugins lists what is installed, one line each', async () => {
    const service = new FakeIncidentService(awaitingDiagnosis());
    expect(await run(service, '/plugins')).toBe('Plugins:\nhttp.probe [diagnostic, read-only] Probe a health check.');
  });
});

describe('typed decisions under the policy roles (the check card clicks get too)', () => {
  const rules = parsePolicy({ roles: { admin: ['boss'], operator: ['ops'], viewer: ['watcher'] }, approvers: { high: ['admin'] } }, 'test');
  const access = accessFrom(() => rules);
  const highFix = (): IncidentView => {
    const decision: PolicyDecision = { action: 'require_approval', risk: 'high', reasons: [], approvalsRequired: 1, approvers: { roles: ['admin'], ids: ['boss'] } };
    return { ...awaitingProposal(), context: { ...context(), decision } };
  };
  function runAs(service: IncidentService, sender: string, text: string): Promise<string> {
    const command = parseCommand(text);
    if (!command) throw new Error(`not a command: ${text}`);
    return executeCommand(command, { service, sender: { id: sender }, chatId: 'oc_ops', messageId: 'msg-2', access, tr: ENGLISH_UTC.translator() });
  }

  it.each<[string, string, () => IncidentView, string, RegExp | string]>([
    ['a viewer may not approve a diagnosis', 'watcher', awaitingDiagnosis, `/approve ${ID} diagnosis`, /^Only people holding operator or admin may decide on a diagnosis \(you hold viewer\)/],
    ['nor dismiss an incident', 'watcher', awaitingDiagnosis, `/ignore ${ID}`, /may dismiss an incident/],
    ['an operator may not approve a high-risk fix', 'ops', highFix, `/approve ${ID} fix`, /may decide on a high-risk fix \(you hold operator\)/],
    ['nor reject one', 'ops', highFix, `/reject ${ID} fix`, /may decide on a high-risk fix/],
    ['an admin may approve it', 'boss', highFix, `/approve ${ID} fix`, `Approved the fix of ${ID}. Now: Applying the fix.`],
  ])('%s', async (_name, sender, state, text, expected) => {
    const service = new FakeIncidentService(state());
    const reply = await runAs(service, sender, text);
    if (typeof expected === 'string') expect(reply).toBe(expected);
    else {
      expect(reply).toMatch(expected);
      expect(service.attempts).toEqual([]);
    }
  });

  it('anyone may escalate, and an unknown incident is answered as such', async () => {
    const service = new FakeIncidentService(awaitingDiagnosis());
    expect(await runAs(service, 'stranger', `/escalate ${ID}`)).toBe(`Escalated ${ID}. Now: Handing it over to people.`);
    expect(await runAs(service, 'boss', '/approve INC-NOPE fix')).toMatch(/^No incident INC-NOPE/);
  });

  it('a decision on a finished incident says it is finished, not what the policy would ask', async () => {
    const decision: PolicyDecision = { action: 'require_approval', risk: 'high', reasons: [], approvalsRequired: 2, approvers: { roles: ['admin'], ids: ['boss'] } };
    const approvals = { proposalApprovers: [{ by: { id: 'boss' }, source: { kind: 'command' as const }, at: 'now' }] };
    const resolved = view('resolved', [], { status: 'done', context: { ...context(), decision, approvals } });
    const service = new FakeIncidentService(resolved);
    for (const text of [`/approve ${ID} fix`, `/reject ${ID} diagnosis`, `/escalate ${ID}`]) {
      expect(await runAs(service, 'boss', text)).toBe(`${ID} is finished (Resolved); there is nothing left to decide. Type /status ${ID} for its outcome.`);
    }
    expect(service.attempts).toEqual([]);
  });

  it('says when a fix still waits for another approver', async () => {
    const decision: PolicyDecision = { action: 'require_approval', risk: 'critical', reasons: [], approvalsRequired: 2, approvers: { roles: ['operator', 'admin'], ids: ['boss', 'ops'] } };
    const waiting = { ...awaitingProposal(), context: { ...context(), decision } };
    const service: IncidentService = {
      ...new FakeIncidentService(waiting),
      get: () => Promise.resolve(waiting),
      send: (_id, event) =>
        Promise.resolve({ ...waiting, context: { ...waiting.context, approvals: { proposalApprovers: [{ by: (event as { by: { id: string } }).by, source: { kind: 'command' }, at: 'now' }] } } }),
      create: () => Promise.reject(new Error('not used')),
      listOpen: () => Promise.resolve([]),
    };
    expect(await runAs(service, 'boss', `/approve ${ID} fix`)).toBe(`Approval counted for the fix of ${ID}: 1 of 2. It waits for another approver.`);
  });
});
