import { setTimeout as sleep } from 'node:timers/promises';
import { Redis } from 'ioredis';
import type { Prng } from './prng';
import { shell } from './services';
import type { Profile, Services } from './settings';
import type { Supervisor } from './supervisor';
import type { World } from './world';

export interface FaultFigures {
  kills: number;
  /** Kills fired the moment a remediation request reached a target (its answer still on the way). */
  killsMidRemediation: number;
  /** Kills of the instance an alert or a command was just sent to, a few milliseconds later. */
  killsMidRequest: number;
  postgresRestarts: number;
  redisFlushes: number;
  /** Of them, flushes fired just after a fix was approved. */
  flushesAsFixStarts: number;
  redisRestarts: number;
  dropBursts: number;
  connectionsCut: number;
}

/**
 * The faults of one run, scheduled from the seed: SIGKILLs of random instances (on a timer, and
 * right as a remediation request lands), Postgres stopped (fast or immediate) and started again,
 * Redis flushed or restarted empty, and bursts in which the Lark and LLM proxies drop connections.
 */
export class Chaos {
  readonly figures: FaultFigures = { kills: 0, killsMidRemediation: 0, killsMidRequest: 0, postgresRestarts: 0, redisFlushes: 0, flushesAsFixStarts: 0, redisRestarts: 0, dropBursts: 0, connectionsCut: 0 };
  private running = true;
  private readonly midRequest: Prng;
  private lastTargetedFlush = 0;
  private readonly tasks: Promise<void>[] = [];

  constructor(
    private readonly supervisor: Supervisor,
    private readonly services: Services,
    private readonly world: World,
    private readonly profile: Profile,
    private readonly prng: Prng,
    private readonly note: (line: string) => void,
  ) {
    this.midRequest = prng.fork('mid-request');
  }

  /** Runs until `until` (then every fault is undone: services up, proxies clean). */
  async run(until: number): Promise<void> {
    const start = Date.now();
    const span = until - start;
    // Spread the scheduled faults over the run, leaving its first and last tenth alone.
    const at = (label: string) => start + span * this.prng.fork(label).between(0.1, 0.9);
    const base = this.profile.backgroundDropRate;
    this.world.larkProxy.dropRate = base;
    this.world.modelProxy.dropRate = base;
    this.tasks.push(this.killLoop(until), this.killOnRemediation(until));
    for (let i = 0; i < this.profile.postgresRestarts; i++) this.tasks.push(this.at(at(`pg-${i}`), () => this.restartPostgres()));
    for (let i = 0; i < this.profile.redisFlushes; i++) this.tasks.push(this.at(at(`flush-${i}`), () => this.flushRedis('scheduled')));
    for (let i = 0; i < this.profile.redisRestarts; i++) this.tasks.push(this.at(at(`redis-${i}`), () => this.restartRedis()));
    for (let i = 0; i < this.profile.dropBursts; i++) this.tasks.push(this.at(at(`burst-${i}`), () => this.dropBurst()));
    await sleep(Math.max(0, until - Date.now()));
    this.running = false;
    await Promise.all(this.tasks);
    this.world.larkProxy.dropRate = 0;
    this.world.modelProxy.dropRate = 0;
    this.figures.connectionsCut = this.world.larkProxy.drops + this.world.modelProxy.drops;
  }

  /**
   * Called as a request leaves for `instance`: now and then it is SIGKILLed 0-40 ms later, while it
   * handles the request (between claiming a delivery and acting on it, say).
   */
  onRequestSent(instance: string, what: string): void {
    if (this.running && /^\/approve \S+ fix$/.test(what)) this.maybeFlushAsFixStarts(what);
    if (!this.running || !this.midRequest.chance(0.04)) return;
    const victim = this.supervisor.instances.find((i) => i.name === instance);
    if (!victim) return;
    setTimeout(() => {
      if (!this.running) return;
      void this.supervisor.kill(victim, `handling ${what}`).then((killed) => {
        if (!killed) return;
        this.figures.kills++;
        this.figures.killsMidRequest++;
      });
    }, this.midRequest.between(0, 40));
  }

