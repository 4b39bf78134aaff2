import { z } from 'zod';
import { findQueryApiTarget, getQueryApi, TimeArgSchema, timeArgMs, unknownQueryApiTargetSummary } from '../../src/plugins/connections/query-api';
import type { QueryApiOutcome } from '../../src/plugins/connections/query-api';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';

export const MAX_QUERY_CHARS = 4_000;
/** Series lines in the summary people read; the model gets up to `maxSeries`. */
const SUMMARY_SERIES = 8;
const LABEL_CHARS = 120;
/** Per series, for the model: enough to see a shape, not a dump. */
const MODEL_POINTS = 60;

const Sample = z.tuple([z.number(), z.string()]);
const Metric = z.record(z.string(), z.string());
/** Native-histogram samples carry `histogram(s)` instead of `value(s)`; they are counted, not summarised. */
const QueryDataSchema = z.discriminatedUnion('resultType', [
  z.object({ resultType: z.literal('vector'), result: z.array(z.object({ metric: Metric, value: Sample.optional() })) }),
  z.object({ resultType: z.literal('matrix'), result: z.array(z.object({ metric: Metric, values: z.array(Sample).optional() })) }),
  z.object({ resultType: z.literal('scalar'), result: Sample }),
  z.object({ resultType: z.literal('string'), result: Sample }),
]);
type Metric = z.infer<typeof Metric>;
type Sample = z.infer<typeof Sample>;

/** Prometheus renders special floats as NaN, +Inf, -Inf. */
function parseValue(text: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  return Number(text);
}

/** JSON has no NaN or Infinity: the model gets Prometheus' own spelling for those. */
const modelValue = (text: string): number | string => (Number.isFinite(parseValue(text)) ? parseValue(text) : text);

export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(4)));
}

export function formatMetric(metric: Metric): string {
  const { __name__: name = '', ...labels } = metric;
  const pairs = Object.entries(labels).map(([key, value]) => `${key}="${value}"`);
  const text = pairs.length > 0 || !name ? `${name}{${pairs.join(', ')}}` : name;
  return text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS)}…` : text;
}

const isoAt = (seconds: number): string => new Date(seconds * 1_000).toISOString();
/** Sorts descending with NaN last, so the hottest series come first. */
const descending = (a: number, b: number): number => (Number.isNaN(a) ? 1 : Number.isNaN(b) ? -1 : b - a);

function downsample<T>(items: readonly T[], max: number): T[] {
  if (items.length <= max) return [...items];
  return Array.from({ length: max }, (_, i) => items[Math.round((i * (items.length - 1)) / (max - 1))] as T);
}

function seriesLines(lines: string[], total: number): string {
  const shown = lines.slice(0, SUMMARY_SERIES).map((line) => `\n• ${line}`).join('');
  return total > SUMMARY_SERIES ? `${shown}\n(+${total - SUMMARY_SERIES} more series)` : shown;
}

function summariseMatrix(rows: { metric: Metric; values: Sample[] }[], maxSeries: number) {
  const series = rows
    .filter((row) => row.values.length > 0)
    .map(({ metric, values }) => {
      const numbers = values.map(([, text]) => parseValue(text)).filter((value) => !Number.isNaN(value));
      const [lastAt, lastText] = values[values.length - 1] as Sample;
      // A loop, not Math.min(...): a range selector can return more samples than a call has arguments.
      const min = numbers.reduce((low, value) => (value < low ? value : low), numbers[0] ?? NaN);
      const max = numbers.reduce((high, value) => (value > high ? value : high), numbers[0] ?? NaN);
      return { metric, min, max, last: parseValue(lastText), lastAt, values };
    })
    .sort((a, b) => descending(a.max, b.max));
  const lines = series.map((s) => `${formatMetric(s.metric)}: last ${formatNumber(s.last)}, min ${formatNumber(s.min)}, max ${formatNumber(s.max)} (${s.values.length} points)`);
  const model = series.slice(0, maxSeries).map((s) => ({
    metric: s.metric,
    points: s.values.length,
    min: modelValue(formatNumber(s.min)),
    max: modelValue(formatNumber(s.max)),
    last: modelValue(formatNumber(s.last)),
    lastAt: isoAt(s.lastAt),
    samples: downsample(s.values, MODEL_POINTS).map(([at, text]) => [at, modelValue(text)]),
  }));
  return { count: series.length, lines, model };
}

/** Turns an API answer into a result: series count and per-series figures for people, capped data for the model. */
export function queryResult(outcome: QueryApiOutcome, context: { target: string; query: string; maxSeries: number; span: string }): PluginResult {
  const { target, query, maxSeries, span } = context;
  const base = { target, query };
  if (outcome.kind === 'failure') return { status: 'error', summary: `Prometheus ${target}: ${outcome.reason}`, data: { ...base, failure: outcome.reason } };
  if (outcome.kind === 'api_error') {
    const { errorType, error } = outcome;
    return { status: 'error', summary: `Prometheus ${target} rejected the query (${errorType}): ${error}`, data: { ...base, errorType, error } };
  }
  const parsed = QueryDataSchema.safeParse(outcome.data);
  if (!parsed.success) return { status: 'error', summary: `Prometheus ${target} answered with an unexpected result shape`, data: base };
  const warnings = outcome.warnings.length > 0 ? { warnings: outcome.warnings.slice(0, 5) } : {};
  const head = `Prometheus ${target} \`${query.length > 100 ? `${query.slice(0, 100)}…` : query}\` ${span}`;
  const result = parsed.data;

  if (result.resultType === 'scalar' || result.resultType === 'string') {
    const [at, text] = result.result;
    const data = { ...base, resultType: result.resultType, value: result.resultType === 'scalar' ? modelValue(text) : text, at: isoAt(at), ...warnings };
    return { status: 'success', summary: `${head}: ${result.resultType} ${text}`, data };
  }
  if (result.resultType === 'vector') {
    const samples = result.result.flatMap(({ metric, value }) => (value ? [{ metric, value }] : []));
    const skipped = result.result.length - samples.length;
    if (samples.length === 0) return { status: 'no_data', summary: `${head}: no series${skipped ? ` (${skipped} histogram series skipped)` : ''}`, data: { ...base, resultType: 'vector', seriesCount: 0, skipped, ...warnings } };
    const sorted = samples.sort((a, b) => descending(parseValue(a.value[1]), parseValue(b.value[1])));
    const lines = sorted.map(({ metric, value }) => `${formatMetric(metric)} = ${formatNumber(parseValue(value[1]))}`);
    const series = sorted.slice(0, maxSeries).map(({ metric, value }) => ({ metric, value: modelValue(value[1]), at: isoAt(value[0]) }));
    const data = { ...base, resultType: 'vector', seriesCount: sorted.length, order: 'value desc', series, truncated: sorted.length > maxSeries, skipped, ...warnings };
    return { status: 'success', summary: `${head}: ${sorted.length} series${seriesLines(lines, sorted.length)}`, data };
  }
  const rows = result.result.map(({ metric, values }) => ({ metric, values: values ?? [] }));
  const { count, lines, model } = summariseMatrix(rows, maxSeries);
  const skipped = rows.length - count;
  if (count === 0) return { status: 'no_data', summary: `${head}: no series`, data: { ...base, resultType: 'matrix', seriesCount: 0, skipped, ...warnings } };
  const data = { ...base, resultType: 'matrix', seriesCount: count, order: 'max desc', series: model, truncated: count > maxSeries, skipped, ...warnings };
  return { status: 'success', summary: `${head}: ${count} series${seriesLines(lines, count)}`, data };
}

