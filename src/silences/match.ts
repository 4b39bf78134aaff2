import { RE2JS } from 're2js';
import type { AlertInput } from '../domain';
import { SilenceInputError } from './matchers';
import type { Matcher } from './matchers';

/** A matcher ready to test labels; regexes run on RE2 (linear time), so any alert text is safe. */
export interface CompiledMatcher {
  name: string;
  test(value: string): boolean;
}

/** Anchored like Alertmanager's: `=~"checkout.*"` must match the whole value. */
function compileRegex(m: Matcher): RE2JS {
  try {
    return RE2JS.compile(`^(?:${m.value})$`);
  } catch (error) {
    const why = error instanceof Error ? error.message : String(error);
    throw new SilenceInputError(`The regex of ${m.name} is not valid: ${why.slice(0, 200)}`);
  }
}

export function compileMatcher(m: Matcher): CompiledMatcher {
  switch (m.op) {
    case '=':
      return { name: m.name, test: (v) => v === m.value };
    case '!=':
      return { name: m.name, test: (v) => v !== m.value };
    case '=~': {
      const re = compileRegex(m);
      return { name: m.name, test: (v) => re.matches(v) };
    }
    case '!~': {
      const re = compileRegex(m);
      return { name: m.name, test: (v) => !re.matches(v) };
    }
  }
}

/**
 * Compiles a silence's matchers, refusing a set that would match every alert: like Alertmanager, at
 * least one matcher must not match an absent (empty) label.
 */
export function compileMatchers(matchers: readonly Matcher[]): CompiledMatcher[] {
  const compiled = matchers.map(compileMatcher);
  if (compiled.every((c) => c.test(''))) {
    throw new SilenceInputError('These matchers would silence every alert: at least one must require a value (e.g. alertname=…).');
  }
  return compiled;
}

/** An absent label is the empty string, as in Alertmanager. */
export function matchesAll(compiled: readonly CompiledMatcher[], labels: Readonly<Record<string, string>>): boolean {
  return compiled.every((c) => c.test(Object.hasOwn(labels, c.name) ? labels[c.name]! : ''));
}

/** What silences see of an alert: its labels plus the fields every alert has. */
export function labelsOf(alert: AlertInput): Record<string, string> {
  const labels: Record<string, string> = { ...(alert.labels ?? {}) };
  labels.alertname = alert.labels?.alertname ?? alert.title;
  if (alert.service) labels.service = alert.service;
  labels.severity = alert.severity ?? 'medium';
  if (alert.instance) labels.instance = alert.instance;
  labels.source = alert.source;
  return labels;
}
