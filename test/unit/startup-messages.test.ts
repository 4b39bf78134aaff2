import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { startupLine } from '../../src/chat/terminal/startup-line';
import { terminalLogDestination, terminalLogLine } from '../../src/chat/terminal/terminal-log-lines';
import { loadConfig } from '../../src/config';
import { loadTargets } from '../../src/plugins/load-targets';
import { createLogger } from '../../src/logger';
import { ENGLISH_UTC, I18n } from '../../src/i18n';

const EN = ENGLISH_UTC.translator();

describe('start-up messages on a terminal', () => {
  it('says in one line what was loaded and where the web console is', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'startup-line-'));
    const targetsFile = join(dir, 'targets.json');
    await writeFile(targetsFile, JSON.stringify({ http: { checkout: { baseUrl: 'http://127.0.0.1:1' } }, redis: { cache: { url: 'redis://127.0.0.1:1' } } }));
    const config = loadConfig({ TARGETS_FILE: targetsFile, RUNBOOKS_DIR: 'runbooks' });
    const loaded = { targets: await loadTargets(config.TARGETS_FILE, config.env), plugins: 22, brokenPlugins: 0, runbooks: 9 };
    const line = startupLine(config, 'http://localhost:3000/', loaded, EN);
    expect(line.split('\n')).toHaveLength(1);
    expect(line).toMatch(new RegExp(`^ai-fixer ready: 2 targets \\(http checkout, redis cache\\) from ${targetsFile.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}, \\d+ plugins, \\d+ runbooks, built-in policy\\. Web console: http://localhost:3000/$`));
  });

  it('says when there are no targets, and what to set', async () => {
    const line = startupLine(loadConfig({ RUNBOOKS_DIR: 'runbooks' }), 'http://localhost:1/', { targets: await loadTargets(undefined, {}), plugins: 1, brokenPlugins: 1, runbooks: 0 }, EN);
    expect(line).toContain('no targets (set TARGETS_FILE so alerts can be checked), 1 plugin (1 broken), 0 runbooks');
  });

  it('says it in LANGUAGE', async () => {
    const zh = new I18n('zh-CN', 'Asia/Shanghai').translator();
    const line = startupLine(loadConfig({ RUNBOOKS_DIR: 'runbooks' }), 'http://localhost:1/', { targets: await loadTargets(undefined, {}), plugins: 3, brokenPlugins: 0, runbooks: 2 }, zh);
    expect(line).toBe('ai-fixer 已就绪：未配置目标（设置 TARGETS_FILE 后才能核查告警），3 个插件，2 个运行手册，内置策略。网页控制台：http://localhost:1/');
  });

  it('turns a JSON log line into one short line, secrets still scrubbed', () => {
    const out = new PassThrough();
    let written = '';
    out.on('data', (chunk: Buffer) => (written += chunk.toString()));
    const logger = createLogger('warn', { destination: terminalLogDestination(out) });
    logger.warn({ columns: ['plugin_outputs', 'args'] }, 'ENCRYPTION_KEY is not set: sensitive data (plugin outputs) is stored unencrypted');
    logger.error({ err: new Error('connect refused postgres://app:hunter2@db/x') }, 'database unreachable');
    logger.info('not shown at warn');
    expect(written.split('\n').filter(Boolean)).toEqual([
      'warning: ENCRYPTION_KEY is not set: sensitive data (plugin outputs) is stored unencrypted (columns=plugin_outputs,args)',
      expect.stringMatching(/^error: database unreachable: connect refused postgres:\/\/app:\S+@db\/x$/) as unknown,
    ]);
    expect(written).not.toContain('hunter2');
    expect(written).not.toContain('{');
  });

  it('keeps a line that is not JSON as it is', () => {
    expect(terminalLogLine('plain text\n')).toBe('plain text');
  });
});
