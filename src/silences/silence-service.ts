import type { AlertInput } from '../domain';
import { parseDuration } from './duration';
import { compileMatchers, labelsOf, matchesAll } from './match';
import type { CompiledMatcher } from './match';
import { formatMatchers, parseMatchers, SilenceInputError } from './matchers';
import type { Matcher } from './matchers';
import type { SilenceMatch } from '../domain/silence';
import type { HeldAlert, Silence, SilenceStore } from './silence-store';

export interface CreateSilenceRequest {
  /** Matcher text as typed, or already parsed. */
  matchers: string | Matcher[];
  /** `30m`, `2h`, `1d` … */
  duration: string;
  reason?: string;
  by: string;
}

export interface SilenceListing {
  active: Silence[];
  /** Ended within the last day, newest first. */
  recent: Silence[];
}

const MAX_REASON = 500;
const RECENT_MS = 86_400_000;
const SILENCE_ID = /^SIL-[0-9A-Z]{4}$/;

export function describeMatch(silence: Silence): SilenceMatch {
  return { silenceId: silence.id, matchers: formatMatchers(silence.matchers), reason: silence.reason, createdBy: silence.createdBy, endsAt: silence.endsAt };
}

/** Silences as people use them (commands, console) and as intake asks them (does one hold this alert?). */
export class SilenceService {
  /** Compiled once per silence: a silence's matchers never change. */
  private readonly compiled = new Map<string, CompiledMatcher[]>();

  constructor(
    private readonly store: SilenceStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async create(request: CreateSilenceRequest): Promise<Silence> {
    const matchers = typeof request.matchers === 'string' ? parseMatchers(request.matchers) : request.matchers;
    compileMatchers(matchers); // refuses bad regexes and match-everything sets before anything is stored
    const ms = parseDuration(request.duration);
    const reason = (request.reason ?? '').trim();
    if (reason.length > MAX_REASON) throw new SilenceInputError(`The reason is too long (at most ${MAX_REASON} characters).`);
    const startsAt = this.now();
    return this.store.create({ matchers, startsAt, endsAt: new Date(startsAt.getTime() + ms), createdBy: request.by, reason });
  }

  /** Ends a silence now. Refuses (SilenceInputError) an unknown id or one that already ended. */
  async expire(rawId: string, by: string): Promise<Silence> {
    const id = normaliseId(rawId);
    if (!(await this.store.expire(id, by, this.now()))) {
      const silence = await this.store.get(id);
      if (!silence) throw new SilenceInputError(`No silence ${id}. Type /silences to list them.`);
      throw new SilenceInputError(`Silence ${id} already ended.`);
    }
    return (await this.store.get(id))!;
  }

  async list(): Promise<SilenceListing> {
    const now = this.now();
    const [active, recent] = await Promise.all([this.store.active(now), this.store.endedSince(new Date(now.getTime() - RECENT_MS), now, 50)]);
    return { active, recent };
  }

  get(rawId: string): Promise<Silence | null> {
    return this.store.get(normaliseId(rawId));
  }

  held(silenceId: string, limit = 50): Promise<HeldAlert[]> {
    return this.store.held(normaliseId(silenceId), limit);
  }

  heldCounts(silenceIds: string[]): Promise<Map<string, number>> {
    return this.store.heldCounts(silenceIds);
  }

  /** The first active silence whose matchers all match the alert, or null. */
  async match(alert: AlertInput): Promise<Silence | null> {
    return (await this.matcher())(alert);
  }

  /** The silences in force now, read once, as a test for several alerts (one notification's group). */
  async matcher(): Promise<(alert: AlertInput) => Silence | null> {
    const active = await this.store.active(this.now());
    return (alert) => {
      if (active.length === 0) return null;
      const labels = labelsOf(alert);
      return active.find((silence) => matchesAll(this.compiledFor(silence), labels)) ?? null;
    };
  }

  record(held: Omit<HeldAlert, 'at'>): Promise<void> {
    return this.store.recordHeld({ ...held, at: this.now() });
  }

  private compiledFor(silence: Silence): CompiledMatcher[] {
    let compiled = this.compiled.get(silence.id);
    if (!compiled) {
      compiled = compileMatchers(silence.matchers);
      if (this.compiled.size > 1_000) this.compiled.clear();
      this.compiled.set(silence.id, compiled);
    }
    return compiled;
  }
}

function normaliseId(raw: string): string {
  const id = raw.trim().toUpperCase();
  if (!SILENCE_ID.test(id)) throw new SilenceInputError(`"${raw.slice(0, 20)}" is not a silence id (they look like SIL-7K3Q).`);
  return id;
}
