import { createHash, timingSafeEqual } from 'node:crypto';

/** Compares secrets without leaking where they differ; hashing first makes unequal lengths safe too. */
export function constantTimeEqual(a: string, b: string): boolean {
  const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}
