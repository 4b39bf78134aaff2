import { capturedFrom, type CapturedFields } from './captured-fields';
import { LIMITS } from './limits';
import type { UserPattern } from '../../../security/user-pattern';
import type { AlertTemplate } from './types';

export interface TemplateMatch {
  readonly template: AlertTemplate;
  /** One per alert: a single match, or every match of a `g` template. */
  readonly captures: readonly CapturedFields[];
}

/** The first configured template that matches the flattened text, with what it captured. */
export function matchTemplate(templates: readonly AlertTemplate[], text: string): TemplateMatch | undefined {
  for (const template of templates) {
    const captures = capturesOf(template.match, text);
    if (captures.length > 0) return { template, captures };
  }
  return undefined;
}

/** The first match, or with the `g` flag every match (bounded), each as its named groups. */
function capturesOf(pattern: UserPattern, text: string): CapturedFields[] {
  const names = Object.keys(pattern.re2.namedGroups());
  const matcher = pattern.re2.matcher(text);
  const captures: CapturedFields[] = [];
  while (captures.length < LIMITS.alerts && matcher.find()) {
    const groups = Object.fromEntries(names.map((name) => [name, matcher.group(name) ?? undefined]));
    captures.push(capturedFrom(groups));
    if (!pattern.flags.includes('g')) break;
  }
  return captures;
}
