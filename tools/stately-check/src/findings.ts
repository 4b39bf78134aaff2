/** What the check reports. Errors fail the run; warnings are printed and allowed. */
export type Level = 'error' | 'warning';

export interface Finding {
  level: Level;
  /** Where in the chart: a state path and the slot in it, e.g. `(machine).open on ack[0] guard`. */
  at: string;
  message: string;
  /** A loss the reference tool calls expected (the editor keeps what the public extractor drops). */
  expected?: boolean;
}

export const error = (at: string, message: string): Finding => ({ level: 'error', at, message });
export const warning = (at: string, message: string, expected = false): Finding => ({ level: 'warning', at, message, expected });
