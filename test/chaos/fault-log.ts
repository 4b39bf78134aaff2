/** What the run did and when: printed as it happens, and consulted to explain a violation. */
export class FaultLog {
  private readonly entries: { at: number; line: string }[] = [];
  private readonly started = Date.now();

  note = (line: string): void => {
    const at = Date.now();
    this.entries.push({ at, line });
    process.stdout.write(`[${((at - this.started) / 1000).toFixed(1).padStart(6)}s ${clock(at)}] ${line}\n`);
  };

  /** Faults from `before` ms before `at` to `after` ms after it, e.g. "i2 killed 0.4 s later". */
  near(at: number, before = 1_000, after = 5_000): string {
    const hits = this.entries
      .filter((e) => e.at >= at - before && e.at <= at + after && /^(kill|postgres|redis|lark|llm)/.test(e.line))
      .map((e) => `${e.line} ${e.at >= at ? `${((e.at - at) / 1000).toFixed(1)} s later` : `${((at - e.at) / 1000).toFixed(1)} s before`}`);
    return hits.length ? hits.join('; ') : 'no fault nearby';
  }
}

/** HH:MM:SS.mmm (UTC), as in the bots' logs. */
export function clock(at: number): string {
  return new Date(at).toISOString().slice(11, 23);
}
