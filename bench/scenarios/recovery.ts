import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { createTestDatabase } from '../../test/support/database';
import { openBenchRuntime } from '../bench-runtime';
import { benchAlert } from '../full-workflow';
import { RecoveryBootSchema } from './recovery-boot';
import type { RecoveryBoot } from './recovery-boot';

export interface RecoveryResult extends RecoveryBoot {
  /** (RSS after boot − RSS before recover) ÷ parked incidents. */
  rssBytesPerParked: number;
  heapBytesPerParked: number;
}

const BOOT_SCRIPT = fileURLToPath(new URL('./recovery-boot.ts', import.meta.url));

const parkedId = (n: number) => `INC-P${String(n).padStart(7, '0')}`;

/**
 * Parks one real incident, clones it with SQL (as test/integration/durability.test.ts does) up to each
 * size in turn, and boots a fresh bot process on the database at each size.
 */
export async function measureRecovery(sizes: number[]): Promise<RecoveryResult[]> {
  const db = await createTestDatabase('aifixer_bench');
  try {
    const seed = await parkOneIncident(db.url);
    const results: RecoveryResult[] = [];
    let cloned = 0;
    for (const size of sizes) {
      await cloneParked(db.url, seed, cloned + 1, size);
      cloned = size;
      const boot = await bootInChildProcess(db.url, parkedId(Math.ceil(size / 2)));
      results.push({
        ...boot,
        rssBytesPerParked: (boot.rssAfter - boot.rssBefore) / boot.parked,
        heapBytesPerParked: (boot.heapAfter - boot.heapBefore) / boot.parked,
      });
    }
    return results;
  } finally {
    await db.drop();
  }
}

async function parkOneIncident(url: string): Promise<string> {
  const bench = await openBenchRuntime(url);
  try {
    const { id } = await bench.runtime.create({ alert: benchAlert('recovery-seed'), chatId: 'bench', by: { id: 'alertmanager' } });
    await bench.timeline.reached(id, 'open.awaitingDiagnosisApproval');
    return id;
  } finally {
    await bench.close();
  }
}

async function cloneParked(url: string, seedId: string, from: number, to: number): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(
      `insert into incidents (id, state, status, machine_version, version, fingerprint, title, source, severity, service, chat_id, merged_into, wake_at, snapshot, created_at, updated_at)
       select 'INC-P' || lpad(g::text, 7, '0'), state, status, machine_version, version, fingerprint || '-' || g, title, source, severity, service, chat_id, null, wake_at,
              jsonb_set(snapshot, '{context,incidentId}', to_jsonb('INC-P' || lpad(g::text, 7, '0'))), created_at, updated_at
         from incidents, generate_series($2::int, $3::int) g where id = $1`,
      [seedId, from, to],
    );
    // A long-running bot's table has statistics and no dead tuples; don't let autovacuum run mid-boot.
    await client.query('vacuum analyze incidents');
  } finally {
    await client.end();
  }
}

function bootInChildProcess(databaseUrl: string, incidentId: string): Promise<RecoveryBoot> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, BOOT_SCRIPT, databaseUrl, incidentId], { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) return reject(new Error(`The recovery boot process exited with ${code}.`));
      try {
        resolve(RecoveryBootSchema.parse(JSON.parse(output)));
      } catch (error) {
        reject(new Error(`The recovery boot process printed no report: ${String(error)}`));
      }
    });
  });
}
