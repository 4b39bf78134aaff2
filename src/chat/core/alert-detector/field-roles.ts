/**
 * What a `key: value` line means, keyed by the normalised key (lower case, letters and digits only,
 * so `Alert Name`, `alert_name` and `alertName` are one key). Each list is in priority order, which
 * follows ALERT-FORMATS.md: service = service, else job, else app or monitor name; instance =
 * instance, else host, pod or object.
 */
export type FieldRole =
  | 'title'
  | 'severity'
  | 'status'
  | 'service'
  | 'instance'
  | 'startTime'
  | 'endTime'
  | 'description'
  | 'labelSet'
  | 'errorType'
  | 'errorMessage';

export const ROLE_KEYS: Readonly<Record<FieldRole, readonly string[]>> = {
  title: [
    'alertname', 'alert', 'alertrule', 'rulename', 'rule', '告警名称', '告警名', '报警名称', '规则名称', '告警规则',
    '报警规则', '报警类型', '告警策略', '策略名称', '告警标题', '报警标题', '告警主题', 'problemname', 'problem',
    'eventname', '事件名称', 'title', 'subject', 'checkname',
  ],
  severity: [
    'severity', 'level', 'alertlevel', 'severitylevel', 'priority', 'urgency', 'triggerlevel', '告警级别', '告警等级',
    '报警级别', '报警等级', '严重等级', '严重程度', '严重性', '级别', '等级', '优先级', '事件级别', '紧急程度',
    'levelstatus', '级别状态',
  ],
  status: ['status', 'state', 'alertstatus', 'alertstate', 'eventstatus', '告警状态', '报警状态', '事件状态', '状态', 'levelstatus', '级别状态'],
  service: [
    'service', 'servicename', '服务', '服务名', '服务名称', 'job', 'app', 'application', 'appname', '应用', '应用名',
    '应用名称', 'project', '项目', '项目名称', 'monitor', 'monitorname', '监控名称',
  ],
  instance: [
    'instance', 'instancename', '实例', '实例名', '实例名称', '涉及实例', 'hostname', '主机名', '主机名称', '故障主机名',
    'host', '主机', '报警主机', '告警主机', '故障主机', 'ident', 'pod', 'podname', 'node', 'target', 'object', '告警对象',
    '对象', 'resource', '资源', 'ip', 'hostip', '主机ip', '故障主机ip', 'ip地址',
  ],
  startTime: [
    'startsat', 'startat', 'starttime', 'start', 'startedat', '开始时间', '开始', '触发时间', '告警时间', '报警时间',
    '故障时间', '发生时间', '首次告警时间', '首次触发时间', 'triggertime', 'triggeredat', 'firedat', 'eventtime',
    '事件时间', 'time', '时间', 'timestamp', 'started', 'since', 'openedat', 'occurredat', 'detectedat',
  ],
  endTime: [
    'endsat', 'endat', 'endtime', 'end', '结束时间', '结束', '恢复时间', 'recoverytime', 'recoveredat', 'resolvedat',
    'resolvetime', 'resolvedtime', '解决时间',
  ],
  description: [
    'description', 'desc', '描述', '告警描述', '详情描述', '告警详情', '告警内容', '报警内容', '报警事件', 'summary', '摘要',
    'message', 'eventmessage', '规则备注', 'rulenote', 'details', 'detail', '详情', '内容',
  ],
  labelSet: ['labels', 'label', 'tags', 'eventtags', 'metrics', 'metric', '监控指标', '事件标签', '标签', 'dimensions', '维度'],
  errorType: ['errortype', 'exceptiontype', '错误类型', '异常类型'],
  errorMessage: ['errormessage', 'exceptionmessage', '错误信息', '异常信息'],
};

