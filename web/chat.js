// @ts-check
import { api, clientId } from './api.js';
import { cardTitle, renderCard } from './card.js';
import { clock, h, incidentHref, replaceChildren, toast } from './dom.js';
import { fullTime, parts, t } from './i18n.js';
import { words } from './labels.js';
import { learnPeople, person, withPeople } from './people.js';

/** @typedef {import('./types.js').ChatMessage} ChatMessage @typedef {import('./types.js').Session} Session @typedef {import('./types.js').ButtonValue} ButtonValue @typedef {import('./types.js').Label} Label */

const INCIDENT_ID = /INC-[0-9A-Z]{8}/;

/** The console's chat: the same cards and commands as the Lark group. */
export class ChatView {
  /** @param {Session} session */
  constructor(session) {
    this.session = session;
    /** @type {Map<string, ChatMessage>} */
    this.messages = new Map();
    /** @type {Map<string, HTMLElement>} */
    this.elements = new Map();
    /** Whether an id read in a message is a real incident, asked once per id. @type {Map<string, Promise<boolean>>} */
    this.exists = new Map();
    this.list = h('div', { class: 'messages', id: 'messages' });
    this.empty = emptyState();
    this.input = h('textarea', { id: 'composer', rows: '3', placeholder: t('console.chat.placeholder') });
    this.asMonitor = h('input', { type: 'checkbox', id: 'as-monitor' });
    this.length = h('span', { class: 'length', id: 'composer-length', 'aria-live': 'polite' });
    this.sendButton = h('button', { type: 'button', class: 'primary', id: 'send', onclick: () => void this.sendText() }, t('console.chat.send'));
    this.root = this.build();
    this.showLength();
  }

  build() {
    this.input.addEventListener('input', () => this.showLength());
    this.input.addEventListener('keydown', (event) => {
      if (event.key === 'Enter' && !event.shiftKey) {
        event.preventDefault();
        void this.sendText();
      }
    });
    const samples = this.session.samples.map((sample) =>
      h('button', { type: 'button', class: 'sample', 'data-sample': sample.id, onclick: () => void this.send({ sample: sample.id }) }, sample.label),
    );
    return h(
      'section',
      { class: 'chat' },
      this.list,
      h(
        'div',
        { class: 'composer' },
        h('div', { class: 'samples' }, t('console.chat.samples'), ' ', ...samples),
        this.input,
        h(
          'div',
          { class: 'composer-actions' },
          h('label', {}, this.asMonitor, ' ', t('console.chat.asMonitor')),
          h('span', { class: 'hint' }, ...parts('console.chat.hint', { user: person(this.session.user) })),
          this.length,
          this.sendButton,
        ),
      ),
    );
  }

  async reload() {
    const { messages, people } = /** @type {{ messages: ChatMessage[], people: Record<string, string> }} */ (await api('/messages'));
    learnPeople(people);
    this.messages.clear();
    this.elements.clear();
    replaceChildren(this.list);
    if (messages.length === 0) this.list.appendChild(this.empty);
    for (const message of messages) this.upsert(message);
  }

  /** A message posted or updated (a decided card, a reaction), from the stream or an answer. @param {ChatMessage} message */
  upsert(message) {
    const known = this.messages.get(message.messageId);
    // An answer can arrive after the stream already brought a newer version of the same message.
    if (known && Date.parse(known.updatedAt) > Date.parse(message.updatedAt)) return;
    this.messages.set(message.messageId, message);
    this.empty.remove();
    const element = this.renderMessage(message);
    const old = this.elements.get(message.messageId);
    this.elements.set(message.messageId, element);
    if (old) old.replaceWith(element);
    else {
      const stick = this.list.scrollTop + this.list.clientHeight >= this.list.scrollHeight - 40;
      const next = [...this.messages.values()].filter((m) => m.seq > message.seq).sort((a, b) => a.seq - b.seq)[0];
      const before = next ? this.elements.get(next.messageId) : undefined;
      this.list.insertBefore(element, before ?? null);
      if (stick) this.list.scrollTop = this.list.scrollHeight;
    }
  }

