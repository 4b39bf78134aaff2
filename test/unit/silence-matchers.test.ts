import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/silences/duration';
import { compileMatchers, labelsOf, matchesAll } from '../../src/silences/match';
import { formatMatchers, MAX_MATCHERS, parseMatchers, scanMatchers, SilenceInputError } from '../../src/silences/matchers';

const silences = (text: string, labels: Record<string, string>) => matchesAll(compileMatchers(parseMatchers(text)), labels);

describe('silence matchers: parsing', () => {
  it('reads the four operators, bare and quoted values', () => {
    expect(parseMatchers('alertname=KubeNodeNotReady service=~"checkout.*" env!=dev team!~"a|b"')).toEqual([
      { name: 'alertname', op: '=', value: 'KubeNodeNotReady' },
      { name: 'service', op: '=~', value: 'checkout.*' },
      { name: 'env', op: '!=', value: 'dev' },
      { name: 'team', op: '!~', value: 'a|b' },
    ]);
  });

  it('reads quoted values with spaces and escapes, and the braced Alertmanager form', () => {
    expect(parseMatchers('summary="disk \\"full\\" now"')).toEqual([{ name: 'summary', op: '=', value: 'disk "full" now' }]);
    expect(parseMatchers('{alertname="A", env="prod"}')).toEqual([
      { name: 'alertname', op: '=', value: 'A' },
      { name: 'env', op: '=', value: 'prod' },
    ]);
  });

  it('stops at the first word that is not a matcher (the duration of /silence)', () => {
    const text = 'alertname=A service=~"b c" 2h deploy window';
    const { matchers, rest } = scanMatchers(text);
    expect(matchers).toHaveLength(2);
    expect(text.slice(rest).trim()).toBe('2h deploy window');
  });

  it('formats matchers so they parse back to the same', () => {
    const matchers = parseMatchers('a=1 b!~"x|y" c="say \\"hi\\""');
    expect(parseMatchers(formatMatchers(matchers))).toEqual(matchers);
  });

  it.each([
    ['', 'at least one matcher'],
    ['alertname', 'not a matcher'],
    ['alertname>3', 'not a matcher'],
    ['alertname="open', 'closing'],
    ['a=b"c', 'Quote the whole value'],
    ['{a=b', 'Missing "}"'],
    ['a=b stray', 'not a matcher'],
    [`a="${'x'.repeat(1_001)}"`, 'too long'],
    [Array.from({ length: MAX_MATCHERS + 1 }, (_, i) => `l${i}=v`).join(' '), `At most ${MAX_MATCHERS}`],
  ])('refuses %j with a clear message', (text, message) => {
    expect(() => parseMatchers(text)).toThrow(SilenceInputError);
    expect(() => parseMatchers(text)).toThrow(message);
  });
});

describe('silence matchers: matching', () => {
  it('anchors regexes like Alertmanager: the whole value must match', () => {
    expect(silences('service=~"checkout.*"', { service: 'checkout-api' })).toBe(true);
    expect(silences('service=~"checkout"', { service: 'checkout-api' })).toBe(false);
    expect(silences('service=~"check"', { service: 'precheck' })).toBe(false);
    expect(silences('alertname=A team!~"a|b"', { alertname: 'A', team: 'c' })).toBe(true);
    expect(silences('alertname=A team!~"a|b"', { alertname: 'A', team: 'b' })).toBe(false);
    // An alternation is grouped before anchoring: "a|b" must not become "^a|b$".
    expect(silences('team=~"a|b"', { team: 'xb' })).toBe(false);
  });

  it('treats an absent label as empty, and refuses a set that would match everything', () => {
    expect(silences('alertname=A env!=dev', { alertname: 'A' })).toBe(true);
    expect(() => compileMatchers(parseMatchers('env!=dev'))).toThrow('every alert');
    expect(() => compileMatchers(parseMatchers('service=~".*"'))).toThrow('every alert');
  });

  it('refuses a regex RE2 cannot compile (backreferences, bad syntax)', () => {
    expect(() => compileMatchers(parseMatchers('a=~"(x)\\\\1"'))).toThrow(SilenceInputError);
    expect(() => compileMatchers(parseMatchers('a=~"(unclosed"'))).toThrow('not valid');
  });

  it('runs a catastrophic-backtracking pattern in linear time on RE2', () => {
    // (a+)+$ against "aaaa…!" takes exponential time on a backtracking engine; RE2 answers at once.
    const compiled = compileMatchers(parseMatchers('alertname=~"(a+)+"'));
    expect(matchesAll(compiled, { alertname: `${'a'.repeat(50_000)}!` })).toBe(false);
    expect(matchesAll(compiled, { alertname: 'a'.repeat(50_000) })).toBe(true);
  });

  it('sees an alert as its labels plus alertname (title when no label), service, severity, instance, source', () => {
    const labels = labelsOf({ source: 'alertmanager', fingerprint: 'f', title: 'Disk full', severity: 'high', service: 'db', instance: 'db-1', labels: { env: 'prod' } });
    expect(labels).toEqual({ env: 'prod', alertname: 'Disk full', service: 'db', severity: 'high', instance: 'db-1', source: 'alertmanager' });
    expect(labelsOf({ source: 's', fingerprint: 'f', title: 'T', labels: { alertname: 'KubeNodeNotReady' } }).alertname).toBe('KubeNodeNotReady');
  });
});

describe('silence durations', () => {
  it('reads minutes, hours and days within 1m..30d', () => {
    expect(parseDuration('30m')).toBe(1_800_000);
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    for (const bad of ['0m', '31d', '2 h', 'forever', '1w', '-1h', '9'.repeat(30) + 'm']) expect(() => parseDuration(bad)).toThrow(SilenceInputError);
  });
});
