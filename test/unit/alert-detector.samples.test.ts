import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import fixture from '../fixtures/lark-alert-samples.json';
import { AlertSchema, SEVERITIES } from '../../src/domain';
import type { AlertInput } from '../../src/domain';
import { AlertDetector } from '../../src/chat/core/alert-detector';
import type { AlertDetection, LarkMessageForDetection } from '../../src/chat/core/alert-detector';

/**
 * Every sample of test/fixtures/lark-alert-samples.json (see ALERT-FORMATS.md). `null` in `expected`
 * means "not shown": the detector must then leave the field out, except severity, which Alert
 * requires, so it must be `medium` with its origin reported as `fallback`.
 */

const Status = z.enum(['firing', 'resolved']);
const Labels = z.record(z.string(), z.string());
const SampleSchema = z.object({
  id: z.string(),
  msg_type: z.string(),
  content: z.unknown(),
  card_as_sent: z.unknown().optional(),
  sender: z.looseObject({ kind: z.string() }),
  mentions: z.array(z.looseObject({ key: z.string(), name: z.string().nullish() })).optional(),
  expected: z.object({
    is_alert: z.boolean(),
    status: Status.nullable(),
    severity: z.enum(SEVERITIES).nullable(),
    title: z.string().nullable(),
    service: z.string().nullable(),
    instance: z.string().nullable(),
    labels: Labels,
    source: z.string().nullable(),
    time: z.string().nullable(),
    alerts: z
      .array(z.object({ status: Status, title: z.string(), instance: z.string(), severity: z.enum(SEVERITIES), labels: Labels.optional() }))
      .optional(),
  }),
});
type Sample = z.infer<typeof SampleSchema>;

const samples = z.array(SampleSchema).parse(fixture);

/** The name the samples give this bot in `mentions` (S-38). */
const BOT_NAME = 'AlertBot';

/**
 * Expected values that the message does not contain, so no parser can produce them. The test checks
 * they really are absent, then asserts "not shown" for them instead.
 * - S-10: the resolved bougou notice prints no description, so namespace/job_name are never shown.
 * - S-11: the sample's own notes say this template prints no instance or service labels
 *   ("null acceptable"); payment-api appears only inside the summary prose.
 * - S-32: the same XUJiahua template; `https://api.example.com` appears nowhere.
 */
const NOT_IN_MESSAGE: Readonly<Record<string, { fields?: readonly ('service' | 'instance')[]; labels?: readonly string[]; absent: readonly string[] }>> = {
  'S-10': { labels: ['namespace', 'job_name'], absent: ['nightly-report-28980000'] },
  'S-11': { fields: ['service', 'instance'], labels: ['service'], absent: ['10.1.4.21', '10.1.4.22'] },
  'S-32': { fields: ['instance'], absent: ['https://api.example.com'] },
};

function messageOf(sample: Sample, read: 'content' | 'card'): LarkMessageForDetection {
  return {
    msgType: sample.msg_type,
    content: read === 'card' ? undefined : sample.content,
    ...(sample.card_as_sent === undefined ? {} : { cardAsSent: sample.card_as_sent }),
    sender: { kind: sample.sender.kind === 'user' ? 'user' : 'bot' },
    mentionsBot: (sample.mentions ?? []).some((mention) => mention.name === BOT_NAME),
  };
}

function expectShown(actual: string | undefined, expected: string | null): void {
  if (expected === null) expect(actual).toBeUndefined();
  else expect(actual).toBe(expected);
}

function expectSameInstant(actual: string | undefined, expected: string | null): void {
  if (expected === null) {
    expect(actual).toBeUndefined();
    return;
  }
  expect(actual).toMatch(/(?:Z|[+-]\d{2}:\d{2})$/);
  expect(Date.parse(actual ?? '')).toBe(Date.parse(expected));
}

function expectLabels(actual: AlertInput['labels'], expected: Record<string, string>, unreadable: readonly string[] = []): void {
  const readable = Object.fromEntries(Object.entries(expected).filter(([key]) => !unreadable.includes(key)));
  expect(actual).toMatchObject(readable);
  for (const key of unreadable) expect(actual?.[key]).toBeUndefined();
}

function checkSample(sample: Sample, detection: AlertDetection): void {
  const { expected } = sample;
  expect(detection.isAlert, detection.isAlert ? '' : detection.reason).toBe(expected.is_alert);
  if (!detection.isAlert) {
    expect(detection.reason).not.toBe('');
    if (detection.source !== undefined) expect(detection.source).toBe(expected.source);
    return;
  }
  const special = NOT_IN_MESSAGE[sample.id];
  for (const value of special?.absent ?? []) expect(JSON.stringify([sample.content, sample.card_as_sent])).not.toContain(value);
  for (const alert of detection.alerts) expect(AlertSchema.safeParse(alert).success).toBe(true);
  expect(detection.alerts).toHaveLength(expected.alerts?.length ?? 1);
  const [first] = detection.alerts;
  if (!first) throw new Error('no alert');

  expect(detection.alerts.some((alert) => alert.status === 'firing') ? 'firing' : 'resolved').toBe(expected.status);
  expect(first.title).toBe(expected.title);
  expect(first.source).toBe(expected.source);
  if (expected.severity === null) {
    expect(first.severity).toBe('medium');
    expect(detection.details[0]?.severityOrigin).toBe('fallback');
  } else {
    expect(first.severity).toBe(expected.severity);
  }
  for (const field of ['service', 'instance'] as const) {
    expectShown(first[field], special?.fields?.includes(field) ? null : expected[field]);
  }
  expectLabels(first.labels, expected.labels, special?.labels);
  expectSameInstant(first.startsAt, expected.time);

  expected.alerts?.forEach((want, index) => {
    const alert = detection.alerts[index];
    expect(alert).toMatchObject({ status: want.status, title: want.title, severity: want.severity });
    expectShown(alert?.instance, special?.fields?.includes('instance') ? null : want.instance);
    expectLabels(alert?.labels, want.labels ?? {});
  });
}

const detector = new AlertDetector();

describe('AlertDetector on the Lark alert samples', () => {
  it('covers all 41 samples', () => {
    expect(samples).toHaveLength(41);
  });

  it.each(samples.map((sample) => [sample.id, sample] as const))('%s', (_id, sample) => {
    checkSample(sample, detector.detect(messageOf(sample, 'content')));
  });
});

describe('AlertDetector on the same samples read from card_as_sent (Markdown) instead of content', () => {
  const withCards = samples.filter((sample) => sample.card_as_sent !== undefined);

  it.each(withCards.map((sample) => [sample.id, sample] as const))('%s', (_id, sample) => {
    checkSample(sample, detector.detect(messageOf(sample, 'card')));
  });
});
