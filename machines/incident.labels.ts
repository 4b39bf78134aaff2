/**
 * What the incident chart's phases and events are called, for people: English and 简体中文, plain words an
 * on-call engineer understands. Placeholders are ICU-style (`{who}`) so a message catalog can load these
 * as they are. A test fails when a state or event of the chart has no label here.
 */
import type { IncidentEventType } from '../src/domain';
import type { Decided, DecisionCard } from './incident.rules';
import type { IncidentPhase } from './incident.view';

export const LABEL_LANGUAGES = ['en', 'zh-CN'] as const;
export type LabelLanguage = (typeof LABEL_LANGUAGES)[number];
export type Label = Record<LabelLanguage, string>;

export const PHASE_LABELS: Record<IncidentPhase, Label> = {
  triaging: { en: 'Checking whether the alert is a new problem', 'zh-CN': '正在判断告警是否为新问题' },
  merging: { en: 'Adding the alert to the open incident it repeats', 'zh-CN': '正在将告警合并到已有事件' },
  waitingForSlot: { en: 'Waiting for a free diagnosis slot', 'zh-CN': '排队等待诊断' },
  diagnosing: { en: 'Looking for the root cause', 'zh-CN': '正在诊断根因' },
  postingDiagnosis: { en: 'Posting the diagnosis', 'zh-CN': '正在发送诊断结果' },
  awaitingDiagnosisApproval: { en: 'Waiting for someone to confirm the diagnosis', 'zh-CN': '等待确认诊断' },
  remindingDiagnosis: { en: 'Reminding the on-call to confirm the diagnosis', 'zh-CN': '正在提醒值班人员确认诊断' },
  proposing: { en: 'Working out a fix', 'zh-CN': '正在制定修复方案' },
  checkingPolicy: { en: 'Checking the fix against the policy', 'zh-CN': '正在按策略审核修复方案' },
  postingProposal: { en: 'Posting the proposed fix', 'zh-CN': '正在发送修复方案' },
  awaitingProposalApproval: { en: 'Waiting for someone to approve the fix', 'zh-CN': '等待批准修复方案' },
  remindingProposal: { en: 'Reminding the on-call to approve the fix', 'zh-CN': '正在提醒值班人员批准修复方案' },
  remediating: { en: 'Applying the fix', 'zh-CN': '正在执行修复' },
  verifying: { en: 'Checking that the fix worked', 'zh-CN': '正在验证修复效果' },
  resolving: { en: 'Announcing that it is resolved', 'zh-CN': '正在通知已解决' },
  resolved: { en: 'Resolved', 'zh-CN': '已解决' },
  escalating: { en: 'Handing it over to people', 'zh-CN': '正在转交人工处理' },
  escalated: { en: 'Handed over to people', 'zh-CN': '已转交人工处理' },
  escalatedRecovered: { en: 'Handed over to people; every alert has recovered since', 'zh-CN': '已转交人工处理，告警均已恢复' },
  recovering: { en: 'Every alert recovered; announcing it', 'zh-CN': '告警均已恢复，正在通知' },
  recovered: { en: 'Recovered by itself; watching for a relapse', 'zh-CN': '已自行恢复，观察是否复发' },
  ignored: { en: 'Dismissed', 'zh-CN': '已忽略' },
  merged: { en: 'Merged into another incident', 'zh-CN': '已合并到其他事件' },
  crashed: { en: 'Stopped by an internal error; needs a person', 'zh-CN': '因内部错误中止，需要人工处理' },
  unknown: { en: 'In a step this version does not know', 'zh-CN': '处于当前版本未知的步骤' },
};

/**
 * The chart's compound states, by state path: the groups of phases the console's statechart draws around
 * them. An incident is never in one of these alone (its phase is the leaf's), so they are not phases.
 */
export const STATE_GROUP_LABELS: Readonly<Record<string, Label>> = {
  open: { en: 'Triage, diagnosis and approval', 'zh-CN': '分诊、诊断与审批' },
  remediating: { en: 'Fixing and verifying', 'zh-CN': '修复与验证' },
};

/** What people call the card they decide on: the proposal is "the fix". */
export const CARD_LABELS: Record<DecisionCard, Label> = {
  diagnosis: { en: 'diagnosis', 'zh-CN': '诊断' },
  proposal: { en: 'fix', 'zh-CN': '修复方案' },
};

type PersonEventType = Decided['type'];

