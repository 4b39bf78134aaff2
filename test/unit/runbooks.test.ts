import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fillPlaceholders, loadRunbooks, matchRunbooks, parseRunbook, placeholdersOf } from '../../src/memory/runbooks';
import type { Runbook } from '../../src/memory/runbooks';

const FULL = `---
title: Postgres sessions idle in transaction
services: [orders-db]
labels:
  alertname: PostgresIdleInTransaction
  severity: [critical, high]
keywords: [idle in transaction, too many connections]
category: database-connections
diagnostics:
  - plugin: postgres.activity
    args: { target: "{{target}}", olderThanSeconds: 60 }
remediation:
  - plugin: postgres.terminate_backends
    args: { target: "{{target}}", olderThanSeconds: 60 }
    summary: End idle sessions
verification:
  - plugin: postgres.activity
    args: { target: "{{target}}" }
    expect: [{ path: idleInTransaction.value, atMost: 0 }]
---
# Idle sessions

Sessions that opened a transaction and went quiet.
`;

function parsed(path: string, text: string): Runbook {
  const result = parseRunbook(path, text);
  if (!result.ok) throw new Error(result.error);
  return result.runbook;
}

function problem(path: string, text: string): string {
  const result = parseRunbook(path, text);
  if (result.ok) throw new Error(`${path} parsed, but should not have`);
  return result.error;
}

describe('parseRunbook', () => {
  it('reads the front matter, steps and body', () => {
    const runbook = parsed('db/idle.md', FULL);
    expect(runbook).toMatchObject({
      path: 'db/idle.md',
      title: 'Postgres sessions idle in transaction',
      services: ['orders-db'],
      labels: { alertname: ['PostgresIdleInTransaction'], severity: ['critical', 'high'] },
      keywords: ['idle in transaction', 'too many connections'],
      category: 'database-connections',
      diagnostics: [{ plugin: 'postgres.activity', args: { target: '{{target}}', olderThanSeconds: 60 } }],
      remediation: [{ plugin: 'postgres.terminate_backends', summary: 'End idle sessions' }],
      verification: [{ plugin: 'postgres.activity', expect: [{ path: 'idleInTransaction.value', atMost: 0 }] }],
    });
    expect(runbook.body).toBe('# Idle sessions\n\nSessions that opened a transaction and went quiet.');
    expect(runbook.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(parsed('db/idle.md', `${FULL}\nMore.`).hash).not.toBe(runbook.hash);
  });

  it('takes plain markdown, titled by its first heading or else its file name', () => {
    expect(parsed('notes.md', 'Intro line\n\n# Restarting the VPN\n\nSteps…')).toMatchObject({
      title: 'Restarting the VPN',
      services: [],
      labels: {},
      keywords: [],
      diagnostics: [],
      remediation: [],
      verification: [],
    });
    expect(parsed('misc/untitled.md', 'No heading at all.').title).toBe('misc/untitled');
    expect(parsed('empty-front.md', '---\n---\nBody').body).toBe('Body');
  });

  it('names the file and the field of each validation problem', () => {
    const noSummary = FULL.replace('    summary: End idle sessions\n', '');
    expect(problem('bad.md', noSummary)).toMatch(/^bad\.md: remediation\.0\.summary: /);
    expect(problem('bad.md', FULL.replace('plugin: postgres.activity', 'plugin: Postgres Activity'))).toMatch(
      /^bad\.md: diagnostics\.0\.plugin: a plugin id such as "http\.probe"/,
    );
    expect(problem('typo.md', '---\ntitel: Oops\n---\n')).toMatch(/^typo\.md: \(front matter\): Unrecognized key: "titel"/);
    expect(problem('kw.md', '---\nkeywords: disk\n---\n')).toMatch(/^kw\.md: keywords: /);
    expect(problem('expect.md', FULL.replace('atMost: 0', 'below: 0'))).toMatch(/^expect\.md: verification\.0\.expect\.0/);
  });

  it('reports YAML that does not parse and front matter that is never closed', () => {
    expect(problem('yaml.md', '---\ntitle: [unclosed\n---\nBody')).toMatch(/^yaml\.md: front matter is not valid YAML/);
    expect(problem('open.md', '---\ntitle: x\nBody without an end')).toBe('open.md: front matter opened with --- is never closed');
  });
});

describe('loadRunbooks', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ai-fixer-runbooks-'));
    await mkdir(join(dir, 'db'));
    await writeFile(join(dir, 'db', 'idle.md'), FULL);
    await writeFile(join(dir, 'http.md'), '# HTTP down\n');
    await writeFile(join(dir, 'broken.md'), '---\nremediation: [{ plugin: http.call }]\n---\n');
    await writeFile(join(dir, 'README.md'), '# How to write runbooks\n');
    await writeFile(join(dir, '_draft.md'), '# Not yet\n');
    await writeFile(join(dir, 'notes.txt'), 'not markdown');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads every runbook, reports a bad file and still loads the others', async () => {
    const { runbooks, broken } = await loadRunbooks(dir);
    expect(runbooks.map((r) => r.path)).toEqual(['db/idle.md', 'http.md']);
    expect(broken).toEqual([{ path: 'broken.md', error: expect.stringMatching(/^broken\.md: remediation\.0\.summary: /) as unknown }]);
  });

  it('stops with a clear error when the folder is missing', async () => {
    await expect(loadRunbooks(join(dir, 'nowhere'))).rejects.toThrow(/Runbooks folder .*nowhere does not exist/);
  });
});

