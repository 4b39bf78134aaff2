import type { CoreV1Event } from '@kubernetes/client-node';
import { z } from 'zod';
import {
  connectKubernetes,
  kubernetesResult,
  NamespaceSchema,
  ObjectNameSchema,
  refused,
  TargetNameSchema,
} from '../../src/plugins/connections/kubernetes';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';

/** Caps what is fetched; a namespace with more events than this is reported as truncated. */
const FETCH_LIMIT = 1000;
const MESSAGE_CHARS = 300;
const SUMMARY_EVENTS = 3;

const EventsArgsSchema = z
  .object({
    target: TargetNameSchema,
    namespace: NamespaceSchema,
    kind: z.string().regex(/^[A-Z][A-Za-z]{1,62}$/, 'a kind such as Pod or Deployment').optional(),
    name: ObjectNameSchema.optional().describe('The involved object; all objects in the namespace when omitted'),
    includeNormal: z.boolean().default(false).describe('Also Normal events; by default only Warning events'),
    sinceMinutes: z.number().int().min(1).max(1440).default(60),
    limit: z.number().int().min(1).max(100).default(20),
  })
  .strict();
type EventsArgs = z.infer<typeof EventsArgsSchema>;

interface EventSummary {
  type: string;
  reason: string;
  object: string;
  message: string;
  count: number;
  lastSeen: string | null;
}

/** Events from older and newer recorders fill different time fields. */
function lastSeen(event: CoreV1Event): Date | undefined {
  const candidates: unknown[] = [event.series?.lastObservedTime, event.lastTimestamp, event.eventTime, event.firstTimestamp, event.metadata.creationTimestamp];
  return candidates.find((value): value is Date => value instanceof Date && !Number.isNaN(value.getTime()));
}

function summarize(event: CoreV1Event): EventSummary {
  const message = (event.message ?? '').replace(/\s+/g, ' ').trim();
  const seen = lastSeen(event);
  return {
    type: event.type ?? 'Normal',
    reason: event.reason ?? '',
    object: `${event.involvedObject.kind ?? '?'}/${event.involvedObject.name ?? '?'}`,
    message: message.length > MESSAGE_CHARS ? `${message.slice(0, MESSAGE_CHARS)}…` : message,
    count: event.series?.count ?? event.count ?? 1,
    lastSeen: seen ? seen.toISOString() : null,
  };
}

function fieldSelector(args: EventsArgs): string | undefined {
  const terms = [
    ...(args.includeNormal ? [] : ['type=Warning']),
    ...(args.kind ? [`involvedObject.kind=${args.kind}`] : []),
    ...(args.name ? [`involvedObject.name=${args.name}`] : []),
  ];
  return terms.length > 0 ? terms.join(',') : undefined;
}

function scope(args: EventsArgs): string {
  const object = args.name ? ` for ${args.kind ?? 'object'} ${args.name}` : args.kind ? ` for ${args.kind}s` : '';
  return `${args.namespace}${object}`;
}

async function listEvents(args: EventsArgs, ctx: PluginContext): Promise<PluginResult> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return refused(kube.problem);
  const kind = args.includeNormal ? 'events' : 'warning events';
  return kubernetesResult(ctx, `Listing events in ${args.namespace}`, async () => {
    const list = await kube.core.listNamespacedEvent({ namespace: args.namespace, fieldSelector: fieldSelector(args), limit: FETCH_LIMIT });
    const since = Date.now() - args.sinceMinutes * 60_000;
    const recent = list.items
      .map((event) => ({ event, at: lastSeen(event)?.getTime() ?? 0 }))
      .filter(({ at }) => at >= since)
      .sort((a, b) => b.at - a.at);
    const events = recent.slice(0, args.limit).map(({ event }) => summarize(event));
    const data = { namespace: args.namespace, total: recent.length, truncated: list.metadata?._continue !== undefined, events };
    const window = `in the last ${args.sinceMinutes} min`;
    if (events.length === 0) return { status: 'no_data', summary: `No ${kind} in ${scope(args)} ${window}`, data };
    const shown = events
      .slice(0, SUMMARY_EVENTS)
      .map((event) => `${event.object} ${event.reason}${event.count > 1 ? ` ×${event.count}` : ''}: ${event.message.slice(0, 100)}`)
      .join(' | ');
    return { status: 'success', summary: `${recent.length} ${kind} in ${scope(args)} ${window} — ${shown}`, data };
  });
}

export default definePlugin({
  id: 'kubernetes.events',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    'Recent events (Warning only unless includeNormal) in an allowed namespace of a kubernetes target, for one object ' +
    '(kind and/or name) or the whole namespace, newest first and capped: BackOff, FailedScheduling, Unhealthy probes, OOM …',
  summary: (args) => `Recent ${args.includeNormal ? '' : 'warning '}events in ${scope(args)} on ${args.target}`,
  args: EventsArgsSchema,
  timeoutMs: 15_000,
  idempotent: true,
  run: listEvents,
});
