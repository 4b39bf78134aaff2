import type { MessageTable } from '../message-table';

/** A risk level in Chinese words, from the placeholder `name`. */
const riskZh = (name: string) => `{${name}, select, low {低} medium {中} high {高} critical {严重} other {{${name}}}}`;
const RISK_ZH = riskZh('risk');
const BOUND_EN = '{bound, select, both {{min}–{max}} max {at most {max}} other {at least {min}}}';
const BOUND_ZH = '{bound, select, both {{min}–{max}} max {最多 {max}} other {至少 {min}}}';
const BEYOND_EN = `{known, select, no {{name} is unknown, so its bound (${BOUND_EN}) cannot be checked} other {{name} {value} is outside its bound (${BOUND_EN})}}`;
const BEYOND_ZH = `{known, select, no {{name} 未知，无法检查其范围（${BOUND_ZH}）} other {{name} 为 {value}，超出范围（${BOUND_ZH}）}}`;
const WHERE_EN = 'target {target}{ns, select, yes {, namespace {namespace}} other {}}, service {service}';
const WHERE_ZH = '目标 {target}{ns, select, yes {、命名空间 {namespace}} other {}}、服务 {service}';
const HELD_EN = '{heldCount, plural, =0 {you hold no role} other {you hold {held}}}';
const HELD_ZH = '{heldCount, plural, =0 {你没有任何角色} other {你的角色：{held}}}';
const ROLES_EN = '{roleCount, plural, =0 {a role nobody holds} other {{roles}}}';
const ROLES_ZH = '{roleCount, plural, =0 {一个无人持有的角色} other {{roles}}}';

