import { PassThrough } from 'node:stream';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

/** The whole app at the terminal (no Lark): lines typed in, what it prints read back. */
interface Terminal {
  app: App;
  type(line: string): void;
  /** Waits until what was printed since `from` contains `text`; returns it. */
  printed(text: string, from?: number): Promise<string>;
  length(): number;
}

let db: TestDatabase;
const running: App[] = [];

async function terminal(): Promise<Terminal> {
  // LANGUAGE is Chinese (the default); the chat's own choice is what these tests change.
  const config = loadConfig({ DATABASE_URL: db.url, PORT: '0', LLM_PROVIDER: 'offline', LOG_LEVEL: 'silent', LANGUAGE: 'zh-CN', TIMEZONE: 'UTC' });
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => {
    written += chunk.toString('utf8');
  });
  const app = await startApp(config, pino({ level: 'silent' }), { input, output });
  running.push(app);
  return {
    app,
    type: (line) => input.write(`${line}\n`),
    printed: (text, from = 0) =>
      eventually(() => (written.slice(from).includes(text) ? written.slice(from) : undefined), `terminal output with ${JSON.stringify(text)}`).catch((error: unknown) => {
        throw new Error(`${String(error)} Printed: ${JSON.stringify(written.slice(from))}`);
      }),
    length: () => written.length,
  };
}

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  for (const app of running) await app.stop();
  await db?.drop();
});

describe('/lang: a chat reads its own language, kept across a restart', () => {
  it('answers in LANGUAGE, switches with /lang en (answering in English), and a new app on the same database keeps it', async () => {
    const first = await terminal();
    first.type('/help');
    await first.printed('可用命令：');

    let from = first.length();
    first.type('/lang');
    expect(await first.printed('本群当前使用简体中文', from)).toContain('/lang en');

    from = first.length();
    first.type('/lang english');
    await first.printed('This chat reads English from now on.', from);
    from = first.length();
    first.type('/help');
    expect(await first.printed('Commands:', from)).toMatch(/\/lang \[zh\|en\|default\] +the language this chat reads/);
    await first.app.stop();

    const second = await terminal();
    await second.printed('ai-fixer console · chat "console"');
    second.type('/incidents');
    await second.printed('No open incidents.');
    from = second.length();
    second.type('/language 中文');
    await second.printed('本群此后将使用简体中文。', from);
    from = second.length();
    second.type('/lang default');
    await second.printed('本群已恢复为默认语言：简体中文。', from);
    from = second.length();
    second.type('/lang klingon');
    await second.printed('不支持的语言“klingon”', from);
  });
});
