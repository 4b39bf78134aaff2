// @ts-check
import { api } from './api.js';
import { ago, clock, h, replaceChildren, toast } from './dom.js';
import { fullTime, t } from './i18n.js';

/**
 * @typedef {{ id: string, matchers: string, state: string, startsAt: string, endsAt: string, createdBy: string, createdAt: string,
 *   reason: string, expiredBy: string | null, expiredAt: string | null, held?: number }} SilenceItem
 * @typedef {{ fingerprint: string, title: string, severity: string, service: string | null, chatId: string, at: string }} HeldAlert
 */

/** Active and recently ended silences, the alerts each held back, and a form to add one. Every value is shown as text. */
export class SilencesView {
  constructor() {
    this.matchers = h('input', { id: 'silence-matchers', placeholder: t('console.silences.matchers'), size: '50' });
    this.duration = h('input', { id: 'silence-duration', placeholder: t('console.silences.duration'), size: '6' });
    this.reason = h('input', { id: 'silence-reason', placeholder: t('console.silences.reason'), size: '30' });
    this.create = h('button', { class: 'primary', type: 'submit', id: 'silence-create' }, t('console.silences.create'));
    const form = h('form', { class: 'filters', id: 'silence-form' }, this.matchers, this.duration, this.reason, this.create);
    form.addEventListener('submit', (event) => {
      event.preventDefault();
      void this.submit();
    });
    this.rows = h('tbody');
    this.held = h('div', { class: 'held' });
    this.count = h('span', { class: 'hint' });
    /** @type {boolean} */
    this.mayEdit = false;
    const columns = ['console.column.silence', 'console.column.matchers', 'console.column.state', 'console.column.until', 'console.column.by', 'console.column.reason', 'console.column.held'];
    const head = h('tr', {}, ...columns.map((key) => h('th', {}, t(key))), h('th'));
    this.root = h('section', { class: 'silences' }, form, this.count, h('table', { class: 'incident-table' }, h('thead', {}, head), this.rows), this.held);
  }

  async reload() {
    const body = /** @type {{ active: SilenceItem[], recent: SilenceItem[], mayEdit: boolean }} */ (await api('/silences'));
    this.mayEdit = body.mayEdit;
    this.create.toggleAttribute('disabled', !body.mayEdit);
    this.create.title = body.mayEdit ? '' : t('console.silences.mayNotEdit');
    replaceChildren(this.rows, ...[...body.active, ...body.recent].map((silence) => this.row(silence)));
    this.count.textContent = t('console.silences.count', { active: body.active.length, recent: body.recent.length });
  }

  async submit() {
    try {
      await api('/silences', { method: 'POST', body: { matchers: this.matchers.value, duration: this.duration.value.trim(), reason: this.reason.value || undefined } });
      this.matchers.value = '';
      this.reason.value = '';
      toast('success', t('console.silences.created'));
      await this.reload();
    } catch (error) {
      toast('error', error instanceof Error ? error.message : String(error));
    }
  }

  /** @param {string} id */
  async expire(id) {
    try {
      await api('/silences/expire', { method: 'POST', body: { id } });
      toast('success', t('console.silences.expired', { id }));
      await this.reload();
    } catch (error) {
      toast('error', error instanceof Error ? error.message : String(error));
    }
  }

  /** @param {string} id */
  async showHeld(id) {
    const { held } = /** @type {{ held: HeldAlert[] }} */ (await api(`/silence?id=${encodeURIComponent(id)}`));
    const rows = held.map((a) => h('tr', {}, h('td', {}, a.title), h('td', {}, a.severity), h('td', {}, a.service ?? t('console.none')), h('td', {}, a.chatId), h('td', { title: fullTime(a.at) }, ago(a.at))));
    replaceChildren(
      this.held,
      h('h3', {}, t('console.silences.heldBy', { id })),
      held.length ? h('table', { class: 'incident-table' }, h('tbody', {}, ...rows)) : h('p', { class: 'hint' }, t('console.silences.noneHeld')),
    );
  }

  /** @param {SilenceItem} silence */
  row(silence) {
    const active = silence.state === 'active' || silence.state === 'pending';
    const ended = silence.expiredAt ? t('console.silences.expiredBy', { who: silence.expiredBy ?? '?' }) : clock(silence.endsAt);
    return h(
      'tr',
      { 'data-silence-id': silence.id },
      h('td', {}, silence.id),
      h('td', { class: 'title' }, silence.matchers),
      h('td', {}, h('span', { class: `status ${active ? 'active' : 'done'}` }, t('console.silences.state', { state: silence.state }))),
      h('td', { title: fullTime(silence.endsAt) }, ended),
      h('td', { title: fullTime(silence.createdAt) }, silence.createdBy),
      h('td', {}, silence.reason || t('console.none')),
      h('td', {}, h('button', { type: 'button', onclick: () => void this.showHeld(silence.id).catch((e) => toast('error', String(e))) }, String(silence.held ?? 0))),
      h('td', {}, active && this.mayEdit ? h('button', { type: 'button', class: 'expire', onclick: () => void this.expire(silence.id) }, t('console.silences.expire')) : null),
    );
  }
}
