import type { MessageTable } from '../message-table';

/** Commands typed in a chat: /help, usage, every reply and refusal. Command names and ids stay as typed. */
export const commandsMessages = {
  'cmd.help.title': { en: 'Commands:', 'zh-CN': '可用命令：' },

  'cmd.args.status': { en: '[<id>]', 'zh-CN': '[<事件ID>]' },
  'cmd.args.diag': { en: '<alert text>', 'zh-CN': '<告警内容>' },
  'cmd.args.lang': { en: '[zh|en|default]', 'zh-CN': '[zh|en|default]' },
  'cmd.args.approve': { en: '<id> diagnosis|fix [comment]', 'zh-CN': '<事件ID> diagnosis|fix [备注]' },
  'cmd.args.reject': { en: '<id> diagnosis|fix [reason]', 'zh-CN': '<事件ID> diagnosis|fix [原因]' },
  'cmd.args.escalate': { en: '<id> [reason]', 'zh-CN': '<事件ID> [原因]' },
  'cmd.args.ignore': { en: '<id> [reason]', 'zh-CN': '<事件ID> [原因]' },
  'cmd.args.retry': { en: '<id>', 'zh-CN': '<事件ID>' },
  'cmd.args.resolve': { en: '<id> [note]', 'zh-CN': '<事件ID> [备注]' },
  'cmd.args.rollback': { en: '<id> [reason]', 'zh-CN': '<事件ID> [原因]' },
  'cmd.args.silence': { en: '<matchers> <duration> [reason]', 'zh-CN': '<匹配条件> <时长> [原因]' },
  'cmd.args.unsilence': { en: '<SIL-id>', 'zh-CN': '<SIL-静默ID>' },

  'cmd.does.help': { en: 'this list', 'zh-CN': '显示本列表' },
  'cmd.does.incidents': { en: 'open incidents', 'zh-CN': '列出未关闭的事件' },
  'cmd.does.status': { en: 'where an incident stands and what it accepts (no id: open incidents)', 'zh-CN': '查看事件进展及当前可执行的操作（不带 ID：列出未关闭的事件）' },
  'cmd.does.diag': { en: 'open an incident by hand from the text', 'zh-CN': '根据文字手动创建事件' },
  'cmd.does.plugins': { en: 'installed diagnostic and remediation plugins', 'zh-CN': '已安装的诊断和修复插件' },
  'cmd.does.oncall': { en: 'who is on call now and next, per role, with the hand-off time', 'zh-CN': '按角色查看当前值班人、下一班值班人及交接时间' },
  'cmd.does.lang': { en: 'the language this chat reads; zh or en changes it, default goes back', 'zh-CN': '查看本群使用的语言；zh 或 en 切换语言，default 恢复默认' },
  'cmd.does.approve': { en: 'approve the diagnosis or the proposed fix', 'zh-CN': '确认诊断或批准修复方案' },
  'cmd.does.reject': { en: 'reject the diagnosis or the proposed fix', 'zh-CN': '驳回诊断或修复方案' },
  'cmd.does.escalate': { en: 'hand it to people now', 'zh-CN': '立即升级，转人工处理' },
  'cmd.does.ignore': { en: 'dismiss it', 'zh-CN': '忽略该事件' },
  'cmd.does.retry': { en: 'run diagnosis again after an escalation', 'zh-CN': '升级后重新诊断' },
  'cmd.does.resolve': { en: 'mark an escalated incident fixed by people', 'zh-CN': '将已升级的事件标记为已人工修复' },
  'cmd.does.rollback': {
    en: 'undo the last fix of an escalated or resolved incident (soon after it ended)',
    'zh-CN': '回滚已升级或已解决事件的上一次修复（仅限结束后不久）',
  },
  'cmd.does.silence': {
    en: 'hold back matching alerts, e.g. /silence alertname=KubeNodeNotReady service=~"checkout.*" 2h deploy',
    'zh-CN': '静默匹配的告警，例如 /silence alertname=KubeNodeNotReady service=~"checkout.*" 2h 发布中',
  },
  'cmd.does.silences': { en: 'active and recently ended silences', 'zh-CN': '生效中和最近结束的静默规则' },
  'cmd.does.unsilence': { en: 'end a silence now', 'zh-CN': '立即结束一条静默规则' },

  'cmd.invalid.noName': { en: 'Type a command name after the slash, e.g. /help.', 'zh-CN': '请在斜杠后输入命令名，例如 /help。' },
  'cmd.invalid.unknown': {
    en: 'Unknown command /{name}. Type /help for the list. An alert that starts with "/" needs a tag in front, e.g. [high] /pay returns 503.',
    'zh-CN': '未知命令 /{name}。输入 /help 查看命令列表。以“/”开头的告警请在前面加上级别标签，例如 [high] /pay returns 503。',
  },
  'cmd.invalid.noArguments': { en: '{command} takes no arguments.', 'zh-CN': '{command} 不需要参数。' },
  'cmd.invalid.diagEmpty': {
    en: 'Say what is wrong: /diag [high] checkout returns 503 service=checkout',
    'zh-CN': '请描述问题：/diag [high] checkout returns 503 service=checkout',
  },
  'cmd.invalid.alertTooLong': {
    en: 'The alert text is too long (at most {max} characters).',
    'zh-CN': '告警内容过长（最多 {max} 个字符）。',
  },
  'cmd.invalid.needsId': { en: '{command} needs an incident id: {usage}, e.g. {example}', 'zh-CN': '{command} 需要事件 ID：{usage}，例如 {example}' },
  'cmd.invalid.badId': { en: 'That does not look like an incident id: {usage}, e.g. {example}', 'zh-CN': '这不像是事件 ID：{usage}，例如 {example}' },
  'cmd.invalid.onlyId': { en: '{command} takes only an incident id, e.g. {example}', 'zh-CN': '{command} 只接受一个事件 ID，例如 {example}' },
  'cmd.invalid.approveWhat': {
    en: 'Say what you approve: /approve {id} diagnosis or /approve {id} fix',
    'zh-CN': '请说明要批准什么：/approve {id} diagnosis（诊断）或 /approve {id} fix（修复方案）',
  },
  'cmd.invalid.rejectWhat': {
    en: 'Say what you reject: /reject {id} diagnosis or /reject {id} fix',
    'zh-CN': '请说明要驳回什么：/reject {id} diagnosis（诊断）或 /reject {id} fix（修复方案）',
  },
  'cmd.invalid.textTooLong': {
    en: 'The {what, select, comment {comment} reason {reason} note {note} other {text}} is too long (at most {max} characters).',
    'zh-CN': '{what, select, comment {备注} reason {原因} note {说明} other {文字}}过长（最多 {max} 个字符）。',
  },

  'cmd.unknownIncident': { en: 'No incident {id}. Type /incidents to list the open ones.', 'zh-CN': '没有事件 {id}。输入 /incidents 查看未关闭的事件。' },
  'cmd.notAccepted': {
    en: 'Incident {id} cannot take "{event}" now. Where it stands: {phase}. Type /status {id} to see what it accepts.',
    'zh-CN': '事件 {id} 当前无法执行“{event}”。当前进展：{phase}。输入 /status {id} 查看可执行的操作。',
  },
  'cmd.invalidInput': { en: 'Not accepted: {detail}', 'zh-CN': '未被接受：{detail}' },
  'cmd.busy': {
    en: 'Incident {id} is being worked on by another instance; try again in a moment.',
    'zh-CN': '事件 {id} 正由另一个实例处理，请稍后再试。',
  },
  'cmd.failed': {
    en: 'Could not apply "{command}" just now ({detail}). Nothing changed; please try again.',
    'zh-CN': '暂时无法执行“{command}”（{detail}）。没有做任何改动，请稍后重试。',
  },
  'cmd.finished': {
    en: '{id} is finished ({phase}); there is nothing left to decide. Type /status {id} for its outcome.',
    'zh-CN': '{id} 已结束（{phase}），没有需要决定的事项了。输入 /status {id} 查看结果。',
  },

  'cmd.approved': {
    en: 'Approved the {subject, select, diagnosis {diagnosis} other {fix}} of {id}. Now: {phase}.',
    'zh-CN': '已{subject, select, diagnosis {确认 {id} 的诊断} other {批准 {id} 的修复方案}}。当前：{phase}。',
  },
  'cmd.rejected': {
    en: 'Rejected the {subject, select, diagnosis {diagnosis} other {fix}} of {id}. Now: {phase}.',
    'zh-CN': '已驳回 {id} 的{subject, select, diagnosis {诊断} other {修复方案}}。当前：{phase}。',
  },
  'cmd.approvalCounted': {
    en: 'Approval counted for the fix of {id}: {given} of {needed}. It waits for another approver.',
    'zh-CN': '已记录对 {id} 修复方案的批准：{given}/{needed}。还需要其他审批人批准。',
  },
  'cmd.done.escalate': { en: 'Escalated {id}. Now: {phase}.', 'zh-CN': '已将 {id} 升级转人工。当前：{phase}。' },
  'cmd.done.ignore': { en: 'Ignored {id}. Now: {phase}.', 'zh-CN': '已忽略 {id}。当前：{phase}。' },
  'cmd.done.retry': { en: 'Retrying {id}. Now: {phase}.', 'zh-CN': '正在重试 {id}。当前：{phase}。' },
  'cmd.done.resolve': { en: 'Resolved {id}. Now: {phase}.', 'zh-CN': '已将 {id} 标记为已解决。当前：{phase}。' },
  'cmd.done.rollback': { en: 'Rolling back the last fix of {id}. Now: {phase}.', 'zh-CN': '正在回滚 {id} 的上一次修复。当前：{phase}。' },
  'cmd.rollback.notClosed': {
    en: 'Only an escalated or resolved incident can be rolled back; {id} is not ({phase}).',
    'zh-CN': '只有已升级或已解决的事件才能回滚；{id} 当前不是（{phase}）。',
  },
  'cmd.rollback.alreadyRolledBack': {
    en: 'The last fix of {id} has already been rolled back; a rollback is not rolled back itself.',
    'zh-CN': '{id} 的上一次修复已经回滚过了；回滚本身不能再回滚。',
  },
  'cmd.rollback.nothingToUndo': {
    en: 'Nothing of the last fix of {id} can be undone: none of its steps that changed something can be undone by its plugin.',
    'zh-CN': '{id} 的上一次修复没有可回滚的内容：其中做出改动的步骤，其插件都无法撤销。',
  },
  'cmd.rollback.windowPassed': {
    en: 'Too late to roll back {id}: its last fix ended {ended}, and a fix can be rolled back only within {window} (ROLLBACK_WINDOW).',
    'zh-CN': '{id} 已无法回滚：上一次修复已于{ended}结束，而修复只能在结束后{window}内回滚（ROLLBACK_WINDOW）。',
  },
  'cmd.rollback.windowUnknown': {
    en: 'Too late to roll back {id}: a fix can be rolled back only within {window} of its end (ROLLBACK_WINDOW), and when this one ended is not on record.',
    'zh-CN': '{id} 已无法回滚：修复只能在结束后{window}内回滚（ROLLBACK_WINDOW），而这次修复的结束时间没有记录。',
  },
  'cmd.livesIn.web': {
    en: '{id} lives in the web console chat: its cards and what follows appear there, not here.',
    'zh-CN': '{id} 属于网页控制台的会话：它的卡片和后续消息都会发到那里，而不是这里。',
  },
  'cmd.livesIn.chat': {
    en: '{id} lives in chat {chat}: its cards and what follows appear there, not here.',
    'zh-CN': '{id} 属于会话 {chat}：它的卡片和后续消息都会发到那里，而不是这里。',
  },

  'cmd.incidents.none': { en: 'No open incidents.', 'zh-CN': '当前没有未关闭的事件。' },
  'cmd.incidents.title': { en: 'Open incidents:', 'zh-CN': '未关闭的事件：' },
  'cmd.incidents.line': { en: '{id} [{severity}] {title} · {phase}', 'zh-CN': '{id} [{severity}] {title} · {phase}' },
  'cmd.incidents.lineOn': { en: '{id} [{severity}] {title} on {service} · {phase}', 'zh-CN': '{id} [{severity}] {service} 上的 {title} · {phase}' },
  'cmd.incidents.more': { en: '(showing the first {n})', 'zh-CN': '（仅显示前 {n} 个）' },
  'cmd.plugins.none': { en: 'No plugins are installed.', 'zh-CN': '没有安装任何插件。' },
  'cmd.plugins.title': { en: 'Plugins:', 'zh-CN': '插件：' },

  'cmd.status.head': { en: '{id}: {phase}', 'zh-CN': '{id}：{phase}' },
  'cmd.status.title': { en: 'Title: {title}', 'zh-CN': '标题：{title}' },
  'cmd.status.severityService': { en: 'Severity: {severity} · Service: {service}', 'zh-CN': '级别：{severity} · 服务：{service}' },
  'cmd.status.severityNoService': { en: 'Severity: {severity} · Service: unknown', 'zh-CN': '级别：{severity} · 服务：未知' },
  'cmd.moment': { en: '{when} ({relative})', 'zh-CN': '{when}（{relative}）' },
  'cmd.status.times': { en: 'Opened: {opened} · Updated: {updated}', 'zh-CN': '创建于：{opened} · 更新于：{updated}' },
  'cmd.status.alerts': {
    en: 'Alerts: {total} ({firing} firing, {recovered} recovered)',
    'zh-CN': '告警：{total} 条（{firing} 条告警中，{recovered} 条已恢复）',
  },
  'cmd.status.affected': {
    en: 'Affected: {names}{more, plural, =0 {} other { and # more}}',
    'zh-CN': '受影响：{names}{more, plural, =0 {} other {，另有 # 个}}',
  },
  'cmd.status.recoveredAtSource': {
    en: 'Recovered at source: every alert recovered before anything was changed.',
    'zh-CN': '已自行恢复：在做出任何改动之前，所有告警都已恢复。',
  },
  'cmd.status.flaps': {
    en: 'Reopened {n, plural, one {# time} other {# times}} after recovering',
    'zh-CN': '恢复后又重新打开了 {n} 次',
  },
  'cmd.status.escalated': { en: 'Escalated: {reason}', 'zh-CN': '已升级：{reason}' },
  'cmd.status.escalatedDetail': { en: 'Escalated: {reason}: {detail}', 'zh-CN': '已升级：{reason}：{detail}' },
  'cmd.status.closedBy': { en: 'Closed by {who}', 'zh-CN': '由 {who} 关闭' },
  'cmd.status.rollbackOf': { en: 'Rollback of the fix: {fix}', 'zh-CN': '回滚的修复：{fix}' },
  'cmd.status.mergedInto': { en: 'Merged into: {id}', 'zh-CN': '已合并到：{id}' },
  'cmd.status.waitsUntil': { en: 'Waits until: {at}', 'zh-CN': '等待至：{at}' },
  'cmd.status.accepts': { en: 'Accepts: {commands}', 'zh-CN': '可执行：{commands}' },
  'cmd.status.acceptsNothing': { en: 'Accepts: nothing from people right now', 'zh-CN': '可执行：当前无需人工操作' },

  'cmd.oncall.noRoster': {
    en: 'Nobody is on call: the policy file has no oncall roster (see policy/example.yaml).',
    'zh-CN': '当前没有值班人：策略文件中没有配置 oncall 值班表（参见 policy/example.yaml）。',
  },
  'cmd.oncall.title': { en: 'On call now:', 'zh-CN': '当前值班：' },
  'cmd.oncall.line': { en: '{role}: {who} until {until}, then {next}', 'zh-CN': '{role}：{who}，值班至 {until}，之后由 {next} 接班' },
  'cmd.oncall.lineFixed': { en: '{role}: {who} (no hand-off ahead)', 'zh-CN': '{role}：{who}（暂无交接安排）' },
  'cmd.oncall.everyOtherRole': { en: 'every other role', 'zh-CN': '其他所有角色' },
  'cmd.oncall.group': { en: 'group {id}', 'zh-CN': '群组 {id}' },
  'cmd.oncall.nobody': { en: 'nobody', 'zh-CN': '无人' },

  'cmd.lang.current': {
    en: 'This chat reads {language}. Change it with /lang zh (中文) or /lang en (English); /lang default goes back to the configured {fallback}.',
    'zh-CN': '本群当前使用{language}。可用 /lang zh（中文）或 /lang en（English）切换；/lang default 恢复为默认的{fallback}。',
  },
  'cmd.lang.changed': {
    en: 'This chat reads {language} from now on. /lang default goes back to the configured language.',
    'zh-CN': '本群此后将使用{language}。/lang default 可恢复为默认语言。',
  },
  'cmd.lang.reset': {
    en: 'This chat reads the configured language again: {language}.',
    'zh-CN': '本群已恢复为默认语言：{language}。',
  },
  'cmd.lang.unknown': {
    en: 'Unknown language "{word}". Write /lang zh (中文), /lang en (English) or /lang default.',
    'zh-CN': '不支持的语言“{word}”。请使用 /lang zh（中文）、/lang en（English）或 /lang default。',
  },
  'cmd.lang.unavailable': { en: 'The language cannot be changed in this chat.', 'zh-CN': '本会话无法切换语言。' },
  'cmd.lang.name.zh': { en: 'Simplified Chinese', 'zh-CN': '简体中文' },
  'cmd.lang.name.en': { en: 'English', 'zh-CN': '英文' },

  'cmd.silences.unavailable': { en: 'Silences are not available here.', 'zh-CN': '此处无法使用静默功能。' },
  'cmd.silences.active': { en: 'Active silences:', 'zh-CN': '生效中的静默：' },
  'cmd.silences.none': { en: 'No active silences.', 'zh-CN': '当前没有生效中的静默。' },
  'cmd.silences.recent': { en: 'Ended in the last day:', 'zh-CN': '最近一天内结束的：' },
  'cmd.silence.line': {
    en: '{id} {matchers} {end}, by {by}{counted, select, yes {{held, plural, one {, held # alert} other {, held # alerts}}} other {}}{reason}',
    'zh-CN': '{id} {matchers} {end}，创建人 {by}{counted, select, yes {，已拦截 {held} 条告警} other {}}{reason}',
  },
  'cmd.silence.until': { en: 'until {at}', 'zh-CN': '持续至 {at}' },
  'cmd.silence.ended': { en: 'ended {at}', 'zh-CN': '已于 {at} 结束' },
  'cmd.silence.expiredBy': { en: 'expired by {who} at {at}', 'zh-CN': '已由 {who} 于 {at} 提前结束' },
  'cmd.silence.created': {
    en: 'Silenced: {line}. Matching alerts open nothing until then; /unsilence {id} ends it.',
    'zh-CN': '已静默：{line}。在此之前匹配的告警不会创建事件；/unsilence {id} 可提前结束。',
  },
  'cmd.silence.expired': {
    en: 'Expired {id} ({matchers}): matching alerts open incidents again.',
    'zh-CN': '已结束 {id}（{matchers}）：匹配的告警将重新创建事件。',
  },
  'cmd.silence.unsilenceWhich': {
    en: 'Say which silence: /unsilence SIL-7K3Q (type /silences to list them).',
    'zh-CN': '请指定静默规则：/unsilence SIL-7K3Q（输入 /silences 查看列表）。',
  },
  'cmd.silence.unsilenceOnlyId': { en: '/unsilence takes only a silence id, e.g. /unsilence SIL-7K3Q', 'zh-CN': '/unsilence 只接受一个静默 ID，例如 /unsilence SIL-7K3Q' },
  'cmd.silence.noMatcher': {
    en: 'Give at least one matcher. Write /silence <matchers> <duration> [reason], e.g. /silence alertname=KubeNodeNotReady service=~"checkout.*" 2h node upgrade',
    'zh-CN': '请至少给出一个匹配条件。格式：/silence <匹配条件> <时长> [原因]，例如 /silence alertname=KubeNodeNotReady service=~"checkout.*" 2h 节点升级',
  },
  'cmd.silence.noDuration': {
    en: 'Say for how long (e.g. 30m, 2h, 1d). Write /silence <matchers> <duration> [reason], e.g. /silence alertname=KubeNodeNotReady service=~"checkout.*" 2h node upgrade',
    'zh-CN': '请说明静默多久（例如 30m、2h、1d）。格式：/silence <匹配条件> <时长> [原因]，例如 /silence alertname=KubeNodeNotReady service=~"checkout.*" 2h 节点升级',
  },
  'cmd.silence.badInput': {
    en: '{detail} Write /silence <matchers> <duration> [reason], e.g. /silence alertname=KubeNodeNotReady service=~"checkout.*" 2h node upgrade',
    'zh-CN': '{detail} 格式：/silence <匹配条件> <时长> [原因]，例如 /silence alertname=KubeNodeNotReady service=~"checkout.*" 2h 节点升级',
  },
} as const satisfies MessageTable;