/** Label names for keys that are not identifiers themselves (mostly Chinese ones). */
const LABEL_ALIASES: Readonly<Record<string, readonly string[]>> = {
  host_ip: ['故障主机ip', '主机ip', 'hostip', 'ip地址'],
  ip: ['ip'],
  hostname: ['主机名', '主机名称', '故障主机名', 'hostname'],
  instance: ['实例', '涉及实例', '实例名', 'instance'],
  event_id: ['事件id', '故障事件id', 'eventid', 'originalproblemid', 'problemid', '告警id', 'alertid'],
  fingerprint: ['报警指纹', '告警指纹', 'fingerprint'],
  environment: ['环境', '部署环境', 'environment', 'env'],
  // Sentry's name for the version a build was released as.
  release: ['版本', '发布版本', 'release', 'version'],
  region: ['地域', '区域', '地区', 'region'],
  zone: ['可用区', 'zone', 'availabilityzone'],
  component: ['组件', 'component'],
  cluster: ['集群', 'cluster'],
  namespace: ['命名空间', 'namespace'],
  service: ['服务', '服务名', '服务名称', 'service'],
  project: ['项目', 'project'],
};

/** Chinese environment names as the English words tools use in labels. */
const ENVIRONMENT_VALUES: Readonly<Record<string, string>> = {
  生产环境: 'production', 生产: 'production', 线上: 'production', 正式环境: 'production',
  预发环境: 'staging', 预发: 'staging', 预生产: 'staging', 灰度: 'staging',
  测试环境: 'testing', 测试: 'testing', 开发环境: 'development', 开发: 'development',
};

/**
 * Keys no list names, read by their ending (`所属服务`, `Incident Title`, `服务状态`, `恢复时间点`…).
 * Used only when the key is not listed above, so listed keys keep their exact meaning.
 */
const ROLE_PATTERNS: readonly (readonly [FieldRole, RegExp])[] = [
  ['title', /(?:告警|报警|规则|策略|事件|监控项)(?:名称|名|标题|主题)$|^(?:alert|rule|check|monitor|incident|event|problem)(?:name|title)$/],
  ['severity', /(?:级别|等级|严重程度|优先级)$|(?:severity|priority)$/],
  ['status', /状态$|(?:status|state)$/],
  ['service', /(?:服务|应用|系统)(?:名称?)?$|(?:service|app|application)(?:name)?$/],
  ['instance', /(?:主机|实例|节点|服务器)(?:名称?|ip|地址)?$|(?:host|hostname|instance|server)$/],
  ['startTime', /(?:开始|触发|发生|首次告警|告警)时间点?$|^(?:start|started|fired|triggered|opened|occurred|detected)(?:at|time|on)$/],
  ['endTime', /(?:结束|恢复|解决)时间点?$|^(?:end|ended|resolved|recovered|closed)(?:at|time|on)$/],
  ['description', /(?:描述|详情|说明)$|(?:description|summary)$/],
];

const rolesByKey = new Map<string, FieldRole[]>();
for (const [role, keys] of Object.entries(ROLE_KEYS) as [FieldRole, readonly string[]][]) {
  for (const key of keys) rolesByKey.set(key, [...(rolesByKey.get(key) ?? []), role]);
}
const aliasByKey = new Map<string, string>();
for (const [label, keys] of Object.entries(LABEL_ALIASES)) for (const key of keys) aliasByKey.set(key, label);

export function rolesOf(normKey: string): readonly FieldRole[] {
  return rolesByKey.get(normKey) ?? ROLE_PATTERNS.filter(([, pattern]) => pattern.test(normKey)).map(([role]) => role);
}

/** A key named in no list whose ending still gives it this role. */
export function matchesByPattern(normKey: string, role: FieldRole): boolean {
  return !rolesByKey.has(normKey) && rolesOf(normKey).includes(role);
}

export function hasRole(normKey: string, role: FieldRole): boolean {
  return rolesOf(normKey).includes(role);
}

/** The label a `key: value` line becomes, if any: aliases first, identifier-like keys as written. */
export function labelNameFor(key: string, normKey: string): string | undefined {
  if (hasRole(normKey, 'title')) return 'alertname';
  const alias = aliasByKey.get(normKey);
  if (alias) return alias;
  return /^[A-Za-z_@][\w.@-]{0,99}$/.test(key) ? key : undefined;
}

export function labelValueFor(label: string, value: string): string {
  return label === 'environment' ? (ENVIRONMENT_VALUES[value.trim()] ?? value) : value;
}