const QueryArgsSchema = z
  .object({
    target: z.string().min(1),
    query: z.string().min(1).max(MAX_QUERY_CHARS),
    /** Evaluation time; Prometheus' own default (now) when omitted. */
    time: TimeArgSchema.optional(),
    maxSeries: z.number().int().min(1).max(100).default(20),
  })
  .strict();
type QueryArgs = z.infer<typeof QueryArgsSchema>;

async function instantQuery(args: QueryArgs, ctx: PluginContext): Promise<PluginResult> {
  const target = findQueryApiTarget(ctx.targets, 'prometheus', args.target);
  if (!target) return { status: 'error', summary: unknownQueryApiTargetSummary(ctx.targets, 'prometheus', args.target) };
  const params: Record<string, string> = { query: args.query };
  const atMs = args.time === undefined ? undefined : timeArgMs(args.time, Date.now());
  if (atMs !== undefined) params.time = String(atMs / 1_000);
  const outcome = await getQueryApi(target, '/api/v1/query', params, ctx.signal);
  const span = atMs === undefined ? 'now' : `at ${new Date(atMs).toISOString()}`;
  return queryResult(outcome, { target: args.target, query: args.query, maxSeries: args.maxSeries, span });
}

export default definePlugin({
  id: 'prometheus.query',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    'Run an instant PromQL query against a configured Prometheus and get each series\' current value ' +
    '(highest first, capped at maxSeries). Use to check error rates, saturation, up/down state now. ' +
    '`time` takes now, now-15m, RFC 3339 or unix seconds.',
  summary: (args) => `PromQL on ${args.target}: ${args.query.length > 80 ? `${args.query.slice(0, 80)}…` : args.query}`,
  args: QueryArgsSchema,
  timeoutMs: 20_000,
  idempotent: true,
  run: instantQuery,
});
