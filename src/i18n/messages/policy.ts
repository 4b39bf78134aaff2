import type { MessageTable } from '../message-table';

const RISK_ZH = '{risk, select, low {低} medium {中} high {高} critical {严重} other {{risk}}}';
const HELD_EN = '{heldCount, plural, =0 {you hold no role} other {you hold {held}}}';
const HELD_ZH = '{heldCount, plural, =0 {你没有任何角色} other {你的角色：{held}}}';
const ROLES_EN = '{roleCount, plural, =0 {a role nobody holds} other {{roles}}}';
const ROLES_ZH = '{roleCount, plural, =0 {一个无人持有的角色} other {{roles}}}';

/** What the policy tells people: refusals (who may decide) and the reasons of its decisions. Role names are the policy file's own. */
export const policyMessages = {
  'policy.refuse.roles': {
    en:
      `Only people holding ${ROLES_EN} may {action, select, diagnosis {decide on a diagnosis} escalate {escalate} ignore {dismiss an incident} ` +
      `retry {retry an incident} resolve {mark an incident resolved} other {decide on a {risk}-risk fix}} (${HELD_EN}). Ask one of them, or escalate.`,
    'zh-CN':
      `只有持有 ${ROLES_ZH} 角色的人才能{action, select, diagnosis {确认或驳回诊断} escalate {升级事件} ignore {忽略事件} ` +
      `retry {重试事件} resolve {将事件标记为已解决} other {审批${RISK_ZH}风险的修复方案}}（${HELD_ZH}）。请联系他们，或升级处理。`,
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
} as const satisfies MessageTable;
