/**
 * Alert text and tool output come from systems an attacker may write to (a log line, an alert
 * annotation). The model sees them inside a labelled block it is told never to take orders from;
 * the block cannot be closed from inside, because the closing marker is neutralised.
 */
export function quoteUntrusted(label: string, text: string): string {
  const safe = text.replaceAll(/<\/?untrusted/gi, (tag) => tag.replace('untrusted', 'untrusted\u200b'));
  return `<untrusted-${label}>\n${safe}\n</untrusted-${label}>`;
}

/** Keeps a tool's output within what a turn can afford; the model is told it was cut. */
export function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit)}\n… [${text.length - limit} more characters cut]`;
}
