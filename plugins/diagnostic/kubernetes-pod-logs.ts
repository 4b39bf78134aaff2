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

const REDACTED = '[redacted]';
const EXCERPT_CHARS = 200;

/**
 * Log text goes to the model and the chat, so anything that looks like a credential is masked first.
 * Each pattern keeps enough context (the key name, the scheme) to stay readable.
 */
const SECRET_PATTERNS: { pattern: RegExp; replace: string }[] = [
  { pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, replace: REDACTED },
  { pattern: /\b(bearer|basic)\s+[A-Za-z0-9._~+/=-]{8,}/gi, replace: `$1 ${REDACTED}` },
  { pattern: /\beyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}/g, replace: REDACTED },
  { pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/g, replace: REDACTED },
  { pattern: /\b(gh[pousr]_[A-Za-z0-9]{30,}|xox[abprs]-[A-Za-z0-9-]{10,}|sk-[A-Za-z0-9_-]{20,}|glpat-[A-Za-z0-9_-]{20,})/g, replace: REDACTED },
  { pattern: /\b([a-z][a-z0-9+.-]*:\/\/[^\s:/@]+):[^\s@/]+@/gi, replace: `$1:${REDACTED}@` },
  {
    pattern: /(["']?[\w.-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credentials?)["']?\s*[:=]\s*)("[^"]*"|'[^']*'|[^\s,;&]+)/gi,
    replace: `$1${REDACTED}`,
  },
];

export function redactSecrets(text: string): { text: string; redactions: number } {
  let redactions = 0;
  let result = text;
  for (const { pattern, replace } of SECRET_PATTERNS) {
    redactions += result.match(pattern)?.length ?? 0;
    result = result.replace(pattern, replace);
  }
  return { text: result, redactions };
}

const PodLogsArgsSchema = z
  .object({
    target: TargetNameSchema,
    namespace: NamespaceSchema,
    pod: ObjectNameSchema,
    container: ObjectNameSchema.optional().describe('Required when the pod has more than one container'),
    previous: z.boolean().default(false).describe('Logs of the previous (crashed) container instance'),
    tailLines: z.number().int().min(1).max(2000).default(200),
    maxBytes: z.number().int().min(1024).max(256 * 1024).default(64 * 1024),
  })
  .strict();
type PodLogsArgs = z.infer<typeof PodLogsArgsSchema>;

function describe(args: PodLogsArgs): string {
  const container = args.container ? ` (${args.container})` : '';
  return `${args.namespace}/${args.pod}${container}${args.previous ? ', previous container' : ''}`;
}

/** Drops a partial last UTF-8 character and the partial last line a byte cap may leave. */
function capBytes(text: string, maxBytes: number): { text: string; truncated: boolean } {
  const bytes = Buffer.from(text);
  if (bytes.byteLength < maxBytes) return { text, truncated: false };
  const cut = bytes.subarray(0, maxBytes).toString('utf8').replace(/\uFFFD$/, '');
  const lastNewline = cut.lastIndexOf('\n');
  return { text: lastNewline > 0 ? cut.slice(0, lastNewline + 1) : cut, truncated: true };
}

async function readLogs(args: PodLogsArgs, ctx: PluginContext): Promise<PluginResult> {
  const kube = connectKubernetes(ctx, args.target, args.namespace);
  if ('problem' in kube) return refused(kube.problem);
  return kubernetesResult(ctx, `Reading logs of ${describe(args)}`, async () => {
    const raw = await kube.core.readNamespacedPodLog({
      namespace: args.namespace,
      name: args.pod,
      container: args.container,
      previous: args.previous,
      tailLines: args.tailLines,
      limitBytes: args.maxBytes,
    });
    // The server honours limitBytes, but the cap must hold whatever it sends.
    const capped = capBytes(raw, args.maxBytes);
    const { text, redactions } = redactSecrets(capped.text);
    const lines = text.split('\n').filter((line) => line.length > 0);
    const data = { pod: args.pod, container: args.container ?? null, previous: args.previous, lines: lines.length, truncated: capped.truncated, redactions, text };
    if (lines.length === 0) return { status: 'no_data', summary: `No log lines from ${describe(args)}`, data };
    const last = (lines[lines.length - 1] ?? '').trim();
    const excerpt = last.length > EXCERPT_CHARS ? `${last.slice(0, EXCERPT_CHARS)}…` : last;
    const notes = [capped.truncated ? `capped at ${args.maxBytes} bytes` : '', redactions > 0 ? `${redactions} secrets redacted` : ''].filter(Boolean);
    const noted = notes.length > 0 ? ` (${notes.join(', ')})` : '';
    return { status: 'success', summary: `${lines.length} log lines from ${describe(args)}${noted}; last: ${excerpt}`, data };
  });
}

export default definePlugin({
  id: 'kubernetes.pod_logs',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    "The last lines of a pod's log in an allowed namespace of a kubernetes target, optionally of the previous (crashed) " +
    'container instance; capped in lines and bytes, with credential-looking values redacted. Use after kubernetes.pods ' +
    'shows restarts or CrashLoopBackOff.',
  summary: (args) => `Read logs of ${describe(args)} on ${args.target}`,
  args: PodLogsArgsSchema,
  timeoutMs: 15_000,
  idempotent: true,
  // Log lines can carry anything an application prints.
  sensitiveOutput: true,
  run: readLogs,
});
