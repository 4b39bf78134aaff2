import { z } from 'zod';
import {
  DurationArgSchema,
  durationArgMs,
  findQueryApiTarget,
  formatDuration,
  getQueryApi,
  TimeArgSchema,
  timeArgMs,
  unknownQueryApiTargetSummary,
} from '../../src/plugins/connections/query-api';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';
import { MAX_QUERY_CHARS, queryResult } from './prometheus-query';

/** Per series; Prometheus itself allows 11,000, far more than a person or a prompt can use. */
export const MAX_POINTS = 1_000;
const MAX_RANGE_MS = 7 * 86_400_000;
/** The default step aims at about this many points. */
const DEFAULT_POINTS = 240;
const NICE_STEPS_S = [1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1_800, 3_600, 7_200, 10_800, 21_600, 43_200, 86_400];

const RangeArgsSchema = z
  .object({
    target: z.string().min(1),
    query: z.string().min(1).max(MAX_QUERY_CHARS),
    start: TimeArgSchema.default('now-1h'),
    end: TimeArgSchema.default('now'),
    /** Resolution; chosen for about 240 points when omitted. */
    step: DurationArgSchema.optional(),
    maxSeries: z.number().int().min(1).max(100).default(20),
  })
  .strict();
type RangeArgs = z.infer<typeof RangeArgsSchema>;

function defaultStepMs(rangeMs: number): number {
  const wanted = rangeMs / 1_000 / DEFAULT_POINTS;
  return (NICE_STEPS_S.find((step) => step >= wanted) ?? NICE_STEPS_S[NICE_STEPS_S.length - 1] ?? 86_400) * 1_000;
}

/** Bad ranges are the model's expected mistakes: results that say how to fix them, not throws. */
function resolveWindow(args: RangeArgs, nowMs: number): { startMs: number; endMs: number; stepMs: number } | { problem: string } {
  const startMs = timeArgMs(args.start, nowMs);
  const endMs = timeArgMs(args.end, nowMs);
  if (!(endMs > startMs)) return { problem: 'end must be after start' };
  const rangeMs = endMs - startMs;
  if (rangeMs > MAX_RANGE_MS) return { problem: `range ${formatDuration(rangeMs)} exceeds the ${formatDuration(MAX_RANGE_MS)} maximum` };
  const stepMs = args.step === undefined ? defaultStepMs(rangeMs) : durationArgMs(args.step);
  const points = Math.floor(rangeMs / stepMs) + 1;
  if (points > MAX_POINTS) {
    const minStep = Math.ceil(rangeMs / 1_000 / (MAX_POINTS - 1));
    return { problem: `${points} points per series exceeds the ${MAX_POINTS} maximum; use step ≥ ${minStep}s` };
  }
  return { startMs, endMs, stepMs };
}

async function rangeQuery(args: RangeArgs, ctx: PluginContext): Promise<PluginResult> {
  const target = findQueryApiTarget(ctx.targets, 'prometheus', args.target);
  if (!target) return { status: 'error', summary: unknownQueryApiTargetSummary(ctx.targets, 'prometheus', args.target) };
  const resolved = resolveWindow(args, Date.now());
  if ('problem' in resolved) return { status: 'error', summary: `Invalid range for ${args.target}: ${resolved.problem}`, data: { target: args.target, query: args.query } };
  const { startMs, endMs, stepMs } = resolved;
  const params = { query: args.query, start: String(startMs / 1_000), end: String(endMs / 1_000), step: String(stepMs / 1_000) };
  const outcome = await getQueryApi(target, '/api/v1/query_range', params, ctx.signal);
  const span = `over ${formatDuration(endMs - startMs)} to ${new Date(endMs).toISOString()} (step ${formatDuration(stepMs)})`;
  const result = queryResult(outcome, { target: args.target, query: args.query, maxSeries: args.maxSeries, span });
  const windowData = { start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString(), stepSeconds: stepMs / 1_000 };
  return { ...result, data: { ...result.data, ...windowData } };
}

export default definePlugin({
  id: 'prometheus.query_range',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    'Run a PromQL range query against a configured Prometheus and get, per series, min/max/last and a ' +
    `downsampled curve (series with the highest peak first). Range ≤ 7d, ≤ ${MAX_POINTS} points per series. ` +
    'Use to see when a metric changed. start/end take now, now-1h, RFC 3339 or unix seconds; step takes 30s, 5m or seconds.',
  summary: (args) => `PromQL range on ${args.target} (${String(args.start)} → ${String(args.end)}): ${args.query.length > 80 ? `${args.query.slice(0, 80)}…` : args.query}`,
  args: RangeArgsSchema,
  timeoutMs: 30_000,
  idempotent: true,
  run: rangeQuery,
});
