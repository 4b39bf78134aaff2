import { describe, expect, it } from 'vitest';
import { AlertDetector } from '../../src/chat/core/alert-detector';
import { readTypedAlerts } from '../../src/chat/core/typed-alerts';
import { parseTextAlert } from '../../src/chat/core/alert-detector/text-alert';

const detector = new AlertDetector();
/** How the web console reads what was sent (its alerts with no known tool say `web console`). */
const asWebConsoleAlerts = (detection: ReturnType<typeof typed>, sentText: string | null) => readTypedAlerts(detection, sentText, 'web console');
const typed = (text: string) =>
  detector.detect({ msgType: 'text', content: { text }, sender: { kind: 'user', id: 'u' }, mentionsBot: true });

describe('the web console reads an alert as the terminal does', () => {
  it('one typed line gives the terminal’s title, service and severity', () => {
    const line = '[critical] checkout returns 503 service=checkout';
    const detection = asWebConsoleAlerts(typed(line), line);
    const terminal = parseTextAlert(line);
    expect(detection.isAlert && detection.alerts.map((a) => [a.title, a.service, a.severity])).toEqual([[terminal.title, terminal.service, terminal.severity]]);
    expect(detection.isAlert && detection.alerts[0]?.title).toBe('checkout returns 503');
  });

  it('says it came from the web console, not from Lark', () => {
    const line = '[critical] checkout returns 503 service=checkout';
    const pasted = '[critical] checkout is down\nservice=checkout env=prod';
    for (const [text, detection] of [[line, asWebConsoleAlerts(typed(line), line)], [pasted, asWebConsoleAlerts(typed(pasted), pasted)]] as const) {
      expect(detection.isAlert && detection.alerts.map((a) => a.source), text).toEqual(['web console']);
    }
  });

  it('keeps what was sent: markup stays in the title and the raw text', () => {
    const line = '[critical] <b>bold</b> checkout down <i>now</i> service=checkout';
    const detection = asWebConsoleAlerts(typed(line), line);
    expect(detection.isAlert && detection.alerts[0]).toMatchObject({ title: '<b>bold</b> checkout down <i>now</i>', raw: line });
    const pasted = '[critical] <b>checkout</b> is down\nservice=checkout env=prod';
    const many = asWebConsoleAlerts(typed(pasted), pasted);
    expect(many.isAlert && many.alerts[0]?.raw).toBe(pasted);
  });

  it('leaves what is not an alert, and what a monitor posted, to the detector', () => {
    const chatter = typed('what do you think about the outage?');
    expect(asWebConsoleAlerts(chatter, 'what do you think about the outage?')).toBe(chatter);
    const line = '[critical] checkout returns 503 service=checkout';
    const monitor = asWebConsoleAlerts(typed(line), null);
    expect(monitor.isAlert && monitor.alerts[0]?.title).toBe(line.replace('[critical] ', ''));
  });
});

describe('one typed line, one reading on every chat', () => {
  it('gives Lark, the web console and the terminal the same title, service and severity, each naming its own source', () => {
    const line = '[critical] checkout returns 503 service=checkout';
    const readings = ['lark', 'web console', 'console'].map((source) => {
      const detection = readTypedAlerts(typed(line), line, source);
      return detection.isAlert ? detection.alerts.map((a) => ({ title: a.title, service: a.service, severity: a.severity, source: a.source })) : [];
    });
    expect(readings).toEqual(
      ['lark', 'web console', 'console'].map((source) => [{ title: 'checkout returns 503', service: 'checkout', severity: 'critical', source }]),
    );
  });
});

describe('a typed JSON alert', () => {
  it('is an alert on every chat, read as the line parser reads it', () => {
    const line = '{"title": "queue backlog", "severity": "high", "service": "orders"}';
    const detection = readTypedAlerts(typed(line), line, 'console');
    expect(detection.isAlert && detection.alerts.map((a) => [a.title, a.severity, a.service, a.source])).toEqual([['queue backlog', 'high', 'orders', 'console']]);
  });

  it('that is not a valid alert, or is what a bot posted, stays with the detector', () => {
    for (const [text, sent] of [['{"hello": "there"}', '{"hello": "there"}'], ['{"title": "x", "severity": "high"}', null]] as const) {
      const detection = typed(text);
      expect(readTypedAlerts(detection, sent, 'console')).toBe(detection);
    }
  });
});
