import { describe, expect, it } from 'vitest';
import type { Card, CardTone } from '../../src/chat/core/card';
import { escapeMarkdown, quoteUntrusted } from '../../src/chat/core/cards';
import { CARD_BYTE_BUDGET, renderLarkCard, toLarkMarkdown } from '../../src/chat/core/card-json';
import type { LarkColumnSet, LarkElement, LarkMarkdown } from '../../src/chat/core/card-json';
import { verbatim } from '../../src/i18n';

const ID = 'INC-7K2M9Q4T';

/** One card shown the same in every language; the chat reads English. */
const render = (one: Card) => renderLarkCard(verbatim(one), 'en');

function card(overrides: Partial<Card> = {}): Card {
  return {
    title: `[CRITICAL] Diagnosis ready · ${ID}`,
    tone: 'red',
    sections: [`**Alert** (prometheus)\n${quoteUntrusted('HTTP 503 on /pay')}`, `**Summary**\n${escapeMarkdown('Pods are OOMKilled')}`],
    fields: [
      { label: 'Incident', value: ID },
      { label: 'Severity', value: 'critical' },
      { label: 'Service', value: escapeMarkdown('checkout') },
    ],
    buttons: [
      {
        label: 'Approve',
        style: 'primary',
        value: { incidentId: ID, action: 'diagnosis.approved', kind: 'diagnosis', attempt: 1 },
        command: `/approve ${ID} diagnosis`,
      },
      {
        label: 'Reject',
        style: 'danger',
        value: { incidentId: ID, action: 'diagnosis.rejected', kind: 'diagnosis', attempt: 1 },
        command: `/reject ${ID} diagnosis`,
      },
    ],
    footer: `Incident ${ID} · attempt 1`,
    ...overrides,
  };
}

function markdownContents(elements: LarkElement[]): string[] {
  return elements.flatMap((element): string[] => {
    if (element.tag === 'markdown') return [element.content];
    if (element.tag === 'column_set') return element.columns.flatMap((column) => markdownContents(column.elements));
    return [];
  });
}

