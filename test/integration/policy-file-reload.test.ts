import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PolicySource } from '../../src/policy/load-policy';
import { builtinPolicy, PolicyError } from '../../src/policy/policy-rules';
import { eventually } from '../support/runtime-harness';

const logger = pino({ level: 'silent' });
const builtin = builtinPolicy({ autoExecuteLowRisk: true, approverIds: [], dryRun: false });
let dir: string;
let file: string;
let source: PolicySource | undefined;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'policy-'));
  file = join(dir, 'policy.yaml');
});
afterEach(async () => {
  source?.close();
  source = undefined;
  await rm(dir, { recursive: true, force: true });
});

const perHour = (n: number) => `# quotas\nautoExecute:\n  perHour: ${n}\nroles:\n  admin: [ou_alice]\n`;

describe('POLICY_FILE', () => {
  it('is the built-in policy when unset', async () => {
    source = await PolicySource.open({ builtin, logger });
    expect(source.current()).toBe(builtin);
    expect(await source.reload()).toEqual({ ok: true, rules: builtin });
  });

  it('reads YAML and JSON', async () => {
    await writeFile(file, perHour(7));
    source = await PolicySource.open({ file, builtin, logger });
    expect(source.current()).toMatchObject({ source: file, autoExecute: { perHour: 7 }, roles: { admin: ['ou_alice'] } });
    const json = join(dir, 'policy.json');
    await writeFile(json, JSON.stringify({ autoExecute: { upTo: 'none' } }));
    expect((await PolicySource.open({ file: json, builtin, logger })).current().autoExecute.upTo).toBe('none');
  });

  it('refuses to start on a bad file, naming the field', async () => {
    await writeFile(file, 'approvers:\n  high: [admn]\n');
    await expect(PolicySource.open({ file, builtin, logger })).rejects.toThrow(PolicyError);
    await expect(PolicySource.open({ file, builtin, logger })).rejects.toThrow(/approvers\.high\.0: unknown role "admn"/);
    await writeFile(file, 'autoExecute: [unclosed\n');
    await expect(PolicySource.open({ file, builtin, logger })).rejects.toThrow(/Invalid policy .*policy\.yaml/);
  });

  it('takes a changed file, rejects a bad one and keeps the old policy, then takes a good one again', async () => {
    await writeFile(file, perHour(7));
    source = await PolicySource.open({ file, builtin, logger });
    await writeFile(file, perHour(3));
    expect(await source.reload()).toMatchObject({ ok: true });
    expect(source.current().autoExecute.perHour).toBe(3);

    await writeFile(file, 'autoExecute:\n  perHour: -1\n');
    const rejected = await source.reload();
    expect(rejected).toMatchObject({ ok: false, error: expect.stringMatching(/autoExecute\.perHour: Too small/) as unknown });
    expect(source.current().autoExecute.perHour).toBe(3);
    expect(source.lastError).toMatch(/autoExecute\.perHour/);

    await rm(file);
    expect((await source.reload()).ok).toBe(false);
    expect(source.current().autoExecute.perHour).toBe(3);

    await writeFile(file, perHour(9));
    expect((await source.reload()).ok).toBe(true);
    expect(source.current().autoExecute.perHour).toBe(9);
    expect(source.lastError).toBeUndefined();
  });

  it('notices a change on its own, also when an editor replaces the file', async () => {
    await writeFile(file, perHour(7));
    source = await PolicySource.open({ file, builtin, logger });
    source.watch(10);
    await writeFile(file, perHour(4));
    await eventually(() => (source?.current().autoExecute.perHour === 4 ? true : undefined), 'the edit to be loaded');
    const swap = join(dir, '.policy.yaml.swp');
    await writeFile(swap, perHour(2));
    await rename(swap, file);
    await eventually(() => (source?.current().autoExecute.perHour === 2 ? true : undefined), 'the replaced file to be loaded');
    await writeFile(file, 'dryRun: maybe\n');
    await eventually(() => source?.lastError, 'the bad edit to be rejected');
    expect(source.current().autoExecute.perHour).toBe(2);
  });

  it('DRY_RUN forces a dry run whatever the file says, also after a reload', async () => {
    await writeFile(file, 'dryRun: false\n');
    source = await PolicySource.open({ file, builtin, forceDryRun: true, logger });
    expect(source.current().dryRun).toBe(true);
    await source.reload();
    expect(source.current().dryRun).toBe(true);
  });
});