/** A person's decision: what happened (`done`, also the line on a decided card) and who did it (`by`). */
export const DECISION_LABELS: Record<PersonEventType, { done: Label; by: Label }> = {
  'diagnosis.approved': {
    done: { en: 'Diagnosis approved', 'zh-CN': '诊断已确认' },
    by: { en: 'Diagnosis approved by {who}', 'zh-CN': '{who} 确认了诊断' },
  },
  'diagnosis.rejected': {
    done: { en: 'Diagnosis rejected', 'zh-CN': '诊断被驳回' },
    by: { en: 'Diagnosis rejected by {who}', 'zh-CN': '{who} 驳回了诊断' },
  },
  'proposal.approved': {
    done: { en: 'Fix approved', 'zh-CN': '修复方案已批准' },
    by: { en: 'Fix approved by {who}', 'zh-CN': '{who} 批准了修复方案' },
  },
  'proposal.rejected': {
    done: { en: 'Fix rejected', 'zh-CN': '修复方案被驳回' },
    by: { en: 'Fix rejected by {who}', 'zh-CN': '{who} 驳回了修复方案' },
  },
  'incident.escalate': {
    done: { en: 'Escalated', 'zh-CN': '已转人工处理' },
    by: { en: 'Escalated by {who}', 'zh-CN': '{who} 转交人工处理' },
  },
  'incident.ignore': {
    done: { en: 'Ignored', 'zh-CN': '已忽略' },
    by: { en: 'Ignored by {who}', 'zh-CN': '{who} 忽略了此事件' },
  },
  'incident.retry': {
    done: { en: 'Retry requested', 'zh-CN': '已请求重试' },
    by: { en: 'Retry requested by {who}', 'zh-CN': '{who} 请求重试' },
  },
  'incident.resolve': {
    done: { en: 'Marked resolved', 'zh-CN': '已标记为解决' },
    by: { en: 'Marked resolved by {who}', 'zh-CN': '{who} 标记为已解决' },
  },
  'incident.rollback': {
    done: { en: 'Rollback requested', 'zh-CN': '已请求回滚' },
    by: { en: 'Rollback requested by {who}', 'zh-CN': '{who} 请求回滚修复' },
  },
};

/** Events the chart sends itself: a fix's step reports (machines/fix.machine.ts). The console words a step's row from its payload. */
const INTERNAL_EVENT_LABELS: Record<'fix.stepped', Label> = {
  'fix.stepped': { en: 'A step of the fix ran', 'zh-CN': '修复的一个步骤已运行' },
};

/** Events about the incident's alerts, and what the runtime records when it opens one. */
const ALERT_EVENT_LABELS: Record<Exclude<IncidentEventType, PersonEventType | keyof typeof INTERNAL_EVENT_LABELS> | 'alert.received' | 'xstate.init', Label> = {
  'alert.received': { en: 'Alert received', 'zh-CN': '收到告警' },
  'xstate.init': { en: 'Incident opened', 'zh-CN': '事件已创建' },
  'alert.repeated': { en: 'The same alert fired again', 'zh-CN': '同一告警再次触发' },
  'alert.joined': { en: 'More alerts of its group fired', 'zh-CN': '同组告警新增触发' },
  'alert.recovered': { en: 'Some of its alerts recovered', 'zh-CN': '部分告警已恢复' },
};

const TIMER_FAILED: Label = { en: 'A timer failed', 'zh-CN': '计时器出错' };