describe('renderLarkCard', () => {
  it('builds a shared JSON 2.0 card: header, fields, sections, buttons, footer', () => {
    const rendered = render(card());
    expect(rendered.schema).toBe('2.0');
    expect(rendered.config).toEqual({ update_multi: true, summary: { content: `[CRITICAL] Diagnosis ready · ${ID}` } });
    expect(rendered.header).toEqual({ title: { tag: 'plain_text', content: `[CRITICAL] Diagnosis ready · ${ID}` }, template: 'red' });

    const tags = rendered.body.elements.map((e) => e.tag);
    expect(tags).toEqual(['column_set', 'column_set', 'markdown', 'markdown', 'column_set', 'markdown', 'hr', 'markdown']);
    const [firstRow, secondRow] = rendered.body.elements as [LarkColumnSet, LarkColumnSet];
    expect(firstRow.columns).toHaveLength(2);
    expect(secondRow.columns).toHaveLength(1);
    expect(markdownContents([firstRow])).toEqual([`**Incident**\n${ID}`, '**Severity**\ncritical']);

    const footer = rendered.body.elements.at(-1) as LarkMarkdown;
    expect(footer).toEqual({ tag: 'markdown', content: `Incident ${ID} · attempt 1`, text_size: 'notation' });
    expect(markdownContents(rendered.body.elements)).toContain(`Or type: /approve ${ID} diagnosis · /reject ${ID} diagnosis`);
  });

  it('maps each tone to a Lark header template', () => {
    const tones: CardTone[] = ['red', 'orange', 'yellow', 'green', 'blue', 'grey'];
    expect(tones.map((tone) => render(card({ tone })).header.template)).toEqual(tones);
  });

  it('renders buttons as callback buttons carrying the button value', () => {
    const rendered = render(card());
    const buttonRow = rendered.body.elements.find(
      (e): e is LarkColumnSet => e.tag === 'column_set' && e.columns.some((c) => c.elements[0]?.tag === 'button'),
    );
    const buttons = buttonRow?.columns.map((column) => column.elements[0]);
    expect(buttons).toEqual([
      {
        tag: 'button',
        text: { tag: 'plain_text', content: 'Approve' },
        type: 'primary',
        behaviors: [{ type: 'callback', value: { incidentId: ID, action: 'diagnosis.approved', kind: 'diagnosis', attempt: 1 } }],
      },
      {
        tag: 'button',
        text: { tag: 'plain_text', content: 'Reject' },
        type: 'danger',
        behaviors: [{ type: 'callback', value: { incidentId: ID, action: 'diagnosis.rejected', kind: 'diagnosis', attempt: 1 } }],
      },
    ]);
    expect(buttonRow?.columns.every((c) => c.width === 'auto')).toBe(true);
  });

  it('has no buttons row or hint when the card has no buttons, and no footer when it has none', () => {
    const tags = render(card({ buttons: [], footer: undefined })).body.elements.map((e) => e.tag);
    expect(tags).toEqual(['column_set', 'column_set', 'markdown', 'markdown']);
  });

  it('shows untrusted text literally: escapes become entities, quotes stay quotes', () => {
    const hostile = '<at id=all></at> **bold** [click](http://evil) `tick` _i_ ~~s~~\n# heading\n- item\n> fake quote & more';
    const rendered = render(card({ sections: [`**Alert**\n${quoteUntrusted(hostile)}`] }));
    const section = markdownContents(rendered.body.elements).find((c) => c.startsWith('**Alert**')) ?? '';

    expect(section.startsWith('**Alert**\n> ')).toBe(true);
    const quoted = section.split('\n').slice(1);
    expect(quoted.every((line) => line.startsWith('> '))).toBe(true);
    expect(section).not.toContain('<at');
    expect(section).not.toContain('\\');
    expect(section).toContain('&#60;at id=all&#62;&#60;/at&#62;');
    expect(section).toContain('&#42;&#42;bold&#42;&#42;');
    expect(section).toContain('&#91;click&#93;(http://evil)');
    expect(section).toContain('&#96;tick&#96; &#95;i&#95; &#126;&#126;s&#126;&#126;');
    expect(quoted[1]).toBe('> &#35; heading');
    expect(quoted[2]).toBe('> &#45; item');
    expect(quoted[3]).toBe('> &#62; fake quote &#38; more');
  });

  it('translates escapes and stray backslashes, leaving the bot’s own markdown alone', () => {
    expect(toLarkMarkdown('**Root cause**\\\nC:\\Users\\\\x \\*')).toBe('**Root cause**&#92;\nC:&#92;Users&#92;x &#42;');
  });

  it('shows field labels and commands as plain text', () => {
    const rendered = render(
      card({
        fields: [{ label: 'Owner *team*', value: escapeMarkdown('@ops <at id=all>') }],
        buttons: [
          {
            label: 'Retry',
            style: 'default',
            value: { incidentId: ID, action: 'incident.retry', kind: 'outcome', attempt: 2 },
            command: '/retry <x>',
          },
        ],
      }),
    );
    const contents = markdownContents(rendered.body.elements);
    expect(contents[0]).toBe('**Owner &#42;team&#42;**\n@ops &#60;at id=all&#62;');
    expect(contents).toContain('Or type: /retry &#60;x&#62;');
  });

  it('stays under Lark’s card size limit, shortening the longest sections', () => {
    const huge = '告警'.repeat(20_000);
    const rendered = render(
      card({ sections: ['**Short**\nkept as is', quoteUntrusted(huge, 40_000), escapeMarkdown('*'.repeat(30_000), 30_000)] }),
    );
    const bytes = Buffer.byteLength(JSON.stringify(rendered), 'utf8');
    expect(bytes).toBeLessThanOrEqual(CARD_BYTE_BUDGET);
    const sections = rendered.body.elements.filter((e): e is LarkMarkdown => e.tag === 'markdown' && !e.text_size);
    expect(sections[0]?.content).toBe('**Short**\nkept as is');
    expect(sections[1]?.content.startsWith('> 告警')).toBe(true);
    expect(sections[1]?.content.endsWith('…')).toBe(true);
    // Cut between escapes, never inside one: only whole entities remain.
    expect(sections[2]?.content).toMatch(/^(&#42;)+…$/);
  });

  it('caps a very long title', () => {
    const rendered = render(card({ title: 'x'.repeat(1_000) }));
    expect(rendered.header.title.content).toHaveLength(200);
    expect(rendered.header.title.content.endsWith('…')).toBe(true);
  });
});
