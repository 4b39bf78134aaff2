import { constants } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { z } from 'zod';
import {
  findQueryApiTarget,
  formatDuration,
  getQueryApi,
  TimeArgSchema,
  timeArgMs,
  unknownQueryApiTargetSummary,
} from '../../src/plugins/connections/query-api';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';
import type { Targets } from '../../src/plugins/targets';
import { formatMetric } from './prometheus-query';

const MAX_PATTERN_CHARS = 256;
/** Regex input per line: bounds the work one line can cost. */
const MAX_LINE_CHARS = 2_000;
const SHOWN_LINE_CHARS = 500;
const DEFAULT_TAIL_BYTES = 1024 * 1024;
const MAX_TAIL_BYTES = 4 * 1024 * 1024;
const MAX_TOTAL_BYTES = 16 * 1024 * 1024;
const MAX_FILES = 20;
/** Wall time for all regex matching; the worker is killed after it, so a catastrophic pattern cannot hang us. */
export const REGEX_BUDGET_MS = 3_000;
const MAX_LOKI_RANGE_MS = 7 * 86_400_000;
const SUMMARY_LINES = 3;

const SearchArgsSchema = z
  .object({
    host: z.string().min(1).optional(),
    /** One of the host's allowed log files; all of them when omitted. */
    file: z.string().startsWith('/').max(1_024).optional(),
    pattern: z.string().min(1).max(MAX_PATTERN_CHARS).optional(),
    ignoreCase: z.boolean().optional(),
    tailBytes: z.number().int().min(1_024).max(MAX_TAIL_BYTES).optional(),
    loki: z.string().min(1).optional(),
    query: z.string().min(1).max(4_000).optional(),
    start: TimeArgSchema.optional(),
    end: TimeArgSchema.optional(),
    limit: z.number().int().min(1).max(500).default(50),
  })
  .strict()
  .superRefine((args, ctx) => {
    const issue = (path: string, message: string): void => void ctx.addIssue({ code: 'custom', path: [path], message });
    if ((args.host === undefined) === (args.loki === undefined)) issue('host', 'give exactly one of host (its log files) or loki (a Loki target)');
    const only = (fields: (keyof typeof args)[], where: string): void =>
      fields.filter((field) => args[field] !== undefined).forEach((field) => issue(field, `${field} applies to ${where} only`));
    if (args.host !== undefined) {
      if (args.pattern === undefined) issue('pattern', 'pattern (a regular expression) is required with host');
      only(['query', 'start', 'end'], 'loki');
    }
    if (args.loki !== undefined) {
      if (args.query === undefined) issue('query', 'query (LogQL) is required with loki');
      only(['pattern', 'file', 'ignoreCase', 'tailBytes'], 'host log files');
    }
    if (args.pattern !== undefined && !isValidRegExp(args.pattern)) issue('pattern', 'not a valid regular expression');
  });
type SearchArgs = z.infer<typeof SearchArgsSchema>;

function isValidRegExp(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}

const GLOB_CHARS = /[*?[]/;

/** `*`, `?` and `[…]` within one file name; hidden files only when the glob itself starts with a dot. */
function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i += 1) {
    const char = glob.charAt(i);
    const close = char === '[' ? glob.indexOf(']', i + 2) : -1;
    if (char === '*') source += glob.charAt(i - 1) === '*' ? '' : '[^/]*';
    else if (char === '?') source += '[^/]';
    else if (close > 0) {
      const body = glob.slice(i + 1, close).replace(/\\/g, '\\\\');
      source += `[${body.startsWith('!') ? `^${body.slice(1)}` : body}]`;
      i = close;
    } else source += char.replace(/[.+^${}()|\\[\]]/g, '\\$&');
  }
  return new RegExp(`^${glob.startsWith('.') ? '' : '(?!\\.)'}${source}$`);
}

/**
 * The host's allowlist, expanded: absolute paths as written, globs only in the file name and matching
 * only regular files (not symlinks) in that directory. Nothing the caller passes becomes a path.
 */
export async function resolveLogFiles(entries: readonly string[]): Promise<{ files: string[]; problems: string[] }> {
  const files = new Set<string>();
  const problems: string[] = [];
  for (const entry of entries) {
    const dir = dirname(entry);
    const name = basename(entry);
    if (!isAbsolute(entry) || entry.split('/').some((part) => part === '..' || part === '.') || GLOB_CHARS.test(dir)) {
      problems.push(`ignored ${entry}: only absolute paths, or globs in the file name under an absolute directory`);
    } else if (!GLOB_CHARS.test(name)) files.add(entry);
    else {
      const matcher = globToRegExp(name);
      try {
        for (const dirent of await readdir(dir, { withFileTypes: true })) if (dirent.isFile() && matcher.test(dirent.name)) files.add(join(dir, dirent.name));
      } catch (error) {
        problems.push(`cannot list ${dir}: ${error instanceof Error ? error.message : String(error)}`);
      }
    }
  }
  return { files: [...files], problems };
}

