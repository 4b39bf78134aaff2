/**
 * Which step outcomes may exist for the incidents whose actors this process holds, so a step that runs for
 * the first time need not ask the database whether an earlier run recorded it.
 *
 * An incident's list starts with every key the database holds for it when its actor is created (none for a
 * new incident; read with the row for a restored one, under its lease, after its writes settled). From then
 * on its actor, holding the lease, is the one that records outcomes for it, and each key is added here when
 * its outcome is kept, before it is written. So a key not listed has no row: the step acts without a lookup.
 * A listed key (a step run again within the same attempt), or an incident with no list (not held here), is
 * looked up as before. (A stale actor elsewhere, whose lease ran out mid-step, may record its outcome after
 * the list was read; it could as well have done so after a lookup: fencing it is the version check's job.)
 */
export class RecordedSteps {
  private readonly byIncident = new Map<string, Set<string>>();

  /** The incident's actor is created here; `keys` are the outcomes stored for it at that moment. */
  open(incidentId: string, keys: Iterable<string>): void {
    this.byIncident.set(incidentId, new Set(keys));
  }

  /** The incident's actor left memory: its steps are looked up again. */
  close(incidentId: string): void {
    this.byIncident.delete(incidentId);
  }

  /** An outcome under this key is being recorded for the incident. */
  add(incidentId: string, key: string): void {
    this.byIncident.get(incidentId)?.add(key);
  }

  /** False only when the key is known to have no recorded outcome. */
  mayHave(incidentId: string, key: string): boolean {
    return this.byIncident.get(incidentId)?.has(key) ?? true;
  }

  get size(): number {
    return this.byIncident.size;
  }
}
