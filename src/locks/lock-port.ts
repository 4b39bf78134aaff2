/**
 * One writer per incident at a time. The in-process lock serves a single instance; a Redis lock
 * (Redlock) takes its place when several instances share the database. Either way the version check
 * on every write fences a holder whose lock expired.
 */
export interface LockPort {
  withLock<T>(key: string, fn: () => Promise<T>): Promise<T>;
}
