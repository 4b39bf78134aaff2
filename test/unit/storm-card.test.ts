import { afterEach, describe, expect, it, vi } from 'vitest';
import { pino } from 'pino';
import { StormCardUpdates } from '../../src/alerts/storm-card-updates';
import type { FlushResult } from '../../src/alerts/storm-card-updates';
import { changesStanding, opensIncident } from '../../src/alerts/storm-threads';
import { STORM_LINES_SHOWN, stormCard } from '../../src/chat/core/cards/storm-card';
import type { StormMember } from '../../src/chat/core/cards/storm-card';
import type { Card } from '../../src/chat/core/card';
import { ENGLISH_UTC } from '../../src/i18n';

const tr = ENGLISH_UTC.translator();

const STARTED = new Date('2026-12-07T02:00:00Z');

function member(i: number, overrides: Partial<StormMember> = {}): StormMember {
  return { incidentId: `INC-${String(i).padStart(8, '0')}`, severity: 'high', alertname: 'KubeNodeNotReady', service: 'kubelet', standing: 'waiting', ...overrides };
}

const text = (card: Card) => [card.title, ...card.sections, ...card.fields.map((f) => `${f.label}: ${f.value}`)].join('\n');

describe('the storm card', () => {
  it('lists the incidents most severe first with alertname and service, and counts them by severity and standing', () => {
    const members = [member(1, { severity: 'medium', service: 'web' }), member(2, { severity: 'critical', alertname: 'HighErrorRate', service: 'checkout' }), member(3, { standing: 'ended' })];
    const card = stormCard({ stormId: 'STORM-1', startedAt: STARTED, windowMs: 300_000, endedAt: null, members }, tr);
    expect(card.title).toBe('Alert storm · 3 incidents, 2 open');
    expect(card.tone).toBe('red');
    const body = card.sections.join('\n');
    expect(body.indexOf('INC-00000002')).toBeLessThan(body.indexOf('INC-00000003'));
    expect(body.indexOf('INC-00000003')).toBeLessThan(body.indexOf('INC-00000001'));
    expect(body).toContain('INC-00000002 · HighErrorRate · checkout — waiting for people');
    expect(body).toContain('~~INC-00000003 · KubeNodeNotReady · kubelet — ended~~');
    expect(card.fields).toContainEqual({ label: 'By severity', value: 'critical 1 · high 1 · medium 1' });
    expect(card.fields).toContainEqual({ label: 'Incidents', value: '3: 0 working, 2 waiting for people, 1 ended' });
    expect(card.buttons).toEqual([]);
  });

  it('stops listing past a readable length and says how many more', () => {
    const members = Array.from({ length: STORM_LINES_SHOWN + 12 }, (_, i) => member(i));
    const card = stormCard({ stormId: 'STORM-1', startedAt: STARTED, windowMs: 300_000, endedAt: null, members }, tr);
    expect(card.sections.join('\n').match(/INC-/g)).toHaveLength(STORM_LINES_SHOWN);
    expect(text(card)).toContain('… and 12 more');
  });

  it('says when the storm is over', () => {
    const card = stormCard({ stormId: 'STORM-1', startedAt: STARTED, windowMs: 300_000, endedAt: new Date('2026-12-07T02:09:00Z'), members: [member(1)] }, tr);
    expect(card.title).toBe('Alert storm over · 1 incident');
    expect(card.tone).toBe('grey');
    expect(text(card)).toContain('No new incident for 5 min: the storm is over');
    expect(card.fields).toContainEqual({ label: 'Ended', value: 'Dec 7, 02:09' });
  });

  it('shows alert text as literal text', () => {
    const card = stormCard({ stormId: 'STORM-1', startedAt: STARTED, windowMs: 300_000, endedAt: null, members: [member(1, { alertname: '**[click](http://evil)**', service: '<at id=all></at>' })] }, tr);
    const body = card.sections.join('\n');
    expect(body).toContain('\\*\\*\\[click\\](http://evil)\\*\\*');
    expect(body).toContain('\\<at id=all\\>\\</at\\>');
  });
});

describe('which transitions a storm hears', () => {
  it('counts an incident triage let through, never a merged repeat, noise or a person escalating during triage', () => {
    const done = 'xstate.done.actor.triage';
    expect(opensIncident({ eventType: done, fromState: 'open.triaging', toState: 'open.awaitingDiagnosisSlot' })).toBe(true);
    expect(opensIncident({ eventType: 'xstate.error.actor.mergeIntoOriginal', fromState: 'open.merging', toState: 'open.awaitingDiagnosisSlot' })).toBe(true);
    expect(opensIncident({ eventType: done, fromState: 'open.triaging', toState: 'open.merging' })).toBe(false);
    expect(opensIncident({ eventType: 'xstate.done.actor.mergeIntoOriginal', fromState: 'open.merging', toState: 'merged' })).toBe(false);
    expect(opensIncident({ eventType: done, fromState: 'open.triaging', toState: 'ignored' })).toBe(false);
    expect(opensIncident({ eventType: 'incident.escalate', fromState: 'open.triaging', toState: 'escalating' })).toBe(false);
    expect(opensIncident({ eventType: 'alert.joined', fromState: 'open.triaging', toState: 'open.triaging' })).toBe(false);
  });

  it('updates the card when an incident ends or waits for people, not on every step', () => {
    expect(changesStanding({ fromState: 'open.notifyingDiagnosis', toState: 'open.awaitingDiagnosisApproval', status: 'parked' })).toBe(true);
    expect(changesStanding({ fromState: 'recovering', toState: 'recovered', status: 'parked' })).toBe(true);
    expect(changesStanding({ fromState: 'resolving', toState: 'resolved', status: 'done' })).toBe(true);
    expect(changesStanding({ fromState: 'open.diagnosing', toState: 'open.notifyingDiagnosis', status: 'active' })).toBe(false);
  });
});

describe('storm card updates', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('coalesce: many touches within the interval make one update, a touch during an update one more', async () => {
    vi.useFakeTimers();
    const flushed: number[] = [];
    let release: (() => void) | undefined;
    const updates = new StormCardUpdates({
      intervalMs: 2_000,
      logger: pino({ level: 'silent' }),
      flush: () => {
        flushed.push(Date.now());
        return new Promise<FlushResult>((resolve) => (release = () => resolve('updated')));
      },
    });
    for (let i = 0; i < 50; i++) updates.touch('STORM-1');
    await vi.advanceTimersByTimeAsync(0);
    expect(flushed).toHaveLength(1);
    for (let i = 0; i < 50; i++) updates.touch('STORM-1');
    release?.();
    await vi.advanceTimersByTimeAsync(1_999);
    expect(flushed).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(flushed).toHaveLength(2);
    expect(flushed[1]! - flushed[0]!).toBe(2_000);
    release?.();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(flushed).toHaveLength(2);
    await updates.stop();
  });
});
