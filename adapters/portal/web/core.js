/* core.js of the providers' portal: what every screen shares. Vanilla JS, no
   build step, no third-party code. Everything the API returns goes into the
   page as text (textContent), never as markup.

   - formatting: money "1234.56" -> "$ 1.234,56", dates "2026-11-02" ->
     "02/11/2026", instants -> "02/11/2026 10:00", statuses and reasons in
     Spanish;
   - api(): fetch with the session cookie; every non-GET carries the
     session's CSRF token (X-CSRF-Token); a 401 closes the session screen;
   - field errors next to their field (aria-invalid, aria-describedby);
   - the screens' router (#/autorizaciones ...) and the command sender that
     keeps one request_id per user action (reused only to retry the very same
     request after a network failure, docs/rules.md section 4). */
'use strict';
window.Portal = (function () {
  const REQUEST_TIMEOUT_MS = 20000;

  // Every status of schemas/common.fbs (enum Status) the provider can see.
  const STATUS = {
    ELIGIBLE: 'Habilitado', NOT_ELIGIBLE: 'No habilitado', AUTHORIZED: 'Autorizado',
    PARTIALLY_AUTHORIZED: 'Autorizado parcialmente', REJECTED: 'Rechazado', NEEDS_AUDIT: 'Requiere auditoría',
    AUDIT_PENDING: 'Pendiente de auditoría', ACCEPTED: 'Aceptado', CONSUMED: 'Consumido', ANNULLED: 'Anulado',
    REFUSED: 'No aplicado', PENDING: 'Pendiente', DOCS_REQUESTED: 'Documentación pedida', EMITTED: 'Emitido',
    ISSUED: 'Emitido', VERIFICATION_SENT: 'Verificación enviada', REGISTERED: 'Registrado',
    RECOVERY_SENT: 'Código enviado', PASSWORD_CHANGED: 'Contraseña cambiada', SHARED: 'Compartido',
    REVOKED: 'Revocado', NONE: '—'
  };

  // The engine's reason codes (docs/rules.md section 7) in plain Spanish with
  // accents; an unknown code shows the engine's own message.
  const REASON = {
    PROVIDER_NOT_FOUND: 'El prestador no existe en el padrón.',
    AFFILIATE_NOT_FOUND: 'No hay ningún afiliado con esa credencial.',
    AFFILIATE_SUSPENDED: 'Credencial inhabilitada: el afiliado está suspendido.',
    AFFILIATE_TERMINATED: 'El afiliado fue dado de baja.',
    TOKEN_REQUIRED: 'El plan del afiliado pide token: pedíselo al afiliado y cargalo.',
    TOKEN_INVALID: 'El token no es válido para este afiliado.',
    TOKEN_EXPIRED: 'El token está vencido.',
    TOKEN_ALREADY_USED: 'El token ya fue usado.',
    PRESCRIPTION_REQUIRED: 'Falta la prescripción: fecha y prescriptor.',
    PRESCRIBER_NOT_FOUND: 'El prescriptor no existe en el padrón.',
    PRESCRIPTION_IN_FUTURE: 'La fecha de prescripción es posterior a hoy.',
    PRESCRIPTION_EXPIRED: 'La prescripción está vencida (más de 30 días).',
    DIAGNOSIS_REQUIRED: 'Falta el diagnóstico (CIE-10).',
    PRACTICE_NOT_FOUND: 'La práctica no existe en el nomenclador.',
    PRACTICE_NOT_ALLOWED_FOR_PROVIDER: 'La práctica no está habilitada para este prestador.',
    NOT_COVERED: 'El plan no cubre esta práctica.',
    QUANTITY_EXCEEDED: 'La cantidad supera la permitida.',
    AGE_NOT_ALLOWED: 'La edad del afiliado está fuera del rango de la práctica.',
    SEX_NOT_ALLOWED: 'La práctica no admite el sexo del afiliado.',
    FREQUENCY_EXCEEDED: 'Frecuencia excedida: la práctica se autorizó hace poco.',
    DUPLICATE_ITEM: 'La práctica está repetida en la solicitud.',
    TOOTH_REQUIRED: 'La práctica requiere una pieza dental.',
    TOOTH_INVALID: 'La pieza dental no es válida.',
    TOOTH_NOT_APPLICABLE: 'La práctica no lleva pieza dental.',
    FACE_REQUIRED: 'La práctica requiere caras.',
    FACE_INVALID: 'Las caras no son válidas para la pieza o la práctica.',
    ORDER_NOT_FOUND: 'No existe una orden con ese número.',
    ORDER_ANNULLED: 'La orden está anulada.',
    ORDER_EXPIRED: 'La orden está vencida (más de 90 días).',
    ORDER_PROVIDER_MISMATCH: 'La orden es de otro prestador.',
    ORDER_AFFILIATE_MISMATCH: 'La orden es de otro afiliado.',
    ITEM_NOT_AUTHORIZED: 'La práctica no está autorizada en la orden.',
    ITEM_ALREADY_CONSUMED: 'La práctica ya fue consumida.',
    PERFORMED_IN_FUTURE: 'La fecha de realización es posterior a ahora.',
    PERFORMED_BEFORE_AUTHORIZATION: 'La fecha de realización es anterior a la autorización.',
    TRANSACTION_NOT_FOUND: 'No hay nada que anular con ese número.',
    ANNUL_FORBIDDEN_PROVIDER: 'Solo el prestador que la registró puede anularla.',
    ALREADY_ANNULLED: 'Ya está anulada.',
    ANNUL_WINDOW_EXPIRED: 'Venció el plazo de anulación (30 días).',
    PERIOD_CLOSED: 'El período de facturación ya está cerrado.',
    SAP_NOT_FOUND: 'No existe esa solicitud de auditoría.',
    SAP_ALREADY_DECIDED: 'La solicitud de auditoría ya fue resuelta.'
  };

  const PROVIDER_KIND = { LAB: 'Laboratorio', DENTIST: 'Odontología', PHYSICIAN: 'Medicina' };
  const SEX = { M: 'Masculino', F: 'Femenino', X: 'X' };

  const $ = (id) => document.getElementById(id);
  const state = { session: null, lastActivityMs: Date.now() };

  // --- formatting (machine values in, Spanish text out; never floats) ---

  function money(text) {
    const m = /^(-?)(\d+)\.(\d{2})$/.exec(text == null ? '' : String(text));
    if (!m) return text == null ? '' : String(text);
    return `$ ${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${m[3]}`;
  }
  function date(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(text || '');
    return m ? `${m[3]}/${m[2]}/${m[1]}` : (text || '');
  }
  function dateTime(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text || '');
    return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}` : date(text);
  }
  function cuil(text) {
    const m = /^(\d{2})(\d{8})(\d)$/.exec(text || '');
    return m ? `${m[1]}-${m[2]}-${m[3]}` : (text || '');
  }
  function label(table, code) {
    return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : String(code == null ? '' : code);
  }
  const statusText = (code) => label(STATUS, code);
  function reasonText(r) {
    if (!r) return '';
    return Object.prototype.hasOwnProperty.call(REASON, r.code) ? REASON[r.code] : (r.message || r.code || '');
  }
  // Today and now in Argentina (UTC-03:00), whatever the browser's zone.
  function localNow() {
    const d = new Date(Date.now() - 3 * 3600 * 1000);
    const p = (n) => String(n).padStart(2, '0');
    return {
      date: `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())}`,
      time: `${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`,
      month: `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}`
    };
  }

  // What a person types in a date field: "dd/mm/aaaa" (also d/m/aaaa,
  // dd-mm-aaaa, ddmmaaaa) -> "aaaa-mm-dd"; '' when empty; null when it is
  // no calendar date.
  function parseDate(text) {
    const t = String(text || '').trim();
    if (!t) return '';
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t) || /^(\d{2})(\d{2})(\d{4})$/.exec(t);
    if (!m) return null;
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const probe = new Date(Date.UTC(y, mo - 1, d));
    if (probe.getUTCFullYear() !== y || probe.getUTCMonth() !== mo - 1 || probe.getUTCDate() !== d) return null;
    return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
  }
  // "hh:mm" (also "hhmm", "h:mm") -> "hh:mm"; '' when empty; null when bad.
  function parseTime(text) {
    const t = String(text || '').trim();
    if (!t) return '';
    const m = /^(\d{1,2}):?(\d{2})$/.exec(t);
    if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) return null;
    return `${m[1].padStart(2, '0')}:${m[2]}`;
  }

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

  // node's children become these (null and false left out).
  function fill(node, ...children) {
    node.replaceChildren(...children.filter((c) => c !== null && c !== undefined && c !== false));
    return node;
  }

  function badge(status) {
    return el('span', { className: `badge status-${String(status).toLowerCase()}`, 'data-status': status,
      text: statusText(status) });
  }

  function reasonList(reasons, testid) {
    if (!reasons || !reasons.length) return null;
    return el('ul', { className: 'reasons', 'data-testid': testid || 'reasons' },
      reasons.map((r) => el('li', { 'data-code': r.code, text: reasonText(r) })));
  }

  // A message box (role alert or status) shown with text, hidden without.
  function show(id, text) {
    const node = $(id);
    node.textContent = text || '';
    node.hidden = !text;
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
      const anchor = input.closest('.field, fieldset') || input;
      anchor.appendChild(box);
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

  function clearErrors(root) {
    for (const box of root.querySelectorAll('.field-error')) {
      const id = box.id.replace(/-error$/, '');
      fieldError(id, '');
    }
  }

  // --- the API ---

  // Resolves (never rejects) to {ok, status, data, error, headers}; status 0:
  // no answer (network down, timeout).
  async function api(method, path, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const options = { method, headers: { Accept: 'application/json' }, signal: controller.signal,
        credentials: 'same-origin' };
      if (method !== 'GET' && state.session && state.session.csrf) options.headers['X-CSRF-Token'] = state.session.csrf;
      if (body instanceof Blob) {  // a document: its bytes as they are, with the type the browser gives
        options.headers['Content-Type'] = body.type || 'application/octet-stream';
        options.body = body;
      } else if (body !== undefined) {
        options.headers['Content-Type'] = 'application/json';
        options.body = JSON.stringify(body);
      }
      const response = await fetch(path, options);
      const text = await response.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      state.lastActivityMs = Date.now();
      const headers = response.headers;
      // Routes whose messages are written for a person, in Spanish.
      const portal = path.startsWith('/v1/portal/') || path.startsWith('/v1/documents');
      if (response.ok) return { ok: true, status: response.status, data, error: null, headers, portal };
      const error = data && data.error ? data.error : { code: `HTTP_${response.status}`, message: '' };
      // A 401 means the session ended, except where no session is needed.
      if (response.status === 401 && !/^\/v1\/portal\/(login|session|recovery)/.test(path)) Portal.onSessionLost('expired');
      return { ok: false, status: response.status, data, error, headers, portal };
    } catch (e) {
      const timedOut = e && e.name === 'AbortError';
      return { ok: false, status: 0, data: null, headers: null,
        error: { code: timedOut ? 'TIMEOUT' : 'NETWORK', message: '' } };
    } finally {
      clearTimeout(timer);
    }
  }

  // The request fields an error may name, as a person calls them.
  const FIELD = {
    credential: 'la credencial', token: 'el token', prescribed_on: 'la fecha de prescripción',
    prescriber: 'el prescriptor', 'prescriber.license': 'la matrícula', 'prescriber.kind': 'el tipo de prescriptor',
    diagnosis: 'el diagnóstico', note: 'el resumen clínico', items: 'las prácticas', order: 'el número de orden',
    performed_at: 'la fecha de realización', transaction: 'el número', reason: 'el motivo', from: 'la fecha desde',
    to: 'la fecha hasta', month: 'el mes', limit: 'la cantidad de filas', after: 'la página', q: 'la búsqueda',
    documents: 'los documentos adjuntos', part: 'qué se factura', diagnosis_text: 'el diagnóstico en palabras',
    diagnosis_type: 'el tipo de diagnóstico', message: 'la respuesta', sap: 'la solicitud de auditoría'
  };
  function fieldName(field) {
    if (!field) return '';
    if (Object.prototype.hasOwnProperty.call(FIELD, field)) return FIELD[field];
    const item = /^items\[(\d+)\]/.exec(field);
    if (item) return `la práctica ${Number(item[1]) + 1}`;
    const doc = /^documents\[(\d+)\]/.exec(field);
    return doc ? `el documento ${Number(doc[1]) + 1}` : `el dato «${field}»`;
  }

  // An error answer in Spanish. The portal's own routes (/v1/portal/*)
  // answer messages written for a person; the others, for developers, so
  // their 400s get a Spanish sentence naming the field instead.
  function errorText(answer) {
    const e = answer.error || {};
    switch (answer.status) {
      case 0: return e.code === 'TIMEOUT' ? 'El servidor no respondió a tiempo. Probá de nuevo: no se registra dos veces.'
        : 'No se pudo conectar con el servidor. Revisá la conexión y probá de nuevo.';
      case 401: return 'Tu sesión se cerró. Ingresá de nuevo.';
      case 403: return 'Tu usuario no puede hacer esta operación con este prestador.';
      case 404: return 'No se encontró lo pedido.';
      case 409: return 'Este pedido ya se había enviado con otros datos. Volvé a intentarlo.';
      case 429: return 'Demasiados pedidos seguidos. Esperá un momento y probá de nuevo.';
      case 503: return 'El servicio está ocupado. Probá de nuevo en unos segundos.';
      case 504: return 'El servidor tardó demasiado. Probá de nuevo: no se registra dos veces.';
      default: break;
    }
    if (answer.status === 400) {
      if (answer.portal && e.message) return sentence(e.message);
      return e.field ? `Revisá ${fieldName(e.field)}: el valor no es válido.` : 'El pedido no es válido.';
    }
    return 'El servidor no pudo atender el pedido. Probá de nuevo más tarde.';
  }
  function sentence(s) {
    const t = String(s || '').trim().replace(/\.$/, '');
    return t ? `${t.charAt(0).toUpperCase()}${t.slice(1)}.` : '';
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
      return answer;
    };
  }

  function providerId() { return state.session && state.session.provider ? state.session.provider.id : ''; }
  function providerKind() { return state.session && state.session.provider ? state.session.provider.kind : ''; }

  // --- screens ---

  const screens = {};   // name -> {enter(params)}
  function screen(name, handlers) { screens[name] = handlers || {}; }

  // Shows one <section data-screen=name>, hides the others, focuses its title.
  function showScreen(name, params) {
    for (const s of document.querySelectorAll('[data-screen]')) s.hidden = s.dataset.screen !== name;
    for (const a of document.querySelectorAll('#nav a[data-nav]')) {
      if (a.dataset.nav === name) a.setAttribute('aria-current', 'page');
      else a.removeAttribute('aria-current');
    }
    const section = document.querySelector(`[data-screen="${name}"]`);
    const title = section && section.querySelector('h2, h1');
    document.title = `${title ? title.textContent : 'Prestadores'} · Prestadores · autoriza`;
    const handler = screens[name];
    // enter() returns true when it put the focus somewhere itself.
    const focused = handler && handler.enter ? handler.enter(params || new URLSearchParams()) === true : false;
    if (title && !focused) {
      title.setAttribute('tabindex', '-1');
      title.focus({ preventScroll: false });
    }
    document.documentElement.dataset.current = name;
  }

  function go(name, params) {
    const query = params ? `?${new URLSearchParams(params).toString()}` : '';
    const hash = `#/${name}${query}`;
    if (location.hash === hash) showScreen(name, new URLSearchParams(query.slice(1)));
    else location.hash = hash;
  }

  return {
    STATUS, REASON, PROVIDER_KIND, SEX, $, state, money, date, dateTime, cuil, label, statusText, reasonText,
    localNow, parseDate, parseTime, el, fill, badge, reasonList, show, fieldError, clearErrors, api, errorText, sentence, fieldName, newRequestId, commandSender,
    providerId, providerKind, screens, screen, showScreen, go,
    onSessionLost: () => {}
  };
})();
