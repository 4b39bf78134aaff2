// @ts-check
import { api, openEventStream } from './api.js';
import { ChatView } from './chat.js';
import { replaceChildren, toast } from './dom.js';
import { IncidentView } from './incident.js';
import { IncidentsView } from './incidents.js';
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

async function main() {
  const session = /** @type {Session} */ (await api('/session'));
  learnPeople(session.people);
  const who = document.getElementById('who');
  if (who) who.replaceChildren('you are ', person(session.user));
  window.addEventListener('hashchange', () => route(session));
  route(session);
  const live = document.getElementById('live');
  openEventStream({
    onOpen: () => void refresh(),
    onState: (on) => {
      if (!live) return;
      live.textContent = on ? 'live' : 'offline';
      live.classList.toggle('on', on);
    },
    onEvent: (type, data) => {
      if (type === 'chat') chat?.upsert(/** @type {{ message: ChatMessage }} */ (data).message);
      else if (type === 'incident' && !(current instanceof ChatView)) refreshSoon();
    },
  });
}

main().catch((error) => toast('error', error instanceof Error ? error.message : String(error)));
