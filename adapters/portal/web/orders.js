/* orders.js: what happens to an order after it is issued — Consumo and
   consumo diferido (GET /v1/transactions/{id}, POST /v1/consume), Anular
   (POST /v1/annul) and the provider's own audit requests (GET /v1/audits,
   GET /v1/audits/{sap}: with the session they answer this provider's only). */
'use strict';
(function (P) {
  const { $, el } = P;

  // --- Consumo ---

  const c = { order: null, send: P.commandSender(), documents: null, parts: {} };

  async function findOrder(ev) {
    if (ev) ev.preventDefault();
    const form = $('c-find-form');
    P.clearErrors(form);
    P.show('c-find-error', '');
    $('c-result').replaceChildren();
    $('c-form').hidden = true;
    c.order = null;
    const id = $('c-order').value.trim();
    if (!id) {
      P.fieldError('c-order', 'Escribí el número de la orden.');
      return $('c-order').focus();
    }
    P.setBusy(form, true);
    const answer = await P.api('GET', `/v1/transactions/${encodeURIComponent(id)}`);
    P.setBusy(form, false);
    if (!answer.ok) {
      P.fieldError('c-order', answer.status === 404 ? `No hay ninguna orden ${id} de este prestador.` : P.errorText(answer));
      return $('c-order').focus();
    }
    const order = answer.data.order;
    if (!order) {
      P.fieldError('c-order', `${id} no es una orden (puede ser un consumo, una anulación o una solicitud pendiente).`);
      return $('c-order').focus();
    }
    c.order = order;
    c.send = P.commandSender();
    renderOrder(order);
    await loadParts(order);
  }

  // Which parts ("solo honorarios", "solo gastos") the order's practices
  // allow, from the nomenclator (GET /v1/practices): the choice is offered
  // only where some practice allows it; the engine decides (PART_NOT_ALLOWED).
  async function loadParts(order) {
    const codes = [...new Set(order.items.filter((i) => i.status === 'AUTHORIZED').map((i) => i.code))];
    const found = await Promise.all(codes.map(async (code) => {
      const answer = await P.api('GET', `/v1/practices?${new URLSearchParams({ q: code, provider: P.providerId(), limit: '20' })}`);
      return answer.ok ? (answer.data.items || []).find((p) => p.code === code) : null;
    }));
    const professional = found.some((p) => p && p.professional_only);
    const expenses = found.some((p) => p && p.expenses_only);
    $('c-part-all').checked = true;
    $('c-part-professional').disabled = !professional;
    $('c-part-expenses').disabled = !expenses;
    $('c-part').hidden = !professional && !expenses;
  }

  function renderOrder(order) {
    const consumable = order.items.filter((i) => i.status === 'AUTHORIZED');
    const rows = order.items.map((item) => {
      const id = `c-item-${item.index}`;
      const can = item.status === 'AUTHORIZED';
      const what = [el('span', { className: 'code', text: item.code }), ` ${item.description}`,
        item.tooth ? el('span', { className: 'muted', text: ` — pieza ${item.tooth}${item.faces ? `, caras ${item.faces}` : ''}` }) : null];
      return el('tr', { 'data-index': String(item.index), 'data-status': item.status }, [
        el('td', { 'data-label': 'Práctica' }, [can
          ? el('span', { className: 'checkbox' }, [
            el('input', { type: 'checkbox', id, value: String(item.index), checked: true, 'data-testid': 'c-item' }),
            el('label', { for: id }, what)])
          : el('span', {}, what)]),
        el('td', { 'data-label': 'Cant.', className: 'num', text: String(item.qty) }),
        el('td', { 'data-label': 'Estado' }, [P.badge(item.status),
          item.consumed_by ? el('div', { className: 'muted small', text: `Consumo ${item.consumed_by}` }) : null]),
        el('td', { 'data-label': 'Total', className: 'num', text: P.money(item.total) }),
        el('td', { 'data-label': 'Coseguro', className: 'num', text: P.money(item.copay) })
      ]);
    });
    P.fill($('c-order-view'),
      el('div', { className: 'card-head' }, [el('h2', { text: `Orden ${order.transaction}` }), P.badge(order.status)]),
      el('dl', { className: 'facts' }, [
        el('dt', { text: 'Credencial' }), el('dd', { text: order.credential, 'data-testid': 'c-credential' }),
        el('dt', { text: 'Autorizada el' }), el('dd', { text: P.dateTime(order.time) }),
        order.sap ? el('dt', { text: 'Solicitud de auditoría' }) : null, order.sap ? el('dd', { text: order.sap }) : null
      ]),
      el('div', { className: 'table-wrap' }, [el('table', { className: 'data stack', 'data-testid': 'c-items' }, [
        el('caption', { className: 'visually-hidden', text: 'Prácticas de la orden' }),
        el('thead', {}, [el('tr', {}, ['Práctica (marcá las que consumís)', 'Cant.', 'Estado', 'Total', 'Coseguro']
          .map((h, i) => el('th', { scope: 'col', className: i === 1 || i > 2 ? 'num' : '', text: h })))]),
        el('tbody', {}, rows)
      ])]),
      consumable.length ? null : el('p', { className: 'notice', text: 'Esta orden no tiene prácticas para consumir.' })
    );
    $('c-form').hidden = false;
    $('c-form').querySelector('button[type="submit"]').hidden = !consumable.length;
    $('c-deferred').closest('.field').hidden = !consumable.length;
    $('c-deferred-fields').hidden = !consumable.length || !$('c-deferred').checked;
    if (!consumable.length) $('c-token-field').hidden = true;
    if (!c.documents) {
      c.documents = P.attachments('c-attach', 'Documentos (por ejemplo, la radiografía): opcional');
      $('c-documents').append(c.documents.element);
    }
    $('c-documents').hidden = !consumable.length;
    $('c-form').querySelector('h2').setAttribute('tabindex', '-1');
    $('c-form').querySelector('h2').focus();
  }

  async function consume(ev) {
    ev.preventDefault();
    const form = $('c-form');
    P.clearErrors(form);
    P.show('c-error', '');
    const indexes = [...form.querySelectorAll('input[data-testid="c-item"]:checked')].map((i) => Number(i.value));
    if (!indexes.length) return P.show('c-error', 'Marcá al menos una práctica para consumir.');
    const body = { provider: P.providerId(), credential: c.order.credential, order: c.order.transaction, items: indexes };
    const part = document.querySelector('input[name="c-part"]:checked');
    if (!$('c-part').hidden && part && part.value !== 'ALL') body.part = part.value;
    if (c.documents.busy()) return P.show('c-error', 'Esperá a que terminen de enviarse los documentos.');
    if (c.documents.hashes().length) body.documents = c.documents.hashes();
    if (!$('c-token-field').hidden && $('c-token').value.trim()) body.token = $('c-token').value.trim();
    if ($('c-deferred').checked) {
      const day = P.parseDate($('c-performed-date').value);
      const time = P.parseTime($('c-performed-time').value);
      if (!day) {
        P.fieldError('c-performed-date', 'Escribí la fecha de realización como dd/mm/aaaa.');
        return $('c-performed-date').focus();
      }
      if (!time) {
        P.fieldError('c-performed-time', 'Escribí la hora como hh:mm, por ejemplo 09:30.');
        return $('c-performed-time').focus();
      }
      body.performed_at = `${day}T${time}:00-03:00`;
    }
    P.setBusy(form, true);
    const answer = await c.send('/v1/consume', body);
    P.setBusy(form, false);
    if (!answer.ok) {
      if (answer.error && answer.error.field === 'performed_at') return P.fieldError('c-performed-date', P.errorText(answer));
      return P.show('c-error', P.errorText(answer));
    }
    const a = answer.data;
    for (const r of a.reasons || []) {
      if (/^TOKEN_/.test(r.code)) {
        $('c-token-field').hidden = false;
        P.fieldError('c-token', P.reasonText(r));
      }
      if (/^PERFORMED_/.test(r.code)) P.fieldError($('c-deferred').checked ? 'c-performed-date' : 'c-deferred', P.reasonText(r));
      if (r.code === 'PART_NOT_ALLOWED') P.fieldError('c-part', P.reasonText(r));
    }
    c.send = P.commandSender();
    const accepted = a.status === 'ACCEPTED';
    if (accepted) c.documents.reset();
    const receipt = P.receipt({
      title: accepted ? 'Comprobante de consumo' : 'Consumo rechazado', transaction: a.transaction,
      status: a.status, order: c.order.transaction, consumption: accepted ? a.transaction : '',
      performed: accepted ? body.performed_at || '' : '',
      affiliate: { credential: c.order.credential }, reasons: a.reasons, items: a.items, totals: a.totals
    });
    const section = el('section', { className: 'panel result-panel', 'aria-labelledby': 'c-outcome-title', 'data-testid': 'c-outcome' }, [
      el('div', { className: 'card-head' }, [el('h2', { id: 'c-outcome-title', tabindex: '-1',
        text: accepted ? `Consumo ${a.transaction} registrado.` : 'El consumo no se registró.' }), P.badge(a.status)]),
      receipt
    ]);
    $('c-result').replaceChildren(section);
    section.querySelector('h2').focus();
    if (accepted) {
      const again = await P.api('GET', `/v1/transactions/${encodeURIComponent(c.order.transaction)}`);
      if (again.ok && again.data.order) {
        c.order = again.data.order;
        renderOrder(c.order);
        section.querySelector('h2').focus();
      }
    }
  }

  $('c-find-form').addEventListener('submit', findOrder);
  $('c-form').addEventListener('submit', consume);
  $('c-deferred').addEventListener('change', () => {
    const on = $('c-deferred').checked;
    $('c-deferred-fields').hidden = !on;
    if (on && !$('c-performed-date').value) $('c-performed-date').value = P.date(P.localNow().date);
    if (on) $('c-performed-date').focus();
  });
  P.screen('consumo', {
    enter(params) {
      const order = params.get('orden');
      if (order && order !== $('c-order').value.trim()) {
        $('c-order').value = order;
        findOrder();
      }
    }
  });

  // --- Anular ---

  const n = { send: P.commandSender(), pending: null };

  function askAnnul(ev) {
    ev.preventDefault();
    const form = $('n-form');
    P.clearErrors(form);
    P.show('n-error', '');
    const transaction = $('n-transaction').value.trim();
    const reason = $('n-reason').value.trim();
    if (!transaction) {
      P.fieldError('n-transaction', 'Escribí el número de la orden, el consumo o la SAP.');
      return $('n-transaction').focus();
    }
    if (!reason) {
      P.fieldError('n-reason', 'Escribí el motivo: queda registrado con la anulación.');
      return $('n-reason').focus();
    }
    n.pending = { provider: P.providerId(), transaction, reason };
    $('n-confirm-text').textContent = `¿Anular ${transaction}? La anulación no se puede deshacer.`;
    $('n-confirm').hidden = false;
    $('n-actions').hidden = true;
    $('n-confirm-yes').focus();
  }

  function cancelAnnul() {
    n.pending = null;
    $('n-confirm').hidden = true;
    $('n-actions').hidden = false;
    $('n-transaction').focus();
  }

  async function annul() {
    if (!n.pending) return;
    const body = n.pending;
    const form = $('n-form');
    P.setBusy(form, true);
    const answer = await n.send('/v1/annul', body);
    P.setBusy(form, false);
    $('n-confirm').hidden = true;
    $('n-actions').hidden = false;
    if (!answer.ok) {
      const field = answer.error && answer.error.field;
      if (field === 'transaction' || field === 'reason') return P.fieldError(`n-${field}`, P.errorText(answer));
      return P.show('n-error', P.errorText(answer));
    }
    n.pending = null;
    n.send = P.commandSender();
    const a = answer.data;
    const done = a.status === 'ANNULLED';
    if (!done) P.fieldError('n-transaction', (a.reasons || []).map(P.reasonText).join(' '));
    const section = el('section', { className: 'panel result-panel', 'aria-labelledby': 'n-outcome-title', 'data-testid': 'n-outcome' }, [
      el('div', { className: 'card-head' }, [el('h2', { id: 'n-outcome-title', tabindex: '-1',
        text: done ? `Se anuló ${body.transaction} (anulación ${a.transaction}).` : `No se pudo anular ${body.transaction}.` }),
      P.badge(a.status)]),
      P.reasonList(a.reasons, 'n-reasons')
    ]);
    $('n-result').replaceChildren(section);
    if (done) $('n-reason').value = '';
    section.querySelector('h2').focus();
  }

  $('n-form').addEventListener('submit', askAnnul);
  $('n-confirm-yes').addEventListener('click', annul);
  $('n-confirm-no').addEventListener('click', cancelAnnul);
  P.screen('anular', {
    enter(params) {
      const t = params.get('numero');
      if (t) $('n-transaction').value = t;
      $('n-result').replaceChildren();
      if (n.pending) cancelAnnul();
    }
  });

  // --- Auditoría ---

  const a = { next: null, seq: 0 };
  const VERDICT = { AUTHORIZE: 'Autorizó todo', REJECT: 'Rechazó todo', PARTIAL: 'Autorizó una parte',
    REQUEST_DOCS: 'Pidió documentación' };

  async function loadAudits(ev, append) {
    if (ev) ev.preventDefault();
    const form = $('a-filters');
    P.clearErrors(form);
    P.show('a-error', '');
    const params = new URLSearchParams();
    if ($('a-status').value) params.set('status', $('a-status').value);
    for (const [id, key] of [['a-from', 'from'], ['a-to', 'to']]) {
      const day = P.parseDate($(id).value);
      if (day === null) {
        P.fieldError(id, 'Escribí la fecha como dd/mm/aaaa.');
        return $(id).focus();
      }
      if (day) params.set(key, day);
    }
    if (append && a.next) params.set('after', a.next);
    params.set('limit', '50');
    const seq = ++a.seq;
    $('a-status-line').textContent = 'Buscando…';
    const answer = await P.api('GET', `/v1/audits?${params}`);
    if (seq !== a.seq) return;
    if (!answer.ok) {
      $('a-status-line').textContent = '';
      return P.show('a-error', P.errorText(answer));
    }
    const items = answer.data.items || [];
    a.next = answer.data.next || null;
    const body = append ? $('a-list').querySelector('tbody') : null;
    const rows = items.map(auditRow);
    if (body) body.append(...rows);
    else $('a-list').replaceChildren(auditTable(rows));
    const shown = $('a-list').querySelectorAll('tbody tr').length;
    $('a-status-line').textContent = shown ? `${shown} solicitud${shown === 1 ? '' : 'es'}${a.next ? ' (hay más)' : ''}.`
      : 'No hay solicitudes con estos filtros.';
  }

  function auditTable(rows) {
    const more = el('button', { type: 'button', className: 'secondary', text: 'Ver más', hidden: !a.next,
      onclick: () => loadAudits(null, true) });
    return el('div', {}, [el('div', { className: 'table-wrap' }, [el('table', { className: 'data stack', 'data-testid': 'a-table' }, [
      el('caption', { className: 'visually-hidden', text: 'Solicitudes de auditoría de este prestador' }),
      el('thead', {}, [el('tr', {}, ['SAP', 'Fecha', 'Afiliado', 'Diagnóstico', 'Estado'].map((h) => el('th', { scope: 'col', text: h })))]),
      el('tbody', {}, rows)
    ])]), more]);
  }

  function auditRow(s) {
    return el('tr', { 'data-sap': s.sap, 'data-testid': 'a-row' }, [
      el('td', { 'data-label': 'SAP' }, [el('button', { type: 'button', className: 'link', text: s.sap,
        'aria-label': `Ver la solicitud ${s.sap}`, 'data-testid': 'a-open', onclick: () => openAudit(s.sap) })]),
      el('td', { 'data-label': 'Fecha', text: P.dateTime(s.time) }),
      el('td', { 'data-label': 'Afiliado' }, [el('div', { text: s.affiliate || '' }),
        el('div', { className: 'muted small', text: s.credential || '' })]),
      el('td', { 'data-label': 'Diagnóstico', text: s.diagnosis || '—' }),
      el('td', { 'data-label': 'Estado' }, [P.badge(s.status)])
    ]);
  }

  async function openAudit(sap) {
    P.show('a-error', '');
    const answer = await P.api('GET', `/v1/audits/${encodeURIComponent(sap)}`);
    if (!answer.ok) return P.show('a-error', answer.status === 404 ? `No hay una solicitud ${sap} de este prestador.` : P.errorText(answer));
    const s = answer.data;
    const messages = s.messages || [];
    const rx = s.prescription || {};
    const prescriber = s.prescriber || rx.prescriber;
    const facts = [
      ['Fecha', P.dateTime(s.time)], ['Afiliado', [s.affiliate, s.credential].filter(Boolean).join(', credencial ')],
      ['Diagnóstico', P.diagnosisLine(s, null)], ['Prescripción', [P.date(s.prescribed_on || rx.prescribed_on),
        prescriber ? `${prescriber.kind} matrícula ${prescriber.license}` : ''].filter(Boolean).join(', ')],
      ['Resumen clínico', s.note], ['Orden emitida', s.order]
    ].filter(([, v]) => v);
    const section = el('section', { className: 'panel result-panel', 'aria-labelledby': 'a-detail-title', 'data-testid': 'a-detail' }, [
      el('div', { className: 'card-head' }, [el('h2', { id: 'a-detail-title', tabindex: '-1', text: `Solicitud ${s.sap}` }),
        P.badge(s.status)]),
      el('dl', { className: 'facts' }, facts.flatMap(([t, v]) => [el('dt', { text: t }), el('dd', { text: v })])),
      s.documents && s.documents.length ? el('div', {}, [el('h3', { text: 'Documentos enviados' }), P.documentLinks(s.documents)]) : null,
      P.itemsTable(s.items, null, 'a-items', 'Prácticas de la solicitud'),
      el('h3', { text: 'Mensajes' }),
      messages.length ? el('ol', { className: 'messages', 'data-testid': 'a-messages' }, messages.map(messageItem))
        : el('p', { className: 'muted', text: 'El auditor todavía no escribió.' }),
      s.status === 'DOCS_REQUESTED' ? answerForm(s) : null,
      el('div', { className: 'actions' }, [
        s.order ? el('a', { href: `#/consumo?orden=${encodeURIComponent(s.order)}`, className: 'button-link',
          text: `Consumir la orden ${s.order}` }) : null,
        s.status !== 'ANNULLED' ? el('a', { href: `#/anular?numero=${encodeURIComponent(s.sap)}`, className: 'button-link secondary',
          text: 'Anular la solicitud' }) : null
      ])
    ]);
    $('a-detail').replaceChildren(section);
    section.querySelector('h2').focus();
  }

  // A verdict of the auditor, or this provider's answer with its documents.
  function messageItem(m) {
    const who = m.provider ? el('strong', { text: 'Respuesta del prestador' })
      : el('strong', { text: P.label(VERDICT, m.verdict) });
    return el('li', { className: m.provider ? 'from-provider' : '' }, [
      el('p', { className: 'message-head' }, [el('span', { text: P.dateTime(m.time) }), ' · ', who,
        m.auditor ? ` · ${m.auditor}` : '']),
      el('p', { className: 'message-text', text: m.message || '(sin mensaje)' }),
      P.documentLinks(m.documents)
    ]);
  }

  // The auditor asked for documents: a text and files go back with the
  // request (POST /v1/audit_answer), which returns to the auditor's queue.
  function answerForm(s) {
    const send = P.commandSender();
    const files = P.attachments('a-answer-files', 'Documentos (PDF, JPEG o PNG)');
    const error = el('p', { className: 'error', role: 'alert', hidden: true });
    const form = el('form', { className: 'subform', 'data-testid': 'a-answer', novalidate: true }, [
      el('h3', { text: 'Responder al auditor' }),
      el('p', { className: 'hint', text: 'El auditor pidió documentación: escribí la respuesta y adjuntá los archivos. La solicitud vuelve a la auditoría.' }),
      el('div', { className: 'field' }, [el('label', { for: 'a-answer-text', text: 'Respuesta' }),
        el('textarea', { id: 'a-answer-text', rows: '3', maxlength: '1000' })]),
      files.element, error,
      el('div', { className: 'actions' }, [el('button', { type: 'submit', text: 'Enviar respuesta', 'data-testid': 'a-answer-send' })])
    ]);
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      error.hidden = true;
      P.fieldError('a-answer-text', '');
      const message = $('a-answer-text').value.trim();
      if (files.busy()) return P.fieldError('a-answer-files', 'Esperá a que terminen de enviarse los documentos.');
      if (!message && !files.hashes().length) {
        P.fieldError('a-answer-text', 'Escribí una respuesta o adjuntá al menos un documento.');
        return $('a-answer-text').focus();
      }
      const body = { provider: P.providerId(), sap: s.sap };
      if (message) body.message = message;
      if (files.hashes().length) body.documents = files.hashes();
      P.setBusy(form, true);
      const answer = await send('/v1/audit_answer', body);
      P.setBusy(form, false);
      if (!answer.ok || answer.data.status !== 'PENDING') {
        error.textContent = answer.ok ? `La respuesta no se registró: ${(answer.data.reasons || []).map(P.reasonText).join(' ')}`
          : P.errorText(answer);
        error.hidden = false;
        return;
      }
      await openAudit(s.sap);
      await loadAudits(null, false);
      $('a-status-line').textContent = `Respuesta enviada: la solicitud ${s.sap} volvió al auditor.`;
    });
    return form;
  }

  $('a-filters').addEventListener('submit', (ev) => loadAudits(ev, false));
  $('a-status').addEventListener('change', () => loadAudits(null, false));
  P.screen('auditoria', { enter() { $('a-detail').replaceChildren(); loadAudits(null, false); } });
})(window.Portal);
