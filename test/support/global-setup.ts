import { execFileSync } from 'node:child_process';

/** Fails fast, with the fix spelled out, when Postgres or pgvector is missing. */
export default function setup(): void {
  execFileSync('bash', ['scripts/ensure-pgvector.sh'], { stdio: 'inherit' });
}