/** Newest first, so the byte and file budgets go to the live log rather than old rotations. */
async function newestFirst(files: readonly string[], problems: string[]): Promise<string[]> {
  const stated = await Promise.all(
    files.map((path) =>
      stat(path).then(
        (stats) => ({ path, modifiedMs: stats.mtimeMs }),
        (error: unknown) => void problems.push(`cannot read ${path}: ${error instanceof Error ? error.message : String(error)}`),
      ),
    ),
  );
  return stated.flatMap((entry) => (entry ? [entry] : [])).sort((a, b) => b.modifiedMs - a.modifiedMs).map((entry) => entry.path);
}

interface Tail {
  path: string;
  text: string;
  sizeBytes: number;
  bytesRead: number;
  /** The whole file was read, so line numbers are absolute. */
  complete: boolean;
  modifiedAt: Date;
}

/** The last `maxBytes`, from the start of a line. O_NONBLOCK so a FIFO put in place of a log cannot hang the open. */
async function readTail(path: string, maxBytes: number): Promise<Tail | string> {
  const handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => (error instanceof Error ? error.message : String(error)));
  if (typeof handle === 'string') return `cannot open ${path}: ${handle}`;
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) return `${path} is not a regular file`;
    const length = Math.min(stats.size, maxBytes);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, stats.size - length);
    let text = buffer.subarray(0, bytesRead).toString('utf8');
    const complete = length === stats.size;
    if (!complete) text = text.slice(text.indexOf('\n') + 1);
    return { path, text: text.endsWith('\n') ? text.slice(0, -1) : text, sizeBytes: stats.size, bytesRead, complete, modifiedAt: stats.mtime };
  } finally {
    await handle.close();
  }
}

