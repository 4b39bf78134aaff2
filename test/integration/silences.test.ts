import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { executeCommand, parseCommand } from '../../src/chat/core/commands';
import { SilencingIntake } from '../../src/intake/silencing-intake';
import { accessFrom, builtinPolicy } from '../../src/policy';
import { SilenceInputError } from '../../src/silences/matchers';
import { SilenceService } from '../../src/silences/silence-service';
import { SilenceStore } from '../../src/silences/silence-store';
import { closeOrm, openOrm } from '../../src/store/orm';
import type { AlertInput } from '../../src/domain';
import type { MikroORM } from '@mikro-orm/postgresql';
import { ControllableActors } from '../support/controllable-actors';
import { createHarness } from '../support/runtime-harness';
import type { Harness } from '../support/runtime-harness';
import { terminalConversation } from '../support/terminal-kit';
import { ENGLISH_UTC } from '../../src/i18n';

const APPROVER = 'ou_approver';
const access = accessFrom(() => builtinPolicy({ autoExecuteLowRisk: false, approverIds: [APPROVER], dryRun: false }));
const nodeDown: AlertInput = {
  source: 'alertmanager',
  fingerprint: 'node-7',
  title: 'KubeNodeNotReady',
  severity: 'high',
  service: 'checkout-api',
  labels: { alertname: 'KubeNodeNotReady', env: 'prod', team: 'payments' },
};

/** A clock the test moves: expiry is by time, and no test waits for it. */
class TestClock {
  at = new Date('2026-12-07T01:00:00Z');
  now = () => new Date(this.at);
  advance(ms: number) {
    this.at = new Date(this.at.getTime() + ms);
  }
}

