/* reports.js: "Registros" (GET /v1/providers/{id}/register: filters,
   ordering, pages by cursor, exports) and "Facturación" (GET
   /v1/providers/{id}/billing/{YYYY-MM}, its PDF and CSV, "Cerrar mes"), and
   the reprint of a comprobante from a register row. */
'use strict';
(function (P) {
  const { $, el } = P;
  const EXPORT_ROWS_MAX = '1000';

  // --- Registros ---

  const r = { cursors: [], next: null, filters: null, seq: 0 };

  // The filters of the form as query parameters, or null (with the field's
  // error) when a date is not one.
  function registerFilters() {
    const form = $('r-filters');
    P.clearErrors(form);
    const params = new URLSearchParams();
    for (const [id, key] of [['r-from', 'from'], ['r-to', 'to']]) {
      const day = P.parseDate($(id).value);
      if (day === null) {
        P.fieldError(id, 'Escribí la fecha como dd/mm/aaaa.');
        $(id).focus();
        return null;
      }
      if (day) params.set(key, day);
    }
    params.set('annulled', $('r-annulled').value);
    if ($('r-transaction').value.trim()) params.set('transaction', $('r-transaction').value.trim());
    if ($('r-credential').value.trim()) params.set('credential', $('r-credential').value.trim());
    const [orderBy, order] = $('r-order').value.split(':');
    params.set('order_by', orderBy);
    params.set('order', order);
    return params;
  }

  const registerPath = () => `/v1/providers/${encodeURIComponent(P.providerId())}/register`;

  function renderExports(filters) {
    const link = (format, text, download) => {
      const params = new URLSearchParams(filters);
      params.set('format', format);
      params.set('limit', EXPORT_ROWS_MAX);
      return el('a', { href: `${registerPath()}?${params}`, className: 'button-link secondary',
        'data-testid': `r-export-${format}`, target: download ? null : '_blank', rel: download ? null : 'noopener',
        download: download ? `registro-${P.providerId()}.${format}` : null, text });
    };
    $('r-exports').replaceChildren(el('span', { className: 'muted', text: 'Exportar (hasta 1.000 filas): ' }),
      link('pdf', 'PDF'), link('html', 'Para imprimir'), link('csv', 'CSV', true), link('txt', 'Texto', true));
  }

  async function loadRegister(cursor) {
    const filters = r.filters;
    const params = new URLSearchParams(filters);
    params.set('limit', $('r-limit').value);
    if (cursor) params.set('after', cursor);
    const seq = ++r.seq;
    P.show('r-error', '');
    $('r-status-line').textContent = 'Buscando…';
    const answer = await P.api('GET', `${registerPath()}?${params}`);
    if (seq !== r.seq) return;
    if (!answer.ok) {
      $('r-status-line').textContent = '';
      const field = answer.error && answer.error.field;
      if (field === 'from' || field === 'to') return P.fieldError(`r-${field}`, P.errorText(answer));
      return P.show('r-error', answer.error && answer.error.field === 'order_by'
        ? 'Hay demasiadas filas para ordenar por importe: acotá las fechas u ordená por fecha.' : P.errorText(answer));
    }
    const rows = answer.data.items || [];
    r.next = answer.data.next || null;
    $('r-table').replaceChildren(rows.length ? registerTable(rows)
      : el('p', { className: 'muted', text: 'No hay registros con estos filtros.' }));
    const page = r.cursors.length + 1;
    $('r-status-line').textContent = `Página ${page}: ${rows.length} fila${rows.length === 1 ? '' : 's'}` +
      (r.next ? ' (hay más).' : '.');
    $('r-next').hidden = !r.next;
    $('r-prev').hidden = r.cursors.length === 0;
    $('r-first').hidden = r.cursors.length < 2;
  }

  function registerTable(rows) {
    return el('div', { className: 'table-wrap' }, [el('table', { className: 'data stack', 'data-testid': 'r-table' }, [
      el('caption', { className: 'visually-hidden', text: 'Registro de transacciones, una fila por práctica' }),
      el('thead', {}, [el('tr', {}, ['Fecha', 'Transacción', 'Afiliado', 'Práctica', 'Cant.', 'Estado', 'Total', 'Coseguro', 'Comprobante']
        .map((h, i) => el('th', { scope: 'col', className: i === 4 || i === 6 || i === 7 ? 'num' : '', text: h })))]),
      el('tbody', {}, rows.map(registerRow))
    ])]);
  }

  function registerRow(row) {
    const dental = [row.tooth ? `pieza ${row.tooth}` : '', row.faces ? `caras ${row.faces}` : ''].filter(Boolean).join(', ');
    const notes = [];
    if (row.sap) notes.push(`SAP ${row.sap}`);
    if (row.consumption) notes.push(`consumo ${row.consumption}${row.performed_at ? ` (${P.dateTime(row.performed_at)})` : ''}`);
    if (row.annulment) {
      notes.push(`anulación ${row.annulment}${row.annulled_at ? ` (${P.dateTime(row.annulled_at)})` : ''}` +
        `${row.annul_reason ? `: ${row.annul_reason}` : ''}`);
    }
    return el('tr', { 'data-testid': 'r-row', 'data-transaction': row.transaction, 'data-status': row.status }, [
      el('td', { 'data-label': 'Fecha', text: P.dateTime(row.time) }),
      el('td', { 'data-label': 'Transacción' }, [el('span', { text: row.transaction }),
        notes.length ? el('div', { className: 'muted small', text: notes.join('; ') }) : null]),
      el('td', { 'data-label': 'Afiliado' }, [el('div', { text: row.affiliate || '' }),
        el('div', { className: 'muted small', text: row.credential || '' })]),
      el('td', { 'data-label': 'Práctica' }, [el('span', { className: 'code', text: row.code }), ` ${row.description || ''}`,
        dental ? el('div', { className: 'muted small', text: dental }) : null]),
      el('td', { 'data-label': 'Cant.', className: 'num', text: String(row.qty) }),
      el('td', { 'data-label': 'Estado' }, [P.badge(row.status), P.reasonList(row.reasons, 'r-reasons')]),
      el('td', { 'data-label': 'Total', className: 'num', text: P.money(row.total) }),
      el('td', { 'data-label': 'Coseguro', className: 'num', text: P.money(row.copay) }),
      el('td', { 'data-label': 'Comprobante' }, [el('a', { href: `#/comprobante?t=${encodeURIComponent(row.transaction)}`,
        className: 'inline-link', 'data-testid': 'r-reprint',
        onclick: () => { P.state.receiptHint = { name: row.affiliate, credential: row.credential }; } },
      ['Ver', el('span', { className: 'visually-hidden', text: ` el comprobante de ${row.transaction}` })])])
    ]);
  }

  function searchRegister(ev) {
    if (ev) ev.preventDefault();
    const filters = registerFilters();
    if (!filters) return;
    r.filters = filters;
    r.cursors = [];
    r.currentCursor = null;
    renderExports(filters);
    loadRegister(null);
  }

  $('r-filters').addEventListener('submit', searchRegister);
  $('r-next').addEventListener('click', () => {
    r.cursors.push(r.currentCursor || null);
    r.currentCursor = r.next;
    loadRegister(r.next);
  });
  $('r-prev').addEventListener('click', () => {
    r.currentCursor = r.cursors.pop() || null;
    loadRegister(r.currentCursor);
  });
  $('r-first').addEventListener('click', () => {
    r.cursors = [];
    r.currentCursor = null;
    loadRegister(null);
  });
  P.screen('registros', {
    enter() {
      if (!$('r-from').value) $('r-from').value = P.date(`${P.localNow().month}-01`);
      searchRegister();
    }
  });

  // --- Comprobante (reprint) ---

  P.screen('comprobante', {
    async enter(params) {
      const t = params.get('t') || '';
      P.show('v-error', '');
      $('v-receipt').replaceChildren();
      if (!t) return P.show('v-error', 'Falta el número de transacción.');
      const answer = await P.api('GET', `/v1/transactions/${encodeURIComponent(t)}`);
      if (!answer.ok) return P.show('v-error', answer.status === 404 ? `No hay una transacción ${t} de este prestador.` : P.errorText(answer));
      const hint = P.state.receiptHint && P.state.receiptHint.credential === (answer.data.command || {}).credential
        ? P.state.receiptHint : null;
      $('v-receipt').replaceChildren(P.receipt(P.receiptOfTransaction(answer.data, hint)));
    }
  });

  // --- Facturación ---

  const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre',
    'noviembre', 'diciembre'];
  const b = { month: '', sendClose: null };

  function chosenMonth() {
    P.clearErrors($('b-form'));
    const year = $('b-year').value.trim();
    if (!/^\d{4}$/.test(year)) {
      P.fieldError('b-year', 'Escribí el año con cuatro cifras, por ejemplo 2026.');
      $('b-year').focus();
      return null;
    }
    return `${year}-${$('b-month').value}`;
  }

  const billingPath = (month) => `/v1/providers/${encodeURIComponent(P.providerId())}/billing/${month}`;
  const monthName = (month) => `${MONTHS[Number(month.slice(5, 7)) - 1]} de ${month.slice(0, 4)}`;

  async function showBilling(ev) {
    if (ev) ev.preventDefault();
    const month = chosenMonth();
    if (!month) return null;
    b.month = month;
    P.show('b-error', '');
    const answer = await P.api('GET', billingPath(month));
    if (!answer.ok) {
      P.show('b-error', P.errorText(answer));
      return null;
    }
    renderBilling(answer.data);
    return answer.data;
  }

  function billingRows(items) {
    return items.map((i) => el('tr', { 'data-testid': 'b-row' }, [
      el('td', { 'data-label': 'Realizada', text: P.dateTime(i.performed_at) }),
      el('td', { 'data-label': 'Orden / consumo' }, [el('div', { text: i.order }), el('div', { className: 'muted small', text: i.consumption })]),
      el('td', { 'data-label': 'Afiliado' }, [el('div', { text: i.affiliate || '' }), el('div', { className: 'muted small', text: i.credential })]),
      el('td', { 'data-label': 'Práctica' }, [el('span', { className: 'code', text: i.code }), ` ${i.description}`,
        i.tooth ? el('div', { className: 'muted small', text: `pieza ${i.tooth}${i.faces ? `, caras ${i.faces}` : ''}` }) : null]),
      el('td', { 'data-label': 'Cant.', className: 'num', text: String(i.qty) }),
      el('td', { 'data-label': 'Honorarios', className: 'num', text: P.money(i.professional) }),
      el('td', { 'data-label': 'Gastos', className: 'num', text: P.money(i.expenses) }),
      el('td', { 'data-label': 'Total', className: 'num', text: P.money(i.total) }),
      el('td', { 'data-label': 'Coseguro', className: 'num', text: P.money(i.copay) })
    ]));
  }

  function billingTable(items, totals, caption, testid) {
    const head = ['Realizada', 'Orden / consumo', 'Afiliado', 'Práctica', 'Cant.', 'Honorarios', 'Gastos', 'Total', 'Coseguro'];
    const foot = totals ? el('tfoot', {}, [el('tr', { 'data-testid': 'b-totals' }, [
      el('td', { 'data-label': '', colspan: '5' }, [el('strong', { text: `Total del mes (${totals.items} práctica${totals.items === 1 ? '' : 's'})` }),
        el('div', { className: 'muted small', text: `A cargo de la obra social: ${P.money(totals.covered)}` })]),
      el('td', { 'data-label': 'Honorarios', className: 'num', text: P.money(totals.professional) }),
      el('td', { 'data-label': 'Gastos', className: 'num', text: P.money(totals.expenses) }),
      el('td', { 'data-label': 'Total', className: 'num' }, [el('strong', { 'data-testid': 'b-total', text: P.money(totals.total) })]),
      el('td', { 'data-label': 'Coseguro', className: 'num', text: P.money(totals.copay) })
    ])]) : null;
    return el('div', { className: 'table-wrap' }, [el('table', { className: 'data stack', 'data-testid': testid }, [
      el('caption', { className: 'visually-hidden', text: caption }),
      el('thead', {}, [el('tr', {}, head.map((h, i) => el('th', { scope: 'col', className: i >= 4 ? 'num' : '', text: h })))]),
      el('tbody', {}, billingRows(items)), foot
    ])]);
  }

  function renderBilling(data) {
    const month = data.month;
    const items = data.items || [];
    const late = data.late_items || [];
    const closedText = data.closed ? `Mes cerrado${data.closed_at ? ` el ${P.dateTime(data.closed_at)}` : ''}.`
      : 'Mes abierto: puede recibir consumos hasta que lo cierres.';
    const link = (format, text, download) => el('a', { href: `${billingPath(month)}?format=${format}`, className: 'button-link secondary',
      'data-testid': `b-export-${format}`, target: download ? null : '_blank', rel: download ? null : 'noopener',
      download: download ? `facturacion-${P.providerId()}-${month}.${format}` : null, text });
    const closeBox = el('div', { id: 'b-close-box', className: 'confirm', hidden: true }, [
      el('p', { text: `¿Cerrar ${monthName(month)}? Después no se pueden anular sus consumos y los consumos tardíos se listan aparte.` }),
      el('div', { className: 'actions' }, [
        el('button', { type: 'button', className: 'danger', text: 'Sí, cerrar el mes', 'data-testid': 'b-close-yes', onclick: closeMonth }),
        el('button', { type: 'button', className: 'secondary', text: 'No, volver',
          onclick: () => { closeBox.hidden = true; $('b-close').focus(); } })
      ])
    ]);
    $('b-view').replaceChildren(el('section', { className: 'panel', 'aria-labelledby': 'b-view-title', 'data-testid': 'b-view' }, [
      el('div', { className: 'card-head' }, [el('h2', { id: 'b-view-title', tabindex: '-1',
        text: `Facturación de ${monthName(month)}` }),
      el('span', { className: `badge ${data.closed ? 'status-closed' : 'status-open'}`, 'data-testid': 'b-state',
        text: data.closed ? 'Cerrado' : 'Abierto' })]),
      el('p', { text: closedText }),
      el('div', { className: 'exports' }, [el('span', { className: 'muted', text: 'Exportar: ' }), link('pdf', 'PDF'), link('csv', 'CSV', true)]),
      items.length ? billingTable(items, data.totals, `Prácticas consumidas en ${monthName(month)}`, 'b-table')
        : el('p', { className: 'muted', text: 'No hay consumos facturables en este mes.' }),
      data.truncated ? el('p', { className: 'notice', text: 'La lista está recortada: los totales cuentan todas las prácticas; el PDF y el CSV las listan completas.' }) : null,
      late.length ? el('h3', { text: 'Consumos tardíos (después del cierre; no suman en este mes)' }) : null,
      late.length ? billingTable(late, null, 'Consumos tardíos', 'b-late') : null,
      data.closed ? null : el('div', { className: 'actions' }, [el('button', { type: 'button', id: 'b-close', className: 'danger',
        text: 'Cerrar mes', 'data-testid': 'b-close', onclick: () => { closeBox.hidden = false; closeBox.querySelector('button').focus(); } })]),
      closeBox,
      el('p', { id: 'b-close-error', className: 'error', role: 'alert', 'data-testid': 'b-close-error', hidden: true })
    ]));
    b.sendClose = null;
  }

  async function closeMonth() {
    const month = b.month;
    P.show('b-close-error', '');
    const answer = await P.api('POST', `${billingPath(month)}/close`, {});
    $('b-close-box').hidden = true;
    if (!answer.ok) {
      const text = answer.status === 400 && answer.error && answer.error.field === 'month'
        ? `Todavía no se puede cerrar ${monthName(month)}: solo se cierra un mes que ya terminó.` : P.errorText(answer);
      P.show('b-close-error', text);
      return $('b-close').focus();
    }
    // The billing view follows the events a moment behind the close: read
    // it again until it shows the month closed (at most 8 reads, 3.6 s).
    for (let attempt = 1; attempt <= 8; ++attempt) {
      const data = await showBilling();
      if (!data || data.closed) break;
      await new Promise((resolve) => setTimeout(resolve, 100 * attempt));
    }
    if ($('b-view-title')) $('b-view-title').focus();
  }

  $('b-form').addEventListener('submit', showBilling);
  P.screen('facturacion', {
    enter() {
      if (!$('b-year').value) {
        const now = P.localNow().month;
        $('b-year').value = now.slice(0, 4);
        $('b-month').value = now.slice(5, 7);
      }
      showBilling();
    }
  });
})(window.Portal);
