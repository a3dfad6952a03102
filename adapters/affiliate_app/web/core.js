/* core.js of the affiliates' app: what every screen shares. Vanilla JS, no
   build step, no third-party code. Everything the API returns goes into the
   page as text (textContent), never as markup.

   - formatting: dates "2026-11-02" -> "02/11/2026", instants ->
     "02/11/2026 10:00" (Argentina's time as the server wrote it), CUIL
     "20245152605" -> "20-24515260-5", money "1234.56" -> "$ 1.234,56";
   - what people type: a DNI or a CUIL, a date dd/mm/aaaa;
   - api(): fetch with the session cookie; every write carries the
     session's CSRF token (X-CSRF-Token); a 401 ends the session screen;
   - error answers in Spanish: the API's own message when it is written in
     Spanish, else a sentence from the tables below (ERROR, FIELD);
   - field errors next to their field (aria-invalid, aria-describedby);
   - the router (#/credencial ...) and the command sender that keeps one
     request_id per submission (reused only to retry the very same body
     after no answer arrived, docs/rules.md section 4);
   - the server's clock, as far as the answers tell it. */
'use strict';
window.App = (function () {
  const REQUEST_TIMEOUT_MS = 20000;

  const $ = (id) => document.getElementById(id);
  // shown: the credential of the card last on screen (a titular's tabs).
  const state = { session: null, cards: [], shown: '', insurer: null, lastActivityMs: Date.now() };

  // --- formatting ---

  function date(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text || '');
    return m ? `${m[3]}/${m[2]}/${m[1]}` : (text || '');
  }
  function dateTime(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text || '');
    return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}` : date(text);
  }
  function time(text) {
    const m = /T(\d{2}):(\d{2})/.exec(text || '');
    return m ? `${m[1]}:${m[2]}` : '';
  }
  function cuil(text) {
    const m = /^(\d{2})(\d{8})(\d)$/.exec(text || '');
    return m ? `${m[1]}-${m[2]}-${m[3]}` : (text || '');
  }
  function dni(text) {
    return String(text || '').replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  }
  function money(text) {
    const m = /^(-?)(\d+)\.(\d{2})$/.exec(text == null ? '' : String(text));
    if (!m) return text == null ? '' : String(text);
    return `$ ${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${m[3]}`;
  }
  // "264947" -> "264 947"; "43288530" -> "4328 8530": read aloud in groups.
  function groups(token) {
    const t = String(token || '');
    const size = t.length === 8 ? 4 : 3;
    return t.replace(new RegExp(`(\\d{${size}})(?=\\d)`, 'g'), '$1 ');
  }
  // Seconds -> "1:05".
  function clock(seconds) {
    const s = Math.max(0, Math.floor(seconds));
    return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
  }
  // "2026-12-06T14:30" local to Argentina (UTC-03:00), whatever the browser's zone.
  function localParts(ms) {
    const d = new Date(ms - 3 * 3600 * 1000);
    const p = (n) => String(n).padStart(2, '0');
    return { year: d.getUTCFullYear(), month: d.getUTCMonth() + 1,
      text: `${p(d.getUTCDate())}/${p(d.getUTCMonth() + 1)}/${d.getUTCFullYear()} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}` };
  }
  const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre',
    'noviembre', 'diciembre'];

  // --- what people type ---

  // A DNI or a CUIL as written ("24.515.260", "20-24515260-5"): the body's
  // field for it, {document} or {cuil}; null when it is neither.
  function identity(text) {
    const t = String(text || '').trim();
    if (!/^[\d.\- ]+$/.test(t)) return null;
    const digits = t.replace(/\D/g, '');
    if (digits.length === 11) return { cuil: digits };
    if (digits.length >= 7 && digits.length <= 8) return { document: digits };
    return null;
  }

  // "dd/mm/aaaa" (also d/m/aaaa, dd-mm-aaaa, ddmmaaaa) -> "DDMMYYYY"; null
  // when it is no calendar date.
  function parseBirth(text) {
    const t = String(text || '').trim();
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t) || /^(\d{2})(\d{2})(\d{4})$/.exec(t);
    if (!m) return null;
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const probe = new Date(Date.UTC(y, mo - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
    return `${String(d).padStart(2, '0')}${String(mo).padStart(2, '0')}${y}`;
  }

  const looksLikeEmail = (text) => /^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text);

  // --- DOM helpers ---

  function el(tag, props, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'text') node.textContent = value;
      else if (key === 'className') node.className = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : value);
    }
    for (const child of children || []) {
      if (child === null || child === undefined || child === false) continue;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    }
    return node;
  }

  // A message box (role alert or status) shown with text, hidden without.
  function show(id, text) {
    const node = $(id);
    node.textContent = text || '';
    node.hidden = !text;
  }

  // Something screen readers should hear without the focus moving.
  function announce(text) {
    $('live').textContent = '';
    setTimeout(() => { $('live').textContent = text; }, 50);
  }

  // The error of one field, right below it; the field is marked invalid and
  // points at the text. fieldError(id, '') clears it.
  function fieldError(id, text) {
    const input = $(id);
    if (!input) return;
    const errId = `${id}-error`;
    let box = $(errId);
    if (!box) {
      box = el('p', { id: errId, className: 'field-error', 'data-testid': errId, hidden: true });
      (input.closest('.field') || input).appendChild(box);
    }
    box.textContent = text || '';
    box.hidden = !text;
    const described = (input.getAttribute('aria-describedby') || '').split(' ').filter((x) => x && x !== errId);
    if (text) described.push(errId);
    if (described.length) input.setAttribute('aria-describedby', described.join(' '));
    else input.removeAttribute('aria-describedby');
    if (text) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  }
  function focusError(id, text) {
    fieldError(id, text);
    $(id).focus();
  }
  function clearErrors(root) {
    for (const box of root.querySelectorAll('.field-error')) fieldError(box.id.replace(/-error$/, ''), '');
  }

  // A form waiting for its answer: its buttons off, aria-busy on.
  function setBusy(form, busy) {
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
    for (const b of form.querySelectorAll('button')) b.disabled = busy;
  }

  // --- the API ---

  // Routes whose 401 is an answer, not a lost session.
  const NO_SESSION = /^\/v1\/(account\/(login|session)|registrations|password_recovery|shares\/|insurer)/;

  // Resolves (never rejects) to {ok, status, data, error, headers}; status 0:
  // no answer (network down, timeout).
  async function api(method, path, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const options = { method, headers: { Accept: 'application/json' }, signal: controller.signal,
        credentials: 'same-origin' };
      if (method !== 'GET' && state.session && state.session.csrf) options.headers['X-CSRF-Token'] = state.session.csrf;
      if (body !== undefined) {
        options.headers['Content-Type'] = 'application/json';
        options.body = JSON.stringify(body);
      }
      const response = await fetch(path, options);
      const text = await response.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      state.lastActivityMs = Date.now();
      const headers = response.headers;
      if (response.ok) return { ok: true, status: response.status, data, error: null, headers, text };
      const error = data && data.error ? data.error : { code: `HTTP_${response.status}`, message: '' };
      if (response.status === 401 && !NO_SESSION.test(path)) App.onSessionLost('expired');
      return { ok: false, status: response.status, data, error, headers, text };
    } catch (e) {
      const timedOut = e && e.name === 'AbortError';
      return { ok: false, status: 0, data: null, headers: null, text: '',
        error: { code: timedOut ? 'TIMEOUT' : 'NETWORK', message: '' } };
    } finally {
      clearTimeout(timer);
    }
  }

  // Whether a message is written for people in Spanish (the affiliate
  // routes' own messages are), not for developers in English.
  function isSpanish(message) {
    const m = String(message || '');
    if (!m || /\b(the|is|are|must|be|such|required|this|with|only|was|has|an|of|body|digits|characters|not)\b/i.test(m)) {
      return false;
    }
    return /[áéíóúñ¿¡]|\b(el|la|los|las|de|del|que|un|una|con|por|para|tu|tus|su|es|ya|no|o|y|hay)\b/i.test(m);
  }

  // The fields an error may name, as a person calls them.
  const FIELD = {
    document: 'el DNI', cuil: 'el CUIL', birth_date: 'la fecha de nacimiento', email: 'el correo electrónico',
    password: 'la contraseña', code: 'el código', dni: 'el DNI', credential: 'la credencial', month: 'el mes',
    count: 'la cantidad', current_password: 'la contraseña actual', new_password: 'la contraseña nueva'
  };
  // Error codes (docs/http-api.md) whose message is not for people.
  const ERROR = {
    403: 'No podés ver ni hacer esto con tu cuenta.',
    404: 'No se encontró lo pedido.',
    409: 'Este pedido ya se había enviado con otros datos. Volvé a intentarlo.',
    410: 'El enlace venció o fue revocado.',
    429: 'Demasiados intentos seguidos. Esperá un momento y probá de nuevo.',
    503: 'El servicio está ocupado. Probá de nuevo en unos segundos.',
    504: 'El servidor tardó demasiado. Probá de nuevo.'
  };

  function sentence(s) {
    const t = String(s || '').trim().replace(/\.$/, '');
    return t ? `${t.charAt(0).toUpperCase()}${t.slice(1)}.` : '';
  }

  // An error answer in Spanish.
  function errorText(answer) {
    const e = answer.error || {};
    if (answer.status === 0) {
      return e.code === 'TIMEOUT' ? 'El servidor no respondió a tiempo. Probá de nuevo.'
        : 'No hay conexión con el servidor. Revisá tu conexión a internet y probá de nuevo.';
    }
    if (isSpanish(e.message)) return sentence(e.message);
    if (answer.status === 401) return 'Tu sesión venció. Ingresá de nuevo.';
    if (answer.status === 400) {
      return e.field && FIELD[e.field] ? `Revisá ${FIELD[e.field]}: el dato no es válido.` : 'Revisá los datos: el pedido no es válido.';
    }
    return ERROR[answer.status] || 'El servidor no pudo atender el pedido. Probá de nuevo más tarde.';
  }

  function newRequestId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // One per form: send(path, body) posts body with a request_id; the same id
  // only when the very same body is sent again after no answer arrived.
  function commandSender() {
    let last = null;
    return async function send(path, body) {
      const key = path + JSON.stringify(body);
      const requestId = last && last.key === key && !last.answered ? last.requestId : newRequestId();
      last = { key, requestId, answered: false };
      const answer = await api('POST', path, Object.assign({ request_id: requestId }, body));
      if (answer.status !== 0) last.answered = true;
      answer.requestId = requestId;
      return answer;
    };
  }

  // --- the server's clock ---
  // A card is issued at the server's "now", which lies inside its validity
  // [valid_from, valid_until): a browser whose clock is outside that window
  // is off by at least the distance to it. Countdowns use now() so that a
  // wrong phone clock neither hides a valid code nor fetches in a loop.
  let skewMs = 0;
  function observeValidity(validFrom, validUntil) {
    const from = Date.parse(validFrom);
    const until = Date.parse(validUntil);
    if (!Number.isFinite(from) || !Number.isFinite(until)) return;
    const local = Date.now();
    if (local + skewMs < from) skewMs = from - local;
    else if (local + skewMs >= until) skewMs = until - 1000 - local;
  }
  const now = () => Date.now() + skewMs;

  // --- screens ---

  const screens = {};   // name -> {enter(params), leave()}
  let current = '';
  function screen(name, handlers) { screens[name] = handlers || {}; }

  // Shows one <section data-screen=name>, hides the others, focuses its title.
  function showScreen(name, params) {
    if (current && current !== name && screens[current] && screens[current].leave) screens[current].leave();
    current = name;
    for (const s of document.querySelectorAll('[data-screen]')) s.hidden = s.dataset.screen !== name;
    for (const a of document.querySelectorAll('#nav a[data-nav]')) {
      const here = a.dataset.nav === name || (a.dataset.nav === 'mas' && ['perfil', 'datos', 'compartir'].includes(name));
      if (here) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const section = document.querySelector(`[data-screen="${name}"]`);
    const title = section && section.querySelector('h1');
    document.title = `${title ? title.textContent : 'Afiliados'} · ${insurerName()}`;
    const handler = screens[name];
    // enter() returns true when it put the focus somewhere itself.
    const focused = handler && handler.enter ? handler.enter(params || new URLSearchParams()) === true : false;
    if (title && !focused) {
      title.setAttribute('tabindex', '-1');
      title.focus({ preventScroll: true });
      window.scrollTo(0, 0);
    }
    document.documentElement.dataset.current = name;
  }

  function currentRoute() {
    const m = /^#\/([a-z-]+)(?:\?(.*))?$/.exec(location.hash || '');
    return m ? { name: m[1], params: new URLSearchParams(m[2] || '') } : { name: '', params: new URLSearchParams() };
  }

  function go(name) {
    const hash = `#/${name}`;
    if (location.hash === hash) showScreen(name);
    else location.hash = hash;
  }

  // --- the insurer (GET /v1/insurer), with a neutral default ---

  const DEFAULT_INSURER = { name: 'Obra social', short_name: '', logo_url: '', phones: [], addresses: [], emails: [],
    web: '', card_notice: '' };
  function insurerName() {
    const i = state.insurer || DEFAULT_INSURER;
    return i.short_name || i.name || DEFAULT_INSURER.name;
  }
  async function loadInsurer() {
    if (state.insurer) return state.insurer;
    const answer = await api('GET', '/v1/insurer');
    state.insurer = Object.assign({}, DEFAULT_INSURER, answer.ok && answer.data ? answer.data : {});
    return state.insurer;
  }

  // The session's own credential and whether it is a family's titular.
  const own = () => (state.session && state.session.affiliate ? state.session.affiliate.credential : '');
  const isTitular = () => Boolean(state.session && state.session.titular);

  return {
    $, state, date, dateTime, time, cuil, dni, money, groups, clock, localParts, MONTHS, identity, parseBirth,
    looksLikeEmail, el, show, announce, fieldError, focusError, clearErrors, setBusy, api, isSpanish, sentence,
    errorText, newRequestId, commandSender, observeValidity, now, screens, screen, showScreen, currentRoute, go,
    DEFAULT_INSURER, insurerName, loadInsurer, own, isTitular,
    onSessionLost: () => {}
  };
})();
