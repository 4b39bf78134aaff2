import { z } from 'zod';
import { alertFingerprint, AlertSchema } from '../../../domain';
import type { Alert, AlertInput, Severity } from '../../../domain';
import { InvalidInputError } from '../../../domain/errors';
import { inlineSeverity, isSeverityField, labelSeverity, readTextFields } from './text-alert-fields';

/**
 * An alert an operator typed or piped in: a JSON object, or a line such as
 * `[critical] checkout: HTTP 503 on /pay service=checkout env=prod`. The text is data: it is only
 * split into fields, never interpreted beyond that.
 */

const TEXT_EXAMPLE = '[critical] checkout: HTTP 503 on /pay service=checkout env=prod';
const JSON_EXAMPLE = '{"title": "HTTP 503 on /pay", "severity": "critical", "service": "checkout"}';

const MAX_INPUT = 100_000;
const MAX_RAW = 20_000;
const MAX_TITLE = 500;
const MAX_DESCRIPTION = 10_000;
const MAX_LABELS = 50;
const MAX_LABEL_VALUE = 2_000;
const MAX_SERVICE = 200;

type Tag = { severity: Severity } | { status: Alert['status'] };

/** Leading `[tag]`s an operator may write; `warning` is what many tools call medium. */
const TAGS: Record<string, Tag> = {
  critical: { severity: 'critical' },
  high: { severity: 'high' },
  medium: { severity: 'medium' },
  warning: { severity: 'medium' },
  low: { severity: 'low' },
  info: { severity: 'info' },
  firing: { status: 'firing' },
  resolved: { status: 'resolved' },
};

const LEADING_TAG = /^\[([^\]]*)\]\s*/;
/** `key=value` or `key="value with spaces"`, as a whole word or in parentheses: `(severity=critical)`. */
const LABEL_PAIR = /(^|\s|\()([A-Za-z_][\w./-]{0,199})=(?:"([^"\n]{0,2000})"\)?|(\S+))(?=\s|$)/g;
const CONTROL_OR_SPACE = /[\s\u0000-\u001f\u007f-\u009f]+/g;

function invalid(problem: string, example: string): InvalidInputError {
  return new InvalidInputError(`${problem}\nA valid alert looks like: ${example}`);
}

function cap(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function validate(candidate: unknown, example: string): AlertInput {
  try {
    return AlertSchema.parse(candidate);
  } catch (error) {
    if (error instanceof z.ZodError) throw invalid(`The alert is not valid:\n${z.prettifyError(error)}`, example);
    throw error;
  }
}

function fromJson(text: string, source: string): AlertInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw invalid(`The alert looks like JSON but does not parse: ${reason}.`, JSON_EXAMPLE);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw invalid('A JSON alert must be a single object.', JSON_EXAMPLE);
  }
  const fields: Record<string, unknown> = { source, raw: cap(text, MAX_RAW), ...(parsed as Record<string, unknown>) };
  const { title, service } = fields;
  if (fields.fingerprint === undefined && typeof fields.source === 'string' && typeof title === 'string') {
    fields.fingerprint = alertFingerprint(fields.source, title, typeof service === 'string' ? service : undefined);
  }
  return validate(fields, JSON_EXAMPLE);
}

function fromPlainText(text: string, source: string): AlertInput {
  const [headline = '', ...rest] = text.split(/\r?\n/);
  const fields = readTextFields([headline, ...rest]);
  // Nightingale's text starts `Level Status: S3 Triggered`: the problem is named by `Rule Name:`.
  const titleFromField = isSeverityField(headline) ? fields.title : undefined;
  let remaining = headline.trim();
  let severity: Severity | undefined;
  let status: Alert['status'] | undefined;

  // Known tags only: an unknown `[thing]` is part of the title.
  for (let tag = LEADING_TAG.exec(remaining); tag; tag = LEADING_TAG.exec(remaining)) {
    const name = (tag[1] ?? '').trim().toLowerCase();
    const meaning = Object.hasOwn(TAGS, name) ? TAGS[name] : undefined;
    if (!meaning) break;
    if ('severity' in meaning) severity = meaning.severity;
    else status = meaning.status;
    remaining = remaining.slice(tag[0].length);
  }

  const inline = inlineSeverity(remaining);
  remaining = inline.rest;
  const labels: Record<string, string> = {};
  remaining = remaining.replace(LABEL_PAIR, (_match, lead: string, key: string, quoted?: string, bare?: string) => {
    // `(severity=critical)`: the parentheses belong to the pair, not to the value or the title.
    const value = lead === '(' && bare?.endsWith(')') ? bare.slice(0, -1) : (quoted ?? bare ?? '');
    if (Object.keys(labels).length < MAX_LABELS || Object.hasOwn(labels, key)) {
      labels[key] = cap(value, MAX_LABEL_VALUE);
    }
    return lead === '(' ? '' : lead;
  });
  severity ??= inline.severity ?? labelSeverity(labels) ?? fields.severity;
  status ??= fields.status;

  const title = (titleFromField ?? remaining).replace(CONTROL_OR_SPACE, ' ').trim();
  if (!title) throw invalid('The alert has no title: write what is wrong, not only tags and key=value pairs.', TEXT_EXAMPLE);

  const service = labels.service?.trim() ? cap(labels.service.trim(), MAX_SERVICE) : undefined;
  const description = rest.join('\n').trim();
  const cappedTitle = cap(title, MAX_TITLE);
  return validate(
    {
      source,
      fingerprint: alertFingerprint(source, cappedTitle, service),
      title: cappedTitle,
      status,
      severity,
      service,
      description: description ? cap(description, MAX_DESCRIPTION) : undefined,
      labels,
      raw: cap(text, MAX_RAW),
    },
    TEXT_EXAMPLE,
  );
}

/** What an operator typed or piped, as a valid alert; anything unusable throws `InvalidInputError`. */
export function parseTextAlert(text: string, source = 'console'): AlertInput {
  const trimmed = text.trim();
  if (!trimmed) throw invalid('The alert is empty.', TEXT_EXAMPLE);
  if (trimmed.length > MAX_INPUT) throw invalid(`The alert is too long (at most ${MAX_INPUT} characters).`, TEXT_EXAMPLE);
  return trimmed.startsWith('{') ? fromJson(trimmed, source) : fromPlainText(trimmed, source);
}
