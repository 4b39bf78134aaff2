import type { MessageTable } from '../message-table';

/**
 * The post-incident summary card (what fired, what was found, who decided, what ran, the outcome, TTA and TTR).
 * Alert text and the model's prose come in as values, already escaped by the card builder.
 */
export const summaryMessages = {
  'summary.title': { en: '[{severity}] Incident summary · {incidentId}', 'zh-CN': '[{severity}] 事件复盘摘要 · {incidentId}' },
  'summary.fired': {
    en: '**What fired**: {title} ({n, plural, one {# alert} other {# alerts}}), first at {at, date, when}.',
    'zh-CN': '**告警**：{title}（{n, plural, other {# 条告警}}），首次触发于 {at, date, when}。',
  },
  'summary.firedOn': {
    en: '**What fired**: {title} on {service} ({n, plural, one {# alert} other {# alerts}}), first at {at, date, when}.',
    'zh-CN': '**告警**：{service} 的 {title}（{n, plural, other {# 条告警}}），首次触发于 {at, date, when}。',
  },
  'summary.found': { en: '**What was found**: {summary} Root cause: {rootCause}', 'zh-CN': '**诊断结论**：{summary} 根因：{rootCause}' },
  'summary.notFound': { en: '**What was found**: no diagnosis was made.', 'zh-CN': '**诊断结论**：未完成诊断。' },
  'summary.decisions': { en: 'Who decided', 'zh-CN': '人工决策' },
  'summary.decision': { en: '{at, date, when}: {what}', 'zh-CN': '{at, date, when}：{what}' },
  'summary.noDecisions': { en: '**Who decided**: nobody; the bot handled it on its own.', 'zh-CN': '**人工决策**：无，由机器人自动处理。' },
  'summary.nothingRan': { en: '**What ran**: nothing.', 'zh-CN': '**执行操作**：无。' },
  'summary.dryRun': { en: 'Dry run: nothing was changed.', 'zh-CN': '演练模式：未做任何变更。' },
  'summary.changed': {
    en: '{verified, select, yes {**What changed**: the checks passed after the fix.} other {**What changed**: the checks still failed after the fix.}}',
    'zh-CN': '{verified, select, yes {**变化**：修复后验证通过。} other {**变化**：修复后验证仍未通过。}}',
  },
  'summary.resolved': { en: '**Outcome**: resolved.', 'zh-CN': '**结果**：已解决。' },
  'summary.recovered': { en: '**Outcome**: the alerts recovered at source.', 'zh-CN': '**结果**：告警已在监控源恢复。' },
  'summary.escalated': { en: '**Outcome**: handed over to people. Why: {reason}', 'zh-CN': '**结果**：已转人工处理。原因：{reason}' },
  'summary.tta': { en: 'Time to acknowledge', 'zh-CN': '响应时长（TTA）' },
  'summary.ttr': { en: 'Time to resolve', 'zh-CN': '解决时长（TTR）' },
  'summary.times': { en: 'Time to acknowledge: {tta}. Time to resolve: {ttr}.', 'zh-CN': '响应时长：{tta}；解决时长：{ttr}。' },
  'summary.noAck': { en: 'nobody acted', 'zh-CN': '无人工操作' },
  'summary.notResolved': { en: 'not resolved', 'zh-CN': '未解决' },
  'summary.seconds': { en: '{n, plural, one {# second} other {# seconds}}', 'zh-CN': '{n} 秒' },
  'summary.minutes': { en: '{n, plural, one {# minute} other {# minutes}}', 'zh-CN': '{n} 分钟' },
  'summary.hours': { en: '{h} h {m} min', 'zh-CN': '{h} 小时 {m} 分钟' },
  'summary.byModel': {
    en: '_Written by the model from the audit trail (rows {rows}); checked against it._',
    'zh-CN': '_由模型根据审计记录（第 {rows} 行）撰写，已与记录核对。_',
  },
} as const satisfies MessageTable;
