import { describe, expect, it } from 'vitest';
import { executeCommand, HELP_TEXT, parseCommand } from '../../src/chat/core/commands';
import type { CommandContext } from '../../src/chat/core/commands';
import { handoffTime, onCallText } from '../../src/chat/core/commands/oncall-command';
import { accessFrom, parsePolicy } from '../../src/policy';
import type { IncidentService } from '../../src/runtime/incident-service';
import { ENGLISH_UTC } from '../../src/i18n';

/** /oncall never reaches an incident: a service that fails loudly if it did. */
const noService = new Proxy({}, { get: () => () => Promise.reject(new Error('/oncall must not touch incidents')) }) as IncidentService;

function contextWith(oncall: unknown): CommandContext {
  const rules = parsePolicy({ roles: { operator: ['ou_bob'] }, oncall }, 'test');
  return { service: noService, sender: { id: 'ou_bob' }, chatId: 'oc_ops', messageId: 'om_1', access: accessFrom(() => rules), tr: ENGLISH_UTC.translator() };
}

describe('/oncall', () => {
  it('parses without arguments and is listed in /help', () => {
    expect(parseCommand('/oncall')).toEqual({ kind: 'oncall' });
    expect(parseCommand('/ONCALL')).toEqual({ kind: 'oncall' });
    expect(parseCommand('/oncall operator')).toEqual({ kind: 'invalid', message: '/oncall takes no arguments.' });
    expect(HELP_TEXT).toMatch(/\/oncall +who is on call now and next, per role, with the hand-off time/);
  });

  it('says who is on call now and next per role, with the hand-off on the rotation’s wall clock', () => {
    const ctx = contextWith({
      default: { people: ['ou_alice', 'oc_sre'] },
      roles: {
        operator: { rotation: { handoff: 'Mon 10:00', timezone: 'Asia/Shanghai', people: ['ou_bob', 'ou_carol'], start: '2026-01-05' } },
        admin: { people: ['ou_alice'], overrides: [{ from: '2026-01-06T00:00:00Z', to: '2026-01-07T00:00:00Z', people: ['ou_dave'] }] },
      },
    });
    expect(onCallText(ctx, new Date('2026-01-05T12:00:00Z'))).toBe(
      [
        'On call now:',
        '  admin: ou_alice until Tue 2026-01-06 00:00 UTC, then ou_dave',
        '  operator: ou_bob until Mon 2026-01-12 10:00 Asia/Shanghai, then ou_carol',
        '  every other role: ou_alice, group oc_sre (no hand-off ahead)',
      ].join('\n'),
    );
  });

  it('says so when the policy has no roster, or no policy is loaded', async () => {
    expect(await executeCommand({ kind: 'oncall' }, contextWith(undefined))).toMatch(/Nobody is on call: the policy file has no oncall roster/);
    expect(await executeCommand({ kind: 'oncall' }, { ...contextWith(undefined), access: undefined })).toMatch(/Nobody is on call/);
  });

  it('formats hand-offs in any zone', () => {
    expect(handoffTime(new Date('2026-03-30T08:00:00Z'), 'Europe/Berlin')).toBe('Mon 2026-03-30 10:00 Europe/Berlin');
  });
});
