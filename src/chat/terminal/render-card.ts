import type { Translator } from '../../i18n';
import type { Card, CardButton, CardTone } from '../core/card';

export interface RenderOptions {
  /** ANSI colours; off by default so piped output and logs stay plain. */
  color?: boolean;
  /** Width of the rules drawn around the card. */
  width?: number;
}

/** Controls and bidi overrides in text we did not write could move the cursor, recolour or spoof the terminal. */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/** Text safe to write to a terminal: everything but newlines and tabs among the control characters is dropped. */
export function toTerminalText(text: string): string {
  return text.replace(TERMINAL_UNSAFE, '');
}

const RESET = '\u001b[0m';
const BOLD_ON = '\u001b[1m';
const BOLD_OFF = '\u001b[22m';
const TONE_COLOR: Record<CardTone, string> = {
  red: '\u001b[31m',
  orange: '\u001b[38;5;208m',
  yellow: '\u001b[33m',
  green: '\u001b[32m',
  blue: '\u001b[34m',
  grey: '\u001b[90m',
};
const BUTTON_COLOR: Record<CardButton['style'], string> = {
  primary: '\u001b[32m',
  danger: '\u001b[31m',
  default: '',
};

/** Backslash escapes (ASCII punctuation), bold markers and code ticks: the markdown the cards use. */
const MARKDOWN_TOKEN = /\\([!-/:-@[-`{-~])|\*\*|`/g;

/** The cards' markdown as terminal text: escapes undone, bold shown in colour mode only. */
export function markdownToText(markdown: string, color = false): string {
  let bold = false;
  const text = toTerminalText(markdown).replace(MARKDOWN_TOKEN, (token, escaped: string | undefined) => {
    if (escaped !== undefined) return escaped;
    if (token === '`' || !color) return '';
    bold = !bold;
    return bold ? BOLD_ON : BOLD_OFF;
  });
  return bold ? text + BOLD_OFF : text;
}

function paint(text: string, code: string, color: boolean): string {
  return color && code ? `${code}${text}${RESET}` : text;
}

function rule(width: number, label = ''): string {
  if (!label) return '-'.repeat(width);
  const head = `== ${label} `;
  return head + '='.repeat(Math.max(3, width - head.length));
}

function fieldLines(card: Card, color: boolean): string[] {
  const labels = card.fields.map((field) => toTerminalText(field.label));
  const widest = Math.max(0, ...labels.map((label) => label.length));
  return card.fields.map((field, i) => {
    const label = `${labels[i] ?? ''}:`.padEnd(widest + 1);
    return `${paint(label, BOLD_ON, color)} ${markdownToText(field.value, color)}`;
  });
}

function buttonLines(card: Card, color: boolean, tr: Translator): string[] {
  const labels = card.buttons.map((button) => `[${toTerminalText(button.label)}]`);
  const widest = Math.max(0, ...labels.map((label) => label.length));
  return card.buttons.map((button, i) => {
    const label = (labels[i] ?? '').padEnd(widest);
    return `  ${paint(label, BUTTON_COLOR[button.style], color)} ${tr.t('card.terminal.type', { command: toTerminalText(button.command) })}`;
  });
}

/** A card as plain terminal text, its own words in `tr`'s language: title rule, fields, sections, the commands its buttons stand for. */
export function renderCardText(card: Card, messageId: string, tr: Translator, options: RenderOptions = {}): string {
  const color = options.color ?? false;
  const width = options.width ?? 72;
  const blocks: string[][] = [];

  if (card.mentions?.length) blocks.push([card.mentions.map((m) => `@${toTerminalText(m.id)}`).join(' ')]);
  if (card.fields.length > 0) blocks.push(fieldLines(card, color));
  if (card.sections.length > 0) {
    blocks.push(card.sections.flatMap((section, i) => [...(i > 0 ? [''] : []), markdownToText(section, color)]));
  }
  if (card.buttons.length > 0) blocks.push([tr.t('card.terminal.replyWith'), ...buttonLines(card, color, tr)]);

  const footer = [card.footer ? markdownToText(card.footer, color) : '', tr.t('card.terminal.message', { messageId: toTerminalText(messageId) })]
    .filter(Boolean)
    .join(' · ');
  blocks.push([paint(footer, TONE_COLOR.grey, color)]);

  const header = paint(rule(width, toTerminalText(card.title)), TONE_COLOR[card.tone], color);
  const body = blocks.map((lines) => lines.join('\n')).join(`\n${rule(width)}\n`);
  return `${header}\n${body}\n${'='.repeat(width)}\n`;
}
