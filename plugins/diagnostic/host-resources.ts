import { access, constants, readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { z } from 'zod';
import { runAllowed } from '../../src/plugins/connections/commands';
import { definePlugin } from '../../src/plugins/plugin';
import type { PluginContext, PluginResult } from '../../src/plugins/plugin';
import type { Targets } from '../../src/plugins/targets';

export type HostTarget = Targets['hosts'][string];

export function findHostTarget(targets: Targets, name: string): HostTarget | undefined {
  return Object.hasOwn(targets.hosts, name) ? targets.hosts[name] : undefined;
}

export function unknownHostSummary(targets: Targets, name: string): string {
  const names = Object.keys(targets.hosts);
  const configured = names.length > 0 ? `configured hosts: ${names.join(', ')}` : 'no hosts are configured';
  return `Unknown host "${name}"; ${configured}`;
}

/**
 * The only programs this plugin runs: read-only, with argv fixed here, never taken from args or config.
 * df stays on local filesystems (a dead NFS mount would hang it) and skips squashfs images, always 100 % full.
 */
const DF = { paths: ['/usr/bin/df', '/bin/df'], argv: ['-P', '-k', '-l', '-x', 'squashfs', '-x', 'devtmpfs'] };
/** `comm`, not `args`: command lines can carry secrets. */
const PS = { paths: ['/usr/bin/ps', '/bin/ps'], argv: ['-eo', 'pid=,user=,pcpu=,pmem=,rss=,comm='] };
const COMMAND_TIMEOUT_MS = 10_000;
const MAX_OUTPUT_BYTES = 1024 * 1024;
const MAX_MOUNTS = 50;

const ArgsSchema = z
  .object({
    target: z.string().min(1),
    /** A mount at or above this use is a finding. */
    diskWarnPercent: z.number().int().min(1).max(100).default(90),
    /** Available memory at or below this share of the total is a finding. */
    memoryAvailableWarnPercent: z.number().int().min(1).max(100).default(10),
    /** 5-minute load per CPU at or above this is a finding. */
    loadPerCpuWarn: z.number().positive().max(100).default(2),
    /** How many processes to list by memory and by CPU. */
    top: z.number().int().min(1).max(20).default(5),
  })
  .strict();
type Args = z.infer<typeof ArgsSchema>;

interface Mount { filesystem: string; mount: string; sizeBytes: number; usedBytes: number; availableBytes: number; usedPercent: number }
interface Memory { totalBytes: number; availableBytes: number; availablePercent: number; swapTotalBytes: number; swapUsedBytes: number }
interface Load { load1: number; load5: number; load15: number; cpus: number }
interface Proc { pid: number; user: string; command: string; cpuPercent: number; memPercent: number; rssBytes: number }
type Part<T> = { value: T } | { problem: string };

async function firstExecutable(paths: string[]): Promise<string | undefined> {
  for (const path of paths) {
    try {
      await access(path, constants.X_OK);
      return path;
    } catch {
      // Try the next location.
    }
  }
  return undefined;
}

async function runFixed(name: string, spec: { paths: string[]; argv: string[] }, signal: AbortSignal): Promise<Part<string>> {
  const program = await firstExecutable(spec.paths);
  if (!program) return { problem: `${name}: not found at ${spec.paths.join(' or ')}` };
  const run = await runAllowed(program, spec.argv, { timeoutMs: COMMAND_TIMEOUT_MS, signal, maxOutputBytes: MAX_OUTPUT_BYTES });
  if (run.startError) return { problem: `${name}: could not start (${run.startError})` };
  if (run.timedOut) return { problem: `${name}: timed out after ${COMMAND_TIMEOUT_MS} ms` };
  // df exits non-zero when one mount is unreadable but still reports the others.
  if (run.stdout.trim() === '') return { problem: `${name}: exit ${run.exitCode ?? run.signal}: ${run.stderr.trim().slice(0, 200)}` };
  return { value: run.stdout };
}

async function readProc(path: string, signal: AbortSignal): Promise<Part<string>> {
  try {
    return { value: await readFile(path, { encoding: 'utf8', signal }) };
  } catch (error) {
    if (signal.aborted) throw error;
    return { problem: `${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
}

function parseDf(text: string): Mount[] {
  const mounts: Mount[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^(\S+)\s+(\d+)\s+(\d+)\s+(\d+)\s+(\d+)%\s+(\/.*)$/.exec(line);
    if (!m) continue;
    const [, filesystem = '', size = '0', used = '0', available = '0', percent = '0', mount = ''] = m;
    mounts.push({ filesystem, mount, sizeBytes: +size * 1024, usedBytes: +used * 1024, availableBytes: +available * 1024, usedPercent: +percent });
  }
  return mounts.sort((a, b) => b.usedPercent - a.usedPercent);
}

function parseMeminfo(text: string): Memory | undefined {
  const kb = (key: string): number | undefined => {
    const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(text);
    return m?.[1] === undefined ? undefined : Number(m[1]) * 1024;
  };
  const totalBytes = kb('MemTotal');
  const availableBytes = kb('MemAvailable') ?? kb('MemFree');
  if (!totalBytes || availableBytes === undefined) return undefined;
  const swapTotalBytes = kb('SwapTotal') ?? 0;
  const swapUsedBytes = swapTotalBytes - (kb('SwapFree') ?? swapTotalBytes);
  const availablePercent = Math.round((availableBytes / totalBytes) * 1000) / 10;
  return { totalBytes, availableBytes, availablePercent, swapTotalBytes, swapUsedBytes };
}

function parseLoadavg(text: string): Load | undefined {
  const [load1, load5, load15] = text.trim().split(/\s+/).slice(0, 3).map(Number);
  if (load1 === undefined || load5 === undefined || load15 === undefined || [load1, load5, load15].some(Number.isNaN)) return undefined;
  return { load1, load5, load15, cpus: availableParallelism() };
}

function parsePs(text: string): Proc[] {
  const procs: Proc[] = [];
  for (const line of text.split('\n')) {
    const m = /^\s*(\d+)\s+(\S+)\s+([\d.]+)\s+([\d.]+)\s+(\d+)\s+(.+)$/.exec(line);
    if (!m) continue;
    const [, pid = '0', user = '', cpu = '0', mem = '0', rss = '0', command = ''] = m;
    procs.push({ pid: +pid, user, command, cpuPercent: +cpu, memPercent: +mem, rssBytes: +rss * 1024 });
  }
  return procs;
}

function gib(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

function findingsFor(args: Args, mounts: Mount[], memory: Memory | undefined, load: Load | undefined): string[] {
  const findings = mounts
    .filter((m) => m.usedPercent >= args.diskWarnPercent)
    .map((m) => `${m.mount} is ${m.usedPercent} % full (≥ ${args.diskWarnPercent} %), ${gib(m.availableBytes)} free`);
  if (memory && memory.availablePercent <= args.memoryAvailableWarnPercent) {
    findings.push(`memory available ${memory.availablePercent} % (≤ ${args.memoryAvailableWarnPercent} %), ${gib(memory.availableBytes)} of ${gib(memory.totalBytes)}`);
  }
  if (load && load.load5 / load.cpus >= args.loadPerCpuWarn) {
    findings.push(`load ${load.load5} over 5 min on ${load.cpus} CPUs (≥ ${args.loadPerCpuWarn} per CPU)`);
  }
  return findings;
}

async function inspect(args: Args, ctx: PluginContext): Promise<PluginResult> {
  if (!findHostTarget(ctx.targets, args.target)) return { status: 'error', summary: unknownHostSummary(ctx.targets, args.target) };
  const { signal } = ctx;
  const [df, meminfo, loadavg, ps] = await Promise.all([
    runFixed('df', DF, signal),
    readProc('/proc/meminfo', signal),
    readProc('/proc/loadavg', signal),
    runFixed('ps', PS, signal),
  ]);
  const unavailable = [df, meminfo, loadavg, ps].flatMap((part) => ('problem' in part ? [part.problem] : []));
  const allMounts = 'value' in df ? parseDf(df.value) : [];
  const memory = 'value' in meminfo ? parseMeminfo(meminfo.value) : undefined;
  const load = 'value' in loadavg ? parseLoadavg(loadavg.value) : undefined;
  const procs = 'value' in ps ? parsePs(ps.value) : [];
  if (allMounts.length === 0 && !memory && !load && procs.length === 0) {
    return { status: 'error', summary: `Could not read resources on ${args.target}`, data: { target: args.target, unavailable } };
  }
  const findings = findingsFor(args, allMounts, memory, load);
  const data = {
    target: args.target,
    findings,
    disks: allMounts.slice(0, MAX_MOUNTS),
    ...(allMounts.length > MAX_MOUNTS && { disksOmitted: allMounts.length - MAX_MOUNTS }),
    memory: memory ?? null,
    load: load ?? null,
    topByMemory: [...procs].sort((a, b) => b.rssBytes - a.rssBytes).slice(0, args.top),
    // ps reports CPU averaged over each process's lifetime, not an instant sample.
    topByCpu: [...procs].sort((a, b) => b.cpuPercent - a.cpuPercent).slice(0, args.top),
    unavailable,
  };
  // Findings fail the check, like an unhealthy probe, so a verification step passes only once they clear.
  if (findings.length > 0) return { status: 'error', summary: `${args.target}: ${findings.join('; ')}`, data };
  const fullest = allMounts[0];
  const parts = [
    fullest && `disk max ${fullest.usedPercent} % (${fullest.mount})`,
    memory && `memory available ${memory.availablePercent} %`,
    load && `load ${load.load5}/${load.cpus} CPUs`,
    unavailable.length > 0 && `unavailable: ${unavailable.join('; ')}`,
  ].filter(Boolean);
  return { status: 'success', summary: `${args.target}: no findings (${parts.join(', ')})`, data };
}

export default definePlugin({
  id: 'host.resources',
  version: 1,
  category: 'diagnostic',
  risk: 'read-only',
  description:
    'Read resource use on a configured host (the machine the bot runs on): disk use per local mount, memory and swap, ' +
    'load averages against CPU count, and the top processes by memory and CPU. Mounts at or above diskWarnPercent, low ' +
    'available memory and high load are findings and make the result an error. Use for "disk full", OOM, slowness.',
  summary: (args) => `Check disk, memory and load on ${args.target}`,
  args: ArgsSchema,
  timeoutMs: 20_000,
  idempotent: true,
  run: inspect,
});
