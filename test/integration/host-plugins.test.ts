import { chmod, copyFile, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import hostResources from '../../plugins/diagnostic/host-resources';
import shellRun, { redactSecrets } from '../../plugins/remediation/shell-run';
import restartUnit from '../../plugins/remediation/systemd-restart-unit';
import { runAllowed } from '../../src/plugins/connections/commands';
import type { PluginContext } from '../../src/plugins/plugin';
import { runPlugin } from '../../src/plugins/run-plugin';
import { TargetsSchema } from '../../src/plugins/targets';

const logger = pino({ level: 'silent' });
const FIXTURES = join(import.meta.dirname, '../fixtures/bin');
const SECRET_ENV = 'AI_FIXER_HOST_PLUGINS_TEST_SECRET';

/** Copies the fixture programs to a fresh directory (they record calls next to themselves) and makes them executable. */
async function installFixtures(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'host-plugins-'));
  for (const name of await readdir(FIXTURES)) {
    await copyFile(join(FIXTURES, name), join(dir, name));
    await chmod(join(dir, name), 0o755);
  }
  return dir;
}

function contextFor(bin: string, signal = new AbortController().signal): PluginContext {
  const targets = TargetsSchema.parse({
    hosts: {
      local: {
        units: ['nginx.service', 'broken.service', 'worker@1'],
        commands: {
          systemctl: { program: join(bin, 'systemctl') },
          greet: { program: join(bin, 'echo-args'), argv: ['--name', '{name}', 'literal {brace'], args: [{ name: 'name', pattern: '[a-z]+' }], risk: 'low' },
          note: { program: join(bin, 'echo-args'), argv: ['{text}'], args: [{ name: 'text', pattern: '.+' }] },
          shift: { program: join(bin, 'echo-args'), argv: ['{by}', '{delta}'], args: [{ name: 'by', pattern: '[0-9-]+' }, { name: 'delta', pattern: '-?[0-9]+' }] },
          broken_pattern: { program: join(bin, 'echo-args'), argv: ['{x}'], args: [{ name: 'x', pattern: 'a)|(.*' }] },
          undeclared: { program: join(bin, 'echo-args'), argv: ['{ghost}'] },
          nap: { program: join(bin, 'sleeper'), timeoutMs: 300, risk: 'high' },
          chatty: { program: join(bin, 'chatty') },
          env: { program: '/usr/bin/env' },
          missing: { program: join(bin, 'no-such-program') },
        },
      },
      bare: {},
    },
  });
  return { signal, logger, targets };
}

async function recordedCalls(bin: string, program: string): Promise<string[][]> {
  const text = await readFile(join(bin, `${program}.calls`), 'utf8').catch(() => '');
  return text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => line.split('|').slice(0, -1));
}

/** Gone, or a zombie waiting for init to reap it. */
function isAlive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

describe('host.resources on this machine', () => {
  const ctx: PluginContext = { signal: new AbortController().signal, logger, targets: TargetsSchema.parse({ hosts: { local: {} } }) };

  it('reports disks, memory, load and top processes', async () => {
    const result = await runPlugin(hostResources, { target: 'local', top: 3 }, ctx);
    const data = result.data as {
      findings: string[];
      disks: { mount: string; sizeBytes: number; usedPercent: number }[];
      memory: { totalBytes: number; availableBytes: number; swapTotalBytes: number };
      load: { load1: number; load5: number; cpus: number };
      topByMemory: { pid: number; command: string; rssBytes: number }[];
      topByCpu: { pid: number; cpuPercent: number }[];
      unavailable: string[];
    };
    expect(data.unavailable).toEqual([]);
    expect(result.status).toBe(data.findings.length > 0 ? 'error' : 'success');
    expect(data.disks.some((d) => d.mount === '/')).toBe(true);
    for (const disk of data.disks) {
      expect(disk.sizeBytes).toBeGreaterThan(0);
      expect(disk.usedPercent).toBeGreaterThanOrEqual(0);
      expect(disk.usedPercent).toBeLessThanOrEqual(100);
    }
    expect(data.memory.totalBytes).toBeGreaterThan(64 * 1024 ** 2);
    expect(data.memory.availableBytes).toBeLessThanOrEqual(data.memory.totalBytes);
    expect(data.load.cpus).toBeGreaterThanOrEqual(1);
    expect(data.load.load5).toBeGreaterThanOrEqual(0);
    expect(data.topByMemory.length).toBeGreaterThan(0);
    expect(data.topByMemory.length).toBeLessThanOrEqual(3);
    expect(data.topByMemory.some((p) => p.pid === process.pid || p.command.includes('node'))).toBe(true);
    expect(data.topByCpu.length).toBeLessThanOrEqual(3);
  });

  it('marks a mount over the threshold as a finding, and refuses unknown hosts', async () => {
    const result = await runPlugin(hostResources, { target: 'local', diskWarnPercent: 1 }, ctx);
    expect(result.status).toBe('error');
    expect((result.data as { findings: string[] }).findings.some((f) => f.startsWith('/ is '))).toBe(true);

    const unknown = await runPlugin(hostResources, { target: 'elsewhere' }, ctx);
    expect(unknown).toMatchObject({ status: 'error', summary: 'Unknown host "elsewhere"; configured hosts: local' });
  });
});

