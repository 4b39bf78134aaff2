import { describe, expect, it } from 'vitest';
import { helpText, parseCommand, problemText } from '../../src/chat/core/commands';
import { ENGLISH_UTC } from '../../src/i18n';

const HELP_TEXT = helpText(ENGLISH_UTC.translator());

describe('silence commands: parsing', () => {
  it('reads matchers, then the duration, then the reason', () => {
    expect(parseCommand('/silence alertname=KubeNodeNotReady service=~"checkout api.*" 2h rack 7 maintenance')).toEqual({
      kind: 'silence',
      matchers: [
        { name: 'alertname', op: '=', value: 'KubeNodeNotReady' },
        { name: 'service', op: '=~', value: 'checkout api.*' },
      ],
      duration: '2h',
      reason: 'rack 7 maintenance',
    });
    expect(parseCommand('/SILENCE {env="prod", team!~"a|b"} 30m')).toMatchObject({ kind: 'silence', duration: '30m', reason: undefined });
    expect(parseCommand('/silences')).toEqual({ kind: 'silences' });
    expect(parseCommand('/unsilence sil-7k3q')).toEqual({ kind: 'unsilence', silenceId: 'sil-7k3q' });
  });

  it.each([
    ['/silence', /at least one matcher/],
    ['/silence 2h', /at least one matcher/],
    ['/silence alertname=A', /for how long/],
    ['/silence alertname="A 2h', /closing "/],
    ['/silence alertname>A 2h', /not a matcher/],
    ['/silences all', /takes no arguments/],
    ['/unsilence', /Say which silence/],
    ['/unsilence SIL-7K3Q now', /only a silence id/],
  ])('answers %j with what is wrong', (text, message) => {
    const command = parseCommand(text);
    expect(command?.kind).toBe('invalid');
    expect(command?.kind === 'invalid' && problemText(ENGLISH_UTC.translator(), command.problem)).toMatch(message);
  });

  it('is listed in /help', () => {
    expect(HELP_TEXT).toMatch(/\/silence <matchers> <duration> \[reason\]/);
    expect(HELP_TEXT).toMatch(/\/silences /);
    expect(HELP_TEXT).toMatch(/\/unsilence <SIL-id>/);
  });
});
