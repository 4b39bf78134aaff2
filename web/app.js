// @ts-check
import { api, openEventStream } from './api.js';
import { ChatView } from './chat.js';
import { replaceChildren, toast } from './dom.js';
import { loadCatalog, parts, t, translatePage } from './i18n.js';
import { IncidentView } from './incident.js';
import { IncidentsView } from './incidents.js';
import { chooseLanguage, isLanguage, language } from './labels.js';
import { learnPeople, person } from './people.js';
import { SilencesView } from './silences.js';

/** @typedef {import('./types.js').Session} Session @typedef {import('./types.js').ChatMessage} ChatMessage */

const view = /** @type {HTMLElement} */ (document.getElementById('view'));

/** @type {ChatView | IncidentsView | IncidentView | SilencesView | null} */
let current = null;
/** @type {ChatView | null} */
let chat = null;
/** @type {ReturnType<typeof setTimeout> | undefined} */
let refreshTimer;
/** Whether the live stream is connected (its badge is redrawn when the language changes). */
let liveNow = false;

/** Hash routes: #/chat, #/incidents, #/incidents/<id>, #/silences. @param {Session} session */
function route(session) {
  const [, page = 'chat', id] = location.hash.split('/');
  if (page === 'incidents' && id) current = new IncidentView(decodeURIComponent(id));
  else if (page === 'incidents') current = new IncidentsView();
  else if (page === 'silences') current = new SilencesView();
  else current = chat ??= new ChatView(session);
  for (const link of document.querySelectorAll('[data-nav]')) link.classList.toggle('active', link.getAttribute('data-nav') === (page === 'incidents' || page === 'silences' ? page : 'chat'));
  replaceChildren(view, current.root);
  void refresh();
}

async function refresh() {
  try {
    await current?.reload();
  } catch (error) {
    toast('error', error instanceof Error ? error.message : String(error));
  }
}

/** Incident pages change with every transition; refetch once a burst of them settles. */
function refreshSoon() {
  clearTimeout(refreshTimer);
  refreshTimer = setTimeout(() => void refresh(), 150);
}

/** The frame's words that depend on state: who is here, whether the stream is live, which language is chosen. @param {Session} session */
function drawFrame(session) {
  translatePage();
  const who = document.getElementById('who');
  if (who) who.replaceChildren(...parts('console.who', { user: person(session.user) }));
  const live = document.getElementById('live');
  if (live) {
    live.textContent = t(liveNow ? 'console.live.on' : 'console.live.off');
    live.classList.toggle('on', liveNow);
  }
  for (const button of document.querySelectorAll('[data-language]')) button.setAttribute('aria-pressed', String(button.getAttribute('data-language') === language()));
}

/** The reader switched language: the frame and the open view are drawn again in it (a draft in the composer stays). @param {Session} session @param {string} chosen */
function switchLanguage(session, chosen) {
  if (!isLanguage(chosen) || chosen === language()) return;
  chooseLanguage(chosen);
  drawFrame(session);
  const draft = chat?.input.value ?? '';
  chat = null;
  route(session);
  if (chat && draft) /** @type {ChatView} */ (chat).restoreDraft(draft);
}

async function main() {
  await loadCatalog();
  translatePage();
  const session = /** @type {Session} */ (await api('/session'));
  learnPeople(session.people);
  drawFrame(session);
  for (const button of document.querySelectorAll('[data-language]')) {
    button.addEventListener('click', () => switchLanguage(session, button.getAttribute('data-language') ?? ''));
  }
  window.addEventListener('hashchange', () => route(session));
  route(session);
  openEventStream({
    onOpen: () => void refresh(),
    onState: (on) => {
      liveNow = on;
      drawFrame(session);
    },
    onEvent: (type, data) => {
      if (type === 'chat') chat?.upsert(/** @type {{ message: ChatMessage }} */ (data).message);
      else if (type === 'incident' && !(current instanceof ChatView)) refreshSoon();
    },
  });
}

main().catch((error) => toast('error', error instanceof Error ? error.message : String(error)));
