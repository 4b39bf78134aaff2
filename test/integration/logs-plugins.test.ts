import { mkdir, mkdtemp, rm, symlink, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import logsSearch, { REGEX_BUDGET_MS, resolveLogFiles } from '../../plugins/diagnostic/logs-search';
import type { PluginContext } from '../../src/plugins/plugin';
import { runPlugin } from '../../src/plugins/run-plugin';
import { TargetsSchema } from '../../src/plugins/targets';
import { startFakeLoki } from '../fakes/loki-api';
import type { FakeLoki } from '../fakes/loki-api';

const logger = pino({ level: 'silent' });

type Match = { file: string; line: number | null; lineFromEnd: number; timestamp: string | null; text: string };

describe('logs.search over host log files', () => {
  let root: string;
  let logs: string;
  let ctx: PluginContext;

  beforeAll(async () => {
    root = await mkdtemp(join(tmpdir(), 'ai-fixer-logs-'));
    logs = join(root, 'app');
    await mkdir(logs);
    await mkdir(join(root, 'secret'));
    await writeFile(join(root, 'secret', 'passwords.log'), 'ERROR root:hunter2\n');
    await writeFile(
      join(logs, 'app.log'),
      [
        '2024-05-01T12:00:00.123Z INFO started',
        '2024-05-01T12:00:05.000Z ERROR connection timeout to db:5432',
        '2024-05-01 12:00:07,250 WARN slow query',
        'May  1 12:00:09 web-1 app[42]: error: upstream reset',
        '2024-05-01T12:00:10Z ERROR connection timeout to db:5432',
      ].join('\n') + '\n',
    );
    await writeFile(join(logs, 'worker.log'), 'no timestamp ERROR in worker\r\nfine\r\n');
    await writeFile(join(logs, '.hidden.log'), 'ERROR hidden\n');
    await writeFile(join(logs, 'long.log'), `${'x'.repeat(2_500)} NEEDLE\nshort NEEDLE\n`);
    await writeFile(join(logs, 'notes.txt'), 'ERROR not a log\n');
    // A symlink that a glob could match must not lead outside the directory.
    await symlink(join(root, 'secret', 'passwords.log'), join(logs, 'escape.log'));
    const big = Array.from({ length: 5_000 }, (_, i) => `2024-05-01T13:00:00Z line ${i + 1} marker`).join('\n');
    await writeFile(join(root, 'big.log'), `${big}\n`);
    await writeFile(join(root, 'evil.log'), `${'a'.repeat(1_000)}!\n`);

    await mkdir(join(root, 'many'));
    for (let i = 0; i < 25; i += 1) {
      const file = join(root, 'many', `part-${i}.log`);
      await writeFile(file, `ERROR in part ${i}\n`);
      await utimes(file, 1_700_000_000 + i, 1_700_000_000 + i);
    }

    const targets = TargetsSchema.parse({
      hosts: {
        many: { logFiles: [join(root, 'many', 'part-*.log')] },
        web: { logFiles: [join(logs, '*.log'), join(root, 'big.log'), join(root, 'evil.log'), `${root}/app/../secret/passwords.log`, join(root, 'x*', 'a.log')] },
        bare: {},
      },
    });
    ctx = { signal: new AbortController().signal, logger, targets };
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('expands only the allowlist: file-name globs, no hidden files, symlinks or traversal', async () => {
    const { files, problems } = await resolveLogFiles(ctx.targets.hosts.web?.logFiles ?? []);
    expect(files.sort()).toEqual([join(logs, 'app.log'), join(logs, 'long.log'), join(logs, 'worker.log'), join(root, 'big.log'), join(root, 'evil.log')].sort());
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('/app/../secret/passwords.log');
  });

  it('finds the latest matches with line numbers and timestamps', async () => {
    const result = await runPlugin(logsSearch, { host: 'web', pattern: 'ERROR|error:' }, ctx);
    expect(result.status).toBe('success');
    const matches = result.data?.matches as Match[];
    const inApp = matches.filter((match) => match.file === join(logs, 'app.log'));
    expect(inApp).toEqual([
      { file: join(logs, 'app.log'), line: 2, lineFromEnd: 4, timestamp: '2024-05-01T12:00:05.000Z', text: '2024-05-01T12:00:05.000Z ERROR connection timeout to db:5432' },
      { file: join(logs, 'app.log'), line: 4, lineFromEnd: 2, timestamp: 'May  1 12:00:09', text: 'May  1 12:00:09 web-1 app[42]: error: upstream reset' },
      { file: join(logs, 'app.log'), line: 5, lineFromEnd: 1, timestamp: '2024-05-01T12:00:10Z', text: '2024-05-01T12:00:10Z ERROR connection timeout to db:5432' },
    ]);
    expect(matches.find((match) => match.file === join(logs, 'worker.log'))).toMatchObject({ line: 1, timestamp: null, text: 'no timestamp ERROR in worker' });
    expect(JSON.stringify(result.data)).not.toContain('hunter2');
    expect(JSON.stringify(result.data)).not.toContain('hidden');
    expect(result.data?.totalMatches).toBe(4);
    expect(result.summary).toMatch(/^4 matches for \/ERROR\|error:\/ .* on web; latest:\n• /);

    const ignoringCase = await runPlugin(logsSearch, { host: 'web', pattern: 'warn', ignoreCase: true, file: join(logs, 'app.log') }, ctx);
    expect(ignoringCase).toMatchObject({ status: 'success', data: { totalMatches: 1, matches: [{ line: 3, timestamp: '2024-05-01 12:00:07,250' }] } });
    expect(await runPlugin(logsSearch, { host: 'web', pattern: 'nothing-like-this' }, ctx)).toMatchObject({ status: 'no_data', data: { totalMatches: 0 } });
  });

  it('reads a bounded tail and keeps only the latest matches', async () => {
    const result = await runPlugin(logsSearch, { host: 'web', pattern: 'marker', file: join(root, 'big.log'), tailBytes: 1_024, limit: 5 }, ctx);
    const [file] = result.data?.files as { bytesRead: number; complete: boolean; matches: number; sizeBytes: number }[];
    expect(file?.bytesRead).toBe(1_024);
    expect(file?.complete).toBe(false);
    expect(file?.sizeBytes).toBeGreaterThan(100_000);
    expect(file?.matches).toBeGreaterThan(5);
    const matches = result.data?.matches as Match[];
    expect(matches).toHaveLength(5);
    // Line numbers are only known from the end when the file was not read whole.
    expect(matches.map((match) => [match.line, match.lineFromEnd])).toEqual([[null, 5], [null, 4], [null, 3], [null, 2], [null, 1]]);
    expect(matches.at(-1)?.text).toBe('2024-05-01T13:00:00Z line 5000 marker');
    expect(result.summary).toContain(':-1 2024-05-01T13:00:00Z line 5000 marker');
  });

  it('matches only the first 2000 characters of a line', async () => {
    const result = await runPlugin(logsSearch, { host: 'web', pattern: 'NEEDLE', file: join(logs, 'long.log') }, ctx);
    expect(result).toMatchObject({ status: 'success', data: { totalMatches: 1, matches: [{ line: 2, text: 'short NEEDLE' }] } });
    const long = await runPlugin(logsSearch, { host: 'web', pattern: '^x+$', file: join(logs, 'long.log') }, ctx);
    expect((long.data?.matches as Match[])[0]?.text).toBe(`${'x'.repeat(500)}…`);
  });

  it('reads at most 20 files, the most recently modified', async () => {
    const result = await runPlugin(logsSearch, { host: 'many', pattern: 'ERROR' }, ctx);
    const files = (result.data?.files as { path: string }[]).map((file) => file.path);
    expect(files).toHaveLength(20);
    expect(files).not.toContain(join(root, 'many', 'part-4.log'));
    expect(files).toContain(join(root, 'many', 'part-5.log'));
    expect((result.data?.matches as Match[]).at(-1)?.text).toBe('ERROR in part 24');
  });

  it('refuses files outside the allowlist, path traversal and symlinks', async () => {
    for (const file of [join(root, 'secret', 'passwords.log'), `${logs}/../secret/passwords.log`, join(logs, 'escape.log'), join(logs, 'notes.txt'), join(logs, '.hidden.log')]) {
      const result = await runPlugin(logsSearch, { host: 'web', pattern: 'ERROR', file }, ctx);
      expect(result.status, file).toBe('error');
      expect(result.summary, file).toContain('is not an allowed log file on host web; allowed: ');
    }
    expect((await runPlugin(logsSearch, { host: 'web', pattern: 'ERROR', file: 'app.log' }, ctx)).summary).toContain('Invalid arguments');
  });

  it('rejects unsafe or malformed arguments and unknown hosts', async () => {
    const invalid = [
      { host: 'web', pattern: 'x'.repeat(257) },
      { host: 'web', pattern: '(unclosed' },
      { host: 'web' },
      { host: 'web', pattern: 'x', query: '{app="api"}' },
      { host: 'web', loki: 'main', pattern: 'x' },
      { pattern: 'x' },
      { host: 'web', pattern: 'x', limit: 501 },
      { host: 'web', pattern: 'x', tailBytes: 64 * 1024 * 1024 },
    ];
    for (const args of invalid) expect((await runPlugin(logsSearch, args, ctx)).summary, JSON.stringify(args).slice(0, 80)).toContain('Invalid arguments for logs.search');
    expect((await runPlugin(logsSearch, { host: 'db', pattern: 'x' }, ctx)).summary).toBe('Unknown host "db"; configured hosts: many, web, bare');
    expect((await runPlugin(logsSearch, { host: 'bare', pattern: 'x' }, ctx)).summary).toBe('Host bare has no logFiles configured');
  });

  it('stops a catastrophic regex at its time budget', async () => {
    const result = await runPlugin(logsSearch, { host: 'web', pattern: '^(a+)+$', file: join(root, 'evil.log') }, ctx);
    expect(result).toMatchObject({ status: 'error', data: { budgetExhausted: true, totalMatches: 0 } });
    expect(result.summary).toContain(`stopped after ${REGEX_BUDGET_MS} ms without a match`);
    expect(result.elapsedMs).toBeLessThan(REGEX_BUDGET_MS + 2_000);
  });

  it('times out with an error result under a short plugin timeout', async () => {
    const result = await runPlugin({ ...logsSearch, timeoutMs: 200 }, { host: 'web', pattern: '^(a+)+$', file: join(root, 'evil.log') }, ctx);
    expect(result).toMatchObject({ status: 'error', summary: 'logs.search timed out after 200 ms' });
  });
});

describe('logs.search over Loki', () => {
  const T = Date.parse('2024-05-01T12:00:00Z');
  let loki: FakeLoki;
  let ctx: PluginContext;

  beforeAll(async () => {
    loki = await startFakeLoki({
      streams: [
        {
          labels: { app: 'api', pod: 'api-1' },
          entries: [
            { at: T - 50 * 60_000, line: 'GET /orders 200' },
            { at: T - 20 * 60_000, line: 'ERROR timeout calling payments' },
            { at: T - 5 * 60_000, line: 'ERROR timeout calling payments' },
          ],
        },
        { labels: { app: 'api', pod: 'api-2' }, entries: [{ at: T - 10 * 60_000, line: 'ERROR timeout calling inventory' }] },
        { labels: { app: 'web', pod: 'web-1' }, entries: [{ at: T - 1 * 60_000, line: 'ERROR timeout rendering' }] },
      ],
    });
    const targets = TargetsSchema.parse({ loki: { main: { baseUrl: loki.url, headers: { 'X-Scope-OrgID': 'tenant-a' } } } });
    ctx = { signal: new AbortController().signal, logger, targets };
  });
  afterAll(() => loki.close());
  beforeEach(() => {
    loki.setDelay(0);
    loki.setFailure(undefined);
    loki.requests.length = 0;
  });

  const window = { start: new Date(T - 3_600_000).toISOString(), end: new Date(T).toISOString() };

  it('returns the newest lines grouped by stream, with the LogQL, range and tenant sent', async () => {
    const result = await runPlugin(logsSearch, { loki: 'main', query: '{app="api"} |= "timeout"', ...window }, ctx);
    expect(result).toMatchObject({
      status: 'success',
      data: {
        lineCount: 3,
        streams: [
          { labels: { app: 'api', pod: 'api-1' }, lines: [{ time: new Date(T - 5 * 60_000).toISOString() }, { time: new Date(T - 20 * 60_000).toISOString() }] },
          { labels: { app: 'api', pod: 'api-2' }, lines: [{ line: 'ERROR timeout calling inventory' }] },
        ],
      },
    });
    expect(result.summary).toContain(`3 log lines from 2 stream(s) in Loki main for \`{app="api"} |= "timeout"\` over 1h`);
    expect(result.summary).toContain(`\n• ${new Date(T - 5 * 60_000).toISOString()} {app="api", pod="api-1"} ERROR timeout calling payments`);
    expect(loki.requests[0]).toMatchObject({
      path: '/loki/api/v1/query_range',
      params: { query: '{app="api"} |= "timeout"', start: `${T - 3_600_000}000000`, end: `${T}000000`, limit: '50', direction: 'backward' },
    });
    expect(loki.requests[0]?.headers['x-scope-orgid']).toBe('tenant-a');
  });

  it('honours the limit, and says no_data when nothing matches', async () => {
    const limited = await runPlugin(logsSearch, { loki: 'main', query: '{app=~"api|web"} |~ "ERROR"', limit: 2, ...window }, ctx);
    expect(limited.data?.lineCount).toBe(2);
    expect(limited.data?.streams).toEqual([
      { labels: { app: 'web', pod: 'web-1' }, lines: [{ time: new Date(T - 60_000).toISOString(), line: 'ERROR timeout rendering' }] },
      { labels: { app: 'api', pod: 'api-1' }, lines: [{ time: new Date(T - 5 * 60_000).toISOString(), line: 'ERROR timeout calling payments' }] },
    ]);
    const none = await runPlugin(logsSearch, { loki: 'main', query: '{app="api"} |= "panic"', ...window }, ctx);
    expect(none).toMatchObject({ status: 'no_data', data: { lineCount: 0 } });
  });

  it("turns Loki's errors, metric results and bad ranges into error results", async () => {
    const parse = await runPlugin(logsSearch, { loki: 'main', query: 'app=api' }, ctx);
    expect(parse).toMatchObject({ status: 'error', data: { errorType: 'http_400' } });
    expect(parse.summary).toContain('rejected the query (http_400): parse error at line 1, col 1');

    const metric = await runPlugin(logsSearch, { loki: 'main', query: 'rate({app="api"}[5m])' }, ctx);
    expect(metric.summary).toContain('returned a matrix result; logs.search needs a log query');

    loki.setFailure({ httpStatus: 500, body: JSON.stringify({ status: 'error', message: 'too many outstanding requests' }), contentType: 'application/json' });
    expect((await runPlugin(logsSearch, { loki: 'main', query: '{app="api"}' }, ctx)).summary).toContain('too many outstanding requests');

    const inverted = await runPlugin(logsSearch, { loki: 'main', query: '{app="api"}', start: 'now', end: 'now-1h' }, ctx);
    expect(inverted.summary).toContain('end must be after start');
    expect((await runPlugin(logsSearch, { loki: 'nope', query: '{app="api"}' }, ctx)).summary).toBe('Unknown loki target "nope"; configured targets: main');
  });

  it('times out with an error result, and rethrows the caller cancelling', async () => {
    loki.setDelay(2_000);
    const result = await runPlugin({ ...logsSearch, timeoutMs: 200 }, { loki: 'main', query: '{app="api"}' }, ctx);
    expect(result).toMatchObject({ status: 'error', summary: 'logs.search timed out after 200 ms' });
    const controller = new AbortController();
    const running = runPlugin(logsSearch, { loki: 'main', query: '{app="api"}' }, { ...ctx, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('operator cancelled')), 50);
    await expect(running).rejects.toThrow('operator cancelled');
  });
});
