/** Untrusted text on one line, capped and in quotes, so it reads as data and cannot fake reply lines. */
export function quoted(text: string, max = 120): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return JSON.stringify(line.length <= max ? line : `${line.slice(0, max - 1)}…`);
}
