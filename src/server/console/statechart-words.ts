import { eventLabel, PHASE_LABELS, STATE_GROUP_LABELS } from '../../../machines/incident.labels';
import { phaseLabel, phaseOf } from '../../../machines/incident.view';
import { LANGUAGES, mapLocalized } from '../../i18n';
import type { Localized } from '../../i18n';

/**
 * What the console's statechart shows people: a state's phase in words, a transition's event in words, both
 * languages at once, broken into lines that fit a box sized for the wider of the two. State keys and event
 * types stay in the tooltip (the "raw" the timeline also keeps).
 */

/** A text in every language, and the lines it is drawn in. */
export type Words = Localized<string>;
export type Lines = Localized<string[]>;

/** Average advance of a character at a font size, per script: CJK (and full-width) characters take a full em. */
export interface Font {
  latin: number;
  wide: number;
}

/** Han, kana, Hangul, CJK punctuation and full-width forms: one character per code point, no regex over the text. */
const WIDE_RANGES: readonly [number, number][] = [
  [0x1100, 0x115f],
  [0x2e80, 0x303e],
  [0x3041, 0x33ff],
  [0x3400, 0x4dbf],
  [0x4e00, 0x9fff],
  [0xa960, 0xa97f],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
];
/** CJK marks a line may not start with: they stay with the character before them. */
const CLOSING = new Set([...'，。、；：！？）」』》〉】']);

export function isWide(char: string): boolean {
  const code = char.codePointAt(0) ?? 0;
  return WIDE_RANGES.some(([low, high]) => code >= low && code <= high);
}

/** The width a text takes, estimated per character: the server has no fonts. */
export function textWidth(text: string, font: Font): number {
  let width = 0;
  for (const char of text) width += isWide(char) ? font.wide : font.latin;
  return width;
}

/** The pieces a line may break between: words with their space, each CJK character, closing marks kept with what they close. */
function pieces(text: string): string[] {
  const out: string[] = [];
  let word = '';
  for (const char of text) {
    if (CLOSING.has(char)) {
      if (word || out.length === 0) out.push(word + char);
      else out[out.length - 1] += char;
      word = '';
    } else if (char === ' ') {
      out.push(word + char);
      word = '';
    } else if (isWide(char)) {
      if (word) out.push(word);
      word = char;
    } else {
      if (word && isWide(word.slice(-1))) {
        out.push(word);
        word = '';
      }
      word += char;
    }
  }
  if (word) out.push(word);
  return out;
}

/** A text in lines no wider than `max` (a single piece wider than that gets a line of its own). */
export function wrap(text: string, max: number, font: Font): string[] {
  const lines: string[] = [];
  let line = '';
  for (const piece of pieces(text)) {
    if (line && textWidth((line + piece).trimEnd(), font) > max) {
      lines.push(line.trimEnd());
      line = piece.trimStart();
    } else line += piece;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines;
}

/** As `wrap`, but as narrow as the same number of lines allows: no last line of one word under two long ones. */
export function wrapEvenly(text: string, max: number, font: Font): string[] {
  let best = wrap(text, max, font);
  for (let width = max - font.latin; best.length > 1 && width > 0; width -= font.latin) {
    const narrower = wrap(text, width, font);
    if (narrower.length > best.length) break;
    best = narrower;
  }
  return best;
}

/** Lines in every language. */
export function wrapWords(words: Words, max: number, font: Font): Lines {
  return mapLocalized(words, (text) => wrapEvenly(text, max, font));
}

/** The widest line in any language, and the most lines any language needs. */
export function extent(lines: Lines, font: Font): { width: number; lines: number } {
  const all = LANGUAGES.map((language) => lines[language]);
  return {
    width: Math.max(0, ...all.flat().map((line) => textWidth(line, font))),
    lines: Math.max(...all.map((list) => list.length)),
  };
}

/** A state in words: a leaf's phase, a compound's group; a state this chart does not map reads as unknown. */
export function stateWords(path: string, compound: boolean): Words {
  if (!compound) return phaseLabel(phaseOf(path));
  return Object.hasOwn(STATE_GROUP_LABELS, path) ? (STATE_GROUP_LABELS[path] ?? PHASE_LABELS.unknown) : PHASE_LABELS.unknown;
}

/** A transition's event in words (`xstate.done.actor.diagnose` reads "Diagnosis finished"). */
export function eventWords(eventType: string): Words {
  return eventLabel(eventType);
}
