import type { MessageTable } from '../message-table';

/** The proposal card of a rollback (it undoes a fix) and the escalation card after one ran: part of the cards' table. */
export const rollbackCardMessages = {
  'card.button.rollback': { en: 'Roll back', 'zh-CN': '回滚' },
  'card.outcome.mayRollBack': {
    en: 'Roll back undoes what the fix changed, where its plugins can (for a while after it ended).',
    'zh-CN': '「回滚」会撤销修复所做的改动（仅限插件支持撤销的步骤，且须在结束后不久）。',
  },
  'card.rollback.title': {
    en: '[{severity}] Roll back the fix: needs approval{dryRun, select, yes { (dry run)} other {}} · {incidentId}',
    'zh-CN': '[{severity}] 回滚修复待审批{dryRun, select, yes {（演练）} other {}} · {incidentId}',
  },
  'card.rollback.why': { en: 'Why roll back', 'zh-CN': '回滚原因' },
  'card.rollback.reason.notVerified': {
    en: 'The fix ran but did not verify.',
    'zh-CN': '修复已执行但未通过验证。',
  },
  'card.rollback.reason.failed': {
    en: 'A step of the fix failed after earlier steps had changed something.',
    'zh-CN': '修复的某个步骤失败，而之前的步骤已做出改动。',
  },
  'card.rollback.reason.byHand': {
    en: '{byWhom, select, yes {{who} asked to roll back the fix.} other {Someone asked to roll back the fix.}}',
    'zh-CN': '{byWhom, select, yes {{who} 请求回滚修复。} other {有人请求回滚修复。}}',
  },
  'card.rollback.fix': { en: 'The fix being undone', 'zh-CN': '要回滚的修复' },
  'card.rollback.steps': { en: 'What is undone, last step first', 'zh-CN': '撤销的步骤（从最后一步开始）' },
  'card.rollback.step': { en: '{n}. Undo: {step} ({plugin})', 'zh-CN': '{n}. 撤销：{step}（{plugin}）' },
  'card.rollback.notUndone': { en: 'What cannot be undone', 'zh-CN': '无法撤销的改动' },
  'card.rollback.noVerification': {
    en: 'Nothing checks the systems after a rollback: once it has run, the incident goes to people.',
    'zh-CN': '回滚后不会自动验证系统状态：回滚执行完毕后，事件将转交人工处理。',
  },
  'card.rollback.ofFix': {
    en: '{done, select, yes {**Rolled back**: {fix}.} other {**Rollback not completed**: {fix}.}} {reason}',
    'zh-CN': '{done, select, yes {**已回滚**：{fix}。} other {**回滚未完成**：{fix}。}}{reason}',
  },
  'card.rollback.undone': { en: 'What was undone', 'zh-CN': '已撤销的改动' },
  'card.rollback.untried': {
    en: 'Undo: {step} ({plugin}): not tried, an earlier undo failed',
    'zh-CN': '撤销：{step}（{plugin}）：未执行，之前的撤销步骤已失败',
  },
} as const satisfies MessageTable;
