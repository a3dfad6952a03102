/* history.js: Mis prestaciones. GET /v1/affiliates/{credential}/history
   (newest first; a titular's includes the family group, ?family=no only its
   own), paged by the answer's cursor ("Ver más"). Entries are grouped by
   day, each with its kind, status, provider, practices, copay and what
   happened to the token, in Spanish. */
'use strict';
(function (A) {
  const { $, el } = A;

  const KIND = {
    authorization: 'Orden', audit_request: 'Solicitud de auditoría', audit_verdict: 'Resolución de auditoría',
    consumption: 'Consumo', annulment: 'Anulación', token_use: 'Uso de token', token_issue: 'Token', card: 'Credencial'
  };
  const STATUS = {
    AUTHORIZED: 'Autorizada', PARTIALLY_AUTHORIZED: 'Autorizada en parte', REJECTED: 'Rechazada',
    NEEDS_AUDIT: 'Requiere auditoría', AUDIT_PENDING: 'En auditoría', ACCEPTED: 'Aceptada', CONSUMED: 'Realizada',
    ANNULLED: 'Anulada', REFUSED: 'No aplicada', PENDING: 'Pendiente', DOCS_REQUESTED: 'Pide documentación',
    EMITTED: 'Emitida', ISSUED: 'Emitido', ELIGIBLE: 'Habilitado', NOT_ELIGIBLE: 'No habilitado'
  };
  const VERDICT = { AUTHORIZE: 'Autorizada', REJECT: 'Rechazada', PARTIAL: 'Autorizada en parte',
    REQUEST_DOCS: 'Pide documentación' };
  const TOKEN = { USED: 'usado', FAILED: 'no aceptado', THROTTLED: 'no aceptado (demasiados intentos)' };
  const TOKEN_KIND = { DYNAMIC: 'token de la app', PREPRINTED: 'token impreso' };
  const label = (table, code) => (Object.prototype.hasOwnProperty.call(table, code) ? table[code] : String(code || ''));

  let next = null;
  let lastDay = '';

  function title(e) {
    if (e.kind === 'token_issue') {
      return e.token_kind === 'PREPRINTED' ? `Tokens impresos (${e.count}) para ${monthText(e.month)}` : 'Token generado en la app';
    }
    return label(KIND, e.kind);
  }

  function monthText(month) {
    const m = /^(\d{4})-(\d{2})$/.exec(month || '');
    return m ? `${A.MONTHS[Number(m[2]) - 1]} de ${m[1]}` : (month || '');
  }

  function statusOf(e) {
    if (e.kind === 'audit_verdict' && e.verdict) return label(VERDICT, e.verdict);
    return label(STATUS, e.status);
  }

  function practices(e) {
    if (!Array.isArray(e.items) || !e.items.length) return null;
    return el('ul', { className: 'practices' }, e.items.map((i) => el('li', {}, [
      `${i.description || i.code}${i.qty > 1 ? ` × ${i.qty}` : ''}`,
      i.status && i.status !== e.status ? el('span', { className: 'muted', text: ` — ${label(STATUS, i.status)}` }) : null
    ])));
  }

  function details(e) {
    const parts = [];
    if (e.provider) parts.push(`Prestador ${e.provider}`);
    if (e.order) parts.push(`orden ${e.order}`);
    if (e.sap) parts.push(`auditoría ${e.sap}`);
    if (e.kind === 'annulment' && e.target) parts.push(`anula ${e.target}`);
    return parts.join(' · ');
  }

  function entry(e, family) {
    const token = e.token && e.token.outcome ? `Con ${label(TOKEN_KIND, e.token.kind)}: ${label(TOKEN, e.token.outcome)}` : '';
    const copay = e.totals && e.totals.copay && e.totals.copay !== '0.00' ? `Coseguro ${A.money(e.totals.copay)}` : '';
    return el('li', { className: `entry kind-${e.kind}`, 'data-testid': 'history-entry', 'data-kind': e.kind,
      'data-transaction': e.transaction }, [
      el('div', { className: 'entry-head' }, [
        el('span', { className: 'entry-time', text: A.time(e.time) }),
        el('span', { className: 'entry-kind', text: title(e) }),
        el('span', { className: `badge status-${String(e.status || '').toLowerCase()}`, text: statusOf(e) })
      ]),
      family && e.affiliate ? el('p', { className: 'entry-who', text: e.affiliate }) : null,
      details(e) ? el('p', { className: 'muted small', text: details(e) }) : null,
      practices(e),
      e.kind === 'annulment' && e.reason ? el('p', { className: 'small', text: `Motivo: ${e.reason}` }) : null,
      token ? el('p', { className: 'entry-token', 'data-testid': 'history-token', text: token }) : null,
      copay ? el('p', { className: 'small', text: copay }) : null
    ]);
  }

  // Appends a page of entries, a heading per day (dd/mm/aaaa).
  function append(items, family) {
    const list = $('history-list');
    for (const e of items) {
      const day = A.date(e.time);
      if (day !== lastDay) {
        lastDay = day;
        list.appendChild(el('h2', { className: 'day', text: day }));
        list.appendChild(el('ul', { className: 'entries' }));
      }
      list.lastElementChild.appendChild(entry(e, family));
    }
  }

  function path(after) {
    const chosen = $('history-member').value;
    const credential = chosen || A.own();
    const query = new URLSearchParams({ limit: '30' });
    if (chosen && chosen !== A.own()) query.set('family', 'no');
    if (chosen === A.own() && A.isTitular()) query.set('family', 'no');
    if (after) query.set('after', after);
    return `/v1/affiliates/${encodeURIComponent(credential)}/history?${query}`;
  }

  async function load(after) {
    const answer = await A.api('GET', path(after));
    if (!answer.ok) {
      if (answer.status !== 401) A.show('history-error', A.errorText(answer));
      return;
    }
    A.show('history-error', '');
    if (!after) {
      $('history-list').replaceChildren();
      lastDay = '';
    }
    const items = (answer.data && answer.data.items) || [];
    const family = A.isTitular() && !$('history-member').value && A.state.cards.length > 1;
    append(items, family);
    next = answer.data && answer.data.next;
    $('history-more').hidden = !next;
    $('history-empty').hidden = Boolean(after) || items.length > 0;
  }

  A.screen('prestaciones', {
    async enter() {
      await A.loadCards();
      $('history-member-field').hidden = !A.memberOptions($('history-member'), A.isTitular());
      load('');
    }
  });
  $('history-member').addEventListener('change', () => load(''));
  $('history-more').addEventListener('click', () => load(next));
})(window.App);
