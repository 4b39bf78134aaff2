import { mkdir, mkdtemp, rename, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pino } from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { PolicySource, readPolicyFile } from '../../src/policy/load-policy';
import { eventually } from '../support/runtime-harness';

/**
 * A ConfigMap volume as the kubelet writes it: the files live in a timestamped hidden folder, `..data`
 * links to it, and each file name links through `..data`. An update writes a new folder, points
 * `..data_tmp` at it and renames that over `..data`: the file names themselves never change.
 */
class ConfigMapVolume {
  private generation = 0;
  private constructor(readonly dir: string) {}

  static async create(files: Record<string, string>): Promise<ConfigMapVolume> {
    const volume = new ConfigMapVolume(await mkdtemp(join(tmpdir(), 'aifixer-configmap-')));
    const first = await volume.writeGeneration(files);
    await symlink(first, join(volume.dir, '..data'));
    for (const name of Object.keys(files)) await symlink(join('..data', name), join(volume.dir, name));
    return volume;
  }

  async update(files: Record<string, string>): Promise<void> {
    const previous = `..gen_${this.generation}`;
    const next = await this.writeGeneration(files);
    await symlink(next, join(this.dir, '..data_tmp'));
    await rename(join(this.dir, '..data_tmp'), join(this.dir, '..data'));
    await rm(join(this.dir, previous), { recursive: true });
  }

  private async writeGeneration(files: Record<string, string>): Promise<string> {
    const name = `..gen_${++this.generation}`;
    await mkdir(join(this.dir, name));
    for (const [file, text] of Object.entries(files)) await writeFile(join(this.dir, name, file), text);
    return name;
  }
}

describe('POLICY_FILE mounted from a ConfigMap', () => {
  let source: PolicySource | undefined;
  afterEach(() => source?.close());

  it('is reloaded when the ConfigMap changes (the kubelet swaps ..data; policy.yaml itself is never touched)', async () => {
    const volume = await ConfigMapVolume.create({ 'policy.yaml': 'dryRun: false\n' });
    const file = join(volume.dir, 'policy.yaml');
    source = await PolicySource.open({ file, builtin: await readPolicyFile(file), logger: pino({ level: 'silent' }) });
    source.watch(10);
    expect(source.current().dryRun).toBe(false);

    await volume.update({ 'policy.yaml': 'dryRun: true\n' });
    await eventually(() => (source?.current().dryRun === true ? true : undefined), 'the policy to be reloaded after the ConfigMap update', 5_000);
  });
});