  /**
   * Now and then, Redis loses every lease just as an approved fix starts to run: the instance running
   * it keeps going until its next renewal fails, while another may adopt the incident at once.
   */
  private maybeFlushAsFixStarts(what: string): void {
    if (!this.midRequest.chance(0.2) || Date.now() - this.lastTargetedFlush < 3_000) return;
    this.lastTargetedFlush = Date.now();
    setTimeout(() => {
      if (!this.running) return;
      this.flushRedis(`as "${what}" is applied`)
        .then(() => this.figures.flushesAsFixStarts++)
        .catch((error: unknown) => this.note(`fault failed: ${error instanceof Error ? error.message : String(error)}`));
    }, this.midRequest.between(20, 250));
  }

  private async at(when: number, fault: () => Promise<void>): Promise<void> {
    await sleep(Math.max(0, when - Date.now()));
    if (!this.running) return;
    try {
      await fault();
    } catch (error) {
      this.note(`fault failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async killLoop(until: number): Promise<void> {
    const prng = this.prng.fork('kills');
    for (;;) {
      // Exponential gaps: kills come in clusters now and then, as real failures do.
      const gap = -Math.log(1 - prng.next()) * this.profile.killEverySeconds * 1_000;
      await sleep(Math.min(gap, Math.max(0, until - Date.now())));
      if (!this.running || Date.now() >= until) return;
      if (await this.supervisor.killOne('random')) this.figures.kills++;
    }
  }

  /** Watches the targets' restart counters: a request just landed, its answer is ~300 ms away; sometimes kill then. */
  private async killOnRemediation(until: number): Promise<void> {
    const prng = this.prng.fork('mid-remediation');
    const seen = new Map<string, number>();
    while (this.running && Date.now() < until) {
      for (const [name, target] of this.world.targets) {
        if (target.restarts === (seen.get(name) ?? 0)) continue;
        seen.set(name, target.restarts);
        if (prng.chance(0.25) && (await this.supervisor.killOne(`a restart of ${name} is in flight`))) {
          this.figures.kills++;
          this.figures.killsMidRemediation++;
        }
      }
      await sleep(40);
    }
  }

  private async restartPostgres(): Promise<void> {
    const mode = this.prng.chance(0.5) ? 'immediate' : 'fast';
    const downMs = this.prng.between(1_000, 3_500);
    this.note(`postgres: stop (${mode}) for ${Math.round(downMs)} ms`);
    await shell(this.services.postgresStopCommand(mode), this.services);
    await sleep(downMs);
    await shell(this.services.postgresStartCommand, this.services);
    this.figures.postgresRestarts++;
    this.note('postgres: up');
  }

  /** FLUSHALL; waits (briefly) for a Redis that is being restarted right now. */
  private async flushRedis(why: string): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const redis = new Redis(this.services.redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
      redis.on('error', () => undefined);
      try {
        await redis.connect();
        await redis.flushall();
        this.figures.redisFlushes++;
        this.note(`redis: flushed, every lease and quota gone (${why})`);
        return;
      } catch (error) {
        if (attempt >= 20) throw error;
        await sleep(250);
      } finally {
        redis.disconnect();
      }
    }
  }

  private async restartRedis(): Promise<void> {
    const downMs = this.prng.between(500, 2_500);
    this.note(`redis: stop for ${Math.round(downMs)} ms (comes back empty)`);
    await shell(this.services.redisStopCommand, this.services);
    await sleep(downMs);
    await shell(this.services.redisStartCommand, this.services);
    this.figures.redisRestarts++;
    this.note('redis: up');
  }

  private async dropBurst(): Promise<void> {
    const proxy = this.prng.pick([this.world.larkProxy, this.world.modelProxy]);
    const ms = this.prng.between(1_500, 4_000);
    this.note(`${proxy.name}: dropping most connections for ${Math.round(ms)} ms`);
    proxy.cutAll();
    proxy.dropRate = 0.7;
    this.figures.dropBursts++;
    await sleep(ms);
    proxy.dropRate = this.profile.backgroundDropRate;
  }
}
