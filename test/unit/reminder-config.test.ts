import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, timeoutsFrom } from '../../src/config';

describe('REMIND_AFTER and ESCALATION_CHAIN', () => {
  it('reminds after 10 minutes with no chain by default, and 0 turns reminders off', () => {
    const config = loadConfig({});
    expect(config.REMIND_AFTER).toBe(600_000);
    expect(config.ESCALATION_CHAIN).toEqual([]);
    expect(timeoutsFrom(config).reminder).toBe(600_000);
    expect(timeoutsFrom(loadConfig({ REMIND_AFTER: '0' })).reminder).toBe(0);
  });

  it('reads the chain as levels in order: a role, a group or a person, each with its wait', () => {
    const config = loadConfig({ REMIND_AFTER: '5m', ESCALATION_CHAIN: 'sre-leads:15m, oc_abc123:30m,ou_boss:1h' });
    expect(config.ESCALATION_CHAIN).toEqual([
      { to: 'sre-leads', afterMs: 900_000 },
      { to: 'oc_abc123', afterMs: 1_800_000 },
      { to: 'ou_boss', afterMs: 3_600_000 },
    ]);
  });

  it('stops start-up with a message that names the bad level', () => {
    expect(() => loadConfig({ ESCALATION_CHAIN: 'sre-leads:15m,oc_abc123' })).toThrow(/ESCALATION_CHAIN: level 2 "oc_abc123": expected role-or-id:duration/);
    expect(() => loadConfig({ ESCALATION_CHAIN: 'sre leads:15m' })).toThrow(/level 1 "sre leads:15m"/);
    expect(() => loadConfig({ ESCALATION_CHAIN: 'sre-leads:0' })).toThrow(/a wait longer than zero/);
    expect(() => loadConfig({ REMIND_AFTER: 'soon' })).toThrow(/REMIND_AFTER: expected a duration/);
    expect(() => loadConfig({ REMIND_AFTER: '0', ESCALATION_CHAIN: 'sre-leads:15m' })).toThrow(ConfigError);
    expect(() => loadConfig({ REMIND_AFTER: '0', ESCALATION_CHAIN: 'sre-leads:15m' })).toThrow(/starts after the first reminder/);
  });
});
