import type { MessageTable } from '../message-table';

/** What the chat doors say on their own: alert outcomes, hints, click toasts, the terminal's lines. */
export const chatMessages = {
  'chat.outcome.opened': {
    en: 'Opened {id}: {title} ({severity}). Triage is running.',
    'zh-CN': '已创建事件 {id}：{title}（{severity}）。正在分诊。',
  },
  'chat.outcome.repeat': {
    en: 'Repeat of open incident {id} ({repeats, plural, one {# repeat} other {# repeats}} so far); no new incident.',
    'zh-CN': '与未关闭的事件 {id} 重复（目前已重复 {repeats} 次），不新建事件。',
  },
  'chat.outcome.recovery': {
    en: 'Recovery noted on {id}: {title}. Type /status {id} to see where it stands.',
    'zh-CN': '已记录 {id} 的恢复通知：{title}。输入 /status {id} 查看进展。',
  },
  'chat.silenced': {
    en: 'Silenced by {id} until {until}: no incident opened.',
    'zh-CN': '已被静默规则 {id} 拦截，静默至 {until}，未创建事件。',
  },
  'chat.silencedWhy': {
    en: 'Silenced by {id} until {until}, {reason}: no incident opened.',
    'zh-CN': '已被静默规则 {id} 拦截，静默至 {until}，原因：{reason}，未创建事件。',
  },
  'chat.hint.terminal': {
    en: 'Not read as an alert ({reason}). Paste the whole alert, or open an incident from any text with /diag <text>.',
    'zh-CN': '未识别为告警（{reason}）。请粘贴完整的告警内容，或用 /diag <文字> 根据任意文字创建事件。',
  },
  'chat.hint.web': {
    en: 'Not read as an alert ({reason}). Paste the whole alert, post it as the monitoring bot, or open an incident from any text with /diag <text>.',
    'zh-CN': '未识别为告警（{reason}）。请粘贴完整的告警内容、以监控机器人身份发送，或用 /diag <文字> 根据任意文字创建事件。',
  },
  'chat.toast.notOnCard': { en: 'This button is not on that card.', 'zh-CN': '该卡片上没有这个按钮。' },
  'chat.toast.unknownButton': { en: 'This button is not one I understand.', 'zh-CN': '无法识别这个按钮。' },
  'chat.toast.alreadyReceived': { en: 'Already received this click.', 'zh-CN': '已收到此次点击。' },
  'chat.toast.clickFailed': { en: 'Could not record your click. Please try again.', 'zh-CN': '未能记录你的点击，请重试。' },
  'chat.pageAction.repeated': { en: 'Already received this decision; it is applied once.', 'zh-CN': '已收到此决定，只会执行一次。' },
  'chat.console.banner': {
    en: 'ai-fixer console · chat "{chat}" · you are {who}\nType or paste an alert, e.g. [critical] checkout: HTTP 503 on /pay service=checkout env=prod\nor a command: /help lists them. Buttons on cards show the command to type.\n',
    'zh-CN': 'ai-fixer 控制台 · 会话“{chat}” · 当前身份 {who}\n输入或粘贴告警，例如 [critical] checkout: HTTP 503 on /pay service=checkout env=prod\n或输入命令：/help 查看命令列表。卡片上的按钮会显示对应的命令。\n',
  },
  'chat.console.namedOperator': { en: '{name} ({id})', 'zh-CN': '{name}（{id}）' },
  'chat.console.updateOf': { en: '(update of {id})', 'zh-CN': '（更新 {id}）' },
  'chat.console.reaction': {
    en: '({reaction} on {id})',
    'zh-CN': '（{id}：{reaction, select, working {处理中} done {已完成} failed {失败} duplicate {重复} silenced {已静默} other {{reaction}}}）',
  },
  'chat.console.toChat': { en: '(to chat {chat})', 'zh-CN': '（发往会话 {chat}）' },
  'chat.console.error': { en: 'error: {detail}', 'zh-CN': '错误：{detail}' },
  'chat.console.readFailed': { en: 'error: reading input failed: {detail}', 'zh-CN': '错误：读取输入失败：{detail}' },
  'chat.startup.line': {
    en: 'ai-fixer ready: {targets}, {plugins}, {runbooks}, {policy}. Web console: {url}',
    'zh-CN': 'ai-fixer 已就绪：{targets}，{plugins}，{runbooks}，{policy}。网页控制台：{url}',
  },
  'chat.startup.noTargets': { en: 'no targets (set TARGETS_FILE so alerts can be checked)', 'zh-CN': '未配置目标（设置 TARGETS_FILE 后才能核查告警）' },
  'chat.startup.targets': {
    en: '{n, plural, =0 {0 targets} one {# target ({shown})} other {# targets ({shown})}} from {file}',
    'zh-CN': '从 {file} 加载了 {n, plural, =0 {0 个目标} other {# 个目标（{shown}）}}',
  },
  'chat.startup.plugins': {
    en: '{n, plural, one {# plugin} other {# plugins}}{broken, plural, =0 {} other { (# broken)}}',
    'zh-CN': '{n} 个插件{broken, plural, =0 {} other {（# 个加载失败）}}',
  },
  'chat.startup.runbooks': { en: '{n, plural, one {# runbook} other {# runbooks}}', 'zh-CN': '{n} 个运行手册' },
  'chat.startup.policyFile': { en: 'policy {file}', 'zh-CN': '策略文件 {file}' },
  'chat.startup.builtinPolicy': { en: 'built-in policy', 'zh-CN': '内置策略' },
} as const satisfies MessageTable;
