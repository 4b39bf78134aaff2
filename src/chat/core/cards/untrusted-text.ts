import { LIMITS } from './card-format';

/** Characters that are markdown syntax anywhere in a line; `<` also stops Lark `<at>` mentions. */
const INLINE_SYNTAX = /[\\`*_[\]<>~|&]/g;
/** Characters that are syntax only at the start of a line: headings, quotes, lists, setext rules. */
const LINE_START_SYNTAX = /^(\s*\d*)([#>+=.)-])/gm;
/** C0/C1 controls (ANSI escapes included) and bidi overrides would let alert text drive or spoof a display. */
const CONTROL_CHARS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Untrusted text as literal markdown: controls removed, length capped, syntax escaped. */
export function escapeMarkdown(text: string, max: number = LIMITS.text): string {
  return truncate(text.replace(CONTROL_CHARS, ' '), max)
    .replace(INLINE_SYNTAX, (c) => `\\${c}`)
    .replace(LINE_START_SYNTAX, (_m, lead: string, marker: string) => `${lead}\\${marker}`);
}

/** Untrusted text as a markdown quote block, so it reads as a citation rather than the bot's words. */
export function quoteUntrusted(text: string, max: number = LIMITS.text): string {
  return escapeMarkdown(text.trim() || '(empty)', max)
    .split(/\r?\n/)
    .map((line) => `> ${line}`)
    .join('\n');
}