describe('host plugins with fake programs', () => {
  let bin: string;
  let ctx: PluginContext;

  beforeEach(async () => {
    bin = await installFixtures();
    ctx = contextFor(bin);
  });
  afterEach(async () => {
    delete process.env[SECRET_ENV];
    await rm(bin, { recursive: true, force: true });
  });

  describe('systemd.restart_unit', () => {
    it('restarts an allowed unit with the configured systemctl and reports its state', async () => {
      expect(await restartUnit.confirm?.({ target: 'local', unit: 'nginx' }, ctx)).toBe('not_applied');
      const result = await runPlugin(restartUnit, { target: 'local', unit: 'nginx' }, ctx);
      expect(result).toMatchObject({ status: 'success', summary: 'Restarted nginx.service on local; now active' });
      expect(result.data).toMatchObject({ unit: 'nginx.service', exitCode: 0, activeState: 'active' });
      expect(await recordedCalls(bin, 'systemctl')).toEqual([
        ['is-active', '--', 'nginx.service'],
        ['--no-ask-password', 'restart', '--', 'nginx.service'],
        ['is-active', '--', 'nginx.service'],
      ]);
      expect(await restartUnit.confirm?.({ target: 'local', unit: 'nginx.service' }, ctx)).toBe('applied');
      expect(await restartUnit.verify?.({ target: 'local', unit: 'nginx' }, result, ctx)).toMatchObject({ status: 'success', summary: 'nginx.service on local is active' });
    });

    it('refuses units and hosts that are not configured, running nothing', async () => {
      const notAllowed = await runPlugin(restartUnit, { target: 'local', unit: 'sshd' }, ctx);
      expect(notAllowed.status).toBe('error');
      expect(notAllowed.summary).toContain('allowed: nginx.service, broken.service, worker@1');
      const sneaky = await runPlugin(restartUnit, { target: 'local', unit: '--all' }, ctx);
      const noHost = await runPlugin(restartUnit, { target: 'nowhere', unit: 'nginx' }, ctx);
      const noUnits = await runPlugin(restartUnit, { target: 'bare', unit: 'nginx' }, ctx);
      for (const result of [sneaky, noHost, noUnits]) expect(result.status).toBe('error');
      expect(noUnits.summary).toContain('it allows no units');
      expect(await recordedCalls(bin, 'systemctl')).toEqual([]);
      expect(await restartUnit.confirm?.({ target: 'local', unit: 'sshd' }, ctx)).toBe('unknown');
    });

    it('reports a failed restart with systemctl’s message', async () => {
      const result = await runPlugin(restartUnit, { target: 'local', unit: 'broken' }, ctx);
      expect(result).toMatchObject({ status: 'error', data: { exitCode: 1 } });
      expect(result.summary).toContain('failed (exit 1): Job for broken.service failed');
      expect(await restartUnit.confirm?.({ target: 'local', unit: 'broken' }, ctx)).toBe('not_applied');
      expect(await restartUnit.verify?.({ target: 'local', unit: 'broken' }, result, ctx)).toMatchObject({ status: 'error', data: { activeState: 'failed' } });
    });

    it('dry-runs with the exact command line, defaulting to /usr/bin/systemctl', async () => {
      expect(await restartUnit.dryRun?.({ target: 'local', unit: 'worker@1' }, ctx)).toBe(
        `Run on host local: ${join(bin, 'systemctl')} --no-ask-password restart -- worker@1`,
      );
      const bare = { ...ctx, targets: TargetsSchema.parse({ hosts: { web: { units: ['nginx'] } } }) };
      expect(await restartUnit.dryRun?.({ target: 'web', unit: 'nginx.service' }, bare)).toBe(
        'Run on host web: /usr/bin/systemctl --no-ask-password restart -- nginx',
      );
      expect(await restartUnit.dryRun?.({ target: 'local', unit: 'sshd' }, ctx)).toMatch(/^Cannot run: Unit "sshd" may not be restarted/);
      expect(await recordedCalls(bin, 'systemctl')).toEqual([]);
    });
  });

  describe('shell.run', () => {
    it('runs an allowed command with valid args as one argv, no shell', async () => {
      const result = await runPlugin(shellRun, { target: 'local', command: 'greet', args: { name: 'alice' } }, ctx);
      expect(result).toMatchObject({ status: 'success', summary: '"greet" on local exited 0: --name' });
      expect(result.data).toMatchObject({
        commandRisk: 'low',
        argv: [join(bin, 'echo-args'), '--name', 'alice', 'literal {brace'],
        exitCode: 0,
        stdout: '--name\nalice\nliteral {brace\n',
        stdoutTruncated: false,
      });

      const data = await runPlugin(shellRun, { target: 'local', command: 'note', args: { text: '; rm -rf / $(id) `id` {name}' } }, ctx);
      expect(data.status).toBe('success');
      expect(await recordedCalls(bin, 'echo-args')).toEqual([
        ['--name', 'alice', 'literal {brace'],
        ['; rm -rf / $(id) `id` {name}'],
      ]);
    });

    it('refuses bad values, unknown commands and broken config before running anything', async () => {
      const refused = async (command: string, args: Record<string, string>): Promise<string> => {
        const result = await runPlugin(shellRun, { target: 'local', command, args }, ctx);
        expect(result.status).toBe('error');
        return result.summary;
      };
      expect(await refused('greet', { name: 'Alice' })).toContain('does not match [a-z]+');
      expect(await refused('greet', { name: '; rm -rf /' })).toContain('does not match');
      expect(await refused('greet', { name: 'alice\n' })).toContain('does not match');
      expect(await refused('greet', { name: 'alice;id' })).toContain('does not match');
      expect(await refused('note', { text: '--help' })).toContain('may not start with "-"');
      expect(await refused('shift', { by: '-5', delta: '3' })).toContain('"by" = "-5" may not start with "-"');
      expect(await refused('greet', {})).toContain('Missing argument "name"');
      expect(await refused('greet', { name: 'alice', extra: 'x' })).toContain('Unknown argument "extra"; declared: name');
      expect(await refused('rm', {})).toContain('Unknown command "rm" on host "local"; configured commands: systemctl, greet');
      expect(await refused('broken_pattern', { x: 'anything' })).toContain('invalid pattern');
      expect(await refused('undeclared', {})).toContain('"{ghost}", which is not a declared argument');
      const noHost = await runPlugin(shellRun, { target: 'bare', command: 'greet', args: { name: 'a' } }, ctx);
      expect(noHost.summary).toContain('it has no commands configured');
      expect(await recordedCalls(bin, 'echo-args')).toEqual([]);

      // A pattern that spells out a leading dash allows one.
      const negative = await runPlugin(shellRun, { target: 'local', command: 'shift', args: { by: '5', delta: '-3' } }, ctx);
      expect(negative.data).toMatchObject({ stdout: '5\n-3\n' });
    });

    it('dry-runs the exact argv without running it', async () => {
      expect(await shellRun.dryRun?.({ target: 'local', command: 'note', args: { text: "; rm -rf / it's" } }, ctx)).toBe(
        `Run on host local: ${join(bin, 'echo-args')} '; rm -rf / it'\\''s' (command "note", risk medium, timeout 30000 ms, no shell)`,
      );
      expect(await shellRun.dryRun?.({ target: 'local', command: 'greet', args: { name: '-x' } }, ctx)).toMatch(/^Cannot run: Command "greet" refused/);
      expect(await recordedCalls(bin, 'echo-args')).toEqual([]);
    });

    it('kills the whole process group on timeout, even when it ignores SIGTERM', async () => {
      const startedAt = Date.now();
      const result = await runPlugin(shellRun, { target: 'local', command: 'nap' }, ctx);
      expect(result).toMatchObject({ status: 'error', data: { timedOut: true, exitCode: null, signal: 'SIGKILL', commandRisk: 'high' } });
      expect(result.summary).toBe('"nap" on local timed out after 300 ms; its processes were killed');
      expect(Date.now() - startedAt).toBeLessThan(5_000);
      const childPid = Number((result.data as { stdout: string }).stdout.trim());
      expect(childPid).toBeGreaterThan(1);
      await vi.waitFor(() => expect(isAlive(childPid)).toBe(false), { timeout: 2_000 });
    });

    it('kills the process group when the caller aborts, and rethrows the reason', async () => {
      const controller = new AbortController();
      const running = runAllowed(join(bin, 'sleeper'), [], { timeoutMs: 30_000, signal: controller.signal });
      const childPid = await vi.waitFor(async () => {
        const pid = Number(await readFile(join(bin, 'sleeper.pid'), 'utf8'));
        if (!(pid > 1)) throw new Error('sleeper has not started its child yet');
        return pid;
      });
      expect(isAlive(childPid)).toBe(true);
      controller.abort(new Error('cancelled by test'));
      await expect(running).rejects.toThrow('cancelled by test');
      await vi.waitFor(() => expect(isAlive(childPid)).toBe(false), { timeout: 2_000 });
    });

    it('caps output and keeps draining so the program finishes', async () => {
      const result = await runPlugin(shellRun, { target: 'local', command: 'chatty' }, ctx);
      expect(result).toMatchObject({ status: 'success', data: { exitCode: 0, stdoutTruncated: true, stderrTruncated: false, stderr: 'done\n' } });
      const stdout = (result.data as { stdout: string }).stdout;
      expect(Buffer.byteLength(stdout)).toBe(16 * 1024);
      expect(stdout.startsWith('line 0: the quick brown fox')).toBe(true);

      const small = await runAllowed(join(bin, 'chatty'), [], { timeoutMs: 10_000, signal: new AbortController().signal, maxOutputBytes: 10 });
      expect(small).toMatchObject({ exitCode: 0, stdout: 'line 0: th', stdoutTruncated: true });
    });

    it('does not pass the bot’s environment to the command', async () => {
      process.env[SECRET_ENV] = 'do-not-leak-7f3a';
      const result = await runPlugin(shellRun, { target: 'local', command: 'env' }, ctx);
      const stdout = (result.data as { stdout: string }).stdout;
      expect(result.status).toBe('success');
      expect(stdout).not.toContain('do-not-leak-7f3a');
      expect(stdout).not.toContain(SECRET_ENV);
      expect(stdout.trim().split('\n').sort()).toEqual(['LANG=C', 'LC_ALL=C', 'PATH=/usr/sbin:/usr/bin:/sbin:/bin']);
    });

    it('masks secret-looking output', async () => {
      const text = 'db password=hunter2 Authorization: Bearer abc.def.ghi url=https://u:pw@db.example key AKIAABCDEFGHIJKLMNOP';
      const result = await runPlugin(shellRun, { target: 'local', command: 'note', args: { text } }, ctx);
      const stdout = (result.data as { stdout: string }).stdout;
      for (const secret of ['hunter2', 'abc.def.ghi', ':pw@', 'AKIAABCDEFGHIJKLMNOP']) expect(stdout).not.toContain(secret);
      expect(stdout).toContain('password=[redacted]');
      expect(redactSecrets('"api_key": "s3cr3t", ok')).toBe('"api_key": "[redacted]", ok');
      expect(redactSecrets('nothing secret here: 42')).toBe('nothing secret here: 42');
    });

    it('reports a program that cannot start, and throws on a relative program (a caller bug)', async () => {
      const result = await runPlugin(shellRun, { target: 'local', command: 'missing' }, ctx);
      expect(result).toMatchObject({ status: 'error', summary: `Could not start ${join(bin, 'no-such-program')}: ENOENT` });
      expect(() => runAllowed('env', [], { timeoutMs: 1_000, signal: new AbortController().signal })).toThrow('not an absolute path');
      expect(() => runAllowed('/usr/bin/../bin/env', [], { timeoutMs: 1_000, signal: new AbortController().signal })).toThrow('normalized');
    });
  });
});
