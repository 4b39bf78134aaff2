import { describe, expect, it } from 'vitest';
import { alertOutcome, alertOutcomeText } from '../../src/chat/core/alert-outcome';
import type { AlertInput } from '../../src/domain';
import type { ReportedIncident } from '../../src/runtime/incident-service';

const reported = (opened: boolean) => ({ id: 'INC-1', title: 'checkout returns 503', severity: 'high', opened, context: { repeats: 2 } }) as unknown as ReportedIncident;
const alert = (status: 'firing' | 'resolved') => ({ title: 'checkout returns 503', status }) as AlertInput;

describe('what the terminal says became of an alert', () => {
  it('tells an opening, a repeat and a recovery apart', () => {
    expect(alertOutcomeText(alertOutcome(reported(true), [alert('firing')]))).toMatch(/^Opened INC-1: checkout returns 503 \(high\)/);
    expect(alertOutcomeText(alertOutcome(reported(false), [alert('firing')]))).toMatch(/^Repeat of open incident INC-1 \(2 repeat/);
    expect(alertOutcomeText(alertOutcome(reported(false), [alert('resolved')]))).toMatch(/^Recovery noted on INC-1: checkout returns 503\. Type \/status INC-1/);
  });
});
