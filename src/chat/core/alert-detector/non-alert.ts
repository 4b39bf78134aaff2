/**
 * Messages the monitoring bots also post that are not alerts. Only the heading and the first lines
 * are checked, where such notices say what they are; alert bodies mention deploys and builds too.
 */
const NOT_ALERTS: readonly { readonly reason: string; readonly pattern: RegExp }[] = [
  {
    reason: 'a deploy or release notice',
    pattern: /(?:发布|部署|上线|回滚)(?:成功|失败|完成|开始|通知)|\bdeploy(?:ed|ment)?\b.{0,60}\b(?:succeeded|successful|success|finished|completed|started|done)\b/i,
  },
  {
    reason: 'a CI or build event',
    pattern: /构建(?:信息|成功|失败|通知)|\bbuild\b.{0,60}\b(?:succeeded|passed|failed|success|started|fixed)\b|\b(?:Pipeline|Push|Merge Request|Tag Push) Hook\b/i,
  },
  { reason: 'a report', pattern: /日报|周报|月报|巡检报告|\b(?:daily|weekly|monthly) (?:report|summary|digest)\b/i },
  { reason: 'a notification test', pattern: /(?:^|\s)Testing$|测试消息|\btest (?:message|notification)\b/im },
  { reason: 'a normal Kubernetes event', pattern: /^EventType:\s*Normal\b/im },
];

export function notAlertReason(heading: string, firstLines: readonly string[]): string | undefined {
  const text = [heading, ...firstLines].join('\n');
  return NOT_ALERTS.find(({ pattern }) => pattern.test(text))?.reason;
}
