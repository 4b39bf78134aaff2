/**
 * Sliding-window counters for quotas, cooldowns and per-incident step limits. Each window is a set of
 * members with the time they were added; a member is an execution (incident + attempt), so evaluating
 * the same proposal again (XState re-runs a step after a restart) never counts twice.
 */
export interface UsageWindow {
  key: string;
  windowMs: number;
}

export interface UsageRead extends UsageWindow {
  /** Our own members: not counted, so a re-evaluation sees what others used. */
  exclude: string[];
}

export interface UsageClaim extends UsageWindow {
  members: string[];
  /** Members in the window, ours included, may not exceed this. */
  limit: number;
}

export interface UsageCount {
  count: number;
  /** When the newest counted member was added (ms), or null. */
  newest: number | null;
}

export interface UsageStore {
  read(windows: UsageRead[], now: number): Promise<UsageCount[]>;
  /**
   * Adds every claim's members only if each window then holds at most its limit (members already there
   * count once); otherwise adds nothing and names the full windows. Atomic across instances.
   */
  claim(claims: UsageClaim[], now: number): Promise<{ ok: boolean; full: string[] }>;
  close(): Promise<void>;
}

/** The shared usage store could not be reached, even after retrying: quotas and cooldowns are unknown. */
export class UsageUnavailableError extends Error {
  override name = 'UsageUnavailableError';
}

/** One process only: counts are lost on restart and not shared. */
export class MemoryUsage implements UsageStore {
  private readonly windows = new Map<string, Map<string, number>>();

  read(windows: UsageRead[], now: number): Promise<UsageCount[]> {
    return Promise.resolve(
      windows.map(({ key, windowMs, exclude }) => {
        const times = [...this.live(key, windowMs, now).entries()].filter(([member]) => !exclude.includes(member)).map(([, at]) => at);
        return { count: times.length, newest: times.length ? Math.max(...times) : null };
      }),
    );
  }

  claim(claims: UsageClaim[], now: number): Promise<{ ok: boolean; full: string[] }> {
    const full = claims
      .filter(({ key, windowMs, members, limit }) => {
        const live = this.live(key, windowMs, now);
        const added = new Set(members.filter((m) => !live.has(m))).size;
        return added > 0 && live.size + added > limit;
      })
      .map((c) => c.key);
    if (full.length) return Promise.resolve({ ok: false, full });
    for (const { key, windowMs, members } of claims) {
      const live = this.live(key, windowMs, now);
      for (const member of members) if (!live.has(member)) live.set(member, now);
      this.windows.set(key, live);
    }
    return Promise.resolve({ ok: true, full: [] });
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  /** The window's members still inside it (older ones dropped). */
  private live(key: string, windowMs: number, now: number): Map<string, number> {
    const all = this.windows.get(key) ?? new Map<string, number>();
    for (const [member, at] of all) if (at <= now - windowMs) all.delete(member);
    if (all.size === 0) this.windows.delete(key);
    return all;
  }
}
