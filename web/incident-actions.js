// @ts-check
import { api, clientId } from './api.js';
import { h, toast } from './dom.js';
import { t } from './i18n.js';
import { language, words as inLanguage } from './labels.js';

/** @typedef {import('./types.js').IncidentAction} IncidentAction */

/**
 * The decisions the incident accepts now that this viewer may take, as buttons; the ones the policy
 * refuses are named with the reason, not offered. Each runs exactly what the typed command would.
 * @param {string} incidentId @param {IncidentAction[]} actions @param {() => void} done
 */
export function actionsBar(incidentId, actions, done) {
  if (actions.length === 0) return null;
  const allowed = actions.filter((action) => action.refused === null);
  const refused = actions.filter((action) => action.refused !== null);
  const words = h('input', { type: 'text', id: 'action-text', maxlength: '1000', placeholder: t('console.actions.comment') });
  /** A decision that failed in transit is sent again under the same id, so the server applies it once. */
  /** @type {Map<string, string>} */
  const unsent = new Map();
  /** @param {string} key @returns {string} */
  const idFor = (key) => {
    const id = unsent.get(key) ?? clientId();
    unsent.set(key, id);
    return id;
  };
  /** @param {IncidentAction} action @param {HTMLButtonElement} button */
  const act = async (action, button) => {
    const buttons = [...(button.parentElement?.querySelectorAll('button') ?? [])];
    for (const b of buttons) b.disabled = true;
    try {
      const text = words.value.trim();
      const key = `${action.type}\n${text}`;
      const { reply } = /** @type {{ reply: string }} */ (await api('/incident/action', { method: 'POST', body: { id: idFor(key), incidentId, type: action.type, language: language(), ...(text ? { text } : {}) } }));
      unsent.delete(key);
      toast('info', reply);
      done();
    } catch (error) {
      toast('error', error instanceof Error ? error.message : String(error));
      for (const b of buttons) b.disabled = false;
    }
  };
  const buttons = allowed.map((action) => {
    const button = h('button', { type: 'button', class: `action ${action.style}`, 'data-action': action.type }, inLanguage(action.label));
    button.addEventListener('click', () => void act(action, button));
    return button;
  });
  return h(
    'div',
    { class: 'actions-bar', id: 'incident-actions' },
    allowed.length ? h('div', { class: 'action-buttons' }, ...buttons, words) : null,
    ...refused.map((action) => h('p', { class: 'hint refused', 'data-action': action.type }, t('console.actions.refused', { action: inLanguage(action.label), reason: inLanguage(action.refused ?? '') }))),
  );
}
