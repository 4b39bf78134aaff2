import { capturedFrom, type CapturedFields } from './captured-fields';
import { LIMITS } from './limits';
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

function capturesOf(pattern: RegExp, text: string): CapturedFields[] {
  // Fresh copies, so a shared pattern's lastIndex never leaks between messages.
  if (!pattern.global) {
    const match = new RegExp(pattern.source, pattern.flags.replace('y', '')).exec(text);
    return match ? [capturedFrom(match.groups)] : [];
  }
  const captures: CapturedFields[] = [];
  for (const match of text.matchAll(new RegExp(pattern.source, pattern.flags))) {
    if (match[0] === '' && !match.groups) continue;
    captures.push(capturedFrom(match.groups));
    if (captures.length >= LIMITS.alerts) break;
  }
  return captures;
}
