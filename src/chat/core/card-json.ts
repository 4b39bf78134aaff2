import { ENGLISH_UTC, LANGUAGES, LARK_LOCALE, type Language, type Localized } from '../../i18n';
import type { Card, CardButton, CardField, CardMention, CardTone } from './card';

/**
 * Our chat-neutral Card as a Lark card (JSON 2.0). Sections are markdown in which untrusted text was
 * neutralised with backslash escapes; Lark's card markdown documents HTML entities (`&#42;` for `*`)
 * as its way to show syntax characters literally, so every escape becomes the entity of its character.
 * Quote blocks and bold, which the bot wrote itself, stay markdown.
 * It is the card wire format of more than one adapter: Lark sends it, and the web console stores it and
 * its page (web/) draws it, so a card looks the same in both. A card is built in every language; each text
 * component carries all of them in `i18n_content`, so every reader sees their client's language.
 */

/** Lark's per-locale text (`zh_cn`, `en_us`), shown by the reader's client language; `content` is the fallback. */
export type LarkI18nContent = Partial<Record<'zh_cn' | 'en_us', string>>;

export interface LarkPlainText {
  tag: 'plain_text';
  content: string;
  i18n_content?: LarkI18nContent;
}

export interface LarkMarkdown {
  tag: 'markdown';
  content: string;
  i18n_content?: LarkI18nContent;
  text_size?: 'normal' | 'notation';
}

export interface LarkButton {
  tag: 'button';
  text: LarkPlainText;
  type: 'primary' | 'danger' | 'default';
  behaviors: { type: 'callback'; value: Record<string, unknown> }[];
}

export interface LarkColumn {
  tag: 'column';
  width: 'auto' | 'weighted';
  weight?: number;
  vertical_align: 'top' | 'center';
  elements: LarkElement[];
}

export interface LarkColumnSet {
  tag: 'column_set';
  horizontal_spacing: string;
  columns: LarkColumn[];
}

export type LarkElement = LarkMarkdown | LarkButton | LarkColumnSet | { tag: 'hr' };

export interface LarkCardJson {
  schema: '2.0';
  config: { update_multi: true; summary: { content: string; i18n_content?: LarkI18nContent } };
  header: { title: LarkPlainText; template: string };
  body: { elements: LarkElement[] };
}

/** Lark refuses cards over 30 KB; the rest of the request needs some room too. */
export const CARD_BYTE_BUDGET = 28 * 1024;
const LIMITS = { title: 200, section: 4_000, sectionFloor: 80, sections: 30, field: 300, fields: 20, buttons: 10, footer: 500, mentions: 20 } as const;

const TEMPLATE_BY_TONE: Record<CardTone, string> = {
  red: 'red',
  orange: 'orange',
  yellow: 'yellow',
  green: 'green',
  blue: 'blue',
  grey: 'grey',
};

