import { readFile, unlink, writeFile } from 'node:fs/promises';
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * One chaos run at a time per chaos Postgres: two runs would restart each other's servers. A lock
 * file holding the owner's pid; one left by a process that is gone is taken over.
 */
export async function acquireRunLock(postgresUrl: string, note: (line: string) => void): Promise<() => Promise<void>> {
  const file = join(tmpdir(), `aifixer-chaos-${new URL(postgresUrl).port}.lock`);
  let waiting = false;
  for (;;) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return async () => {
        if ((await readFile(file, 'utf8').catch(() => '')) === String(process.pid)) await unlink(file).catch(() => undefined);
      };
    } catch (error) {
      if ((error as { code?: string }).code !== 'EEXIST') throw error;
    }
    const owner = Number(await readFile(file, 'utf8').catch(() => ''));
    if (!Number.isInteger(owner) || owner <= 0 || !running(owner)) {
      await unlink(file).catch(() => undefined);
      continue;
    }
    if (!waiting) note(`another chaos run (pid ${owner}) uses these services; waiting for it`);
    waiting = true;
    await sleep(1_000);
  }
}

function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as { code?: string }).code === 'EPERM';
  }
}

const pidFile = (postgresUrl: string) => join(tmpdir(), `aifixer-chaos-${new URL(postgresUrl).port}.pids`);

/** Remembers the bots' pids, so a run that was itself killed does not leave them running for ever. */
export function recordBotPids(postgresUrl: string, pids: number[]): void {
  writeFileSync(pidFile(postgresUrl), pids.join('\n'));
}

/** SIGKILLs bots a previous run started and left behind (still `src/main.ts` processes), by their pids. */
export async function killLeftoverBots(postgresUrl: string, note: (line: string) => void): Promise<void> {
  const pids = (await readFile(pidFile(postgresUrl), 'utf8').catch(() => '')).split('\n').map(Number).filter((pid) => pid > 0);
  for (const pid of pids) {
    const cmdline = await readFile(`/proc/${pid}/cmdline`, 'utf8').catch(() => '');
    if (!cmdline.includes('src/main.ts')) continue;
    note(`killing bot ${pid}, left behind by an earlier chaos run`);
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  await unlink(pidFile(postgresUrl)).catch(() => undefined);
}