describe('placeholders', () => {
  it('lists the names a runbook uses and fills them, keeping a whole-value placeholder typed', () => {
    expect(placeholdersOf(parsed('db/idle.md', FULL))).toEqual(['target']);
    const filled = fillPlaceholders(
      { target: '{{target}}', limit: '{{limit}}', note: 'on {{ target }} in {{namespace}}', list: ['{{target}}'] },
      { target: 'orders-db', limit: 100 },
    );
    expect(filled).toEqual({
      args: { target: 'orders-db', limit: 100, note: 'on orders-db in {{namespace}}', list: ['orders-db'] },
      missing: ['namespace'],
    });
  });
});

describe('matchRunbooks', () => {
  const runbook = (path: string, front: string): Runbook => parsed(path, `---\n${front}\n---\n# ${path}\n`);
  const crashloop = runbook('crashloop.md', 'labels: { alertname: KubePodCrashLooping }\nkeywords: [crashloopbackoff, crash loop, oomkilled]');
  const idle = runbook('idle.md', 'services: [orders-db]\nlabels: { alertname: PostgresIdleInTransaction }\nkeywords: [idle in transaction]');
  const disk = runbook('disk.md', 'keywords: [disk full, no space left on device]');
  const all = [disk, idle, crashloop];

  it('ranks by matching labels, services and keywords, and says why', () => {
    const matches = matchRunbooks(
      { title: 'Pod payments/api-0 is in CrashLoopBackOff', labels: { AlertName: 'kubepodcrashlooping', namespace: 'payments' } },
      all,
    );
    expect(matches).toEqual([{ runbook: crashloop, score: 4, reasons: ['label alertname=kubepodcrashlooping', 'keyword "crashloopbackoff"'] }]);
  });

  it('matches keywords as whole words, spaces standing for - and _ too', () => {
    const [match] = matchRunbooks({ title: 'payments crash-loop', description: 'Pod was OOMKilled twice', labels: {} }, all);
    expect(match?.reasons).toEqual(['keyword "crash loop"', 'keyword "oomkilled"']);
    expect(matchRunbooks({ title: 'crash looping', labels: {} }, all)).toEqual([]);
  });

  it('keeps a service-specific runbook away from other services, and scores it for its own', () => {
    const alert = { title: 'sessions idle in transaction', labels: { alertname: 'PostgresIdleInTransaction' } };
    expect(matchRunbooks({ ...alert, service: 'billing-db' }, all)).toEqual([]);
    expect(matchRunbooks({ ...alert, service: 'orders-db' }, all)[0]).toMatchObject({ runbook: idle, score: 6 });
    // No service named: labels and keywords decide.
    expect(matchRunbooks(alert, all)[0]).toMatchObject({ runbook: idle, score: 4 });
  });

  it('orders ties by path and returns nothing for an alert no runbook knows', () => {
    const both = runbook('a-disk.md', 'keywords: [disk full]');
    expect(matchRunbooks({ title: 'disk full on web-01', labels: {} }, [disk, both]).map((m) => m.runbook.path)).toEqual(['a-disk.md', 'disk.md']);
    expect(matchRunbooks({ title: 'certificate expires in 3 days', labels: {} }, all)).toEqual([]);
  });
});