/** A backslash before ASCII punctuation (an escape), or a stray backslash. */
const ESCAPE = /\\([!-/:-@[-`{-~])?/g;
/** Characters that are markdown syntax, Lark tags (`<at>`) or Lark emoji (`:DONE:`) inside a line. */
const PLAIN_SYNTAX = /[\\`*_[\]<>~|&:]/g;

const entity = (char: string): string => `&#${char.charCodeAt(0)};`;

/** Our escaped markdown as Lark card markdown: `\*` → `&#42;`, a stray `\` → `&#92;`. */
export function toLarkMarkdown(markdown: string): string {
  return markdown.replace(ESCAPE, (_match, escaped: string | undefined) => entity(escaped ?? '\\'));
}

/** Plain text (labels, commands) shown literally inside card markdown. */
function plainInMarkdown(text: string): string {
  return text.replace(/\s+/g, ' ').replace(PLAIN_SYNTAX, entity);
}

function truncatePlain(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Cuts markdown without splitting an escape or leaving bold open. */
function truncateMarkdown(markdown: string, max: number): string {
  if (markdown.length <= max) return markdown;
  let cut = markdown.slice(0, Math.max(0, max - 1));
  const trailingBackslashes = /\\+$/.exec(cut)?.[0].length ?? 0;
  if (trailingBackslashes % 2 === 1) cut = cut.slice(0, -1);
  const boldMarkers = cut.match(/(?<!\\)\*\*/g)?.length ?? 0;
  return `${cut}…${boldMarkers % 2 === 1 ? '**' : ''}`;
}

function fieldColumn(field: CardField): LarkColumn {
  const label = plainInMarkdown(truncatePlain(field.label, 60));
  const value = toLarkMarkdown(truncateMarkdown(field.value, LIMITS.field));
  return {
    tag: 'column',
    width: 'weighted',
    weight: 1,
    vertical_align: 'top',
    elements: [{ tag: 'markdown', content: `**${label}**\n${value}` }],
  };
}

/** Fields two to a row: compact on desktop, and columns stack on narrow screens. */
function fieldRows(fields: CardField[]): LarkColumnSet[] {
  const rows: LarkColumnSet[] = [];
  for (let i = 0; i < fields.length; i += 2) {
    rows.push({ tag: 'column_set', horizontal_spacing: '16px', columns: fields.slice(i, i + 2).map(fieldColumn) });
  }
  return rows;
}

function larkButton(button: CardButton): LarkButton {
  return {
    tag: 'button',
    text: { tag: 'plain_text', content: truncatePlain(button.label, 40) },
    type: button.style,
    behaviors: [{ type: 'callback', value: { ...button.value } }],
  };
}

function buttonElements(buttons: CardButton[], language: Language): LarkElement[] {
  if (buttons.length === 0) return [];
  const row: LarkColumnSet = {
    tag: 'column_set',
    horizontal_spacing: '8px',
    columns: buttons.map((button) => ({ tag: 'column', width: 'auto', vertical_align: 'center', elements: [larkButton(button)] })),
  };
  // The typed equivalents still work when a card is stale or a click cannot reach us.
  const commands = buttons.map((button) => plainInMarkdown(button.command)).join(' · ');
  // Catalog words only, no time: any translator of the language will do.
  const orType = ENGLISH_UTC.translator(language).t('card.orType', { commands });
  return [row, { tag: 'markdown', content: orType, text_size: 'notation' }];
}

/** An id that cannot break out of the `<at>` tag; anything else is left out rather than shown as markup. */
const MENTION_ID = /^[A-Za-z0-9_-]{1,100}$/;

/** Lark card markdown's mention, `<at id=ou_…></at>`: Lark notifies the person and shows their name. */
function mentionElements(mentions: CardMention[] | undefined): LarkMarkdown[] {
  const ids = [...new Set((mentions ?? []).map((m) => m.id).filter((id) => MENTION_ID.test(id)))].slice(0, LIMITS.mentions);
  return ids.length ? [{ tag: 'markdown', content: ids.map((id) => `<at id=${id}></at>`).join(' ') }] : [];
}

function build(card: Card, sections: string[], language: Language): LarkCardJson {
  const title = truncatePlain(card.title, LIMITS.title);
  const elements: LarkElement[] = [
    ...mentionElements(card.mentions),
    ...fieldRows(card.fields.slice(0, LIMITS.fields)),
    ...sections.map((section): LarkMarkdown => ({ tag: 'markdown', content: toLarkMarkdown(section) })),
    ...buttonElements(card.buttons.slice(0, LIMITS.buttons), language),
  ];
  if (card.footer) {
    const footer = toLarkMarkdown(truncateMarkdown(card.footer, LIMITS.footer));
    elements.push({ tag: 'hr' }, { tag: 'markdown', content: footer, text_size: 'notation' });
  }
  return {
    schema: '2.0',
    config: { update_multi: true, summary: { content: title } },
    header: { title: { tag: 'plain_text', content: title }, template: TEMPLATE_BY_TONE[card.tone] },
    body: { elements },
  };
}

function byteSize(card: LarkCardJson): number {
  return Buffer.byteLength(JSON.stringify(card), 'utf8');
}

/** Renders one language's card, halving its longest sections until it fits the budget. */
function renderOne(card: Card, language: Language, budget: number): LarkCardJson {
  const sections = card.sections.slice(0, LIMITS.sections).map((section) => truncateMarkdown(section, LIMITS.section));
  let rendered = build(card, sections, language);
  while (byteSize(rendered) > budget) {
    const longest = sections.reduce((best, section, i) => (section.length > (sections[best]?.length ?? 0) ? i : best), 0);
    const current = sections[longest];
    if (current === undefined || current.length <= LIMITS.sectionFloor) break;
    sections[longest] = truncateMarkdown(current, Math.max(LIMITS.sectionFloor, Math.floor(current.length / 2)));
    rendered = build(card, sections, language);
  }
  return rendered;
}

type Json = unknown;

/**
 * The fallback language's card, with every text that differs between languages given `i18n_content`. The cards
 * were built by one function from one context, so they have one shape; where they do not (which would be a
 * bug), the fallback's text stands alone.
 */
function mergeLanguages(byLanguage: Localized<Json>, fallback: Language): Json {
  const base = byLanguage[fallback];
  if (Array.isArray(base)) {
    return base.map((item: Json, i) => mergeLanguages(pickEach(byLanguage, (v) => (Array.isArray(v) ? (v[i] as Json) : undefined)), fallback));
  }
  if (typeof base !== 'object' || base === null) return base;
  const merged: Record<string, Json> = {};
  for (const key of Object.keys(base)) {
    merged[key] = mergeLanguages(pickEach(byLanguage, (v) => (isObject(v) ? v[key] : undefined)), fallback);
  }
  const contents = pickEach(byLanguage, (v) => (isObject(v) ? v.content : undefined));
  if (typeof merged.content === 'string' && LANGUAGES.some((l) => typeof contents[l] === 'string' && contents[l] !== merged.content)) {
    merged.i18n_content = Object.fromEntries(LANGUAGES.map((l) => [LARK_LOCALE[l], typeof contents[l] === 'string' ? contents[l] : merged.content]));
  }
  return merged;
}

function isObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function pickEach(byLanguage: Localized<Json>, pick: (value: Json) => Json): Localized<Json> {
  return { 'zh-CN': pick(byLanguage['zh-CN']), en: pick(byLanguage.en) };
}

/**
 * The card in every language as one Lark card: `content` in `fallback` (for a client in a third language),
 * `i18n_content` where the languages differ. Each language gets a share of the size budget, so the card
 * with every copy still fits Lark's limit.
 */
export function renderLarkCard(card: Localized<Card>, fallback: Language): LarkCardJson {
  let rendered: LarkCardJson | undefined;
  for (const copies of [2, 3, 4, 6]) {
    const each = { 'zh-CN': renderOne(card['zh-CN'], 'zh-CN', CARD_BYTE_BUDGET / copies), en: renderOne(card.en, 'en', CARD_BYTE_BUDGET / copies) };
    rendered = mergeLanguages(each, fallback) as LarkCardJson;
    if (byteSize(rendered) <= CARD_BYTE_BUDGET) return rendered;
  }
  return rendered as LarkCardJson;
}
