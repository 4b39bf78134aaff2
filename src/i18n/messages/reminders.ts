import type { MessageTable } from '../message-table';

/**
 * Reminders of a decision card nobody answered (REMIND_AFTER, then each ESCALATION_CHAIN level). Ids and commands
 * come in as values; alert text never does (the reminder points at the card, which shows it quoted).
 */
export const remindersMessages = {
  'reminder.title': { en: '[{severity}] Reminder · {incidentId}', 'zh-CN': '[{severity}] 提醒 · {incidentId}' },
  'reminder.waiting.diagnosis': {
    en: 'The diagnosis has waited {minutes, plural, one {# minute} other {# minutes}} for someone to confirm or reject it.',
    'zh-CN': '诊断已等待 {minutes, plural, other {# 分钟}}，尚无人确认或驳回。',
  },
  'reminder.waiting.proposal': {
    en: 'The proposed fix has waited {minutes, plural, one {# minute} other {# minutes}} for someone to approve or reject it.',
    'zh-CN': '修复方案已等待 {minutes, plural, other {# 分钟}}，尚无人批准或驳回。',
  },
  'reminder.deadline': {
    en: 'Unless someone decides, it is escalated at {at, date, when}.',
    'zh-CN': '若无人处理，将于 {at, date, when} 转交人工处理。',
  },
  'reminder.decideHere': {
    en: 'Decide on the card above, or send the bot {approve} or {reject}.',
    'zh-CN': '请在上方卡片上处理，或向机器人发送 {approve} 或 {reject}。',
  },
  'reminder.decideThere': {
    en: 'It waits in the chat its alert came to: decide on its card there, or send the bot {approve} or {reject}.',
    'zh-CN': '该事件在告警所在的群中等待处理：请到该群的卡片上处理，或向机器人发送 {approve} 或 {reject}。',
  },
  'reminder.level': { en: 'Escalation level {level}: {to}', 'zh-CN': '第 {level} 级升级：{to}' },
  'reminder.nobodyOnCall': { en: 'Nobody is on call for {to} now.', 'zh-CN': '{to} 当前无人值班。' },
  'reminder.alsoIn': { en: 'Also posted to {groups}.', 'zh-CN': '已同时发送到 {groups}。' },
} as const satisfies MessageTable;