describe('Silences on the real Postgres, shared by two instances', () => {
  let h: Harness;
  let otherOrm: MikroORM;
  const clock = new TestClock();
  let here: SilenceService;
  let there: SilenceService;
  let intake: SilencingIntake;

  beforeAll(async () => {
    const actors = new ControllableActors();
    h = await createHarness({ machine: () => actors.machine() });
    otherOrm = await openOrm({ databaseUrl: h.db.url, poolSize: 2 });
    here = new SilenceService(new SilenceStore(h.orm), clock.now);
    there = new SilenceService(new SilenceStore(otherOrm), clock.now);
    intake = new SilencingIntake(h.runtime, there, h.logger);
  });
  afterAll(async () => {
    await closeOrm(otherOrm);
    await h.close();
  });

  it('holds back a matching alert on the other instance, records it, and lets others through', async () => {
    const silence = await here.create({ matchers: 'alertname=KubeNodeNotReady service=~"checkout.*" env!=dev team!~"a|b"', duration: '2h', reason: 'rack 7 maintenance', by: APPROVER });
    expect(silence.id).toMatch(/^SIL-[2-9A-HJKMNP-TV-Z]{4}$/);

    const held = await intake.create({ alert: nodeDown, chatId: 'oc_ops', alertMessageId: 'om_1', by: { id: 'monitor' } });
    expect(held).toMatchObject({ opened: false, silenced: { silenceId: silence.id, reason: 'rack 7 maintenance', createdBy: APPROVER } });
    expect(await h.runtime.listOpen()).toHaveLength(0);
    expect(await here.held(silence.id)).toMatchObject([{ fingerprint: 'node-7', title: 'KubeNodeNotReady', chatId: 'oc_ops', messageId: 'om_1', silenceId: silence.id }]);

    const other = await intake.create({ alert: { ...nodeDown, fingerprint: 'node-8', labels: { ...nodeDown.labels, team: 'b' } }, chatId: 'oc_ops', by: { id: 'monitor' } });
    expect(other.silenced).toBeUndefined();
    expect(other.opened).toBe(true);
  });

  it('takes the silenced alerts out of a group and opens the rest; a resolved notice always passes', async () => {
    const silence = await here.create({ matchers: 'instance=~"node-(1|2)"', duration: '1h', by: APPROVER });
    const node = (n: number): AlertInput => ({ ...nodeDown, fingerprint: `grp-${n}`, title: 'NodeFilesystemFull', instance: `node-${n}`, labels: {} });
    const allHeld = await intake.create({ alert: node(1), alongWith: [node(2)], chatId: 'oc_ops', by: { id: 'm' } });
    expect(allHeld.silenced?.silenceId).toBe(silence.id);
    const partly = await intake.create({ alert: node(1), alongWith: [node(2), node(3)], chatId: 'oc_ops', by: { id: 'm' } });
    expect(partly.silenced).toBeUndefined();
    expect(partly.opened && partly.fingerprint).toBe('grp-3');
    expect((await here.held(silence.id)).map((a) => a.fingerprint).sort()).toEqual(['grp-1', 'grp-1', 'grp-2', 'grp-2']);
    const resolved = await intake.create({ alert: { ...node(1), status: 'resolved' }, chatId: 'oc_ops', by: { id: 'm' } });
    expect(resolved.silenced).toBeUndefined();
  });

  it('ends by time: after its end the same alert opens an incident, and it is listed as ended', async () => {
    const silence = await here.create({ matchers: 'alertname=DiskFull', duration: '30m', by: APPROVER });
    const disk = { ...nodeDown, fingerprint: 'disk-1', title: 'DiskFull', labels: {} };
    expect((await intake.create({ alert: disk, chatId: 'oc_ops', by: { id: 'm' } })).silenced?.silenceId).toBe(silence.id);
    clock.advance(30 * 60_000);
    const after = await intake.create({ alert: disk, chatId: 'oc_ops', by: { id: 'm' } });
    expect(after.silenced).toBeUndefined();
    const listing = await there.list();
    expect(listing.active.map((s) => s.id)).not.toContain(silence.id);
    expect(listing.recent.map((s) => s.id)).toContain(silence.id);
  });

  it('is expired by hand on one instance and stops holding on the other; audited who and when', async () => {
    const silence = await here.create({ matchers: 'alertname=QueueBacklog', duration: '1d', reason: 'known', by: APPROVER });
    const backlog = { ...nodeDown, fingerprint: 'q-1', title: 'QueueBacklog', labels: {} };
    expect(await there.match(backlog)).not.toBeNull();
    const expired = await there.expire(silence.id.toLowerCase(), 'ou_other');
    expect(expired).toMatchObject({ id: silence.id, expiredBy: 'ou_other', expiredAt: clock.now(), createdBy: APPROVER, reason: 'known' });
    expect(await here.match(backlog)).toBeNull();
    await expect(here.expire(silence.id, APPROVER)).rejects.toThrow('already ended');
    await expect(here.expire('SIL-2222', APPROVER)).rejects.toThrow('No silence SIL-2222');
  });

  it('refuses bad input and stores nothing', async () => {
    const before = (await here.list()).active.length;
    for (const [matchers, duration] of [['alertname=~"(x"', '1h'], ['env!=dev', '1h'], ['alertname=A', '45d'], ['alertname=A', 'soon'], ['', '1h']] as const) {
      await expect(here.create({ matchers, duration, by: APPROVER })).rejects.toThrow(SilenceInputError);
    }
    expect((await here.list()).active.length).toBe(before);
  });

  it('runs /silence, /silences and /unsilence through the terminal chat, refusing people who may not approve', async () => {
    const terminal = terminalConversation({ orm: h.orm, logger: h.logger, service: intake, access, silences: here });
    const say = (text: string, sender = APPROVER) => terminal.say(text, sender);

    expect(await say('/silence service=payments 1h', 'ou_mallory')).toMatch(/Only people who may approve a low-risk fix may silence/);
    expect(await say('/silence service=payments 99d')).toMatch(/^Not accepted: A silence lasts at most 30d/);
    expect(await say('/silence service="pay 1h')).toMatch(/missing its closing/);

    const created = await say('/silence service=payments severity=~"high|critical" 2h card outage upstream');
    const id = /SIL-[0-9A-Z]{4}/.exec(created)?.[0];
    expect(created).toMatch(/^Silenced: SIL-/);
    expect(created).toContain('"card outage upstream"');

    const alertReply = await say('[critical] card auth failing service=payments');
    // The end in TIMEZONE (UTC here), and how far off it is from the wall clock (the test's clock is its own).
    const until = ENGLISH_UTC.translator().when(new Date(clock.at.getTime() + 7_200_000));
    expect(alertReply).toMatch(new RegExp(`^Silenced by ${id} until ${until}( \\(.+\\))?, "card outage upstream": no incident opened\\.$`));
    expect(await say('/silences')).toMatch(new RegExp(`${id} .*held 1 alert`));

    expect(await say(`/unsilence ${id}`, 'ou_mallory')).toMatch(/Only people/);
    expect(await say(`/unsilence ${id}`)).toMatch(/^Expired SIL-/);
    expect(await say('[critical] card auth failing service=payments')).toMatch(/^Opened INC-/);
    // Parsing alone: the same text in the web console or Lark goes through the same parser and executor.
    expect(await executeCommand(parseCommand('/unsilence nonsense')!, { service: intake, sender: { id: APPROVER }, chatId: 'c', messageId: 'm', access, silences: here, tr: ENGLISH_UTC.translator() })).toMatch(/not a silence id/);
  });
});
