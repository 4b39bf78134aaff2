import { createHash } from 'node:crypto';

/** Same source, title and service give the same fingerprint, so repeats merge into one incident. */
export function alertFingerprint(source: string, title: string, service?: string): string {
  const key = [source.trim(), title.trim(), service?.trim() ?? ''].join('\n');
  return createHash('sha256').update(key).digest('hex').slice(0, 16);
}
