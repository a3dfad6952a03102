/* dental.js: "Presupuesto odontológico", the InSSSeP flow: credential (and
   token when the plan asks for one) -> CIE-10 diagnosis, presumptive or
   definitive -> practices on teeth and faces ("Cargar práctica" refuses on
   the spot what lacks a tooth or a face the practice requires: form
   completeness; the engine still decides) -> clinical summary -> Enviar
   (POST /v1/authorize) -> ACEPTADO, or the items that need audit and the
   audit request from the same screen (mode audit). */
'use strict';
(function (P) {
  const { $, el } = P;
  const d = {
    eligible: null,    // {credential, token, affiliate}
    practice: null,    // the practice chosen in the search, not yet loaded
    items: [],         // [{code, description, tooth?, faces?}]
    sendBudget: P.commandSender(),
    sendAudit: P.commandSender()
  };
  let diagnosis = null;
  let practices = null;
  let teeth = null;
  let faces = null;

  const elig = P.eligibilityForm('d', (answer, context) => {
    $('d-result').replaceChildren();
    d.eligible = answer.status === 'ELIGIBLE' ? Object.assign({ affiliate: answer.affiliate }, context) : null;
    $('d-budget-form').hidden = !d.eligible;
  }, () => {
    d.eligible = null;
    $('d-budget-form').hidden = true;
    $('d-result').replaceChildren();
  });

  // --- the practice being loaded ---

  function choosePractice(p) {
    d.practice = p;
    const flags = [];
    if (p.requires_tooth) flags.push('requiere pieza');
    if (p.requires_faces) flags.push('requiere caras');
    if (p.requires_audit) flags.push('requiere auditoría');
    P.fill($('d-chosen'), el('span', { text: 'Práctica elegida: ' }), el('strong', { text: p.code }),
      ` ${p.description}`, flags.length ? el('span', { className: 'muted', text: ` (${flags.join(', ')})` }) : null);
    P.fieldError('d-practice-q', '');
  }

  function loadPractice() {
    P.fieldError('d-practice-q', '');
    P.fieldError('d-teeth', '');
    P.fieldError('d-faces', '');
    const p = d.practice;
    if (!p) {
      P.fieldError('d-practice-q', 'Buscá y elegí una práctica antes de cargarla.');
      return $('d-practice-q').focus();
    }
    const chosenTeeth = teeth.get();
    const chosenFaces = faces.get();
    let bad = null;
    if (p.requires_tooth && !chosenTeeth.length) {
      P.fieldError('d-teeth', `La práctica ${p.code} requiere al menos una pieza: marcala en el odontograma.`);
      bad = bad || 'd-teeth';
    }
    if (p.requires_faces && !chosenFaces) {
      P.fieldError('d-faces', `La práctica ${p.code} requiere caras: marcá al menos una.`);
      bad = bad || 'd-faces';
    }
    if (bad) return $(bad).focus();
    const base = { code: p.code, description: p.description };
    if (chosenFaces) base.faces = chosenFaces;
    if (chosenTeeth.length) for (const tooth of chosenTeeth) d.items.push(Object.assign({ tooth }, base));
    else d.items.push(base);
    d.practice = null;
    $('d-chosen').replaceChildren();
    teeth.clear();
    faces.clear();
    renderItems();
    P.show('d-load-status', `Cargada: ${p.code} ${p.description}` +
      (chosenTeeth.length ? ` en ${chosenTeeth.length === 1 ? 'la pieza' : 'las piezas'} ${chosenTeeth.join(', ')}.` : '.'));
    $('d-practice-q').focus();
  }

  function renderItems() {
    const box = $('d-items');
    if (!d.items.length) {
      box.replaceChildren(el('p', { className: 'muted', text: 'Todavía no cargaste prácticas.' }));
      return;
    }
    box.replaceChildren(el('div', { className: 'table-wrap' }, [el('table', { className: 'data stack', 'data-testid': 'd-items' }, [
      el('caption', { className: 'visually-hidden', text: 'Prácticas del presupuesto' }),
      el('thead', {}, [el('tr', {}, ['Práctica', 'Pieza', 'Caras', 'Acción'].map((h) => el('th', { scope: 'col', text: h })))]),
      el('tbody', {}, d.items.map((item, i) => el('tr', { 'data-testid': 'd-item' }, [
        el('td', { 'data-label': 'Práctica' }, [el('span', { className: 'code', text: item.code }), ` ${item.description}`]),
        el('td', { 'data-label': 'Pieza', text: item.tooth ? String(item.tooth) : '—' }),
        el('td', { 'data-label': 'Caras', text: item.faces || '—' }),
        el('td', { 'data-label': 'Acción' }, [el('button', { type: 'button', className: 'link', text: 'Quitar',
          'aria-label': `Quitar ${item.code}${item.tooth ? ` pieza ${item.tooth}` : ''}`,
          onclick: () => { d.items.splice(i, 1); renderItems(); $('d-practice-q').focus(); } })])
      ])))
    ])]));
  }

  // --- sending the budget ---

  function type() {
    const checked = document.querySelector('input[name="d-diagnosis-type"]:checked');
    return checked ? checked.value : 'PRESUMPTIVE';
  }

  function budgetBody() {
    P.clearErrors($('d-budget-form'));
    P.show('d-budget-error', '');
    if (!d.items.length) {
      P.fieldError('d-practice-q', 'Cargá al menos una práctica con «Cargar práctica».');
      $('d-practice-q').focus();
      return null;
    }
    const body = { provider: P.providerId(), credential: d.eligible.credential };
    if (d.eligible.token) body.token = d.eligible.token;
    Object.assign(body, diagnosis.fields());
    body.diagnosis_type = type();
    const note = $('d-note').value.trim();
    if (note) body.note = note;
    body.items = d.items.map((i) => {
      const item = { code: i.code };
      if (i.tooth) item.tooth = i.tooth;
      if (i.faces) item.faces = i.faces;
      return item;
    });
    return body;
  }

  function reasonsToFields(reasons) {
    for (const r of reasons || []) {
      if (r.code === 'DIAGNOSIS_REQUIRED') P.fieldError('d-diagnosis-q', P.reasonText(r));
    }
    elig.tokenReasons(reasons);
  }

  async function send(ev) {
    ev.preventDefault();
    const body = budgetBody();
    if (!body) return;
    const form = $('d-budget-form');
    P.setBusy(form, true);
    const answer = await d.sendBudget('/v1/authorize', Object.assign({ mode: 'authorize' }, body));
    P.setBusy(form, false);
    if (!answer.ok) return P.show('d-budget-error', P.errorText(answer));
    reasonsToFields(answer.data.reasons);
    if ((answer.data.reasons || []).length) {
      // Refused as a whole (no record of an order): fix and send again.
      $('d-result').replaceChildren(outcomePanel('Presupuesto no aceptado', answer.data, body, null));
      return focusResult();
    }
    d.sendBudget = P.commandSender();   // sent: the next Enviar is another budget
    const a = answer.data;
    const title = a.status === 'AUTHORIZED' ? `Presupuesto ACEPTADO: orden ${a.order}`
      : a.status === 'PARTIALLY_AUTHORIZED' ? `Presupuesto aceptado en parte: orden ${a.order}`
        : 'Presupuesto no aceptado';
    $('d-result').replaceChildren(outcomePanel(title, a, body, auditPanel(a, body)));
    focusResult();
  }

  function focusResult() {
    const h = $('d-result').querySelector('h2');
    if (h) h.focus();
  }

  function receiptOf(a, body, title) {
    const aff = d.eligible ? d.eligible.affiliate || {} : {};
    return P.receipt({
      title, transaction: a.transaction, status: a.status, order: a.order, sap: a.sap,
      affiliate: { name: aff.name, credential: body.credential, plan: aff.plan },
      diagnosis: P.diagnosisLine(body, diagnosis.get()),
      note: body.note, reasons: a.reasons, items: a.items, totals: a.totals
    });
  }

  function outcomePanel(title, a, body, audit) {
    const panel = el('section', { className: 'panel result-panel', 'aria-labelledby': 'd-outcome-title',
      'data-testid': 'd-outcome' }, [
      el('div', { className: 'card-head' }, [el('h2', { id: 'd-outcome-title', tabindex: '-1', text: title, 'data-testid': 'd-outcome-title' }),
        a.status === 'AUTHORIZED' ? el('span', { className: 'badge status-accepted', text: 'Aceptado' }) : P.badge(a.status)]),
      receiptOf(a, body, a.order ? 'Comprobante del presupuesto' : 'Resultado del presupuesto'),
      audit,
      el('div', { className: 'actions' }, [
        el('button', { type: 'button', className: 'secondary', text: 'Nuevo presupuesto', onclick: reset })])
    ]);
    return panel;
  }

  // The items the engine did not authorize, to send to the auditor: those
  // that need audit come checked; the others may be added (the engine says
  // which of their reasons an auditor may override).
  function auditPanel(a, body) {
    const pending = (a.items || []).filter((i) => i.status !== 'AUTHORIZED');
    if (!pending.length) return null;
    const boxes = pending.map((item) => {
      const id = `d-audit-item-${item.index}`;
      return el('div', { className: 'checkbox' }, [
        el('input', { type: 'checkbox', id, value: String(item.index), checked: item.status === 'NEEDS_AUDIT' }),
        el('label', { for: id }, [el('span', { className: 'code', text: item.code }), ` ${item.description}`,
          item.tooth ? ` — pieza ${item.tooth}` : '', ' ', P.badge(item.status)])
      ]);
    });
    const error = el('p', { className: 'error', role: 'alert', hidden: true });
    d.documents = P.attachments('d-attach', 'Documentos para el auditor (radiografías, estudios): opcional');
    const panel = el('div', { className: 'subform', 'data-testid': 'd-audit' }, [
      el('h3', { text: 'Solicitar auditoría' }),
      el('p', { text: 'Las prácticas que requieren auditoría van al auditor con este diagnóstico y este resumen clínico.' }),
      el('fieldset', { id: 'd-audit-items' }, [el('legend', { text: 'Prácticas para auditar' }), ...boxes]),
      el('div', { className: 'field' }, [el('label', { for: 'd-audit-note', text: 'Resumen clínico para el auditor' }),
        el('textarea', { id: 'd-audit-note', rows: '3', maxlength: '1000' })]),
      d.documents.element,
      error,
      el('div', { className: 'actions' }, [el('button', { type: 'button', text: 'Solicitar auditoría',
        'data-testid': 'd-audit-send', onclick: () => sendAudit(body, panel, error) })])
    ]);
    panel.querySelector('textarea').value = $('d-note').value.trim();
    return panel;
  }

  async function sendAudit(budget, panel, error) {
    error.hidden = true;
    P.fieldError('d-audit-items', '');
    const indexes = [...panel.querySelectorAll('#d-audit-items input:checked')].map((i) => Number(i.value));
    if (!indexes.length) {
      P.fieldError('d-audit-items', 'Marcá al menos una práctica para auditar.');
      return $('d-audit-items').focus();
    }
    if (d.documents.busy()) {
      error.textContent = 'Esperá a que terminen de enviarse los documentos.';
      error.hidden = false;
      return;
    }
    const body = Object.assign({}, budget, { mode: 'audit', items: indexes.map((i) => budget.items[i]) });
    const note = $('d-audit-note').value.trim();
    if (note) body.note = note;
    else delete body.note;
    if (d.documents.hashes().length) body.documents = d.documents.hashes();
    P.setBusy(panel, true);
    const answer = await d.sendAudit('/v1/authorize', body);
    P.setBusy(panel, false);
    if (!answer.ok) {
      error.textContent = P.errorText(answer);
      error.hidden = false;
      return;
    }
    const a = answer.data;
    reasonsToFields(a.reasons);
    if ((a.reasons || []).length) {
      error.textContent = `La solicitud no se registró: ${a.reasons.map(P.reasonText).join(' ')}`;
      error.hidden = false;
      return;
    }
    d.sendAudit = P.commandSender();
    const title = a.sap ? `Solicitud de auditoría ${a.sap} enviada: queda pendiente del auditor.`
      : `La solicitud quedó ${P.statusText(a.status).toLowerCase()}.`;
    const result = el('section', { className: 'subform', 'aria-labelledby': 'd-audit-title', 'data-testid': 'd-audit-outcome' }, [
      el('div', { className: 'card-head' }, [el('h3', { id: 'd-audit-title', tabindex: '-1', text: title }), P.badge(a.status)]),
      receiptOf(a, body, 'Comprobante de la solicitud de auditoría')
    ]);
    panel.replaceWith(result);
    result.querySelector('h3').focus();
  }

  function reset() {
    d.items = [];
    d.practice = null;
    d.eligible = null;
    d.sendBudget = P.commandSender();
    d.sendAudit = P.commandSender();
    elig.reset();
    diagnosis.clear();
    practices.clear();
    teeth.clear();
    faces.clear();
    $('d-chosen').replaceChildren();
    $('d-note').value = '';
    $('d-diagnosis-presumptive').checked = true;
    P.clearErrors($('d-budget-form'));
    P.show('d-budget-error', '');
    P.show('d-load-status', '');
    $('d-budget-form').hidden = true;
    renderItems();
    $('d-result').replaceChildren();
    $('d-credential').focus();
  }

  function setup() {
    diagnosis = P.diagnosisPicker($('d-diagnosis'), 'd-diagnosis-q');
    const box = $('d-practice');
    practices = P.practiceSearch(box, 'd-practice-q', choosePractice);
    teeth = P.toothPicker('d-teeth');
    faces = P.facePicker('d-faces');
    box.append(
      el('p', { id: 'd-chosen', className: 'chosen', 'data-testid': 'd-chosen', 'aria-live': 'polite' }),
      teeth.node, faces.node,
      el('div', { className: 'actions' }, [el('button', { type: 'button', className: 'secondary', text: 'Cargar práctica',
        'data-testid': 'd-load', onclick: loadPractice })]),
      el('p', { id: 'd-load-status', className: 'status-line', role: 'status', hidden: true }));
    renderItems();
    $('d-budget-form').addEventListener('submit', send);
    $('d-reset').addEventListener('click', reset);
  }

  setup();
  P.screen('odontologia', { enter() {} });
})(window.Portal);
