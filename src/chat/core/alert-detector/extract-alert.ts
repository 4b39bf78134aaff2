import type { Severity } from '../../../domain';
import type { CapturedFields } from './captured-fields';
import { FieldLookup } from './field-lookup';
import type { FlatMessage } from './flat-message';
import type { ParsedBlock } from './key-values';
import type { Labels } from './label-sets';
import { LIMITS, cap, isShown } from './limits';
import { recordLabels } from './record-labels';
import { readSeverity, shoutedSeverity, type SeverityReading, type SeverityScale } from './severity';
import type { SourceHint } from './source-hints';
import { statusFromPhrase, statusFromValue, statusOfKey, type AlertStatus, type StatusCounts } from './status';
import { findDateTimes, parseDateTime, parseRange } from './time';
import { bracketTags, cleanHeading, firstTitleLine, hasWords, isAction, isBanner, isSeparator, isStatusLine } from './titles';
import type { SeverityOrigin } from './types';

/** What every record of one message shares. */
export interface MessageContext {
  readonly flat: FlatMessage;
  readonly source: string;
  readonly hint?: SourceHint;
  /** Named-group captures: a template's first, then the tool hint's. */
  readonly captured: CapturedFields;
  /** The template, not a tool hint, supplied the severity. */
  readonly severityFromTemplate: boolean;
  readonly counts?: StatusCounts;
  readonly linkLabelSets: readonly Labels[];
  readonly preamble: ParsedBlock;
}

/** One alert as read, before it is given a fingerprint and validated. */
export interface AlertDraft {
  readonly title: string;
  readonly titleFromField: boolean;
  readonly status: AlertStatus;
  readonly statusShown: boolean;
  readonly severity: Severity;
  readonly severityOrigin: SeverityOrigin;
  readonly service?: string;
  readonly instance?: string;
  readonly description?: string;
  readonly startsAt?: string;
  readonly labels: Labels;
  readonly stated: Labels;
  readonly hadLabelSet: boolean;
}

export function extractAlert(record: ParsedBlock, context: MessageContext): AlertDraft {
  const { labels, stated, hadLabelSet } = recordLabels(record, context.preamble, context.linkLabelSets, context.captured.labels);
  const lookup = new FieldLookup(record, context.preamble, labels);
  const { title, fromField: titleFromField } = readTitle(record, context, lookup);
  const severity = readRecordSeverity(record, context, lookup);
  const { status, shown: statusShown } = readStatus(record, context, lookup, title);
  const service = context.captured.service ?? lookup.first('service')?.value ?? (context.hint?.serviceIsTitle ? title : undefined);
  const instance = readInstance(context.captured.instance ?? lookup.first('instance')?.value, labels);
  noteSeverityLabel(labels, severity.reading, context.hint);
  if (/^[A-Za-z_:][\w:]{0,199}$/.test(title)) labels.alertname ??= title;
  return {
    title,
    titleFromField,
    status,
    statusShown,
    severity: severity.reading?.severity ?? context.hint?.defaultSeverity ?? 'medium',
    severityOrigin: severity.origin,
    ...(service ? { service: cap(service, LIMITS.service) } : {}),
    ...(instance ? { instance: cap(instance, LIMITS.instance) } : {}),
    ...optional('description', readDescription(record, context, lookup, title)),
    ...optional('startsAt', readTime(record, context, lookup, status)),
    labels,
    stated,
    hadLabelSet,
  };
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return value ? ({ [key]: value } as Record<K, string>) : {};
}

function readTitle(record: ParsedBlock, context: MessageContext, lookup: FieldLookup): { title: string; fromField: boolean } {
  const fromCapture = context.captured.title;
  if (fromCapture) return { title: cap(fromCapture, LIMITS.title), fromField: true };
  const fromField = lookup.first('title')?.value;
  if (fromField) return { title: cap(fromField, LIMITS.title), fromField: true };
  const errorType = lookup.first('errorType', ['field'])?.value;
  const errorMessage = lookup.first('errorMessage', ['field'])?.value;
  const title =
    (errorType && errorMessage ? `${errorType}: ${errorMessage}` : (errorMessage ?? errorType)) ??
    headingAsTitle(context.flat.heading, context.source) ??
    firstTitleLine(record.freeLines, context.flat.heading, context.source) ??
    `${context.source} alert`;
  return { title: cap(title, LIMITS.title), fromField: false };
}

/** The header names the alert unless it is the tool's banner (`PrometheusAlert`, `🚨 告警触发`). */
function headingAsTitle(heading: string, source: string): string | undefined {
  const cleaned = cleanHeading(heading);
  if (!hasWords(cleaned) || isBanner(heading, '', source) || isBanner(cleaned, '', source)) return undefined;
  return cleaned;
}

function readRecordSeverity(
  record: ParsedBlock,
  context: MessageContext,
  lookup: FieldLookup,
): { reading?: SeverityReading; origin: SeverityOrigin } {
  const scale = context.hint?.severityScale;
  const captured = context.captured.severity;
  const fromCapture = captured ? readSeverity(captured, scale) : undefined;
  if (fromCapture) return { reading: fromCapture, origin: context.severityFromTemplate ? 'template' : 'message' };
  const reading =
    lookup.read('severity', (candidate) => readSeverity(candidate.value, scale)) ??
    context.flat.badges.map((badge) => readSeverity(badge, scale)).find(Boolean) ??
    taggedSeverity([context.flat.heading, ...record.freeLines.slice(0, 1)], scale) ??
    shoutedSeverity(context.flat.heading, scale) ??
    record.freeLines.map((line) => shoutedSeverity(line, scale)).find(Boolean);
  if (reading) return { reading, origin: 'message' };
  return { origin: context.hint?.defaultSeverity ? 'tool-default' : 'fallback' };
}