  /** @param {ChatMessage} message */
  renderMessage(message) {
    const who = message.author === 'bot' ? 'ai-fixer' : person(message.senderId);
    const parent = message.replyTo ? this.messages.get(message.replyTo) : undefined;
    const title = message.card ? cardTitle(message.card) : (message.text ?? '');
    const incident = INCIDENT_ID.exec(title)?.[0];
    const meta = h(
      'div',
      { class: 'meta' },
      h('span', { class: `author ${message.author}` }, who),
      h('time', { datetime: message.createdAt, title: fullTime(message.createdAt) }, clock(message.createdAt)),
      parent ? h('span', { class: 'reply' }, `↪ ${snippet(parent)}`) : null,
      incident ? this.incidentLink(incident, Boolean(message.card)) : null,
      ...message.reactions.map((reaction) => h('span', { class: `reaction ${reaction}` }, t('console.reaction', { reaction }))),
    );
    const body = message.card
      ? renderCard(message.card, (value, button) => void this.click(message.messageId, value, button))
      : h('div', { class: 'text' }, ...withPeople(message.text ?? ''));
    return h('article', { class: `message ${message.author}`, 'data-message-id': message.messageId }, meta, body);
  }

  /** The limit is shown before sending: a paste over it is refused here, saying by how much. */
  showLength() {
    const max = this.session.maxMessageChars;
    const used = this.input.value.trim().length;
    const over = used > max;
    this.length.textContent = over ? t('console.chat.tooLong', { used, max, over: used - max }) : t('console.chat.length', { used, max });
    this.length.classList.toggle('over', over);
    this.sendButton.disabled = over;
  }

  /**
   * A link to the incident a message names. A card is about a real incident; an id in text may be an
   * example or a typo (`/approve INC-ZZZZZZZZ`), so it is linked only once the incident is found.
   * @param {string} incidentId @param {boolean} fromCard
   */
  incidentLink(incidentId, fromCard) {
    const link = () => h('a', { href: incidentHref(incidentId), class: 'incident-link' }, `${incidentId} →`);
    if (fromCard) return link();
    const slot = h('span', { class: 'incident-link-slot' });
    let known = this.exists.get(incidentId);
    if (!known) {
      known = api(`/incident?brief&id=${encodeURIComponent(incidentId)}`).then(
        () => true,
        () => false,
      );
      this.exists.set(incidentId, known);
    }
    void known.then((exists) => {
      if (exists) slot.replaceWith(link());
      else this.exists.delete(incidentId); // It may be opened later: ask again next time.
    });
    return slot;
  }

  /** A draft kept across a redraw (the reader switched language). @param {string} text */
  restoreDraft(text) {
    this.input.value = text;
    this.showLength();
  }

  async sendText() {
    const text = this.input.value.trim();
    if (!text || text.length > this.session.maxMessageChars) return;
    const sent = await this.send({ text, as: this.asMonitor.checked ? 'monitor' : 'person' });
    if (sent) {
      this.input.value = '';
      this.showLength();
    }
  }

  /** @param {{ text?: string, sample?: string, as?: string }} body */
  async send(body) {
    try {
      const { message } = /** @type {{ message: ChatMessage }} */ (await api('/messages', { method: 'POST', body: { id: clientId(), ...body } }));
      this.upsert(message);
      return true;
    } catch (error) {
      toast('error', t('console.chat.notSent', { reason: error instanceof Error ? error.message : String(error) }));
      return false;
    }
  }

  /** @param {string} messageId @param {ButtonValue} value @param {HTMLButtonElement} button */
  async click(messageId, value, button) {
    const buttons = [...(button.closest('.card')?.querySelectorAll('button') ?? [])];
    for (const b of buttons) b.disabled = true;
    try {
      const { toast: answer } = /** @type {{ toast: { type: string, content: Label | string } }} */ (
        await api('/clicks', { method: 'POST', body: { id: clientId(), messageId, value } })
      );
      toast(answer.type, words(answer.content));
      if (answer.type !== 'success') for (const b of buttons) b.disabled = false;
    } catch (error) {
      toast('error', error instanceof Error ? error.message : String(error));
      for (const b of buttons) b.disabled = false;
    }
  }
}

/** What a person sees before the first message: what to do here, and what this chat is not. */
function emptyState() {
  return h(
    'div',
    { class: 'empty-state', id: 'empty-state' },
    h('h2', {}, t('console.chat.empty.title')),
    h('p', {}, t('console.chat.empty.samples')),
    h('p', {}, t('console.chat.empty.commands')),
    h('p', { class: 'hint' }, t('console.chat.empty.terminal')),
  );
}

/** @param {ChatMessage} message */
function snippet(message) {
  const text = (message.card ? cardTitle(message.card) : (message.text ?? '')).replace(/\s+/g, ' ');
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}