/** Invoked steps of the chart, by invoke id: the timeline shows `xstate.done.actor.<id>` / `xstate.error.actor.<id>` so. */
export const STEP_LABELS: Record<string, { done: Label; error: Label }> = {
  triage: { done: { en: 'Triage finished', 'zh-CN': '分诊完成' }, error: { en: 'Triage failed', 'zh-CN': '分诊失败' } },
  mergeIntoOriginal: {
    done: { en: 'Merged into the open incident', 'zh-CN': '已合并到进行中的事件' },
    error: { en: 'The original had closed; handled on its own', 'zh-CN': '原事件已关闭，单独处理' },
  },
  awaitDiagnosisSlot: {
    done: { en: 'A diagnosis slot came free', 'zh-CN': '轮到诊断' },
    error: { en: 'Diagnosis started without waiting for a slot', 'zh-CN': '未排队直接开始诊断' },
  },
  diagnose: { done: { en: 'Diagnosis finished', 'zh-CN': '诊断完成' }, error: { en: 'Diagnosis failed', 'zh-CN': '诊断失败' } },
  diagnosisStepTimer: { done: { en: 'Diagnosis timed out', 'zh-CN': '诊断超时' }, error: TIMER_FAILED },
  sendDiagnosisCard: {
    done: { en: 'Diagnosis card posted', 'zh-CN': '诊断卡片已发送' },
    error: { en: 'Could not post the diagnosis card', 'zh-CN': '诊断卡片发送失败' },
  },
  diagnosisApprovalTimer: { done: { en: 'Nobody confirmed the diagnosis in time', 'zh-CN': '无人按时确认诊断' }, error: TIMER_FAILED },
  diagnosisReminderTimer: { done: { en: 'Nobody has answered the diagnosis card yet', 'zh-CN': '诊断卡片尚无人处理' }, error: TIMER_FAILED },
  remindDiagnosis: {
    done: { en: 'Reminded the on-call about the diagnosis', 'zh-CN': '已提醒值班人员确认诊断' },
    error: { en: 'Could not remind anyone about the diagnosis', 'zh-CN': '诊断确认提醒发送失败' },
  },
  propose: { done: { en: 'Fix worked out', 'zh-CN': '修复方案已生成' }, error: { en: 'Could not work out a fix', 'zh-CN': '无法生成修复方案' } },
  proposalStepTimer: { done: { en: 'Working out a fix timed out', 'zh-CN': '生成修复方案超时' }, error: TIMER_FAILED },
  evaluatePolicy: { done: { en: 'Policy checked', 'zh-CN': '策略审核完成' }, error: { en: 'Policy check failed', 'zh-CN': '策略审核失败' } },
  sendProposalCard: {
    done: { en: 'Fix card posted', 'zh-CN': '修复方案卡片已发送' },
    error: { en: 'Could not post the fix card', 'zh-CN': '修复方案卡片发送失败' },
  },
  proposalApprovalTimer: { done: { en: 'Nobody approved the fix in time', 'zh-CN': '无人按时批准修复方案' }, error: TIMER_FAILED },
  proposalReminderTimer: { done: { en: 'Nobody has answered the fix card yet', 'zh-CN': '修复方案卡片尚无人处理' }, error: TIMER_FAILED },
  remindProposal: {
    done: { en: 'Reminded the on-call about the fix', 'zh-CN': '已提醒值班人员审批修复方案' },
    error: { en: 'Could not remind anyone about the fix', 'zh-CN': '修复方案审批提醒发送失败' },
  },
  fix: { done: { en: 'Fix ran', 'zh-CN': '修复已运行' }, error: { en: 'Running the fix crashed', 'zh-CN': '修复运行异常' } },
  // Before fixes ran as a child machine (machines/fix.machine.ts) they ran as `execute`: older audit rows say so.
  execute: { done: { en: 'Fix applied', 'zh-CN': '修复已执行' }, error: { en: 'Applying the fix crashed', 'zh-CN': '修复执行异常' } },
  executionStepTimer: { done: { en: 'Applying the fix timed out', 'zh-CN': '修复执行超时' }, error: TIMER_FAILED },
  verify: { done: { en: 'Verification finished', 'zh-CN': '验证完成' }, error: { en: 'Verification could not run', 'zh-CN': '验证无法执行' } },
  verificationStepTimer: { done: { en: 'Verification timed out', 'zh-CN': '验证超时' }, error: TIMER_FAILED },
  announceResolution: {
    done: { en: 'Resolution announced', 'zh-CN': '已通知解决' },
    error: { en: 'Could not announce the resolution', 'zh-CN': '解决通知发送失败' },
  },
  announceEscalation: {
    done: { en: 'Escalation announced', 'zh-CN': '已通知转人工处理' },
    error: { en: 'Could not announce the escalation', 'zh-CN': '转人工通知发送失败' },
  },
  recoveryQuietTimer: { done: { en: 'No alert fired again during the quiet period', 'zh-CN': '静默期内告警未再触发' }, error: TIMER_FAILED },
  announceRecovery: {
    done: { en: 'Recovery announced', 'zh-CN': '已通知恢复' },
    error: { en: 'Could not announce the recovery', 'zh-CN': '恢复通知发送失败' },
  },
  reopenWindowTimer: { done: { en: 'Stopped watching for a relapse', 'zh-CN': '复发观察期结束' }, error: TIMER_FAILED },
};

const UNKNOWN_EVENT: Label = { en: 'Something happened that this version does not know', 'zh-CN': '当前版本未知的事件' };
const STEP_EVENT = /^xstate\.(done|error)\.actor\.(.+)$/;

/** Is this (audit) event type a person's decision, with a decision label? */
export function isPersonEventType(type: string): type is PersonEventType {
  return Object.hasOwn(DECISION_LABELS, type);
}

/** The label of an event as the audit trail records it (`eventType`), internal `xstate.*` events included. */
export function eventLabel(type: string): Label {
  if (isPersonEventType(type)) return DECISION_LABELS[type].done;
  if (Object.hasOwn(ALERT_EVENT_LABELS, type)) return ALERT_EVENT_LABELS[type as keyof typeof ALERT_EVENT_LABELS];
  if (Object.hasOwn(INTERNAL_EVENT_LABELS, type)) return INTERNAL_EVENT_LABELS[type as keyof typeof INTERNAL_EVENT_LABELS];
  const step = STEP_EVENT.exec(type);
  const labels = step?.[2] !== undefined && Object.hasOwn(STEP_LABELS, step[2]) ? STEP_LABELS[step[2]] : undefined;
  if (!step || !labels) return UNKNOWN_EVENT;
  return step[1] === 'done' ? labels.done : labels.error;
}

/** Does `eventLabel` know this event type (rather than falling back)? For the coverage test. */
export function hasEventLabel(type: string): boolean {
  return eventLabel(type) !== UNKNOWN_EVENT;
}

/** Fills `{name}` placeholders; a catalog with ICU formatting replaces this when the i18n work lands. */
export function fillLabel(text: string, params: Record<string, string | number>): string {
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (Object.hasOwn(params, name) ? String(params[name]) : whole));
}
