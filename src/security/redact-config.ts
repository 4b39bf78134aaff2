import { z } from 'zod';
import { tryCompileUserPattern } from './user-pattern';
import type { UserPattern } from './user-pattern';

/**
 * REDACT_PATTERNS: a JSON array of regexes (`["acme_[0-9a-f]{32}", "/pin=(?<secret>\\d+)/i"]`), or a
 * comma-separated list. Commas inside `{}`, `[]` or `()`, or escaped as `\,`, do not split, so
 * `x{2,4}` survives; use the JSON form for anything trickier. `/body/flags` sets flags (i, m, s).
 * Each runs on RE2 (linear time); one RE2 cannot run stops start-up with the pattern named.
 */
export const RedactPatterns = z
  .string()
  .optional()
  .transform((text, ctx) => {
    const patterns: UserPattern[] = [];
    const sources = parseList(text ?? '');
    if (typeof sources === 'string') {
      ctx.addIssue({ code: 'custom', message: sources });
      return patterns;
    }
    for (const source of sources) {
      const compiled = compile(source);
      if (typeof compiled === 'string') ctx.addIssue({ code: 'custom', message: `invalid regex ${JSON.stringify(source)}: ${compiled}` });
      else patterns.push(compiled);
    }
    return patterns;
  });

/** The sources, or a message saying why they cannot be read. */
function parseList(text: string): string[] | string {
  const trimmed = text.trim();
  if (!trimmed) return [];
  if (!trimmed.startsWith('[')) return splitOnTopLevelCommas(trimmed);
  let parsed: unknown;
  try {
    parsed = JSON.parse(trimmed);
  } catch (error) {
    return `not a valid JSON array: ${error instanceof Error ? error.message : String(error)}`;
  }
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === 'string')) return 'expected a JSON array of strings';
  return parsed.map((item: string) => item.trim()).filter(Boolean);
}

function splitOnTopLevelCommas(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const char = text[i] ?? '';
    if (char === '\\') {
      const escaped = text[i + 1] ?? '';
      // `\,` is a comma inside a pattern; any other escape belongs to the regex and is kept.
      current += escaped === ',' ? ',' : char + escaped;
      i++;
      continue;
    }
    if ('([{'.includes(char)) depth++;
    if (')]}'.includes(char)) depth = Math.max(0, depth - 1);
    if (char === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += char;
  }
  parts.push(current);
  return parts.map((part) => part.trim()).filter(Boolean);
}

/** The pattern, or why it is unusable. A pattern matching empty text would redact between every character. */
function compile(source: string): UserPattern | string {
  const literal = /^\/(.+)\/([a-z]*)$/s.exec(source);
  return literal ? tryCompileUserPattern(literal[1] ?? '', literal[2]) : tryCompileUserPattern(source);
}
