import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import type { Card } from '../../src/chat/core/card';
import type { InboundMessage } from '../../src/chat/core/chat-port';
import { ConsoleChat, consoleMessageId } from '../../src/chat/terminal/console-chat';
import { renderCardText } from '../../src/chat/terminal/render-card';
import { ENGLISH_UTC, I18n } from '../../src/i18n';
import { ChatLanguages } from '../../src/chat/core/chat-languages';
import { englishChats, same } from '../support/languages';

const ID = 'INC-7K2M9Q4T';

const card: Card = {
  title: '[CRITICAL] Diagnosis ready · INC-7K2M9Q4T',
  tone: 'red',
  sections: ['**Alert** (console)\n> HTTP 503 on /pay \\<at\\>', '**Summary**\nPods are out of memory'],
  fields: [
    { label: 'Severity', value: 'critical' },
    { label: 'Confidence', value: '82%' },
  ],
  buttons: [
    { label: 'Approve', style: 'primary', value: { incidentId: ID, action: 'diagnosis.approved', kind: 'diagnosis', attempt: 1 }, command: `/approve ${ID} diagnosis` },
    { label: 'Reject', style: 'danger', value: { incidentId: ID, action: 'diagnosis.rejected', kind: 'diagnosis', attempt: 1 }, command: `/reject ${ID} diagnosis` },
  ],
  footer: `Incident ${ID} · attempt 1`,
};

function setup(languages: ChatLanguages = englishChats()) {
  const input = new PassThrough();
  const output = new PassThrough();
  let written = '';
  output.on('data', (chunk: Buffer) => {
    written += chunk.toString('utf8');
  });
  const chat = new ConsoleChat({ input, output, operator: { id: 'ops', name: 'Operator' }, languages });
  return { input, chat, output: () => written };
}

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe('renderCardText', () => {
  it('renders title, fields, plain sections and the command for each button', () => {
    const text = renderCardText(card, 'console-abc', ENGLISH_UTC.translator());
    expect(text).toContain('== [CRITICAL] Diagnosis ready · INC-7K2M9Q4T ==');
    expect(text).toContain('Severity:   critical');
    expect(text).toContain('Alert (console)\n> HTTP 503 on /pay <at>');
    expect(text).not.toContain('**');
    expect(text).toContain(`[Approve] type: /approve ${ID}`);
    expect(text).toContain(`[Reject]  type: /reject ${ID}`);
    expect(text).toContain('message console-abc');
    expect(text).not.toContain('\u001b');
  });

  it('uses ANSI colours only when asked', () => {
    expect(renderCardText(card, 'm', ENGLISH_UTC.translator(), { color: true })).toContain('\u001b[31m');
  });

  it('drops terminal control sequences from card text', () => {
    const hostile = { ...card, title: 'boom\u001b]0;pwned\u0007', sections: ['\u001b[2Jcleared'] };
    const text = renderCardText(hostile, 'm', ENGLISH_UTC.translator());
    expect(text).not.toContain('\u001b');
    expect(text).not.toContain('\u0007');
  });
});

describe('ConsoleChat posting', () => {
  it('prints a card and returns an id derived from the idempotency key', async () => {
    const { chat, output } = setup();
    const posted = await chat.postCard('console', same(card), 'INC-1:diagnosis:1');
    expect(posted.messageId).toBe(consoleMessageId('INC-1:diagnosis:1'));
    expect(posted.messageId).toMatch(/^console-[0-9a-f]{16}$/);
    expect(output()).toContain(`type: /approve ${ID}`);
  });

  it('does not print a repeated post twice, and gives the same id across instances', async () => {
    const { chat, output } = setup();
    const first = await chat.postCard('console', same(card), 'key-1');
    const second = await chat.postCard('console', same(card), 'key-1');
    expect(second).toEqual(first);
    expect(output().split('Diagnosis ready').length - 1).toBe(1);

    const afterRestart = setup();
    expect(await afterRestart.chat.postCard('console', same(card), 'key-1')).toEqual(first);
  });

  it('posts text once per key, and every time without one', async () => {
    const { chat, output } = setup();
    await chat.postText('console', same('hello'), 'k');
    await chat.postText('console', same('hello'), 'k');
    const a = await chat.postText('console', same('ping'));
    const b = await chat.postText('console', same('ping'));
    expect(a.messageId).not.toBe(b.messageId);
    expect(output()).toBe('hello\nping\nping\n');
  });

  it('says which chat a post was meant for when it is not the console', async () => {
    const { chat, output } = setup();
    await chat.postText('oc_lark_group', same('hi'), 'k');
    expect(output()).toBe('(to chat oc_lark_group)\nhi\n');
  });

  it('speaks the chat’s language: its banner and its own lines follow /lang', async () => {
    const languages = new ChatLanguages(new I18n('zh-CN', 'UTC'));
    const { chat, output } = setup(languages);
    chat.banner();
    expect(output()).toContain('ai-fixer 控制台 · 会话“console” · 当前身份 Operator（ops）');
    await chat.postText('console', { 'zh-CN': '你好', en: 'hello' }, 'k-zh');
    await languages.choose('console', 'en', 'ops');
    await chat.postText('console', { 'zh-CN': '你好', en: 'hello' }, 'k-en');
    await chat.react('console-1', 'done');
    expect(output()).toMatch(/你好\nhello\n\(done on console-1\)\n$/);
  });

  it('prints a banner naming the operator', () => {
    const { chat, output } = setup();
    chat.banner();
    expect(output()).toContain('Operator (ops)');
    expect(output()).toContain('/help');
  });
});

