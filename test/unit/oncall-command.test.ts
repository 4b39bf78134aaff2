import { describe, expect, it } from 'vitest';
import { executeCommand, helpText, parseCommand, problemText } from '../../src/chat/core/commands';
import type { CommandContext } from '../../src/chat/core/commands';
import { onCallText } from '../../src/chat/core/commands/oncall-command';
import { accessFrom, parsePolicy } from '../../src/policy';
import type { IncidentService } from '../../src/runtime/incident-service';
import { ENGLISH_UTC, I18n } from '../../src/i18n';

const HELP_TEXT = helpText(ENGLISH_UTC.translator());

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
    const extra = parseCommand('/oncall operator');
    expect(extra?.kind === 'invalid' && problemText(ENGLISH_UTC.translator(), extra.problem)).toBe('/oncall takes no arguments.');
    expect(HELP_TEXT).toMatch(/\/oncall +who is on call now and next, per role, with the hand-off time/);
  });

  const roster = {
      default: { people: ['ou_alice', 'oc_sre'] },
      roles: {
        operator: { rotation: { handoff: 'Mon 10:00', timezone: 'Asia/Shanghai', people: ['ou_bob', 'ou_carol'], start: '2026-01-05' } },
        admin: { people: ['ou_alice'], overrides: [{ from: '2026-01-06T00:00:00Z', to: '2026-01-07T00:00:00Z', people: ['ou_dave'] }] },
      },
  };

  it('says who is on call now and next per role, with the hand-off in TIMEZONE and how far off it is', () => {
    expect(onCallText(contextWith(roster), new Date('2026-01-05T12:00:00Z'))).toBe(
      [
        'On call now:',
        '  admin: ou_alice until Jan 6, 00:00 (in 12 hours), then ou_dave',
        '  operator: ou_bob until Jan 12, 02:00 (in 7 days), then ou_carol',
        '  every other role: ou_alice and group oc_sre (no hand-off ahead)',
      ].join('\n'),
    );
  });

  it('says it in Chinese, hand-offs in Asia/Shanghai', () => {
    const ctx = { ...contextWith(roster), tr: new I18n('zh-CN', 'Asia/Shanghai').translator() };
    expect(onCallText(ctx, new Date('2026-01-05T12:00:00Z')).split('\n')).toEqual([
      '当前值班：',
      '  admin：ou_alice，值班至 1月6日 08:00（12小时后），之后由 ou_dave 接班',
      '  operator：ou_bob，值班至 1月12日 10:00（7天后），之后由 ou_carol 接班',
      '  其他所有角色：ou_alice和群组 oc_sre（暂无交接安排）',
    ]);
  });

  it('says so when the policy has no roster, or no policy is loaded', async () => {
    expect(await executeCommand({ kind: 'oncall' }, contextWith(undefined))).toMatch(/Nobody is on call: the policy file has no oncall roster/);
    expect(await executeCommand({ kind: 'oncall' }, { ...contextWith(undefined), access: undefined })).toMatch(/Nobody is on call/);
  });

});
