import { DIVIDER } from './flat-message';
import { parseBlock, type ParsedBlock } from './key-values';
import { rolesOf } from './field-roles';
import { parseDateTime } from './time';
import { shoutedSeverity } from './severity';
import { LIMITS } from './limits';

/** A message split into alert records and the shared text before them. */
export interface Segmented {
  readonly preamble: ParsedBlock;
  readonly records: readonly ParsedBlock[];
}

const RECORD_ROLES = new Set(['title', 'severity', 'instance', 'startTime']);

/**
 * Several alerts in one message. Either a key that names an alert (`告警名称`, `告警级别`…) repeats,
 * and each repeat starts a record; or the header announces N alerts and N divider-separated blocks
 * each carry a time or a severity.
 */
export function segment(lines: readonly string[], announced: number): Segmented {
  const whole = parseBlock(lines);
  const byKey = splitOnRepeatedKey(lines, whole);
  if (byKey) return byKey;
  if (announced >= 2) {
    const byDivider = splitOnDividers(lines, announced);
    if (byDivider) return byDivider;
  }
  return { preamble: parseBlock([]), records: [whole] };
}

function splitOnRepeatedKey(lines: readonly string[], whole: ParsedBlock): Segmented | undefined {
  const counts = new Map<string, number>();
  for (const field of whole.fields) counts.set(field.normKey, (counts.get(field.normKey) ?? 0) + 1);
  const key = whole.fields.find(
    (field) => (counts.get(field.normKey) ?? 0) >= 2 && rolesOf(field.normKey).some((role) => RECORD_ROLES.has(role)),
  )?.normKey;
  if (!key) return undefined;
  const fieldLines = new Set(whole.fields.map((field) => field.line));
  const starts = whole.fields.filter((field) => field.normKey === key).map((field) => field.line);
  // A record may open with a few lines before its first key (a banner, a title); count them on the
  // first record and take as many before each later one, but never lines of the previous record's fields.
  const leads = starts.map((start) => ({ start, before: leadingLines(lines, fieldLines, start) }));
  const lead = Math.min(...leads.map(({ before }) => before.length));
  const bounds = leads.map(({ start, before }) => (lead === 0 ? start : (before[before.length - lead] ?? start)));
  const records = bounds
    .slice(0, LIMITS.alerts)
    .map((start, index) => parseBlock(lines.slice(start, bounds[index + 1] ?? lines.length)));
  return { preamble: parseBlock(lines.slice(0, bounds[0] ?? 0)), records };
}

/** Indexes of the non-blank lines just before `start`, back to a field line, a divider or the top. */
function leadingLines(lines: readonly string[], fieldLines: ReadonlySet<number>, start: number): number[] {
  const lead: number[] = [];
  for (let index = start - 1; index >= 0; index -= 1) {
    const line = lines[index] ?? '';
    if (fieldLines.has(index) || line === DIVIDER) break;
    if (line) lead.unshift(index);
  }
  return lead;
}

function splitOnDividers(lines: readonly string[], announced: number): Segmented | undefined {
  const blocks: string[][] = [[]];
  for (const line of lines) {
    if (line === DIVIDER) blocks.push([]);
    else blocks.at(-1)?.push(line);
  }
  const records = blocks.filter((block) => block.some((line) => parseDateTime(line) || shoutedSeverity(line)));
  if (records.length !== announced) return undefined;
  return { preamble: parseBlock([]), records: records.slice(0, LIMITS.alerts).map((block) => parseBlock(block)) };
}