/** What the policy tells people: refusals (who may decide) and the reasons of its decisions. Role names are the policy file's own. */
export const policyMessages = {
  'policy.refuse.roles': {
    en:
      `Only people holding ${ROLES_EN} may {action, select, diagnosis {decide on a diagnosis} escalate {escalate} ignore {dismiss an incident} ` +
      `retry {retry an incident} resolve {mark an incident resolved} rollback {roll back a fix} other {decide on a {risk}-risk fix}} (${HELD_EN}). Ask one of them, or escalate.`,
    'zh-CN':
      `只有持有 ${ROLES_ZH} 角色的人才能{action, select, diagnosis {确认或驳回诊断} escalate {升级事件} ignore {忽略事件} ` +
      `retry {重试事件} resolve {将事件标记为已解决} rollback {回滚修复} other {审批${RISK_ZH}风险的修复方案}}（${HELD_ZH}）。请联系他们，或升级处理。`,
  },
  'policy.refuse.alreadyApproved': {
    en: 'You already approved this fix; it needs {more, plural, one {# more approval} other {# more approvals}} from other people.',
    'zh-CN': '你已批准过此修复方案，还需要其他人再批准 {more} 次。',
  },
  'policy.refuse.notHeldThen': {
    en: 'You did not hold {roles} when the policy decided on this fix; ask someone who did.',
    'zh-CN': '策略审核此修复方案时你并不持有 {roles} 角色，请联系当时持有该角色的人。',
  },
  'policy.refuse.silence': {
    en: `Only people who may approve a low-risk fix may silence alerts: that takes ${ROLES_EN} (${HELD_EN}).`,
    'zh-CN': `只有能审批低风险修复方案的人才能静默告警：需要 ${ROLES_ZH} 角色（${HELD_ZH}）。`,
  },

  'policy.reason.risk': {
    en: 'Risk {risk}: highest of the plugins’ declared risk ({declared}), their own assessment, the fences and the proposal’s claim ({claim}).',
    'zh-CN': `风险等级：${RISK_ZH}。取插件声明的风险（{declared}）、插件自身评估、防护规则和修复方案自报风险（{claim}）中的最高值。`,
  },
  'policy.reason.criticalNeverAuto': { en: 'Critical changes never run by themselves.', 'zh-CN': '严重风险的变更从不自动执行。' },
  'policy.reason.autoOff': { en: 'Automatic execution is off: a person decides.', 'zh-CN': '自动执行已关闭：由人工决定。' },
  'policy.reason.aboveAutoLevel': { en: 'Only {risk} risk and below runs by itself.', 'zh-CN': `只有${RISK_ZH}及以下风险的修复会自动执行。` },
  'policy.reason.freeze': {
    en: 'Change freeze "{name}" until {untilAt, date, when}: nothing runs by itself.',
    'zh-CN': '变更冻结“{name}”持续到 {untilAt, date, when}：期间不会自动执行任何修复。',
  },
  'policy.reason.maxSteps': {
    en: 'This incident already ran {ran, plural, one {# automatic step} other {# automatic steps}}; at most {max} run by themselves.',
    'zh-CN': '此事件已自动执行 {ran} 步，最多只能自动执行 {max} 步。',
  },
  'policy.reason.cooldown': {
    en: '{target} had an automatic action at {lastAt, date, when}; it cools down until {untilAt, date, when}.',
    'zh-CN': '{target} 在 {lastAt, date, when} 刚自动执行过操作，冷却期持续到 {untilAt, date, when}。',
  },
  'policy.reason.hourlyQuota': {
    en: 'Automatic runs this hour: {used} of {limit} used (all services).',
    'zh-CN': '本小时自动执行次数：已用 {used}/{limit}（所有服务）。',
  },
  'policy.reason.serviceQuota': {
    en: 'Automatic runs this hour for {service}: {used} of {limit} used.',
    'zh-CN': '本小时 {service} 的自动执行次数：已用 {used}/{limit}。',
  },
  'policy.reason.lostRace': { en: 'Another instance used up {quotas} just now.', 'zh-CN': '另一个实例刚刚用完了 {quotas} 的配额。' },
  'policy.reason.needsApprovals': {
    en: 'Needs {required, plural, one {# approval} other {# approvals}} from distinct people holding {roles}.',
    'zh-CN': '需要 {required} 位持有 {roles} 角色的不同人员批准。',
  },
  'policy.reason.requester': {
    en: '{who} brought this alert in, so someone else must approve too.',
    'zh-CN': '{who} 提交了这条告警，因此还必须由其他人批准。',
  },
  'policy.reason.nobodyElse': { en: 'Nobody else holds {roles}, so nobody can approve it.', 'zh-CN': '没有其他人持有 {roles} 角色，因此无人能批准。' },
  'policy.reason.tooFewHolders': {
    en: 'Only {holders, plural, one {# person holds} other {# people hold}} {roles}; {required} are needed.',
    'zh-CN': '只有 {holders} 人持有 {roles} 角色，但需要 {required} 人批准。',
  },
  'policy.reason.dryRun': { en: 'Dry run: evaluated and planned; nothing will run.', 'zh-CN': '演练模式：仅评估和规划，不会实际执行。' },
  'policy.reason.blocked': { en: '{plugin} is blocked by policy.', 'zh-CN': '策略禁止使用 {plugin}。' },
  'policy.reason.runsAlone': {
    en: 'Runs without asking: {risk} risk, outside any freeze, within quotas and cooldowns.',
    'zh-CN': `无需审批即可执行：${RISK_ZH}风险，不在冻结期内，且未超出配额和冷却限制。`,
  },
  'policy.reason.badVerification': { en: 'Verification {plugin} is not a known diagnostic plugin.', 'zh-CN': '验证步骤 {plugin} 不是已知的诊断插件。' },
  'policy.reason.unknownPlugin': { en: 'Unknown plugin {plugin}.', 'zh-CN': '未知插件 {plugin}。' },
  'policy.reason.notRemediation': { en: '{plugin} is not a remediation plugin.', 'zh-CN': '{plugin} 不是修复插件。' },
  'policy.reason.badArguments': { en: 'Invalid arguments for {plugin}: {detail}.', 'zh-CN': '{plugin} 的参数无效：{detail}。' },
  'policy.reason.assessed': { en: '{plugin}: {reason} ({risk} risk).', 'zh-CN': `{plugin}：{reason}（${RISK_ZH}风险）。` },
  'policy.reason.assessFailed': {
    en: '{plugin}: its risk could not be assessed ({detail}) ({risk} risk).',
    'zh-CN': `{plugin}：无法评估其风险（{detail}），按${RISK_ZH}风险处理。`,
  },
  'policy.reason.boundBlocks': { en: `{plugin}: ${BEYOND_EN}; not allowed.`, 'zh-CN': `{plugin}：${BEYOND_ZH}，不允许执行。` },
  'policy.reason.boundRaises': { en: `{plugin}: ${BEYOND_EN}; counted as {over} risk.`, 'zh-CN': `{plugin}：${BEYOND_ZH}，按${riskZh('over')}风险处理。` },
  'policy.reason.outsideEveryScope': {
    en: `{plugin} on ${WHERE_EN} is outside the scope of every risk level; not allowed.`,
    'zh-CN': `{plugin} 作用于${WHERE_ZH}，不在任何风险等级的范围内，不允许执行。`,
  },
  'policy.reason.outsideScope': {
    en: `{plugin} on ${WHERE_EN} is outside the {level}-risk scope; counted as {risk} risk.`,
    'zh-CN': `{plugin} 作用于${WHERE_ZH}，超出${riskZh('level')}风险的范围，按${RISK_ZH}风险处理。`,
  },
  'policy.reason.quotasUnknown': {
    en: 'Usage quotas and cooldowns could not be checked ({detail}): automatic execution is off for this decision.',
    'zh-CN': '无法检查用量配额和冷却（{detail}）：本次决策关闭自动执行。',
  },

  'policy.quota.all': { en: 'all services', 'zh-CN': '所有服务' },
  'policy.quota.service': { en: 'service {service}', 'zh-CN': '服务 {service}' },
  'policy.describe.source': { en: 'Policy: {source}', 'zh-CN': '策略：{source}' },
  'policy.describe.decision': { en: 'Decision: {action} (risk {risk})', 'zh-CN': `决定：{action}（风险：${RISK_ZH}）` },
  'policy.describe.decisionDryRun': {
    en: 'Decision: {action} (risk {risk}) — dry run, nothing would run',
    'zh-CN': `决定：{action}（风险：${RISK_ZH}）—— 演练模式，不会实际执行`,
  },
  'policy.describe.anyone': { en: 'anyone', 'zh-CN': '任何人' },
  'policy.describe.approvals': { en: 'Approvals: {n} from {roles} (people: {ids})', 'zh-CN': '审批：需要 {roles} 中的 {n} 人批准（人员：{ids}）' },
  'policy.describe.requester': { en: 'Requester (not the only approver): {who}', 'zh-CN': '发起人（不能作为唯一审批人）：{who}' },
  'policy.describe.quotas': { en: 'Automatic runs left this hour: {quotas}', 'zh-CN': '本小时剩余自动执行次数：{quotas}' },
  'policy.describe.quota': { en: '{left} of {limit} ({scope})', 'zh-CN': '{left}/{limit}（{scope}）' },
  'policy.describe.reasons': { en: 'Reasons:', 'zh-CN': '理由：' },
} as const satisfies MessageTable;
