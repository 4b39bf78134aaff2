import { describe, expect, it } from 'vitest';
import { builtinPolicy, holders, holdsAny, parsePolicy, PolicyError, rolesOf } from '../../src/policy/policy-rules';

describe('the policy file', () => {
  it('is safe when empty: low runs within quotas, critical needs two, nobody is anybody', () => {
    const rules = parsePolicy({}, 'empty');
    expect(rules).toMatchObject({
      source: 'empty',
      dryRun: false,
      autoExecute: { upTo: 'low', maxStepsPerIncident: 3, cooldownMs: 600_000, perHour: 10, perServicePerHour: 3 },
      approvalsRequired: { low: 1, medium: 1, high: 1, critical: 2 },
      approvers: { low: ['operator', 'admin'], critical: ['operator', 'admin'] },
      decide: { diagnosis: ['operator', 'admin'], escalate: ['*'] },
      roles: {},
      everyone: undefined,
      blockedPlugins: [],
      dryRunPlugins: [],
    });
  });

  it('takes durations as text or milliseconds, and per-plugin dry runs', () => {
    const rules = parsePolicy({ autoExecute: { cooldown: '90s' }, plugins: { 'shell.run': { dryRun: true }, 'http.call': { dryRun: false } } }, 'f');
    expect(rules.autoExecute.cooldownMs).toBe(90_000);
    expect(parsePolicy({ autoExecute: { cooldown: 0 } }, 'f').autoExecute.cooldownMs).toBe(0);
    expect(rules.dryRunPlugins).toEqual(['shell.run']);
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown key', { autoExecutee: {} }, /\(top level\): Unrecognized key: "autoExecutee"/],
    ['critical may not run by itself', { autoExecute: { upTo: 'critical' } }, /autoExecute\.upTo: Invalid option/],
    ['a misspelt role', { approvers: { high: ['admn'] } }, /approvers\.high\.0: unknown role "admn"; known: viewer, operator, admin, \*/],
    ['a role defined under roles is known', { roles: { sre: ['ou_1'] }, approvers: { high: ['sre', 'nope'] } }, /approvers\.high\.1: unknown role "nope"/],
    ['everyone names a role', { everyone: 'guest' }, /everyone: unknown role "guest"/],
    ['critical needs two', { approvalsRequired: { critical: 1 } }, /approvalsRequired\.critical: Too small/],
    ['a bad duration', { autoExecute: { cooldown: '10 minutes' } }, /autoExecute\.cooldown: expected a duration such as 90s/],
    ['a cron freeze needs a duration', { freezes: [{ name: 'w', cron: '0 18 * * fri' }] }, /freezes\.0\.duration: a cron freeze needs a duration/],
    ['a bad cron', { freezes: [{ name: 'w', cron: '0 25 * * *', duration: '1h' }] }, /freezes\.0\.cron: hour: "25" is not between 0 and 23/],
    ['an unknown zone', { freezes: [{ name: 'w', cron: '0 1 * * *', duration: '1h', timezone: 'Mars/Olympus' }] }, /freezes\.0\.timezone: unknown time zone "Mars\/Olympus"/],
    ['a fixed freeze ends after it starts', { freezes: [{ name: 'r', from: '2026-12-02T00:00:00Z', to: '2026-12-01T00:00:00Z' }] }, /freezes\.0\.to: must be after from/],
    ['a bound needs min or max', { fences: { bounds: { 'redis.delete_keys': { limit: {} } } } }, /fences\.bounds\.redis\.delete_keys\.limit: give min or max/],
    ['a plugin id', { fences: { blockedPlugins: ['Shell Run'] } }, /fences\.blockedPlugins\.0: expected a plugin id/],
  ])('names the field: %s', (_name, raw, message) => {
    expect(() => parsePolicy(raw, 'policy.yaml')).toThrow(PolicyError);
    expect(() => parsePolicy(raw, 'policy.yaml')).toThrow(message);
  });
});

describe('the built-in policy (no POLICY_FILE)', () => {
  it('keeps APPROVER_IDS as the operators, and AUTO_EXECUTE_LOW_RISK and DRY_RUN as switches', () => {
    const rules = builtinPolicy({ autoExecuteLowRisk: false, approverIds: ['ou_a', 'ou_b'], dryRun: true });
    expect(rules).toMatchObject({ source: 'built-in', dryRun: true, autoExecute: { upTo: 'none' }, roles: { operator: ['ou_a', 'ou_b'] }, everyone: undefined });
    expect(rolesOf(rules, 'ou_a')).toEqual(['operator']);
    expect(rolesOf(rules, 'ou_x')).toEqual([]);
  });

  it('makes everyone an operator when APPROVER_IDS is empty, as before', () => {
    const rules = builtinPolicy({ autoExecuteLowRisk: true, approverIds: [], dryRun: false });
    expect(rules.autoExecute.upTo).toBe('low');
    expect(rolesOf(rules, 'anybody')).toEqual(['operator']);
    expect(holders(rules, rules.approvers.critical)).toBeNull();
  });
});

describe('roles', () => {
  const rules = parsePolicy({ roles: { admin: ['ou_a'], operator: ['ou_b', 'ou_a'], viewer: ['ou_v'] }, everyone: 'viewer' }, 'f');
  it.each<[string, string[], boolean]>([
    ['ou_a', ['admin'], true],
    ['ou_b', ['admin'], false],
    ['ou_v', ['operator', 'admin'], false],
    ['ou_stranger', ['viewer'], true],
    ['ou_stranger', ['*'], true],
  ])('%s holds one of %o: %s', (who, allowed, expected) => {
    expect(holdsAny(rules, who, allowed)).toBe(expected);
  });

  it('lists who holds roles, or null when everyone does', () => {
    expect(holders(rules, ['operator', 'admin'])).toEqual(['ou_a', 'ou_b']);
    expect(holders(rules, ['viewer'])).toBeNull();
    expect(holders(rules, ['*'])).toBeNull();
  });
});
