import type { PluginResult } from './plugin';
import type { Scrubber } from '../security/redact';

/** Tool output is scrubbed once, where it is produced: the model, the cards and the audit trail see the same text. */
export function scrubResult<R extends PluginResult>(result: R, scrubber: Scrubber): R {
  const scrubbed: R = { ...result, summary: scrubber.scrubText(result.summary) };
  // A scrubbed copy of a plain object is a plain object with the same keys.
  if (result.data !== undefined) scrubbed.data = scrubber.scrubValue(result.data) as Record<string, unknown>;
  return scrubbed;
}
