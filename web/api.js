// @ts-check
import { t } from './i18n.js';
import { words } from './labels.js';

/**
 * The console's API client. The token (if one is needed) lives in sessionStorage and travels in the
 * Authorization header, never in a cookie, so another site cannot make requests with it.
 */

/** @typedef {import('./types.js').Label} Label */

const TOKEN_KEY = 'ai-fixer-console-token';
const HEADERS = { 'x-ai-fixer-console': '1' };

/** @returns {Record<string, string>} */
function headers() {
  const token = sessionStorage.getItem(TOKEN_KEY);
  return token ? { ...HEADERS, authorization: `Bearer ${token}` } : { ...HEADERS };
}

export class ApiError extends Error {
  /** @param {number} status @param {string} message */
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** @type {Promise<void> | null} */
let asking = null;

/** Asks for the token once, however many requests were refused meanwhile. @param {string} reason */
function askForToken(reason) {
  asking ??= new Promise((resolve) => {
    const dialog = /** @type {HTMLDialogElement} */ (document.getElementById('token-dialog'));
    const input = /** @type {HTMLInputElement} */ (document.getElementById('token-input'));
    const why = /** @type {HTMLElement} */ (document.getElementById('token-reason'));
    const save = /** @type {HTMLButtonElement} */ (document.getElementById('token-save'));
    why.textContent = reason;
    const done = () => {
      sessionStorage.setItem(TOKEN_KEY, input.value.trim());
      input.value = '';
      dialog.close();
      save.removeEventListener('click', done);
      asking = null;
      resolve();
    };
    save.addEventListener('click', done);
    dialog.showModal();
  });
  return asking;
}

/**
 * @param {string} path below /api/console
 * @param {{ method?: string, body?: unknown }} [options]
 * @returns {Promise<unknown>}
 */
export async function api(path, options = {}) {
  for (;;) {
    const init = /** @type {RequestInit} */ ({ method: options.method ?? 'GET', headers: headers() });
    if (options.body !== undefined) {
      init.headers = { ...headers(), 'content-type': 'application/json' };
      init.body = JSON.stringify(options.body);
    }
    const response = await fetch(`/api/console${path}`, init);
    const data = /** @type {{ error?: Label | string, tokenRequired?: boolean }} */ (await readJson(response));
    if (response.status === 401 && data.tokenRequired) {
      await askForToken(data.error ? words(data.error) : t('console.error.tokenNeeded'));
      continue;
    }
    if (!response.ok) throw new ApiError(response.status, data.error ? words(data.error) : t('console.error.http', { status: response.status }));
    return data;
  }
}

/** @param {Response} response @returns {Promise<unknown>} */
async function readJson(response) {
  try {
    /** @type {unknown} */
    const data = await response.json();
    return data;
  } catch {
    return {};
  }
}

/** A random id for a message or click, so a retried request is taken once. */
export function clientId() {
  return crypto.randomUUID();
}

/**
 * Server-sent events, read with fetch so the token can go in a header (EventSource cannot send one).
 * Reconnects with a growing pause; `onOpen` runs on every (re)connect so views can catch up.
 * @param {{ onEvent: (type: string, data: unknown) => void, onOpen: () => void, onState: (live: boolean) => void }} handlers
 */
export function openEventStream(handlers) {
  let pause = 500;
  const connect = async () => {
    try {
      const response = await fetch('/api/console/events', { headers: headers() });
      if (response.status === 401) {
        await askForToken(t('console.error.tokenNeeded'));
        return;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);
      handlers.onState(true);
      handlers.onOpen();
      pause = 500;
      await readEvents(response.body, handlers.onEvent);
    } catch {
      // Dropped or refused: reconnect below.
    }
    handlers.onState(false);
    setTimeout(() => void connect(), pause);
    pause = Math.min(pause * 2, 10_000);
  };
  void connect();
}

/** @param {ReadableStream<Uint8Array>} body @param {(type: string, data: unknown) => void} onEvent */
async function readEvents(body, onEvent) {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += decoder.decode(value, { stream: true });
    let end;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const frame = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      let type = 'message';
      let data = '';
      for (const line of frame.split('\n')) {
        if (line.startsWith('event: ')) type = line.slice(7);
        else if (line.startsWith('data: ')) data += line.slice(6);
      }
      if (data) onEvent(type, /** @type {unknown} */ (JSON.parse(data)));
    }
  }
}
