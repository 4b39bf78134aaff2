import { describe, expect, it } from 'vitest';
import { alertOutcome, alertOutcomeText } from '../../src/chat/core/alert-outcome';
import type { AlertInput } from '../../src/domain';
import type { ReportedIncident } from '../../src/runtime/incident-service';
import { ENGLISH_UTC, I18n } from '../../src/i18n';

const EN = ENGLISH_UTC.translator();

const reported = (opened: boolean) => ({ id: 'INC-1', title: 'checkout returns 503', severity: 'high', opened, context: { repeats: 2 } }) as unknown as ReportedIncident;
const alert = (status: 'firing' | 'resolved') => ({ title: 'checkout returns 503', status }) as AlertInput;

describe('what the terminal says became of an alert', () => {
  it('tells an opening, a repeat and a recovery apart', () => {
    expect(alertOutcomeText(EN, alertOutcome(reported(true), [alert('firing')]))).toMatch(/^Opened INC-1: "checkout returns 503" \(high\)/);
    expect(alertOutcomeText(EN, alertOutcome(reported(false), [alert('firing')]))).toMatch(/^Repeat of open incident INC-1 \(2 repeats so far/);
    expect(alertOutcomeText(EN, alertOutcome(reported(false), [alert('resolved')]))).toMatch(/^Recovery noted on INC-1: "checkout returns 503"\. Type \/status INC-1/);
  });

  it('says it in Chinese, and a silenced alert with its end in TIMEZONE', () => {
    const zh = new I18n('zh-CN', 'Asia/Shanghai').translator();
    expect(alertOutcomeText(zh, alertOutcome(reported(true), [alert('firing')]))).toBe('已创建事件 INC-1："checkout returns 503"（high）。正在分诊。');
    const silenced = { ...reported(false), silenced: { silenceId: 'SIL-1', endsAt: new Date(Date.now() + 2 * 3_600_000 + 60_000), matchers: 'a="b"', createdBy: 'ou_x' } } as unknown as ReportedIncident;
    expect(alertOutcomeText(zh, alertOutcome(silenced, [alert('firing')]))).toMatch(/^已被静默规则 SIL-1 拦截，静默至 \d+月\d+日 \d\d:\d\d（2小时后），未创建事件。$/);
  });
});