describe('ConsoleChat reading', () => {
  it('turns each non-empty line into a message from the operator and prints the reply', async () => {
    const { input, chat, output } = setup();
    const seen: InboundMessage[] = [];
    const done = chat.start((message) => {
      seen.push(message);
      return Promise.resolve(`you said ${message.text}`);
    });
    input.end('  first  \n\n   \nsecond\r\n');
    await done;
    expect(seen.map((m) => m.text)).toEqual(['first', 'second']);
    expect(seen[0]).toMatchObject({ chatId: 'console', sender: { id: 'ops', name: 'Operator' } });
    expect(seen[0]?.messageId).toMatch(/^console-msg-[0-9a-f]+-\d+$/);
    expect(seen[0]?.messageId).not.toBe(seen[1]?.messageId);
    expect(output()).toBe('you said first\nyou said second\n');
  });

  it('handles lines one at a time, in order, even when an earlier one is slower', async () => {
    const { input, chat, output } = setup();
    const events: string[] = [];
    const slowGate = deferred();
    const done = chat.start(async (message) => {
      events.push(`start ${message.text}`);
      if (message.text === 'slow') await slowGate.promise;
      events.push(`end ${message.text}`);
      return message.text;
    });
    input.write('slow\nfast\n');
    await new Promise((r) => setTimeout(r, 20));
    expect(events).toEqual(['start slow']);
    slowGate.resolve();
    input.end();
    await done;
    expect(events).toEqual(['start slow', 'end slow', 'start fast', 'end fast']);
    expect(output()).toBe('slow\nfast\n');
  });

  it('writes handler errors as replies and keeps reading', async () => {
    const { input, chat, output } = setup();
    const done = chat.start((message) => {
      if (message.text === 'bad') return Promise.reject(new Error('no such thing'));
      return Promise.resolve(undefined);
    });
    input.end('bad\ngood\n');
    await done;
    expect(output()).toBe('error: no such thing\n');
  });

  it('stops reading at end of input without exiting', async () => {
    const { input, chat } = setup();
    const seen: string[] = [];
    const done = chat.start((m) => {
      seen.push(m.text);
      return Promise.resolve();
    });
    input.end('only line');
    await expect(done).resolves.toBeUndefined();
    expect(seen).toEqual(['only line']);
  });

  it('close() stops reading: the line in hand finishes, later ones are dropped', async () => {
    const { input, chat, output } = setup();
    const gate = deferred();
    const seen: string[] = [];
    const done = chat.start(async (m) => {
      seen.push(m.text);
      await gate.promise;
      return `done ${m.text}`;
    });
    input.write('one\ntwo\n');
    await new Promise((r) => setTimeout(r, 20));
    chat.close();
    gate.resolve();
    await done;
    input.write('three\n');
    await new Promise((r) => setTimeout(r, 20));
    expect(seen).toEqual(['one']);
    expect(output()).toBe('done one\n');
  });

  it('reports a failing input stream and stops', async () => {
    const { input, chat, output } = setup();
    const done = chat.start(() => Promise.resolve());
    input.destroy(new Error('tty gone'));
    await done;
    expect(output()).toBe('error: reading input failed: tty gone\n');
  });

  it('refuses to start twice', () => {
    const { chat } = setup();
    void chat.start(() => Promise.resolve());
    expect(() => chat.start(() => Promise.resolve())).toThrow(/already reading/);
    chat.close();
  });
});
