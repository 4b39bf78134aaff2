import { setTimeout as sleep } from 'node:timers/promises';
import { BotInstance } from './instances';
import type { Exit } from './instances';
import type { Prng } from './prng';

export interface InstanceSpec {
  name: string;
  env: Record<string, string>;
}

/** Keeps the bot processes running: one that died (killed or not) is started again after a moment. */
export class Supervisor {
  readonly instances: BotInstance[];
  readonly unplannedExits: Exit[] = [];
  kills = 0;
  failedStarts = 0;
  /** Told the live bots' pids after every start. */
  onSpawn: (pids: number[]) => void = () => undefined;
  private stopping = false;
  private lastKill = 0;
  private readonly restarting = new Set<Promise<void>>();

  constructor(
    specs: InstanceSpec[],
    logDir: string,
    private readonly prng: Prng,
    private readonly note: (line: string) => void,
    private readonly minKillGapMs = 2_000,
  ) {
    this.instances = specs.map((spec) => new BotInstance(spec.name, spec.env, logDir, (exit) => this.onExit(exit)));
  }

  async startAll(): Promise<void> {
    // One at a time: the first applies the migrations; on two cores parallel starts only slow each other.
    for (const instance of this.instances) await this.start(instance);
  }

  private async start(instance: BotInstance): Promise<void> {
    const starting = instance.start();
    this.onSpawn(this.instances.flatMap((i) => (i.pid === undefined ? [] : [i.pid])));
    await starting;
  }

  get alive(): BotInstance[] {
    return this.instances.filter((i) => i.alive);
  }

  /** SIGKILLs a random live instance (see kill). */
  async killOne(reason: string): Promise<boolean> {
    const alive = this.alive;
    return alive.length > 0 && this.kill(this.prng.pick(alive), reason);
  }

  /**
   * SIGKILLs `victim`, unless that would leave no instance serving or the last kill was less than
   * `minKillGapMs` ago: a cluster that is only ever restarting tests nothing but start-up.
   */
  async kill(victim: BotInstance, reason: string): Promise<boolean> {
    if (!victim.alive || this.alive.length < 2 || Date.now() - this.lastKill < this.minKillGapMs) return false;
    this.lastKill = Date.now();
    this.note(`kill ${victim.name} (${reason})`);
    const killed = await victim.kill();
    if (killed) this.kills++;
    return killed;
  }

  /** Stops restarting, and waits until every instance serves (for the settle phase). */
  async allUp(timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (this.instances.some((i) => !i.alive) && Date.now() < until) await sleep(200);
  }

  async close(): Promise<void> {
    this.stopping = true;
    await Promise.all([...this.restarting]);
    await Promise.all(this.instances.map((i) => i.close()));
  }

  private onExit(exit: Exit): void {
    if (!exit.planned && exit.serving) {
      this.unplannedExits.push(exit);
      this.note(`${exit.instance} exited by itself (code ${exit.code}, signal ${exit.signal}) ${exit.lastErrors.at(-1) ?? ''}`);
    } else if (!exit.planned) {
      this.failedStarts++;
      this.note(`${exit.instance} died starting up (code ${exit.code}) ${exit.lastErrors.at(-1) ?? ''}`);
    }
    if (this.stopping) return;
    const instance = this.instances.find((i) => i.name === exit.instance);
    if (!instance) return;
    const restart = this.restart(instance).finally(() => this.restarting.delete(restart));
    this.restarting.add(restart);
  }

  /** One attempt: a start that fails ends in an exit (a timed-out start is killed), whose handler tries again. */
  private async restart(instance: BotInstance): Promise<void> {
    await sleep(this.prng.between(300, 2_000));
    if (this.stopping || instance.alive) return;
    await this.start(instance).catch(() => undefined);
  }
}