/** Plain JS run with `eval`: each file's last `keep` matching lines (cut to maxLineChars) and its match count. */
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { pattern, flags, keep, maxLineChars } = workerData;
const regex = new RegExp(pattern, flags);
parentPort.once('message', (texts) => {
  texts.forEach((text, index) => {
    const lines = text.split('\\n');
    const matches = [];
    let total = 0;
    for (let i = 0; i < lines.length; i++) {
      let line = lines[i].endsWith('\\r') ? lines[i].slice(0, -1) : lines[i];
      if (line.length > maxLineChars) line = line.slice(0, maxLineChars);
      if (!regex.test(line)) continue;
      total++;
      matches.push([i, line]);
      if (matches.length > keep) matches.shift();
    }
    parentPort.postMessage({ index, total, lineCount: lines.length, matches });
  });
  parentPort.postMessage({ done: true });
});`;

const WorkerReplySchema = z.union([
  z.object({ done: z.literal(true) }),
  z.object({ index: z.number(), total: z.number(), lineCount: z.number(), matches: z.array(z.tuple([z.number(), z.string()])) }),
]);
type FileMatches = { total: number; lineCount: number; matches: [number, string][] };

function matchInWorker(texts: string[], regex: { pattern: string; flags: string }, keep: number, signal: AbortSignal): Promise<{ results: (FileMatches | undefined)[]; budgetExhausted: boolean }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { ...regex, keep, maxLineChars: MAX_LINE_CHARS } });
    const results: (FileMatches | undefined)[] = [];
    const stop = (): void => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      void worker.terminate();
    };
    const fail = (error: Error): void => {
      stop();
      reject(error);
    };
    const finish = (budgetExhausted: boolean): void => {
      stop();
      resolve({ results, budgetExhausted });
    };
    const onAbort = (): void => fail(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    const timer = setTimeout(() => finish(true), REGEX_BUDGET_MS);
    signal.addEventListener('abort', onAbort, { once: true });
    worker.on('error', fail);
    worker.on('message', (message: unknown) => {
      const reply = WorkerReplySchema.safeParse(message);
      if (!reply.success) fail(new Error('unexpected message from the regex worker'));
      else if ('done' in reply.data) finish(false);
      else results[reply.data.index] = reply.data;
    });
    worker.postMessage(texts);
  });
}

const TIMESTAMP = /\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?|\b[A-Z][a-z]{2} [ \d]\d \d{2}:\d{2}:\d{2}\b/;
const extractTimestamp = (line: string): string | null => TIMESTAMP.exec(line.slice(0, 120))?.[0] ?? null;
const shown = (line: string, max = SHOWN_LINE_CHARS): string => (line.length > max ? `${line.slice(0, max)}…` : line);

async function searchFiles(args: SearchArgs & { host: string; pattern: string }, targets: Targets, signal: AbortSignal): Promise<PluginResult> {
  const host = Object.hasOwn(targets.hosts, args.host) ? targets.hosts[args.host] : undefined;
  if (!host) return { status: 'error', summary: `Unknown host "${args.host}"; configured hosts: ${Object.keys(targets.hosts).join(', ') || 'none'}` };
  if (host.logFiles.length === 0) return { status: 'error', summary: `Host ${args.host} has no logFiles configured` };
  const { files, problems } = await resolveLogFiles(host.logFiles);
  if (args.file !== undefined && !files.includes(args.file)) {
    const allowed = files.length > 0 ? `allowed: ${files.slice(0, 10).join(', ')}` : 'no allowed file exists';
    return { status: 'error', summary: `${args.file} is not an allowed log file on host ${args.host}; ${allowed}` };
  }
  const tailBytes = args.tailBytes ?? DEFAULT_TAIL_BYTES;
  const tails: Tail[] = [];
  let budget = MAX_TOTAL_BYTES;
  for (const path of args.file !== undefined ? [args.file] : await newestFirst(files, problems)) {
    signal.throwIfAborted();
    const tail = await readTail(path, Math.min(tailBytes, budget));
    if (typeof tail === 'string') problems.push(tail);
    else tails.push(tail);
    budget -= typeof tail === 'string' ? 0 : tail.bytesRead;
    if (budget <= 0 || tails.length >= MAX_FILES) break;
  }
  const base = { host: args.host, pattern: args.pattern, ...(problems.length > 0 && { problems }) };
  if (tails.length === 0) return { status: 'no_data', summary: `No readable log files on host ${args.host}${problems[0] ? ` (${problems[0]})` : ''}`, data: base };
  // Oldest file first, so the last matches kept are the most recent ones.
  tails.sort((a, b) => a.modifiedAt.getTime() - b.modifiedAt.getTime());

  const regex = { pattern: args.pattern, flags: args.ignoreCase ? 'i' : '' };
  const { results, budgetExhausted } = await matchInWorker(tails.map((tail) => tail.text), regex, args.limit, signal);
  const matches = tails.flatMap((tail, index) =>
    (results[index]?.matches ?? []).map(([at, text]) => ({
      file: tail.path,
      line: tail.complete ? at + 1 : null,
      lineFromEnd: (results[index]?.lineCount ?? 0) - at,
      timestamp: extractTimestamp(text),
      text: shown(text),
    })),
  ).slice(-args.limit);
  const totalMatches = results.reduce((sum, result) => sum + (result?.total ?? 0), 0);
  const fileData = tails.map((tail, index) => ({
    path: tail.path, sizeBytes: tail.sizeBytes, bytesRead: tail.bytesRead, complete: tail.complete,
    modifiedAt: tail.modifiedAt.toISOString(), matches: results[index]?.total ?? null,
  }));
  const data = { ...base, ignoreCase: args.ignoreCase ?? false, totalMatches, budgetExhausted, files: fileData, matches };
  const where = `/${shown(args.pattern, 60)}/ in the last ${Math.round(tailBytes / 1024)} KiB of ${tails.length} log file(s) on ${args.host}`;
  if (budgetExhausted && totalMatches === 0) {
    return { status: 'error', summary: `Regex search for ${where} stopped after ${REGEX_BUDGET_MS} ms without a match; simplify the pattern`, data };
  }
  if (totalMatches === 0) return { status: 'no_data', summary: `No matches for ${where}`, data };
  const partial = budgetExhausted ? ` (stopped after the ${REGEX_BUDGET_MS} ms regex budget; partial)` : '';
  const latest = matches.slice(-SUMMARY_LINES).map((m) => `\n• ${basename(m.file)}:${m.line ?? `-${m.lineFromEnd}`} ${shown(m.text, 200)}`);
  return { status: 'success', summary: `${totalMatches} matches for ${where}${partial}; latest:${latest.join('')}`, data };
}

const LokiDataSchema = z.object({
  resultType: z.string(),
  result: z.array(z.object({ stream: z.record(z.string(), z.string()), values: z.array(z.tuple([z.string().regex(/^\d{1,30}$/), z.string()]).rest(z.unknown())) })).optional(),
});

const nsToIso = (ns: string): string => new Date(Number(BigInt(ns) / 1_000_000n)).toISOString();
const byNewest = (a: { ns: string }, b: { ns: string }): number => b.ns.length - a.ns.length || (b.ns > a.ns ? 1 : b.ns < a.ns ? -1 : 0);

async function searchLoki(args: SearchArgs & { loki: string; query: string }, targets: Targets, signal: AbortSignal): Promise<PluginResult> {
  const target = findQueryApiTarget(targets, 'loki', args.loki);
  if (!target) return { status: 'error', summary: unknownQueryApiTargetSummary(targets, 'loki', args.loki) };
  const nowMs = Date.now();
  const startMs = timeArgMs(args.start ?? 'now-1h', nowMs);
  const endMs = timeArgMs(args.end ?? 'now', nowMs);
  const base = { loki: args.loki, query: args.query, start: new Date(startMs).toISOString(), end: new Date(endMs).toISOString() };
  if (!(endMs > startMs) || endMs - startMs > MAX_LOKI_RANGE_MS) {
    return { status: 'error', summary: `Invalid time range for Loki ${args.loki}: end must be after start and within ${formatDuration(MAX_LOKI_RANGE_MS)}`, data: base };
  }
  const ns = (ms: number): string => (BigInt(Math.round(ms)) * 1_000_000n).toString();
  const params = { query: args.query, start: ns(startMs), end: ns(endMs), limit: String(args.limit), direction: 'backward' };
  const outcome = await getQueryApi(target, '/loki/api/v1/query_range', params, signal);
  if (outcome.kind === 'failure') return { status: 'error', summary: `Loki ${args.loki}: ${outcome.reason}`, data: { ...base, failure: outcome.reason } };
  if (outcome.kind === 'api_error') {
    const { errorType, error } = outcome;
    return { status: 'error', summary: `Loki ${args.loki} rejected the query (${errorType}): ${error}`, data: { ...base, errorType, error } };
  }
  const parsed = LokiDataSchema.safeParse(outcome.data);
  if (!parsed.success || parsed.data.resultType !== 'streams' || !parsed.data.result) {
    const kind = parsed.success ? `a ${parsed.data.resultType} result` : 'an unexpected result shape';
    return { status: 'error', summary: `Loki ${args.loki} returned ${kind}; logs.search needs a log query such as {app="api"} |= "error"`, data: base };
  }
  const streams = parsed.data.result;
  const entries = streams
    .flatMap(({ values }, stream) => values.map(([entryNs, line]) => ({ stream, ns: entryNs, line })))
    .sort(byNewest)
    .slice(0, args.limit);
  const span = `over ${formatDuration(endMs - startMs)} to ${base.end}`;
  if (entries.length === 0) return { status: 'no_data', summary: `No log lines in Loki ${args.loki} for \`${shown(args.query, 100)}\` ${span}`, data: { ...base, lineCount: 0, streams: [] } };
  // Streams in the order of their newest line, so the liveliest comes first.
  const groups = new Map<number, { labels: Record<string, string>; lines: { time: string; line: string }[] }>();
  for (const entry of entries) {
    const group = groups.get(entry.stream) ?? { labels: streams[entry.stream]?.stream ?? {}, lines: [] };
    group.lines.push({ time: nsToIso(entry.ns), line: shown(entry.line) });
    groups.set(entry.stream, group);
  }
  const grouped = [...groups.values()];
  const latest = entries.slice(0, SUMMARY_LINES).map((e) => `\n• ${nsToIso(e.ns)} ${formatMetric(streams[e.stream]?.stream ?? {})} ${shown(e.line, 200)}`);
  const summary = `${entries.length} log lines from ${grouped.length} stream(s) in Loki ${args.loki} for \`${shown(args.query, 100)}\` ${span}; latest:${latest.join('')}`;
  return { status: 'success', summary, data: { ...base, lineCount: entries.length, streams: grouped } };
}

