/* app.js of the auditors' page. Vanilla JS, no build step, no third-party
   code. Everything the API returns is put in the page as text (textContent),
   never as markup. A verdict is one POST /v1/audit_verdict with a fresh
   request_id; only a retry of the very same verdict after a lost answer
   reuses its id, which is what the idempotency key is for (docs/rules.md §5). */
'use strict';
(function () {
  const QUEUE_PAGE_SIZE = 50;
  const REQUEST_TIMEOUT_MS = 15000;
  // The auditor's API key: kept for this tab only (sessionStorage), sent as
  // "Authorization: Bearer KEY" with every API call.
  const API_KEY = 'autoriza.audit.key';
  function apiKey() {
    try { return sessionStorage.getItem(API_KEY) || ''; } catch (e) { return ''; }
  }
  const REFRESH_TRIES_MAX = 8;    // reloads of a SAP after a verdict (see refreshAfterVerdict)
  const REFRESH_PAUSE_MS = 100;   // times the attempt number: at most 2.8 s in all

  const SAP_STATUS = {
    PENDING: 'Pendiente', DOCS_REQUESTED: 'Documentación pedida', AUTHORIZED: 'Autorizada',
    PARTIALLY_AUTHORIZED: 'Autorizada parcialmente', REJECTED: 'Rechazada', EMITTED: 'Emitida',
    ANNULLED: 'Anulada', REFUSED: 'No aplicado'
  };
  const ITEM_STATUS = {
    NEEDS_AUDIT: 'Pendiente', AUTHORIZED: 'Autorizada', REJECTED: 'Rechazada',
    CONSUMED: 'Consumida', ANNULLED: 'Anulada'
  };
  const VERDICT = {
    AUTHORIZE: 'Autorizó todo', REJECT: 'Rechazó todo', PARTIAL: 'Autorizó una selección',
    REQUEST_DOCS: 'Pidió documentación'
  };
  const PRESCRIBER_KIND = { MD: 'Médico', OD: 'Odontólogo' };

  const state = {
    next: null,          // cursor of the next queue page, null at the end
    queueSeq: 0,         // drops answers of superseded queue loads
    sap: null,           // the SAP open in the detail pane
    detail: null,        // its last GET /v1/audits/{sap} answer
    detailSeq: 0,
    busy: false,         // a verdict is on its way
    lastAttempt: null    // {key, requestId, answered} of the last verdict sent
  };

  const $ = (id) => document.getElementById(id);
  const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

  // --- formatting (dates and amounts arrive as strings; never floats) ---

  function formatTime(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})/.exec(text || '');
    return m ? `${m[3]}/${m[2]}/${m[1]} ${m[4]}:${m[5]}` : (text || '');
  }

  function formatDate(text) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text || '');
    return m ? `${m[3]}/${m[2]}/${m[1]}` : (text || '');
  }

  function formatMoney(text) {
    const m = /^(-?)(\d+)\.(\d{2})$/.exec(text || '');
    if (!m) return text || '';
    return `$ ${m[1]}${m[2].replace(/\B(?=(\d{3})+(?!\d))/g, '.')},${m[3]}`;
  }

  function label(table, code) {
    return Object.prototype.hasOwnProperty.call(table, code) ? table[code] : String(code || '');
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
    for (const child of children || []) if (child) node.appendChild(child);
    return node;
  }

  function setText(id, text, fallback) {
    const node = $(id);
    node.textContent = text ? text : (fallback || '—');
    node.classList.toggle('muted', !text);
  }

  function showBox(id, text) {
    const node = $(id);
    node.textContent = text || '';
    node.hidden = !text;
  }

  function badge(status, table) {
    return el('span', { className: `badge status-${String(status).toLowerCase()}`, text: label(table, status) });
  }

  // --- the API ---

  // Resolves (never rejects) to {ok, status, data, error}; status 0 means no
  // answer arrived (network down, timeout).
  async function api(method, path, body) {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const options = { method, headers: { Accept: 'application/json' }, signal: controller.signal };
      const key = apiKey();
      if (key) options.headers.Authorization = 'Bearer ' + key;
      if (body !== undefined) {
        options.headers['Content-Type'] = 'application/json';
        options.body = JSON.stringify(body);
      }
      const response = await fetch(path, options);
      const text = await response.text();
      let data = null;
      try { data = text ? JSON.parse(text) : null; } catch (e) { data = null; }
      if (response.ok && data !== null) return { ok: true, status: response.status, data, error: null };
      const error = data && data.error ? data.error
        : { code: `HTTP_${response.status}`, message: response.ok ? 'respuesta ilegible del servidor' : response.statusText };
      return { ok: false, status: response.status, data, error };
    } catch (e) {
      const timedOut = e && e.name === 'AbortError';
      return {
        ok: false, status: 0, data: null,
        error: { code: timedOut ? 'TIMEOUT' : 'NETWORK',
                 message: timedOut ? 'el servidor no respondió a tiempo' : 'no se pudo conectar con el servidor' }
      };
    } finally {
      clearTimeout(timer);
    }
  }

  function describeError(answer) {
    const e = answer.error || {};
    const where = e.field ? `; campo ${e.field}` : '';
    const http = answer.status ? `HTTP ${answer.status}, ` : '';
    return `${e.message || 'error desconocido'} (${http}${e.code || 'ERROR'}${where})`;
  }

  function newRequestId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    window.crypto.getRandomValues(bytes);
    return Date.now().toString(36) + '-' + Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  }

  // --- the queue ---

  function queueQuery(after) {
    const params = new URLSearchParams();
    const status = $('filter-status').value;
    const provider = $('filter-provider').value.trim();
    if (status) params.set('status', status);
    if (provider) params.set('provider', provider);
    if ($('filter-from').value) params.set('from', $('filter-from').value);
    if ($('filter-to').value) params.set('to', $('filter-to').value);
    if (after) params.set('after', after);
    params.set('limit', String(QUEUE_PAGE_SIZE));
    return `/v1/audits?${params.toString()}`;
  }

  function queueRow(entry) {
    const open = () => openSap(entry.sap);
    const button = el('button', {
      type: 'button', className: 'link', text: entry.sap, 'data-testid': 'open-sap', 'data-sap': entry.sap,
      'aria-label': `Abrir ${entry.sap}`, onclick: (ev) => { ev.stopPropagation(); open(); }
    });
    const row = el('tr', { 'data-testid': 'queue-row', 'data-sap': entry.sap, onclick: open }, [
      el('td', {}, [button, el('div', { className: 'muted small', text: formatTime(entry.time) }),
                    badge(entry.status, SAP_STATUS)]),
      el('td', { text: entry.provider || '' }),
      el('td', {}, [el('div', { text: entry.affiliate || '' }), el('div', { className: 'muted small', text: entry.credential || '' })]),
      el('td', { text: entry.diagnosis || '' }),
      el('td', { className: 'num', text: entry.pending === undefined ? '' : String(entry.pending) })
    ]);
    if (entry.sap === state.sap) row.classList.add('selected');
    return row;
  }

  async function loadQueue(append) {
    const seq = ++state.queueSeq;
    const pane = $('queue-pane');
    pane.setAttribute('aria-busy', 'true');
    showBox('queue-error', '');
    $('queue-status').textContent = 'Cargando la cola…';
    const answer = await api('GET', queueQuery(append ? state.next : null));
    if (seq !== state.queueSeq) return;  // a newer load superseded this one
    pane.setAttribute('aria-busy', 'false');
    if (!answer.ok) {
      $('queue-status').textContent = '';
      showBox('queue-error', `No se pudo leer la cola: ${describeError(answer)}`);
      return;
    }
    const body = $('queue-body');
    if (!append) body.replaceChildren();
    for (const entry of answer.data.items || []) body.appendChild(queueRow(entry));
    state.next = answer.data.next || null;
    $('queue-more').hidden = !state.next;
    const shown = body.rows.length;
    $('queue-status').textContent = shown === 0 ? 'No hay solicitudes con estos filtros.'
      : `${shown} solicitud${shown === 1 ? '' : 'es'}${state.next ? ' (hay más)' : ''}.`;
  }

  function markSelectedRow() {
    for (const row of $('queue-body').rows) row.classList.toggle('selected', row.dataset.sap === state.sap);
  }

  // --- the detail pane ---

  function sapIsOpen(detail) {
    return detail && (detail.status === 'PENDING' || detail.status === 'DOCS_REQUESTED');
  }

  function decisionControl(item) {
    const name = `decision-${item.index}`;
    const option = (value, text) => {
      const id = `${name}-${value.toLowerCase()}`;
      return el('span', { className: `choice choice-${value.toLowerCase()}` }, [
        el('input', { type: 'radio', id, name, value, 'data-testid': id }),
        el('label', { for: id, text })
      ]);
    };
    return el('fieldset', { className: 'decision', 'data-index': String(item.index) }, [
      el('legend', { className: 'visually-hidden', text: `Decisión para la práctica ${item.index} (${item.code})` }),
      option('AUTHORIZE', 'Autorizar'),
      option('REJECT', 'Rechazar')
    ]);
  }

  // Tooth and faces of a dental item (FDI), null otherwise.
  function dentalDetail(item) {
    const parts = [];
    if (item.tooth !== undefined && item.tooth !== null) parts.push(`pieza ${item.tooth}`);
    if (item.faces) parts.push(`caras ${item.faces}`);
    return parts.length ? el('div', { className: 'muted small', text: parts.join(', ') }) : null;
  }

  function itemRow(item, open) {
    // Authorized at the request (no auditor needed): the API flags it; an
    // answer without the flag is read from the status of an open SAP.
    const preauthorized = item.pre_authorized === undefined ? open && item.status === 'AUTHORIZED'
      : item.pre_authorized === true;
    const statusCell = el('td', {}, [
      preauthorized && item.status === 'AUTHORIZED'
        ? el('span', { className: 'badge status-preauthorized', 'data-testid': 'preauthorized', text: 'Preautorizada' })
        : badge(item.status, ITEM_STATUS)
    ]);
    if (preauthorized) {
      statusCell.appendChild(el('div', { className: 'muted small',
        text: item.status === 'AUTHORIZED' ? 'No requiere auditoría.' : 'Preautorizada en la solicitud.' }));
    }
    const reasons = item.reasons || [];
    if (reasons.length) {
      statusCell.appendChild(el('ul', { className: 'reasons' },
        reasons.map((r) => el('li', {}, [el('code', { text: r.code }), document.createTextNode(` ${r.message || ''}`)]))));
    }
    let decision;
    if (open && item.status === 'NEEDS_AUDIT') decision = decisionControl(item);
    else decision = el('span', { className: 'muted', text: '—' });
    return el('tr', { 'data-testid': 'item-row', 'data-index': String(item.index), 'data-status': item.status,
                      className: preauthorized ? 'preauthorized' : '' }, [
      el('td', { className: 'num', text: String(item.index) }),
      el('td', {}, [el('code', { className: 'muted', text: item.code }), el('div', { text: item.description || '' }),
                    dentalDetail(item)]),
      el('td', { className: 'num', text: String(item.qty === undefined ? '' : item.qty) }),
      el('td', { className: 'num' }, [el('div', { text: formatMoney(item.total) }),
                                      el('div', { className: 'muted small', text: formatMoney(item.copay) })]),
      statusCell,
      el('td', {}, [decision])
    ]);
  }

  // Opens a document the provider attached (GET /v1/documents/{hash}): the
  // key travels in a header, so the page fetches the bytes and shows them
  // from a local object URL in a new tab.
  async function openDocument(ev, hash) {
    ev.preventDefault();
    const link = ev.currentTarget;
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), REQUEST_TIMEOUT_MS);
    try {
      const headers = {};
      if (apiKey()) headers.Authorization = 'Bearer ' + apiKey();
      const response = await fetch(`/v1/documents/${hash}`, { headers, signal: controller.signal });
      if (!response.ok) throw new Error(response.status === 404 ? 'el documento no existe' : `error ${response.status}`);
      const url = URL.createObjectURL(await response.blob());
      window.open(url, '_blank', 'noopener');
      setTimeout(() => URL.revokeObjectURL(url), 60000);
      link.removeAttribute('aria-invalid');
    } catch (e) {
      link.setAttribute('aria-invalid', 'true');
      showBox('detail-error', `No se pudo abrir el documento: ${e.name === 'AbortError' ? 'el servidor no respondió a tiempo' : e.message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  // The documents a provider attached, as links that open them.
  function documentLinks(hashes, testid) {
    return el('ul', { className: 'documents', 'data-testid': testid }, (hashes || []).map((h, i) => el('li', {}, [
      el('a', { href: `/v1/documents/${h}`, text: `Documento ${i + 1}`, title: `SHA-256 ${h}`,
        onclick: (ev) => openDocument(ev, h) })])));
  }

  // A verdict, or the provider's answer to a request for documents.
  function messageEntry(m) {
    const answer = Boolean(m.provider);
    return el('li', { 'data-testid': answer ? 'provider-answer' : 'message', className: answer ? 'from-provider' : '' }, [
      el('div', { className: 'message-head' }, [
        el('span', { className: 'message-time', text: formatTime(m.time) }),
        el('span', { className: 'message-auditor', text: answer ? `Prestador ${m.provider}` : m.auditor || '' }),
        el('span', { className: 'message-verdict', text: answer ? 'Respondió con documentación' : label(VERDICT, m.verdict) })
      ]),
      el('p', { className: 'message-text', text: m.message || '(sin mensaje)' }),
      answer && (m.documents || []).length ? documentLinks(m.documents, 'answer-documents') : null
    ]);
  }

  function diagnosisText(d) {
    const type = { PRESUMPTIVE: 'presuntivo', DEFINITIVE: 'definitivo' }[d.diagnosis_type];
    return [d.diagnosis, d.diagnosis_text].filter(Boolean).join(' · ') + (type ? ` (${type})` : '');
  }

  function renderDetail(d) {
    state.detail = d;
    const open = sapIsOpen(d);
    $('detail-sap').textContent = d.sap;
    const status = $('detail-status');
    status.className = `badge status-${String(d.status).toLowerCase()}`;
    status.textContent = label(SAP_STATUS, d.status);
    status.dataset.status = d.status;
    setText('detail-provider', d.provider_name ? `${d.provider} — ${d.provider_name}` : d.provider);
    setText('detail-affiliate', d.affiliate);
    setText('detail-credential', d.credential);
    setText('detail-time', formatTime(d.time));
    setText('detail-order', d.order, 'Sin orden');
    setText('detail-diagnosis', diagnosisText(d));
    $('detail-documents').replaceChildren(...((d.documents || []).length ? [documentLinks(d.documents, 'request-documents')]
      : [document.createTextNode('Sin documentos')]));
    // The prescription's fields at the top level or under "prescription".
    const rx = d.prescription || {};
    setText('detail-prescribed-on', formatDate(d.prescribed_on || rx.prescribed_on), 'Sin fecha');
    const p = d.prescriber || rx.prescriber;
    setText('detail-prescriber', p ? `${label(PRESCRIBER_KIND, p.kind)}, matrícula ${p.license}` : '', 'Sin prescriptor');
    setText('detail-note', d.note, 'Sin nota');
    const annulment = d.annulment;
    $('detail-annulment-label').hidden = !annulment;
    $('detail-annulment').hidden = !annulment;
    if (annulment) {
      setText('detail-annulment', `${formatTime(annulment.time)}, ${annulment.provider || ''}: ${annulment.reason || ''}` +
        (annulment.transaction ? ` (${annulment.transaction})` : ''));
    }
    $('items-body').replaceChildren(...(d.items || []).map((item) => itemRow(item, open)));
    const messages = d.messages || [];
    $('messages').replaceChildren(...messages.map(messageEntry));
    $('messages-empty').hidden = messages.length > 0;
    $('verdict-closed').hidden = open;
    setVerdictEnabled(open && !state.busy);
  }

  function setVerdictEnabled(enabled) {
    for (const button of document.querySelectorAll('#verdict-form button')) button.disabled = !enabled;
    $('verdict-message').disabled = !enabled;
  }

  async function loadDetail() {
    const sap = state.sap;
    if (!sap) return;
    const seq = ++state.detailSeq;
    const pane = $('detail-pane');
    pane.setAttribute('aria-busy', 'true');
    showBox('detail-error', '');
    const answer = await api('GET', `/v1/audits/${encodeURIComponent(sap)}`);
    if (seq !== state.detailSeq) return;
    pane.setAttribute('aria-busy', 'false');
    if (!answer.ok) {
      showBox('detail-error', `No se pudo leer ${sap}: ${describeError(answer)}`);
      setVerdictEnabled(false);
      return;
    }
    renderDetail(answer.data);
  }

  function openSap(sap) {
    if (state.busy) return;
    state.sap = sap;
    state.detail = null;
    $('detail-pane').hidden = false;
    $('detail-placeholder').hidden = true;
    $('detail-sap').textContent = sap;
    $('detail-status').textContent = '';
    $('items-body').replaceChildren();
    $('messages').replaceChildren();
    $('verdict-message').value = '';
    showBox('verdict-error', '');
    showBox('verdict-result', '');
    setVerdictEnabled(false);
    markSelectedRow();
    history.replaceState(null, '', `#${encodeURIComponent(sap)}`);
    loadDetail();
  }

  function closeDetail() {
    if (state.busy) return;
    state.sap = null;
    state.detail = null;
    $('detail-pane').hidden = true;
    $('detail-placeholder').hidden = false;
    markSelectedRow();
    history.replaceState(null, '', location.pathname + location.search);
  }

  // --- verdicts ---

  // The decision chosen for every pending item; missing lists the pending
  // items left without one.
  function chosenDecisions() {
    const items = [];
    const missing = [];
    for (const item of (state.detail && state.detail.items) || []) {
      if (item.status !== 'NEEDS_AUDIT') continue;
      const checked = document.querySelector(`input[name="decision-${item.index}"]:checked`);
      if (checked) items.push({ index: item.index, decision: checked.value });
      else missing.push(`#${item.index} (${item.code})`);
    }
    return { items, missing };
  }

  // No auditor in the body: the server records the auditor of the key
  // (docs/rules.md §9), so nobody decides in another's name.
  function verdictBody(verdict) {
    const message = $('verdict-message').value.trim();
    const body = { sap: state.sap, verdict };
    if (message) body.message = message;
    if (verdict === 'REQUEST_DOCS' && !message) {
      $('verdict-message').focus();
      return { error: 'Escriba qué documentación necesita: el mensaje se le muestra al prestador.' };
    }
    if (verdict === 'PARTIAL') {
      const { items, missing } = chosenDecisions();
      if (missing.length) {
        return { error: `Falta decidir la práctica ${missing.join(', ')}: elija Autorizar o Rechazar en cada práctica pendiente.` };
      }
      body.items = items;
    }
    return { body };
  }

  async function submitVerdict(verdict) {
    if (state.busy || !state.sap) return;
    showBox('verdict-error', '');
    showBox('verdict-result', '');
    const { body, error } = verdictBody(verdict);
    if (error) {
      showBox('verdict-error', error);
      return;
    }
    // A fresh key per verdict; the same key only to retry a verdict whose
    // answer was lost, so the server applies it at most once.
    const messagesBefore = ((state.detail && state.detail.messages) || []).length;
    const key = JSON.stringify(body);
    const last = state.lastAttempt;
    const requestId = last && last.key === key && !last.answered ? last.requestId : newRequestId();
    state.lastAttempt = { key, requestId, answered: false };
    state.busy = true;
    setVerdictEnabled(false);
    $('detail-pane').setAttribute('aria-busy', 'true');
    showBox('verdict-result', 'Enviando el veredicto…');
    const answer = await api('POST', '/v1/audit_verdict', Object.assign({ request_id: requestId }, body));
    state.busy = false;
    $('detail-pane').setAttribute('aria-busy', 'false');
    showBox('verdict-result', '');
    if (answer.status === 0) {
      showBox('verdict-error', `No hubo respuesta del servidor (${describeError(answer)}). El veredicto pudo no ` +
        'registrarse: vuelva a pulsar el mismo botón; se reenvía con la misma clave y no se aplica dos veces.');
      setVerdictEnabled(sapIsOpen(state.detail));
      return;
    }
    state.lastAttempt.answered = true;
    if (!answer.ok) {
      showBox('verdict-error', `El servidor rechazó el veredicto: ${describeError(answer)}`);
      setVerdictEnabled(sapIsOpen(state.detail));
      return;
    }
    const result = answer.data;
    if (result.status === 'REFUSED') {
      const reasons = (result.reasons || []).map((r) => `${r.code}: ${r.message}`).join('; ');
      showBox('verdict-error', `El veredicto no se aplicó (${reasons || 'sin motivo informado'}).`);
      await refreshAfterVerdict((d) => !sapIsOpen(d));
    } else {
      const order = result.order ? ` Orden emitida: ${result.order}.` : '';
      showBox('verdict-result', `Veredicto registrado (transacción ${result.transaction}): ${result.sap} quedó ` +
        `${label(SAP_STATUS, result.status).toLowerCase()}.${order}`);
      $('verdict-message').value = '';
      await refreshAfterVerdict((d) => d.status === result.status && (d.messages || []).length > messagesBefore);
    }
  }

  // Reloads the open SAP until done(detail) holds, then the queue. The query
  // API follows the event log a moment behind the command's answer, so the
  // first read may not show the verdict yet. At most REFRESH_TRIES_MAX loads.
  async function refreshAfterVerdict(done) {
    const sap = state.sap;
    for (let attempt = 1; attempt <= REFRESH_TRIES_MAX; ++attempt) {
      await loadDetail();
      if (state.sap !== sap || (state.detail && done(state.detail))) break;
      await sleep(REFRESH_PAUSE_MS * attempt);
    }
    await loadQueue(false);
  }

  // --- start ---

  function rememberKey() {
    const input = $('api-key');
    input.value = apiKey();
    input.addEventListener('change', () => {
      try { sessionStorage.setItem(API_KEY, input.value.trim()); } catch (e) { /* storage disabled */ }
      loadQueue(false);
    });
  }

  function start() {
    rememberKey();
    $('filters').addEventListener('submit', (ev) => { ev.preventDefault(); loadQueue(false); });
    $('filter-status').addEventListener('change', () => loadQueue(false));
    $('queue-refresh').addEventListener('click', () => loadQueue(false));
    $('queue-more').addEventListener('click', () => loadQueue(true));
    $('detail-close').addEventListener('click', closeDetail);
    for (const button of document.querySelectorAll('#verdict-form button[data-verdict]')) {
      button.addEventListener('click', () => submitVerdict(button.dataset.verdict));
    }
    $('verdict-form').addEventListener('submit', (ev) => ev.preventDefault());
    loadQueue(false);
    // #SAP-0-12 in the address opens that SAP (links between auditors).
    const openLinked = () => {
      let linked = '';
      try { linked = decodeURIComponent(location.hash.slice(1)); } catch (e) { linked = ''; }
      if (linked && linked !== state.sap) openSap(linked);
    };
    window.addEventListener('hashchange', openLinked);
    openLinked();
    document.documentElement.dataset.ready = 'true';
  }

  start();
})();
