import { SOURCE_HINTS } from './source-hints';

/** Lines that frame an alert rather than describe it: banners, footers, action links. */

const BANNER =
  /(?:告警|报警|恢复|故障|事件|监控)(?:信息|消息|通知|平台)|\b(?:ALERT|OK)信息|告警触发|告警已恢复|触发中告警|^(?:summary|detail|摘要|详请|详情)$|\b(?:firing|resolved) \[\d+\]|^\[?(?:firing|resolved|problem|ok)\]?$/i;
const ACTION = /屏蔽|静默|silence|mute|查看|详情|\bdetails?\b|runbook|操作手册|手册|generatorurl|立即处理|\back\b|view graph|dashboard/i;
const EMOJI = /[\p{Extended_Pictographic}\u200d\ufe0f\u20e3]/gu;

function compact(text: string): string {
  return text.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');
}

/** A relay names itself in the header of alerts it forwards (`PrometheusAlert` over a Grafana alert). */
const TOOL_NAMES = new Set(SOURCE_HINTS.map((hint) => compact(hint.source)));

/** A tool banner (`Prometheus告警信息`, `【腾讯云可观测平台】告警通知`), the header again, a tool's name, or a footer naming the tool. */
export function isBanner(line: string, heading: string, source?: string): boolean {
  if (line === heading || BANNER.test(line) || TOOL_NAMES.has(compact(line))) return true;
  return source !== undefined && line.length <= 60 && compact(line).includes(compact(source));
}

export function isAction(line: string): boolean {
  return line.length <= 30 && ACTION.test(line);
}

/** Bracketed tags such as `[Triggered]`, `【告警】`, `(RESOLVED)`; their words may be a status. */
const BRACKET_TAG = /[[【(（]\s*([^\]】)）]{1,60}?)\s*[\]】)）]/g;

export function bracketTags(line: string): string[] {
  return [...line.matchAll(BRACKET_TAG)].map((match) => match[1] ?? '');
}

/** A leading tag that is a status or severity word, with the separator after it. */
const LEADING_STATUS_TAG =
  /^\s*[[【(（]\s*(?:firing|resolved|triggered|recovered|problem|ok|alert|alarm|critical|warning|error|info|告警|报警|恢复|已恢复|故障|严重|警告|紧急|P\d|S\d)(?::\d+)?\s*[\]】)）]\s*[-:：|]?\s*/i;

/** A header or title line without its decorations: emoji, `[FIRING:1]`, `【告警】`, `[2] Firing`, `is resolved!`. */
export function cleanHeading(heading: string): string {
  return heading
    .replace(EMOJI, '')
    .replace(LEADING_STATUS_TAG, '')
    .replace(/\[(?:FIRING|RESOLVED)(?::\d+)?\]/gi, '')
    .replace(/\[\d+\]\s*(?:Firing|Resolved)/gi, '')
    .replace(/\s+is resolved!?$/i, '')
    .replace(EMOJI, '')
    .replace(/\s+/g, ' ')
    .trim();
}

export function hasWords(line: string): boolean {
  return (line.match(/[\p{L}\p{N}]/gu) ?? []).length >= 2;
}

/** A section rule such as `------详细信息------`. */
export function isSeparator(line: string): boolean {
  return /^[-=*_~#]{3,}.{0,20}?[-=*_~#]{3,}$/.test(line);
}

/** The first line that could be an alert's name, without its status tag: not a banner, link, rule or time. */
export function firstTitleLine(lines: readonly string[], heading: string, source?: string): string | undefined {
  const line = lines.find(
    (candidate) =>
      hasWords(cleanHeading(candidate)) &&
      !isBanner(candidate, heading, source) &&
      !isAction(candidate) &&
      !isSeparator(candidate) &&
      !/^[\d\s:./~+TZ-]+$/.test(candidate),
  );
  return line === undefined ? undefined : cleanHeading(line);
}

/** A short line that is only a status word or banner: `PROBLEM`, `✅ RESOLVED`, `【报警中】- …`. */
export function isStatusLine(line: string, heading: string, source?: string): boolean {
  return isBanner(line, heading, source) || line.replace(EMOJI, '').trim().split(/\s+/).length <= 2;
}
