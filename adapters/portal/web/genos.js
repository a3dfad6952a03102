/* genos.js: "Autorizaciones", the GENOS flow of a laboratory (or a
   physician): Credencial -> Validar (POST /v1/eligibility) -> prescription
   and practices -> Validar (POST /v1/authorize, mode validate: nothing is
   recorded) -> Autorizar (mode authorize) or Solicitar auditoría (mode
   audit, with a CIE-10 diagnosis and a clinical summary) -> the comprobante. */
'use strict';
(function (P) {
  const { $, el } = P;
  const g = {
    eligible: null,     // {credential, token, affiliate} of the last ELIGIBLE answer
    items: [],          // [{code, description, qty, max_qty}]
    validated: null,    // {body, answer} of the last validate, while the form is unchanged
    sendOrder: P.commandSender()
  };
  let practices = null;
  let prescriber = null;
  let diagnosis = null;

  const elig = P.eligibilityForm('g', (answer, context) => {
    clearResult();
    if (answer.status === 'ELIGIBLE') {
      g.eligible = Object.assign({ affiliate: answer.affiliate }, context);
      $('g-order-form').hidden = false;
      if (!$('g-prescribed-on').value) $('g-prescribed-on').value = P.date(P.localNow().date);
    } else {
      g.eligible = null;
      $('g-order-form').hidden = true;
    }
  }, () => {
    g.eligible = null;
    $('g-order-form').hidden = true;
    clearResult();
  });

  // --- practices: search, quantity within max_qty, remove ---

  function addPractice(p) {
    P.fieldError('g-practice-q', '');
    if (g.items.some((i) => i.code === p.code)) {
      P.fieldError('g-practice-q', `La práctica ${p.code} ya está en la lista: cambiá la cantidad con + y −.`);
      return;
    }
    g.items.push({ code: p.code, description: p.description, qty: 1, max_qty: Number(p.max_qty) || 1 });
    renderItems();
    changed();
  }

  function renderItems() {
    const box = $('g-items');
    if (!g.items.length) {
      box.replaceChildren(el('p', { className: 'muted', text: 'Todavía no agregaste prácticas.' }));
      return;
    }
    box.replaceChildren(el('div', { className: 'table-wrap' }, [el('table', { className: 'data stack', 'data-testid': 'g-items' }, [
      el('caption', { className: 'visually-hidden', text: 'Prácticas a autorizar' }),
      el('thead', {}, [el('tr', {}, [
        el('th', { scope: 'col', text: 'Práctica' }), el('th', { scope: 'col', text: 'Cantidad' }),
        el('th', { scope: 'col', text: 'Acción' })])]),
      el('tbody', {}, g.items.map((item, i) => el('tr', { 'data-code': item.code }, [
        el('td', { 'data-label': 'Práctica' }, [el('span', { className: 'code', text: item.code }), ` ${item.description}`]),
        el('td', { 'data-label': 'Cantidad' }, [quantity(item, i)]),
        el('td', { 'data-label': 'Acción' }, [el('button', { type: 'button', className: 'link', text: 'Quitar',
          'aria-label': `Quitar ${item.description}`, 'data-testid': 'g-remove',
          onclick: () => { g.items.splice(i, 1); renderItems(); changed(); $('g-practice-q').focus(); } })])
      ])))
    ])]));
  }

  // − n + : the quantity never leaves 1..max_qty of the nomenclator.
  function quantity(item, i) {
    const id = `g-qty-${i}`;
    const out = el('output', { id, className: 'qty', 'aria-live': 'polite', 'data-testid': 'g-qty',
      text: String(item.qty) });
    const step = (delta) => () => {
      item.qty = Math.min(item.max_qty, Math.max(1, item.qty + delta));
      renderItems();
      changed();
      const again = document.querySelector(`#g-items tr[data-code="${CSS.escape(item.code)}"] button[data-step="${delta}"]`);
      if (again && !again.disabled) again.focus();
      else if (again) again.parentElement.querySelector('button:not(:disabled)')?.focus();
    };
    return el('span', { className: 'stepper' }, [
      el('button', { type: 'button', className: 'step', text: '−', 'data-step': '-1', disabled: item.qty <= 1,
        'aria-label': `Restar uno a ${item.description}`, 'aria-controls': id, onclick: step(-1) }),
      out,
      el('button', { type: 'button', className: 'step', text: '+', 'data-step': '1', disabled: item.qty >= item.max_qty,
        'aria-label': `Sumar uno a ${item.description}`, 'aria-controls': id, 'data-testid': 'g-plus', onclick: step(1) }),
      el('span', { className: 'muted small', text: ` máx. ${item.max_qty}` })
    ]);
  }

  // --- the request ---

  // The body of the authorize request from the form, or null (and the
  // field errors) when the form is incomplete.
  function orderBody() {
    const form = $('g-order-form');
    P.clearErrors(form);
    P.show('g-order-error', '');
    const prescribedOn = P.parseDate($('g-prescribed-on').value);
    if (prescribedOn === null) {
      P.fieldError('g-prescribed-on', 'Escribí la fecha como dd/mm/aaaa, por ejemplo 05/11/2026.');
      $('g-prescribed-on').focus();
      return null;
    }
    if (!g.items.length) {
      P.fieldError('g-practice-q', 'Agregá al menos una práctica.');
      $('g-practice-q').focus();
      return null;
    }
    const body = { provider: P.providerId(), credential: g.eligible.credential };
    if (g.eligible.token) body.token = g.eligible.token;
    if (prescribedOn) body.prescribed_on = prescribedOn;
    const license = $('g-prescriber-license').value.trim();
    if (license) body.prescriber = { kind: $('g-prescriber-kind').value, license };
    body.items = g.items.map((i) => ({ code: i.code, qty: i.qty }));
    return body;
  }

  // Request-level reasons next to the field they concern.
  function reasonsToFields(reasons) {
    const where = {
      PRESCRIPTION_REQUIRED: $('g-prescriber-license').value.trim() ? 'g-prescribed-on' : 'g-prescriber-license',
      PRESCRIBER_NOT_FOUND: 'g-prescriber-license', PRESCRIPTION_IN_FUTURE: 'g-prescribed-on',
      PRESCRIPTION_EXPIRED: 'g-prescribed-on', DIAGNOSIS_REQUIRED: 'g-diagnosis-q'
    };
    for (const r of reasons || []) if (where[r.code] && $(where[r.code])) P.fieldError(where[r.code], P.reasonText(r));
    elig.tokenReasons(reasons);
  }

  function clearResult() {
    g.validated = null;
    $('g-result').replaceChildren();
  }

  // Any edit after a validation voids it: Autorizar needs a fresh Validar.
  function changed() {
    if (!g.validated) return;
    clearResult();
    P.show('g-order-error', '');
    $('g-result').append(el('p', { className: 'notice', role: 'status',
      text: 'Cambiaste la prescripción o las prácticas: pulsá Validar de nuevo.' }));
  }

  async function validate(ev) {
    ev.preventDefault();
    const body = orderBody();
    if (!body) return;
    const form = $('g-order-form');
    P.setBusy(form, true);
    // validate records nothing and uses no token; its request_id is fresh.
    const answer = await P.api('POST', '/v1/authorize', Object.assign({ request_id: P.newRequestId(), mode: 'validate' }, body));
    P.setBusy(form, false);
    clearResult();
    if (!answer.ok) return P.show('g-order-error', P.errorText(answer));
    reasonsToFields(answer.data.reasons);
    g.validated = { body, answer: answer.data };
    renderValidation(answer.data);
  }

  function renderValidation(a) {
    const items = a.items || [];
    const requestRefused = (a.reasons || []).length > 0;
    const canAuthorize = !requestRefused && items.some((i) => i.status === 'AUTHORIZED');
    const canAudit = !requestRefused && items.some((i) => i.status !== 'AUTHORIZED');
    const audit = auditForm();
    const section = el('section', { className: 'panel result-panel', 'aria-labelledby': 'g-validation-title',
      'data-testid': 'g-validation' }, [
      el('div', { className: 'card-head' }, [el('h2', { id: 'g-validation-title', tabindex: '-1', text: 'Resultado de la validación' }),
        P.badge(a.status)]),
      P.reasonList(a.reasons, 'g-reasons'),
      requestRefused ? el('p', { className: 'muted', text: 'Corregí lo indicado y pulsá Validar de nuevo.' }) : null,
      !requestRefused && !canAuthorize && items.some((i) => i.status === 'NEEDS_AUDIT')
        ? el('p', { className: 'notice', text: 'Ninguna práctica queda autorizada sin auditoría: podés solicitar auditoría.' }) : null,
      items.length && !requestRefused ? P.itemsTable(items, a.totals, 'g-validation-items') : null,
      el('div', { className: 'actions' }, [
        canAuthorize ? el('button', { type: 'button', className: 'ok', text: 'Autorizar', 'data-testid': 'g-authorize',
          onclick: () => submit('authorize') }) : null,
        canAudit ? el('button', { type: 'button', text: 'Solicitar auditoría', 'data-testid': 'g-audit-open',
          'aria-expanded': 'false', 'aria-controls': 'g-audit-form',
          onclick: (ev) => { audit.hidden = false; ev.target.setAttribute('aria-expanded', 'true'); $('g-diagnosis-q').focus(); } }) : null
      ]),
      audit
    ]);
    $('g-result').replaceChildren(section);
    section.querySelector('h2').focus();
  }

  // The audit request: a CIE-10 diagnosis and/or a clinical summary.
  function auditForm() {
    const box = el('div', { id: 'g-audit-form', className: 'subform', hidden: true }, [
      el('h3', { text: 'Solicitud de auditoría' }),
      el('p', { className: 'hint', text: 'El auditor decide las prácticas que requieren auditoría; las autorizadas quedan preautorizadas.' })
    ]);
    const diagBox = el('div');
    box.append(diagBox);
    diagnosis = P.diagnosisPicker(diagBox, 'g-diagnosis-q', true);
    g.documents = P.attachments('g-attach', 'Documentos para el auditor (orden médica, estudios): opcional');
    box.append(el('div', { className: 'field' }, [
      el('label', { for: 'g-note', text: 'Resumen clínico' }),
      el('textarea', { id: 'g-note', rows: '3', maxlength: '1000' })
    ]), g.documents.element, el('div', { className: 'actions' }, [
      el('button', { type: 'button', text: 'Enviar solicitud de auditoría', 'data-testid': 'g-audit-send',
        onclick: () => submit('audit') })
    ]));
    return box;
  }

  async function submit(mode) {
    const v = g.validated;
    if (!v) return;
    const body = Object.assign({}, v.body, { mode });
    if (mode === 'authorize' && $('g-consume-now').checked) body.consume_now = true;
    if (mode === 'audit') {
      P.fieldError('g-diagnosis-q', '');
      const dx = diagnosis.fields();
      const note = $('g-note').value.trim();
      if (!dx.diagnosis && !dx.diagnosis_text) {
        P.fieldError('g-diagnosis-q', 'Elegí un diagnóstico CIE-10 o escribí el diagnóstico en palabras.');
        return $('g-diagnosis-q').focus();
      }
      if (g.documents.busy()) {
        P.fieldError('g-attach', 'Esperá a que terminen de enviarse los documentos.');
        return $('g-attach').focus();
      }
      Object.assign(body, dx);
      if (note) body.note = note;
      if (g.documents.hashes().length) body.documents = g.documents.hashes();
    }
    const section = $('g-result').firstElementChild;
    P.setBusy(section, true);
    const answer = await g.sendOrder('/v1/authorize', body);
    P.setBusy(section, false);
    if (!answer.ok) {
      const box = el('p', { className: 'error', role: 'alert', text: P.errorText(answer) });
      section.append(box);
      return;
    }
    reasonsToFields(answer.data.reasons);
    if (mode === 'audit' && (answer.data.reasons || []).some((r) => r.code === 'DIAGNOSIS_REQUIRED')) {
      return $('g-diagnosis-q').focus();
    }
    renderOutcome(body, answer.data);
  }

  function prescriptionText(body) {
    const parts = [];
    if (body.prescribed_on) parts.push(`del ${P.date(body.prescribed_on)}`);
    if (body.prescriber) {
      const name = $('g-prescriber-name').textContent.replace(/^Prescriptor: /, '');
      parts.push(`${body.prescriber.kind} matrícula ${body.prescriber.license}${name ? ` (${name})` : ''}`);
    }
    return parts.join(', ');
  }

  function diagnosisText(body) {
    return P.diagnosisLine(body, diagnosis && diagnosis.get());
  }

  function renderOutcome(body, a) {
    const headline = a.sap ? `Solicitud de auditoría ${a.sap} enviada: queda pendiente del auditor.`
      : a.order ? `Orden ${a.order} emitida.` : 'No se emitió ninguna orden.';
    const aff = g.eligible.affiliate || {};
    const receipt = P.receipt({
      title: a.sap ? 'Comprobante de solicitud de auditoría' : 'Comprobante de autorización',
      transaction: a.transaction, status: a.status, order: a.order, sap: a.sap,
      affiliate: { name: aff.name, credential: body.credential, plan: aff.plan },
      prescription: prescriptionText(body), diagnosis: diagnosisText(body), note: body.note,
      reasons: a.reasons, items: a.items, totals: a.totals
    });
    const section = el('section', { className: 'panel result-panel', 'aria-labelledby': 'g-outcome-title',
      'data-testid': 'g-outcome' }, [
      el('div', { className: 'card-head' }, [el('h2', { id: 'g-outcome-title', tabindex: '-1', text: headline }),
        P.badge(a.status)]),
      receipt,
      el('div', { className: 'actions' }, [
        a.order && a.status !== 'REJECTED' && !body.consume_now ? el('a', { href: `#/consumo?orden=${encodeURIComponent(a.order)}`,
          className: 'button-link secondary', text: 'Consumir esta orden' }) : null,
        el('button', { type: 'button', className: 'secondary', text: 'Nueva autorización', onclick: reset })
      ])
    ]);
    g.validated = null;
    // Done: the order's form closes; "Nueva autorización" starts another.
    $('g-order-form').hidden = a.status !== 'REJECTED' || Boolean(a.sap);
    $('g-result').replaceChildren(section);
    section.querySelector('h2').focus();
  }

  function reset() {
    g.items = [];
    g.eligible = null;
    g.validated = null;
    g.sendOrder = P.commandSender();
    elig.reset();
    $('g-order-form').hidden = true;
    $('g-prescribed-on').value = '';
    $('g-prescriber-license').value = '';
    $('g-prescriber-kind').value = 'MD';
    $('g-consume-now').checked = false;
    prescriber.clear();
    practices.clear();
    P.clearErrors($('g-order-form'));
    P.show('g-order-error', '');
    renderItems();
    $('g-result').replaceChildren();
    $('g-credential').focus();
  }

  function setup() {
    const box = $('g-practices');
    practices = P.practiceSearch(box, 'g-practice-q', addPractice);
    box.append(el('div', { id: 'g-items' }));
    renderItems();
    prescriber = P.prescriberLookup($('g-prescriber-kind'), $('g-prescriber-license'), $('g-prescriber-name'));
    $('g-order-form').addEventListener('submit', validate);
    $('g-order-form').addEventListener('input', (ev) => { if (ev.target.id !== 'g-practice-q') changed(); });
    $('g-order-form').addEventListener('change', (ev) => { if (ev.target.id !== 'g-practice-q') changed(); });
    $('g-reset').addEventListener('click', reset);
  }

  setup();
  P.screen('autorizaciones', { enter() {} });
})(window.Portal);
