import { REDACTED } from './secret-keys';

const BEGIN = /-----BEGIN ((?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?)-----/g;
/** The body of a block cut off before its END line: base64, line breaks, JSON-escaped `\n`. */
const TRUNCATED_BODY = /[A-Za-z0-9+/=\s\\]*/y;

/**
 * Replaces the body of PEM private key blocks, keeping the BEGIN/END lines so a reader sees what was
 * there. A scan with indexOf rather than one lazy regex: a regex would rescan to the end of the text
 * for every BEGIN without an END, which is quadratic on a large input.
 */
export function redactPemBlocks(text: string): string {
  if (!text.includes('PRIVATE KEY')) return text;
  const noEnd = new Set<string>();
  let out = '';
  let from = 0;
  BEGIN.lastIndex = 0;
  for (let match = BEGIN.exec(text); match; match = BEGIN.exec(text)) {
    const label = match[1] ?? '';
    const bodyStart = match.index + match[0].length;
    const footer = `-----END ${label}-----`;
    const end = noEnd.has(label) ? -1 : text.indexOf(footer, bodyStart);
    out += `${text.slice(from, bodyStart)}${REDACTED}`;
    if (end >= 0) {
      out += footer;
      from = end + footer.length;
    } else {
      // Once one BEGIN has no END after it, none later has either: remember, so each label is searched once.
      noEnd.add(label);
      TRUNCATED_BODY.lastIndex = bodyStart;
      TRUNCATED_BODY.exec(text);
      from = TRUNCATED_BODY.lastIndex;
      // Already scrubbed: keep one marker, not one more per pass.
      if (from === bodyStart && text.startsWith(REDACTED, from)) from += REDACTED.length;
    }
    BEGIN.lastIndex = from;
  }
  return out + text.slice(from);
}
