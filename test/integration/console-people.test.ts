import { PassThrough, Writable } from 'node:stream';
import { pino } from 'pino';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { startApp } from '../../src/app';
import type { App } from '../../src/app';
import { createLarkClient } from '../../src/chat/lark/lark-client';
import { larkPeopleDirectory } from '../../src/chat/lark/lark-people';
import { loadConfig } from '../../src/config';
import { startFakeLark } from '../fakes/lark';
import type { FakeLark } from '../fakes/lark';
import { createTestDatabase } from '../support/database';
import type { TestDatabase } from '../support/database';
import { eventually } from '../support/runtime-harness';

const ALICE = 'ou_alice000000000000000000000016';
const BOB = 'ou_bob00000000000000000000000016';
const STRANGER = 'ou_stranger000000000000000000016';
const OPS = 'oc_ops00000000000000000000000016';
const GONE = 'oc_gone0000000000000000000000016';
const USERS_PATH = '/open-apis/contact/v3/users/batch';

const contactCalls = (fake: FakeLark) => fake.requests.filter((r) => r.path === USERS_PATH).length;

function recordingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(JSON.parse(chunk.toString()) as { level: number; msg: string });
      done();
    },
  });
  return { logger: pino({ level: 'info' }, stream), lines };
}

describe("Lark's names through the real SDK", () => {
  const cleanups: (() => Promise<unknown>)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function fakeWithPeople(): Promise<FakeLark> {
    const fake = await startFakeLark();
    cleanups.push(() => fake.close());
    fake.addPerson(ALICE, 'Alice Chen');
    fake.addPerson(BOB, '王小明');
    fake.addGroup(OPS, 'SRE 值班群');
    return fake;
  }

  const directoryOf = (fake: FakeLark, logger: pino.Logger) =>
    larkPeopleDirectory(createLarkClient({ appId: fake.appId, appSecret: fake.appSecret, domain: fake.url, logger }), logger);

  it('names people by open id and groups by chat id, once each until the cache forgets', async () => {
    const fake = await fakeWithPeople();
    const directory = directoryOf(fake, pino({ level: 'silent' }));

    const names = await directory.namesOf([ALICE, BOB, STRANGER, OPS, GONE, 'system']);
    expect(names).toEqual(new Map([[ALICE, 'Alice Chen'], [BOB, '王小明'], [OPS, 'SRE 值班群']]));
    expect(contactCalls(fake)).toBe(1);

    await directory.namesOf([ALICE, STRANGER, GONE]);
    expect(contactCalls(fake)).toBe(1);
    expect(fake.requests.filter((r) => r.path.startsWith('/open-apis/im/v1/chats/')).map((r) => r.status)).toEqual([200, 400]);
  });

  it('shows ids when the app may not read contacts, asks no more for a while, and says so once', async () => {
    const fake = await fakeWithPeople();
    fake.refuseContacts({ users: true });
    const { logger, lines } = recordingLogger();
    const directory = directoryOf(fake, logger);

    expect(await directory.namesOf([ALICE, OPS])).toEqual(new Map([[OPS, 'SRE 值班群']]));
    expect(await directory.namesOf([ALICE, BOB])).toEqual(new Map());
    expect(fake.requests.filter((r) => r.path === USERS_PATH).map((r) => r.status)).toEqual([400]);
    const ours = lines.filter((line) => line.level >= 40 && /may not read names/.test(line.msg));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.msg).toContain('contact:user.base:readonly');
  });
});

describe('the console API names the people it shows', () => {
  let fake: FakeLark;
  let db: TestDatabase;
  let app: App;
  let base: string;

  beforeAll(async () => {
    fake = await startFakeLark();
    fake.addPerson(ALICE, 'Alice Chen');
    fake.addGroup(OPS, 'SRE 值班群');
    db = await createTestDatabase();
    const config = loadConfig({
      DATABASE_URL: db.url,
      PORT: '0',
      LARK_APP_ID: fake.appId,
      LARK_APP_SECRET: fake.appSecret,
      LARK_DOMAIN: fake.url,
      CONSOLE_USER: ALICE,
      APPROVER_IDS: ALICE,
      CONSOLE_TRUST_LOOPBACK: 'true',
    });
    app = await startApp(config, pino({ level: 'silent' }), { input: new PassThrough(), output: new PassThrough() });
    base = `http://127.0.0.1:${app.httpPort}/api/console`;
  });
  afterAll(async () => {
    await app?.stop();
    await db?.drop();
    await fake?.close();
  });

  async function call<T>(path: string, body?: unknown): Promise<T> {
    const response = await fetch(`${base}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'x-ai-fixer-console': '1', ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    expect(response.status, `${path}: ${response.status}`).toBeLessThan(300);
    return (await response.json()) as T;
  }

  it('adds people: { id: name } to the session, the chat and the incident page', async () => {
    await expect(call<{ user: string; people: Record<string, string> }>('/session')).resolves.toMatchObject({ user: ALICE, people: { [ALICE]: 'Alice Chen' } });

    await call('/messages', { id: 'people-sample-0001', sample: 'alertmanager' });
    const id = await eventually(async () => {
      const { incidents } = await call<{ incidents: { id: string; phase: { id: string } }[] }>('/incidents');
      return incidents.find((row) => row.phase.id === 'awaitingDiagnosisApproval')?.id;
    }, 'an incident waiting for its diagnosis to be confirmed', 20_000);
    await call('/incident/action', { id: 'people-click-0001', incidentId: id, type: 'diagnosis.approved', text: 'looks right' });

    const details = await call<{ timeline: { actor: string; raw: { eventType?: string } }[]; people: Record<string, string> }>(`/incident?id=${id}`);
    expect(details.timeline.find((entry) => entry.raw.eventType === 'diagnosis.approved')?.actor).toBe(ALICE);
    expect(details.people).toEqual({ [ALICE]: 'Alice Chen' });

    await call('/messages', { id: 'people-text-0001', text: `/status ${id}`, as: 'person' });
    const chat = await call<{ messages: { senderId: string }[]; people: Record<string, string> }>('/messages');
    expect(chat.messages.some((message) => message.senderId === ALICE)).toBe(true);
    expect(chat.people).toEqual({ [ALICE]: 'Alice Chen' });
  });

  it('names what the page asks for, and answers with ids alone once Lark refuses', async () => {
    await expect(call(`/people?ids=${ALICE},${OPS},system,${STRANGER}`)).resolves.toEqual({ people: { [ALICE]: 'Alice Chen', [OPS]: 'SRE 值班群' } });

    fake.refuseContacts();
    fake.addPerson(BOB, 'Bob');
    // A name already known is still shown; a new one is not asked for in vain: the page shows the id.
    await expect(call(`/people?ids=${ALICE},${BOB}`)).resolves.toEqual({ people: { [ALICE]: 'Alice Chen' } });
    await expect(call(`/people?ids=${BOB}`)).resolves.toEqual({ people: {} });
    expect(fake.requests.filter((r) => r.path === USERS_PATH && r.status === 400)).toHaveLength(1);
  });
});
