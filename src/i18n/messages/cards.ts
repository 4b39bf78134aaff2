import type { MessageTable } from '../message-table';
import { rollbackCardMessages } from './rollback-cards';

/**
 * What cards and click answers say. Alert text, model and plugin output, ids and names come in as values, already
 * escaped by the card builders; they are never part of a message. Headings are bold markdown the bot writes itself.
 */
export const cardsMessages = {
  // The rollback's cards, kept in a table of their own so this one stays readable.
  ...rollbackCardMessages,
  // Words the cards share.
  'card.severity.critical': { en: 'critical', 'zh-CN': '严重' },
  'card.severity.high': { en: 'high', 'zh-CN': '高' },
  'card.severity.medium': { en: 'medium', 'zh-CN': '中' },
  'card.severity.low': { en: 'low', 'zh-CN': '低' },
  'card.severity.info': { en: 'info', 'zh-CN': '提示' },
  'card.risk.read-only': { en: 'read-only', 'zh-CN': '只读' },
  'card.risk.low': { en: 'low', 'zh-CN': '低' },
  'card.risk.medium': { en: 'medium', 'zh-CN': '中' },
  'card.risk.high': { en: 'high', 'zh-CN': '高' },
  'card.risk.critical': { en: 'critical', 'zh-CN': '严重' },
  'card.button.approve': { en: 'Approve', 'zh-CN': '批准' },
  'card.button.reject': { en: 'Reject', 'zh-CN': '驳回' },
  'card.button.retry': { en: 'Retry', 'zh-CN': '重试' },
  'card.button.resolve': { en: 'Resolve', 'zh-CN': '标记已解决' },
  'card.button.ignore': { en: 'Ignore', 'zh-CN': '忽略' },
  'card.button.escalate': { en: 'Escalate', 'zh-CN': '转人工' },
  'card.button.dismiss': { en: 'Dismiss', 'zh-CN': '忽略' },
  'card.list.more': { en: '… and {more} more', 'zh-CN': '…… 另有 {more} 条' },
  'card.orType': { en: 'Or type: {commands}', 'zh-CN': '或输入命令：{commands}' },

  // The alert and the incident, on every incident card.
  'card.alert.heading': { en: '**Alert** ({source})', 'zh-CN': '**告警**（{source}）' },
  'card.alert.group': {
    en: '**{total, plural, one {# alert} other {# alerts}}** in this incident: {firing} firing{recovered, plural, =0 {} other {, # recovered}}',
    'zh-CN': '本事件共 **{total, plural, other {# 条告警}}**：{firing} 条仍在告警{recovered, plural, =0 {} other {，# 条已恢复}}',
  },
  'card.alert.affected': {
    en: 'Affected: {names}{more, plural, =0 {} other { and # more}}',
    'zh-CN': '受影响：{names}{more, plural, =0 {} other {，另有 # 个}}',
  },
  'card.field.incident': { en: 'Incident', 'zh-CN': '事件' },
  'card.field.severity': { en: 'Severity', 'zh-CN': '级别' },
  'card.field.service': { en: 'Service', 'zh-CN': '服务' },
  'card.field.alertStatus': { en: 'Alert status', 'zh-CN': '告警状态' },
  'card.field.severityReassessed': { en: '{severity} (alert said {alertSeverity})', 'zh-CN': '{severity}（告警原为 {alertSeverity}）' },
  'card.field.resolvedAtSource': { en: 'resolved at source', 'zh-CN': '已在源头恢复' },
  'card.footer.incident': { en: 'Incident {incidentId}', 'zh-CN': '事件 {incidentId}' },
  'card.footer.attempt': { en: 'attempt {attempt}', 'zh-CN': '第 {attempt} 次尝试' },
  'card.footer.fired': { en: 'fired {times} times', 'zh-CN': '已触发 {times} 次' },
  'card.footer.reopened': {
    en: 'reopened {flaps, plural, one {# time} other {# times}} after recovering',
    'zh-CN': '恢复后又重新打开 {flaps, plural, other {# 次}}',
  },
  'card.footer.flapping': { en: 'flapping: no longer resolves by itself', 'zh-CN': '反复抖动：不再自动恢复' },
  'card.agentRun': {
    en: '{model} · {turns, plural, one {# turn} other {# turns}} · {checks, plural, one {# check} other {# checks}} · {tokens, number} tokens{cost}',
    'zh-CN': '{model} · {turns, plural, other {# 轮}} · {checks, plural, other {# 项检查}} · {tokens, number} tokens{cost}',
  },

  // The diagnosis card.
  'card.diagnosis.title': { en: '[{severity}] Diagnosis ready · {incidentId}', 'zh-CN': '[{severity}] 诊断完成 · {incidentId}' },
  'card.diagnosis.summary': { en: 'Summary', 'zh-CN': '摘要' },
  'card.diagnosis.rootCause': { en: 'Root cause', 'zh-CN': '根因' },
  'card.diagnosis.evidence': { en: 'Evidence', 'zh-CN': '证据' },
  'card.diagnosis.toolReported': { en: 'Tool reported: {summary}', 'zh-CN': '工具返回：{summary}' },
  'card.diagnosis.confidenceNote': { en: '**Confidence {percent}**: {note}', 'zh-CN': '**置信度 {percent}**：{note}' },
  'card.diagnosis.question': {
    en: 'Is this diagnosis right? Approve to let me propose a fix; reject to hand it to people.',
    'zh-CN': '这个诊断是否正确？批准后我会给出修复方案；驳回则转交人工处理。',
  },
  'card.diagnosis.category': { en: 'Category', 'zh-CN': '类别' },
  'card.diagnosis.confidence': { en: 'Confidence', 'zh-CN': '置信度' },
  'card.diagnosis.affectedService': { en: 'Affected service', 'zh-CN': '受影响服务' },
  'card.diagnosis.model': { en: 'Model', 'zh-CN': '模型' },
  // Similar past incidents memory recalled for the diagnosis (its "Seen before" section).
  'card.seenBefore.heading': { en: 'Seen before', 'zh-CN': '历史相似事件' },
  'card.seenBefore.recent': {
    en: '{count, plural, =0 {Not seen in the last {days} days.} one {This happened once in the last {days} days.} other {This happened # times in the last {days} days.}}',
    'zh-CN': '{count, plural, =0 {过去 {days} 天内未发生过。} other {过去 {days} 天内发生过 # 次。}}',
  },
  'card.seenBefore.recentFixed': {
    en: '{count, plural, one {This happened once in the last {days} days} other {This happened # times in the last {days} days}}; {fix} fixed it {fixed, plural, one {once} =2 {twice} other {# times}}.',
    'zh-CN': '过去 {days} 天内发生过 {count, plural, other {# 次}}，其中 {fixed, plural, other {# 次}}由 {fix} 修复。',
  },
  'card.seenBefore.incident': { en: '{incidentId} · {when} · {similarity} similar', 'zh-CN': '{incidentId} · {when} · 相似度 {similarity}' },
  'card.seenBefore.incidentUndated': { en: '{incidentId} · {similarity} similar', 'zh-CN': '{incidentId} · 相似度 {similarity}' },
  'card.seenBefore.cause': { en: 'Cause: {cause}', 'zh-CN': '原因：{cause}' },
  'card.seenBefore.fixVerified': { en: 'Fix: {fix} ✓ verified', 'zh-CN': '修复：{fix} ✓ 已验证' },
  'card.seenBefore.fixUnverified': { en: 'Fix: {fix} ✗ did not verify', 'zh-CN': '修复：{fix} ✗ 未通过验证' },
  'card.seenBefore.noFix': { en: 'No fix ran', 'zh-CN': '未执行修复' },
  'card.evidence.success': { en: 'success', 'zh-CN': '成功' },
  'card.evidence.error': { en: 'error', 'zh-CN': '出错' },
  'card.evidence.no_data': { en: 'no data', 'zh-CN': '无数据' },

  // A diagnosis that could check nothing.
  'card.unchecked.title': {
    en: '[{severity}] Diagnosis ready: nothing could be checked · {incidentId}',
    'zh-CN': '[{severity}] 诊断完成：没有可检查的对象 · {incidentId}',
  },
  'card.unchecked.why': { en: 'Why', 'zh-CN': '原因' },
  'card.unchecked.howToCheck': {
    en: '**What would make it checkable**\n- an entry for {service} in the `TARGETS_FILE` (its health URL, database or cluster), so its checks can run;\n- or a runbook in `runbooks/` whose match fits this alert.\nThen type `/retry {incidentId}` once it is escalated, or send the alert again.',
    'zh-CN': '**怎样才能检查**\n- 在 `TARGETS_FILE` 中为 {service} 添加条目（健康检查 URL、数据库或集群），以便运行检查；\n- 或在 `runbooks/` 中添加匹配此告警的 runbook。\n之后在事件转人工后输入 `/retry {incidentId}`，或重新发送告警。',
  },
  'card.unchecked.unknownService': { en: 'the service this alert is about', 'zh-CN': '此告警涉及的服务' },
  'card.unchecked.nothingToApprove': {
    en: 'Nothing here needs approving. Escalate it to people, or dismiss it if it is noise.',
    'zh-CN': '这里没有需要审批的内容。可以转交人工处理；如果是噪音，直接忽略即可。',
  },

  // The proposal card.
  'card.proposal.title': {
    en: '[{severity}] Fix needs approval{dryRun, select, yes { (dry run)} other {}} · {incidentId}',
    'zh-CN': '[{severity}] 修复方案待审批{dryRun, select, yes {（演练）} other {}} · {incidentId}',
  },
  'card.proposal.fix': { en: 'Proposed fix', 'zh-CN': '修复方案' },
  'card.proposal.dryRunFailed': { en: 'Dry run failed: {error}', 'zh-CN': '预演失败：{error}' },
  'card.proposal.steps': { en: 'Steps', 'zh-CN': '步骤' },
  'card.proposal.plan': { en: 'Plan: {plan}', 'zh-CN': '执行计划：{plan}' },
  'card.proposal.verifiedBy': { en: 'Verified by', 'zh-CN': '验证方式' },
  'card.proposal.expectedOutcome': { en: 'Expected outcome', 'zh-CN': '预期效果' },
  'card.proposal.rollback': { en: 'If it makes things worse', 'zh-CN': '如果情况变糟' },
  'card.proposal.undo.rollback': { en: 'can be undone', 'zh-CN': '可回滚' },
  'card.proposal.undo.none': { en: 'cannot be undone', 'zh-CN': '不可回滚' },
  'card.proposal.stepRef': { en: 'step {n} ({plugin})', 'zh-CN': '第 {n} 步（{plugin}）' },
  'card.proposal.notFullyUndoable': { en: '**This fix cannot be fully undone:** {steps}', 'zh-CN': '**此修复无法完全回滚：**{steps}' },
  'card.proposal.why': { en: 'Why', 'zh-CN': '理由' },
  'card.proposal.policy': { en: 'Policy', 'zh-CN': '策略' },
  'card.proposal.dryRun': {
    en: '**Dry run**: nothing will run. Approving shows what would have run.',
    'zh-CN': '**演练模式**：不会真正执行任何操作。批准后会列出本应执行的内容。',
  },
  'card.proposal.risk': { en: 'Risk', 'zh-CN': '风险' },
  'card.proposal.approvals': { en: 'Approvals', 'zh-CN': '审批' },
  'card.proposal.approvalsCount': { en: '{given} of {needed}', 'zh-CN': '{given}/{needed}' },
  'card.proposal.approvalsBy': { en: '{given} of {needed} ({names})', 'zh-CN': '{given}/{needed}（{names}）' },
  'card.proposal.mayApprove': { en: 'May approve', 'zh-CN': '可审批角色' },
  'card.proposal.nobody': { en: 'nobody', 'zh-CN': '无' },
  'card.proposal.runsLeft': { en: 'Automatic runs left this hour', 'zh-CN': '本小时剩余自动执行次数' },
  'card.proposal.quotaLeft': { en: '{left} of {limit} ({scope})', 'zh-CN': '{left}/{limit}（{scope}）' },
  'card.policyAction.auto_execute': { en: 'auto execute', 'zh-CN': '自动执行' },
  'card.policyAction.require_approval': { en: 'require approval', 'zh-CN': '需要审批' },
  'card.policyAction.escalate': { en: 'escalate', 'zh-CN': '转人工' },

  // The outcome cards.
  'card.outcome.resolvedTitle': { en: '[{severity}] Resolved · {incidentId}', 'zh-CN': '[{severity}] 已解决 · {incidentId}' },
  'card.outcome.escalatedTitle': { en: '[{severity}] Escalated · {incidentId}', 'zh-CN': '[{severity}] 已转人工 · {incidentId}' },
  'card.outcome.recoveredTitle': { en: '[{severity}] Recovered at source · {incidentId}', 'zh-CN': '[{severity}] 已在源头恢复 · {incidentId}' },
  'card.outcome.whatRan': { en: 'What ran', 'zh-CN': '已执行' },
  'card.outcome.step': {
    en: '{plugin} {status}{recovered, select, yes {, recovered after restart} other {}}: {summary}',
    'zh-CN': '{plugin} {status}{recovered, select, yes {（重启后恢复）} other {}}：{summary}',
  },
  'card.outcome.ranWithoutAsking': { en: '**Policy**: ran without asking.', 'zh-CN': '**策略**：未经审批，已自动执行。' },
  'card.outcome.verification': { en: 'Verification', 'zh-CN': '验证' },
  'card.outcome.check': {
    en: '{plugin} {passed, select, yes {passed} other {failed}}: {summary}',
    'zh-CN': '{plugin} {passed, select, yes {通过} other {未通过}}：{summary}',
  },
  'card.outcome.closedBy': { en: 'Closed by {who}.', 'zh-CN': '由 {who} 关闭。' },
  'card.outcome.resolved': { en: 'Resolved.', 'zh-CN': '已解决。' },
  'card.outcome.why': { en: 'Why', 'zh-CN': '原因' },
  'card.outcome.escalatedBy': { en: 'Escalated by {who}.', 'zh-CN': '由 {who} 转交人工处理。' },
  'card.outcome.dryRun': {
    en: '**Dry run**: nothing was changed. What would have run:',
    'zh-CN': '**演练模式**：没有做任何变更。本应执行的操作：',
  },
  'card.outcome.unknownEffect': {
    en: 'Some steps have an unknown effect: check the systems before retrying.',
    'zh-CN': '部分步骤的效果未知：重试前请先检查相关系统。',
  },
  'card.outcome.whatNext': {
    en: '**What next**\nRetry runs the diagnosis again; Resolve once people have fixed it; Ignore if it needs nothing.',
    'zh-CN': '**下一步**\n「重试」会重新诊断；人工修复后点「标记已解决」；不需要处理则点「忽略」。',
  },
  'card.outcome.recoveredAfterChange': {
    en: 'Every alert of this incident recovered at source.',
    'zh-CN': '本事件的所有告警均已在源头恢复。',
  },
  'card.outcome.recoveredUntouched': {
    en: 'Every alert of this incident recovered at source before anything was changed: nobody needs to act.',
    'zh-CN': '本事件的所有告警在做任何变更之前就已在源头恢复，无需处理。',
  },
  'card.outcome.wasEscalated': {
    en: 'It had been escalated ({reason}) and stayed quiet since.',
    'zh-CN': '此前已转人工（{reason}），之后未再告警。',
  },
  'card.outcome.reopensOnRepeat': {
    en: 'If one of its alerts fires again soon, this incident reopens instead of a new one.',
    'zh-CN': '如果其中的告警短时间内再次触发，会重新打开本事件，而不是新建事件。',
  },
  'card.step.success': { en: 'success', 'zh-CN': '成功' },
  'card.step.error': { en: 'error', 'zh-CN': '失败' },
  'card.step.no_data': { en: 'no data', 'zh-CN': '无数据' },
  'card.step.unknown': { en: 'unknown', 'zh-CN': '结果未知' },

  // Why an incident was escalated: the chart's reasons (machines/incident.machine.ts, recordEscalation).
  'card.escalation.default': { en: 'Escalated', 'zh-CN': '已转人工' },
  'card.escalation.byHand': { en: 'Escalated by hand', 'zh-CN': '手动转人工' },
  'card.escalation.triageFailed': { en: 'Triage failed', 'zh-CN': '分诊失败' },
  'card.escalation.diagnosisUnavailable': { en: 'Diagnosis unavailable', 'zh-CN': '无法诊断' },
  'card.escalation.diagnosisTimedOut': { en: 'Diagnosis timed out', 'zh-CN': '诊断超时' },
  'card.escalation.diagnosisCardFailed': { en: 'Could not post the diagnosis card', 'zh-CN': '诊断卡片发送失败' },
  'card.escalation.diagnosisUnconfirmed': { en: 'Nobody confirmed the diagnosis in time', 'zh-CN': '诊断在期限内无人确认' },
  'card.escalation.diagnosisRejected': { en: 'Diagnosis rejected', 'zh-CN': '诊断被驳回' },
  'card.escalation.noFixKnown': { en: 'No automatic fix is known', 'zh-CN': '没有已知的自动修复方案' },
  'card.escalation.proposeFailed': { en: 'Could not propose a fix', 'zh-CN': '无法给出修复方案' },
  'card.escalation.proposeTimedOut': { en: 'Proposing a fix timed out', 'zh-CN': '生成修复方案超时' },
  'card.escalation.policyForbids': { en: 'Policy does not allow this fix', 'zh-CN': '策略不允许执行此修复' },
  'card.escalation.policyFailed': { en: 'Policy evaluation failed', 'zh-CN': '策略评估失败' },
  'card.escalation.proposalCardFailed': { en: 'Could not post the proposal card', 'zh-CN': '修复方案卡片发送失败' },
  'card.escalation.proposalUnapproved': { en: 'Nobody approved the fix in time', 'zh-CN': '修复方案在期限内无人审批' },
  'card.escalation.fixRejected': { en: 'Fix rejected', 'zh-CN': '修复方案被驳回' },
  'card.escalation.dryRun': { en: 'Dry run: nothing was changed', 'zh-CN': '演练模式：没有做任何变更' },
  'card.escalation.remediationFailed': { en: 'Remediation failed', 'zh-CN': '修复执行失败' },
  'card.escalation.remediationCrashed': { en: 'Remediation crashed', 'zh-CN': '修复执行异常中断' },
  'card.escalation.remediationTimedOut': { en: 'Remediation timed out; its effect is unknown', 'zh-CN': '修复执行超时，效果未知' },
  'card.escalation.notVerified': { en: 'Fix did not verify', 'zh-CN': '修复未通过验证' },
  'card.escalation.verificationFailed': { en: 'Verification failed to run', 'zh-CN': '验证无法运行' },
  'card.escalation.verificationTimedOut': { en: 'Verification timed out', 'zh-CN': '验证超时' },
  'card.escalation.rolledBack': { en: 'Rolled back', 'zh-CN': '已回滚修复' },
  'card.escalation.rollbackIncomplete': { en: 'The rollback did not complete', 'zh-CN': '回滚未能完成' },

  // The card once decided.
  'card.decided': { en: '**{verb}** by {by} at {at, date, when}', 'zh-CN': '**{verb}** · {by} · {at, date, when}' },
  'card.decided.recovered': { en: 'Recovered at source', 'zh-CN': '已在源头恢复' },
  'card.decided.monitoring': { en: 'monitoring', 'zh-CN': '监控' },

  // The storm card.
  'card.storm.title': {
    en: 'Alert storm · {total, plural, one {# incident} other {# incidents}}, {open} open',
    'zh-CN': '告警风暴 · {total, plural, other {# 个事件}}，{open} 个未结束',
  },
  'card.storm.overTitle': {
    en: 'Alert storm over · {total, plural, one {# incident} other {# incidents}}',
    'zh-CN': '告警风暴已结束 · {total, plural, other {# 个事件}}',
  },
  'card.storm.going': {
    en: "Many incidents are opening in this chat at once. Their cards are posted in this card''s thread instead of one message each; this card lists them and is kept up to date.",
    'zh-CN': '本群同时出现大量事件。它们的卡片改为发在本卡片的话题里，不再逐条单独发送；本卡片汇总列出并持续更新。',
  },
  'card.storm.over': {
    en: 'No new incident for {minutes} min: the storm is over, and new incidents post on their own again. The cards of its incidents stay in this thread.',
    'zh-CN': '已有 {minutes} 分钟没有新事件：告警风暴已结束，新事件恢复单独发送。风暴期间各事件的卡片保留在本话题中。',
  },
  'card.storm.more': { en: '… and {more} more (`/incidents` lists them all)', 'zh-CN': '…… 另有 {more} 个（`/incidents` 可查看全部）' },
  'card.storm.working': { en: 'working', 'zh-CN': '处理中' },
  'card.storm.waiting': { en: 'waiting for people', 'zh-CN': '等待人工' },
  'card.storm.ended': { en: 'ended', 'zh-CN': '已结束' },
  'card.storm.incidents': { en: 'Incidents', 'zh-CN': '事件' },
  'card.storm.standings': {
    en: '{total}: {working} working, {waiting} waiting for people, {ended} ended',
    'zh-CN': '{total} 个：{working} 个处理中，{waiting} 个等待人工，{ended} 个已结束',
  },
  'card.storm.bySeverity': { en: 'By severity', 'zh-CN': '按级别' },
  'card.storm.started': { en: 'Started', 'zh-CN': '开始于' },
  'card.storm.endedAt': { en: 'Ended', 'zh-CN': '结束于' },
  'card.storm.footer': { en: 'Storm {stormId}', 'zh-CN': '风暴 {stormId}' },

  // Click answers (toasts).
  'card.click.unknownButton': {
    en: 'This button is not one I know. Use /status to see what the incident accepts.',
    'zh-CN': '无法识别这个按钮。请用 /status 查看事件当前可以做什么。',
  },
  'card.click.noIncident': { en: 'No incident {incidentId}.', 'zh-CN': '没有事件 {incidentId}。' },
  'card.click.olderAttempt': {
    en: 'This card was made for attempt {attempt} of {incidentId}, which is on attempt {current} now; use the newest card.',
    'zh-CN': '这张卡片属于 {incidentId} 的第 {attempt} 次尝试，事件现在已是第 {current} 次尝试；请使用最新的卡片。',
  },
  'card.click.replaced': {
    en: 'This card is out of date: a newer {card} card was posted for {incidentId}.',
    'zh-CN': '这张卡片已过期：{incidentId} 已发出新的{card}卡片。',
  },
  'card.click.alreadyApproved': {
    en: 'The {card} of {incidentId} was already approved by {by}.',
    'zh-CN': '{incidentId} 的{card}已由 {by} 批准。',
  },
  'card.click.closed': {
    en: '{incidentId} is closed ({state}); this button no longer applies.',
    'zh-CN': '{incidentId} 已关闭（{state}），此按钮已失效。',
  },
  'card.click.movedOn': {
    en: '{incidentId} has moved on (now: {state}); this button no longer applies.',
    'zh-CN': '{incidentId} 已进入其他阶段（当前：{state}），此按钮已失效。',
  },
  'card.click.notAccepted': { en: 'Not accepted: {reason}', 'zh-CN': '未被接受：{reason}' },
  'card.click.busy': {
    en: 'Incident {incidentId} is being worked on by another instance; try again in a moment.',
    'zh-CN': '事件 {incidentId} 正由另一个实例处理，请稍后再试。',
  },
  'card.click.received': {
    en: 'Received. {incidentId} is busy with a step; the card will update when your click is applied.',
    'zh-CN': '已收到。{incidentId} 正在执行某个步骤，操作生效后卡片会自动更新。',
  },
  'card.click.applied': { en: '{done}. {incidentId} now: {state}.', 'zh-CN': '{done}。{incidentId} 当前：{state}。' },
  'card.click.approvalCounted': {
    en: 'Approval counted: {given} of {needed}. {incidentId} waits for another approver.',
    'zh-CN': '已记录审批：{given}/{needed}。{incidentId} 还需要另一位审批人。',
  },

  // Cards as terminal text.
  'card.terminal.replyWith': { en: 'Reply with:', 'zh-CN': '回复以下命令：' },
  'card.terminal.type': { en: 'type: {command}', 'zh-CN': '输入：{command}' },
  'card.terminal.message': { en: 'message {messageId}', 'zh-CN': '消息 {messageId}' },
  'card.step.notRemediation': { en: '{plugin} is not a remediation plugin.', 'zh-CN': '{plugin} 不是修复插件。' },
  'card.step.undoUnrecorded': {
    en: '{plugin} undid nothing: the run to undo is not on record.',
    'zh-CN': '{plugin} 未撤销任何改动：找不到要撤销的那次执行记录。',
  },
  'card.step.interruptedApplied': { en: 'Interrupted by a restart; the effect was confirmed, so it was not repeated.', 'zh-CN': '执行被重启打断；已确认生效，未重复执行。' },
  'card.step.interruptedUnsafe': {
    en: 'Interrupted by a restart; the effect is not visible and the step is not safe to repeat.',
    'zh-CN': '执行被重启打断；未见生效，且此步骤不可安全重复执行。',
  },
  'card.step.interruptedUnknown': { en: 'Interrupted by a restart; whether it took effect could not be established.', 'zh-CN': '执行被重启打断；无法确认是否已生效。' },
  'card.check.recoveredAtSource': {
    en: '{n, plural, one {The alert of the incident recovered} other {Every alert of the incident (#) recovered}} at source.',
    'zh-CN': '事件的{n, plural, other {全部 # 条告警}}均已在监控源恢复。',
  },
  'card.check.unknownPlugin': { en: 'Not a known diagnostic plugin.', 'zh-CN': '不是已知的诊断插件。' },
} as const satisfies MessageTable;
