import { describe, expect, it } from 'vitest';
import { redactSecrets } from '../../plugins/remediation/shell-run';
import { AlertDetector } from '../../src/chat/core/alert-detector';
import { loadConfig } from '../../src/config';
import { createScrubber, SecretScrubber } from '../../src/security';
import { BUILTIN_RULES } from '../../src/security/builtin-rules';
import { ADVERSARIAL_TRIGGERS, adversarialText } from '../fixtures/secret-corpus-adversarial';

/**
 * Every redaction rule and the alert detector on inputs built to make backtracking regexes stall.
 * Linear rules take a few milliseconds on these sizes; the quadratic JWT rule took 17 s on 100 KB.
 * The bound is loose on purpose (a busy CI machine must not fail it); the figures are printed by
 * `npx tsx test/fixtures/secret-corpus-bench.ts`.
 */
const SIZE = 100 * 1024;
const BOUND_MS = 3_000;

function elapsedMs(run: () => unknown): number {
  const started = performance.now();
  run();
  return performance.now() - started;
}

const scrubber = new SecretScrubber();
const configured = createScrubber(loadConfig({ REDACT_PATTERNS: JSON.stringify(['(a+)+b', '/(?:token|secret)[=:](?<secret>[^&\\s]+)/i', '(x|x)*y']) }));
const detector = new AlertDetector();
const paths: [string, (text: string) => unknown][] = [
  ...BUILTIN_RULES.map((rule, index): [string, (text: string) => unknown] => [`rule ${index} (${rule.name || 'anonymous'})`, rule]),
  ['scrubText', (text) => scrubber.scrubText(text)],
  ['REDACT_PATTERNS (RE2)', (text) => configured.scrubText(text)],
  ['shell.run output', redactSecrets],
  ['alert detector', (text) => detector.detect({ msgType: 'text', content: { text }, sender: { kind: 'bot' }, mentionsBot: false })],
];

describe('redaction and detection on adversarial input', () => {
  for (const [name, run] of paths) {
    it(`${name} stays near-linear on every trigger repeated to ${SIZE / 1024} KB`, () => {
      const slow = ADVERSARIAL_TRIGGERS.map((trigger) => ({ trigger, ms: elapsedMs(() => run(adversarialText(trigger, SIZE))) })).filter(({ ms }) => ms > BOUND_MS);
      expect(slow).toEqual([]);
    });
  }

  it('refuses at start-up a REDACT_PATTERNS entry RE2 cannot run in linear time, naming it', () => {
    expect(() => loadConfig({ REDACT_PATTERNS: JSON.stringify(['(a)\\1']) })).toThrow(/REDACT_PATTERNS: invalid regex .*invalid escape sequence.*no input can stall the bot/);
    expect(() => loadConfig({ REDACT_PATTERNS: JSON.stringify(['(?=a)b']) })).toThrow(/invalid regex "\(\?=a\)b"/);
  });
});
