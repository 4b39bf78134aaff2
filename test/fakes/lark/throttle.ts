/**
 * Rate limiting as Lark answers it. Injected throttling answers the next n matching requests the way the
 * gateway does (HTTP 429, or the older HTTP 400 form; both code 99991400 with `x-ogw-ratelimit-reset` in
 * seconds). Enforced limits answer code 230020, as the im APIs do for 5 messages/s per chat or 5 updates/s per card.
 */

export type ThrottleMode = 'http429' | 'code99991400';
export type ThrottledRoute = 'create' | 'reply' | 'patch' | 'reaction' | 'list' | 'info';

export interface ThrottleOptions {
  mode?: ThrottleMode;
  /** Sent as `x-ogw-ratelimit-reset`. */
  resetSeconds?: number;
  /** Which requests count as "sends"; creates and replies by default. */
  routes?: ThrottledRoute[];
}

export interface LarkErrorAnswer {
  status: number;
  code: number;
  msg: string;
  headers: Record<string, string>;
}

interface Armed {
  remaining: number;
  mode: ThrottleMode;
  resetSeconds: number;
  routes: ThrottledRoute[];
}

export const FREQUENCY_LIMIT_CODE = 99991400;
export const IM_FREQUENCY_LIMIT_CODE = 230020;

export class InjectedThrottle {
  private readonly armed: Armed[] = [];
  /** Requests answered as throttled so far, injected or enforced. */
  count = 0;

  /** Requests whose connection is cut before they are handled (nothing is created), by route. */
  private readonly drops: { remaining: number; routes: ThrottledRoute[] }[] = [];
  dropped = 0;

  armDrop(n: number, routes: ThrottledRoute[] = ['create', 'reply']): void {
    this.drops.push({ remaining: n, routes });
  }

  takeDrop(route: ThrottledRoute): boolean {
    const rule = this.drops.find((r) => r.remaining > 0 && r.routes.includes(route));
    if (!rule) return false;
    rule.remaining -= 1;
    this.dropped += 1;
    return true;
  }

  arm(n: number, options: ThrottleOptions = {}): void {
    this.armed.push({
      remaining: n,
      mode: options.mode ?? 'http429',
      resetSeconds: options.resetSeconds ?? 1,
      routes: options.routes ?? ['create', 'reply'],
    });
  }

  take(route: ThrottledRoute): LarkErrorAnswer | undefined {
    const rule = this.armed.find((r) => r.remaining > 0 && r.routes.includes(route));
    if (!rule) return undefined;
    rule.remaining -= 1;
    this.count += 1;
    return {
      status: rule.mode === 'http429' ? 429 : 400,
      code: FREQUENCY_LIMIT_CODE,
      msg: 'request trigger frequency limit',
      headers: { 'x-ogw-ratelimit-limit': '50', 'x-ogw-ratelimit-reset': String(rule.resetSeconds) },
    };
  }
}

/** A sliding one-second window per key (a chat for sends, a message for card updates). */
export class EnforcedRateLimit {
  private readonly windows = new Map<string, number[]>();
  /** Requests over the limit, by key: a well-behaved client leaves this empty. */
  readonly violations: { key: string; at: number }[] = [];

  constructor(
    private readonly perSecond: number,
    private readonly now: () => number,
  ) {}

  take(key: string): LarkErrorAnswer | undefined {
    const now = this.now();
    const recent = (this.windows.get(key) ?? []).filter((at) => at > now - 1000);
    if (recent.length >= this.perSecond) {
      this.windows.set(key, recent);
      this.violations.push({ key, at: now });
      return { status: 400, code: IM_FREQUENCY_LIMIT_CODE, msg: 'This operation triggers the frequency limit.', headers: {} };
    }
    recent.push(now);
    this.windows.set(key, recent);
    return undefined;
  }
}
