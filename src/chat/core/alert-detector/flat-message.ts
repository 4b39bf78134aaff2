import { LIMITS, cap } from './limits';

export interface FlatLink {
  readonly text: string;
  readonly href: string;
}

/** A message reduced to plain text lines, whatever shape Lark or the tool gave it. */
export interface FlatMessage {
  /** Card header or post title; '' for text messages. */
  readonly heading: string;
  /** Card header tags (card 2.0 `text_tag_list`), often a severity. */
  readonly badges: readonly string[];
  /** Body lines, trimmed, Markdown removed; `---` marks a divider. */
  readonly lines: readonly string[];
  readonly links: readonly FlatLink[];
}

export const DIVIDER = '---';

/** `@_user_1` placeholders Lark puts where a mention was; they are not part of an alert. */
const MENTION_PLACEHOLDER = /@_(?:user_\d+|all)\b/g;
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b-\u200c\u2060\ufeff]/g;

export function normaliseText(text: string): string {
  return text
    .replace(/\r\n?/g, '\n')
    .replace(CONTROL, '')
    .replace(/\u00a0/g, ' ')
    .replace(MENTION_PLACEHOLDER, '');
}

/** Collects lines up to a total size, so a huge message cannot make parsing expensive. */
export class FlatMessageBuilder {
  heading = '';
  readonly badges: string[] = [];
  private readonly lines: string[] = [];
  private readonly links: FlatLink[] = [];
  private size = 0;

  addText(text: string): void {
    for (const line of normaliseText(text).split('\n')) {
      if (this.size >= LIMITS.flatText) return;
      const clean = cap(line.replace(/[ \t]+/g, ' ').trim(), LIMITS.line);
      this.lines.push(clean);
      this.size += clean.length + 1;
    }
  }

  get full(): boolean {
    return this.size >= LIMITS.flatText;
  }

  addDivider(): void {
    this.addText(DIVIDER);
  }

  addLink(link: FlatLink): void {
    if (this.links.length < 200 && link.href) this.links.push({ text: cap(link.text, 500), href: cap(link.href, 4_000) });
  }

  build(): FlatMessage {
    return {
      heading: cap(normaliseText(this.heading).replace(/\s+/g, ' ').trim(), LIMITS.line),
      badges: this.badges.map((badge) => cap(badge.trim(), 100)).filter(Boolean),
      lines: this.lines,
      links: this.links,
    };
  }
}

export function flatText(message: FlatMessage): string {
  return [message.heading, ...message.badges, ...message.lines].filter(Boolean).join('\n');
}
