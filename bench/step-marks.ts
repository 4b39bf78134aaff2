/**
 * When each transition was asked for: a step finishing, or a caller sending/creating. Paired with the
 * moment the runtime reports the transition persisted, it gives the cost of persisting a transition.
 */
export class StepMarks {
  private readonly marks = new Map<string, number>();

  mark(incidentId: string, eventType: string, at = performance.now()): void {
    this.marks.set(`${incidentId}/${eventType}`, at);
  }

  /** The mark, left in place. */
  peek(incidentId: string, eventType: string): number | undefined {
    return this.marks.get(`${incidentId}/${eventType}`);
  }

  take(incidentId: string, eventType: string): number | undefined {
    const key = `${incidentId}/${eventType}`;
    const at = this.marks.get(key);
    this.marks.delete(key);
    return at;
  }

  clear(): void {
    this.marks.clear();
  }
}