/** A severity word in a bracketed tag of the first line: `[FIRING:1] X (10.0.0.1:9100 critical)`. Counts are not levels. */
function taggedSeverity(lines: readonly string[], scale: SeverityScale | undefined): SeverityReading | undefined {
  const tags = lines.flatMap(bracketTags).filter((tag) => !/^[\d\s:]*$/.test(tag));
  return tags.map((tag) => readSeverity(tag, scale)).find(Boolean);
}

/** Keeps the severity word as shown: the tool's own label name, `level` for bare digits, else `severity`. */
function noteSeverityLabel(labels: Labels, reading: SeverityReading | undefined, hint: SourceHint | undefined): void {
  if (!reading || Object.keys(labels).length >= LIMITS.labels) return;
  if (hint?.severityLabel) labels[hint.severityLabel] ??= reading.shown;
  else if (/^\d+$/.test(reading.shown)) labels.level ??= reading.shown;
  else labels.severity ??= reading.shown.toLowerCase();
}

function readStatus(
  record: ParsedBlock,
  context: MessageContext,
  lookup: FieldLookup,
  title: string,
): { status: AlertStatus; shown: boolean } {
  const { heading, badges } = context.flat;
  const statusLines = (block: ParsedBlock) =>
    block.freeLines.filter((line, index) => line !== title && (index === 0 || isStatusLine(line, heading, context.source)));
  const tagged = (lines: readonly string[]) => lines.flatMap(bracketTags).map(statusFromValue).find(Boolean);
  const status =
    (context.captured.status ? statusFromValue(context.captured.status) : undefined) ??
    lookup.read('status', (candidate) => statusFromValue(candidate.value), ['field', 'label']) ??
    record.fields.map((field) => statusOfKey(field.key)).find(Boolean) ??
    rangeStatus(record) ??
    countsStatus(context.counts) ??
    tagged([heading]) ??
    statusFromPhrase(heading) ??
    badges.map(statusFromValue).find(Boolean) ??
    tagged(record.freeLines.slice(0, 1)) ??
    statusLines(record).map(statusFromValue).find(Boolean) ??
    lookup.read('status', (candidate) => statusFromValue(candidate.value), ['preamble']) ??
    statusLines(context.preamble).map(statusFromValue).find(Boolean);
  return status ? { status, shown: true } : { status: 'firing', shown: false };
}

/** `start ~ TO BE RESOLVED` fires; `start ~ end` has ended. */
function rangeStatus(record: ParsedBlock): AlertStatus | undefined {
  for (const line of record.freeLines) {
    const range = parseRange(line);
    if (range) return range.openEnded ? 'firing' : 'resolved';
  }
  return undefined;
}

function countsStatus(counts: StatusCounts | undefined): AlertStatus | undefined {
  if (!counts) return undefined;
  if (counts.firing > 0) return 'firing';
  return counts.resolved > 0 ? 'resolved' : undefined;
}

/**
 * The instance; a compound object (`10.0.0.12 (内) | ins-5t8k2m1p | web-prod-12`, Tencent Cloud) is
 * split into its id as the instance and the address and name as labels.
 */
function readInstance(value: string | undefined, labels: Labels): string | undefined {
  if (!isShown(value) || !value.includes('|')) return value;
  let id: string | undefined;
  let name: string | undefined;
  for (const part of value.split('|').map((piece) => piece.replace(/\([^)]*\)/g, '').trim())) {
    if (/^\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?$/.test(part)) labels.ip ??= part;
    else if (/^[a-z]{1,6}-[a-z0-9]{6,}$/.test(part)) id ??= part;
    else if (part) name ??= part;
  }
  if (name) labels.name ??= name;
  return id ?? name ?? labels.ip;
}

/** Firing: when it started. Resolved: when it recovered, if shown. */
function readTime(record: ParsedBlock, context: MessageContext, lookup: FieldLookup, status: AlertStatus): string | undefined {
  const parse = (candidate: { value: string; zoneHint?: string }) => parseDateTime(candidate.value, candidate.zoneHint);
  const range = record.freeLines.map(parseRange).find(Boolean);
  const start =
    (context.captured.startsAt ? parseDateTime(context.captured.startsAt) : undefined) ??
    lookup.read('startTime', parse, ['field', 'label']) ??
    range?.start ??
    record.freeLines.flatMap((line) => findDateTimes(line))[0];
  if (status === 'firing') return start;
  const end = (context.captured.endsAt ? parseDateTime(context.captured.endsAt) : undefined) ?? lookup.read('endTime', parse, ['field', 'label']) ?? range?.end;
  return end ?? start;
}

function readDescription(record: ParsedBlock, context: MessageContext, lookup: FieldLookup, title: string): string | undefined {
  const stated = context.captured.description ?? lookup.first('description', ['field'])?.value;
  if (stated) return cap(stated, LIMITS.description);
  const { heading } = context.flat;
  const prose = record.freeLines.filter(
    (line) =>
      cleanHeading(line) !== title && hasWords(line) && !isBanner(line, heading, context.source) && !isAction(line) && !isSeparator(line),
  );
  return prose.length > 0 ? cap(prose.join('\n'), LIMITS.description) : undefined;
}