function search(args: SearchArgs, ctx: PluginContext): Promise<PluginResult> {
  const { host, pattern, loki, query } = args;
  if (host !== undefined && pattern !== undefined) return searchFiles({ ...args, host, pattern }, ctx.targets, ctx.signal);
  if (loki !== undefined && query !== undefined) return searchLoki({ ...args, loki, query }, ctx.targets, ctx.signal);
  // The schema's refinement makes this unreachable.
  throw new Error('logs.search needs host+pattern or loki+query');
}

export default definePlugin({
  id: 'logs.search',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    'Search logs. With `host` and `pattern`: a regular expression over the tail (tailBytes, default 1 MiB) of the ' +
    "host's configured log files (or one of them, `file`), returning the latest `limit` matches with line numbers " +
    'and timestamps. With `loki` and `query`: a LogQL log query over start..end (default the last hour), newest first. ' +
    'Use to find errors around an incident.',
  summary: (args) =>
    args.loki !== undefined ? `Search Loki ${args.loki}: ${shown(args.query ?? '', 80)}` : `Search logs on ${args.host ?? '?'} for /${shown(args.pattern ?? '', 60)}/`,
  args: SearchArgsSchema,
  timeoutMs: 20_000,
  idempotent: true,
  // Log lines can carry anything an application prints.
  sensitiveOutput: true,
  run: search,
});
