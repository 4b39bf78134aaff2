import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../plugins/remediation/shell-run';
import { PassThrough } from 'node:stream';
import { ConsoleChat } from '../../src/chat/terminal/console-chat';
import { RedactingChat } from '../../src/chat/core/redacting-chat';
import { createLogger } from '../../src/logger';
import { SecretScrubber } from '../../src/security';
import { scrubResult } from '../../src/plugins/scrub-result';
import { HARMLESS, SECRET_CORPUS } from '../fixtures/secret-corpus';
import { englishChats, same } from '../support/languages';

/**
 * Every secret shape of the corpus through each door that redacts text in-process: the scrubber
 * (alert intake, chat posts, plugin results and the web console all use it), a value deep in a
 * structure (an alert's labels), shell.run's output, and the log. The web console and /api/alerts
 * are checked end to end in test/integration/redaction-doors.test.ts.
 */
const scrubber = new SecretScrubber();

function logged(text: string): string {
  const lines: string[] = [];
  const logger = createLogger('info', { destination: { write: (line: string) => void lines.push(line) } });
  logger.info({ detail: text }, text);
  return lines.join('');
}

/** What a chat post reaches the terminal as, through the same decorator every chat gets. */
function posted(text: string): string {
  const output = new PassThrough();
  const chat = new RedactingChat(new ConsoleChat({ input: new PassThrough(), output, operator: { id: 'ops' }, languages: englishChats() }), scrubber);
  void chat.postText('console', same(text));
  return String(output.read() ?? '');
}

const doors: [string, (text: string) => string][] = [
  ['chat post', posted],
  ['plugin result', (text) => JSON.stringify(scrubResult({ status: 'success', summary: text, data: { stdout: text } }, scrubber))],
  ['scrubText', (text) => scrubber.scrubText(text)],
  ['scrubValue', (text) => JSON.stringify(scrubber.scrubValue({ labels: { note: text }, list: [text] }))],
  ['shell.run output', redactSecrets],
  ['log line', logged],
];

describe('the secret corpus through every door', () => {
  for (const [door, redact] of doors) {
    it(`${door}: no secret of the corpus survives, and the context around it does`, () => {
      const leaks = SECRET_CORPUS.flatMap(({ name, text, secrets, keep = [] }) => {
        const out = redact(text);
        const jsonSafe = door === 'scrubValue' || door === 'log line' || door === 'plugin result' ? (s: string) => JSON.stringify(s).slice(1, -1) : (s: string) => s;
        return [
          ...secrets.filter((secret) => out.includes(jsonSafe(secret))).map((secret) => `${name}: ${secret} survived in ${out}`),
          ...keep.filter((context) => !out.includes(jsonSafe(context))).map((context) => `${name}: lost ${context} in ${out}`),
        ];
      });
      expect(leaks).toEqual([]);
    });
  }

  it('leaves harmless look-alikes (a migration name, prose about tokens, flags naming files) alone', () => {
    for (const text of HARMLESS) expect(scrubber.scrubText(text)).toBe(text);
  });

  it('is idempotent on the corpus', () => {
    for (const { text } of SECRET_CORPUS) {
      const once = scrubber.scrubText(text);
      expect(scrubber.scrubText(once)).toBe(once);
    }
  });
});
