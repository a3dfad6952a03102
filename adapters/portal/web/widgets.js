/* widgets.js: pieces the GENOS and InSSSeP screens share — the affiliate's
   eligibility check, the practice and CIE-10 searches, the prescriber's
   name, the table of an authorize answer and the print-friendly comprobante.
   They show the engine's answers; they decide nothing. */
'use strict';
(function (P) {
  const { $, el } = P;
  const SEARCH_DELAY_MS = 250;

  // --- money as integer cents (sums only what the answer lists) ---

  function cents(text) {
    const m = /^(-?)(\d+)\.(\d{2})$/.exec(text || '');
    return m ? (m[1] ? -1 : 1) * (Number(m[2]) * 100 + Number(m[3])) : null;
  }
  function fromCents(n) {
    const sign = n < 0 ? '-' : '';
    const a = Math.abs(n);
    return `${sign}${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
  }

  // Disables the buttons of form while a request is on its way; buttons
  // that were disabled before stay so afterwards.
  function setBusy(form, busy) {
    form.setAttribute('aria-busy', busy ? 'true' : 'false');
    for (const b of form.querySelectorAll('button')) {
      if (busy && !b.disabled) {
        b.disabled = true;
        b.dataset.busy = 'true';
      } else if (!busy && b.dataset.busy) {
        b.disabled = false;
        delete b.dataset.busy;
      }
    }
  }

  // --- the affiliate: POST /v1/eligibility ---

  // prefix: "g" or "d" (ids g-cred-form, g-credential, g-token...).
  // onAnswer(answer, {credential, token}) gets every 200 answer; onChange()
  // runs when the credential is edited after a check.
  function eligibilityForm(prefix, onAnswer, onChange) {
    const form = $(`${prefix}-cred-form`);
    const credentialInput = $(`${prefix}-credential`);
    const tokenField = $(`${prefix}-token-field`);
    const tokenInput = $(`${prefix}-token`);
    const send = P.commandSender();
    credentialInput.addEventListener('input', () => {
      tokenField.hidden = true;
      tokenInput.value = '';
      $(`${prefix}-affiliate`).replaceChildren();
      onChange();
    });
    form.addEventListener('submit', async (ev) => {
      ev.preventDefault();
      P.clearErrors(form);
      P.show(`${prefix}-cred-error`, '');
      const credential = credentialInput.value.trim();
      if (!credential) {
        P.fieldError(credentialInput.id, 'Escribí el número de credencial del afiliado.');
        credentialInput.focus();
        return;
      }
      const token = tokenField.hidden ? '' : tokenInput.value.trim();
      const body = { provider: P.providerId(), credential };
      if (token) body.token = token;
      setBusy(form, true);
      const answer = await send('/v1/eligibility', body);
      setBusy(form, false);
      if (!answer.ok) {
        const field = answer.error && answer.error.field;
        if (field === 'credential' || field === 'token') P.fieldError(`${prefix}-${field}`, P.errorText(answer));
        else P.show(`${prefix}-cred-error`, P.errorText(answer));
        return;
      }
      const context = { credential, token };
      const tokenReasons = (answer.data.reasons || []).filter((r) => /^TOKEN_/.test(r.code));
      if (tokenReasons.length) {
        tokenField.hidden = false;
        P.fieldError(tokenInput.id, tokenReasons.map(P.reasonText).join(' '));
        tokenInput.focus();
      }
      $(`${prefix}-affiliate`).replaceChildren(affiliateCard(answer.data, tokenReasons.length > 0));
      onAnswer(answer.data, context);
    });
    return {
      // Token reasons of a later answer (authorize) go next to the token field.
      tokenReasons(reasons) {
        const tokenReasons = (reasons || []).filter((r) => /^TOKEN_/.test(r.code));
        if (!tokenReasons.length) return false;
        tokenField.hidden = false;
        P.fieldError(tokenInput.id, tokenReasons.map(P.reasonText).join(' '));
        return true;
      },
      reset() {
        credentialInput.value = '';
        tokenInput.value = '';
        tokenField.hidden = true;
        P.clearErrors(form);
        $(`${prefix}-affiliate`).replaceChildren();
      }
    };
  }

  // The eligibility answer: who the affiliate is and whether it may be
  // attended (the reasons in words when not). Token reasons are shown next
  // to the token field instead.
  function affiliateCard(answer, tokenShownApart) {
    const a = answer.affiliate;
    const reasons = (answer.reasons || []).filter((r) => !(tokenShownApart && /^TOKEN_/.test(r.code)));
    const facts = [];
    const fact = (term, value, testid) => {
      if (value === undefined || value === null || value === '') return;
      facts.push(el('dt', { text: term }), el('dd', { text: String(value), 'data-testid': testid }));
    };
    if (a) {
      fact('Credencial', a.credential, 'aff-credential');
      fact('CUIL', P.cuil(a.cuil), 'aff-cuil');
      fact('Edad', a.age === undefined ? '' : `${a.age} ${a.age === 1 ? 'año' : 'años'}`, 'aff-age');
      fact('Sexo', P.label(P.SEX, a.sex), 'aff-sex');
      fact('Plan', a.plan, 'aff-plan');
      if (a.titular && a.titular !== a.credential) fact('Titular', a.titular, 'aff-titular');
    }
    const notes = a ? [].concat(a.notes || [], answer.notes || []).filter(Boolean) : [];
    return el('div', { className: `card affiliate-card status-box-${String(answer.status).toLowerCase()}` }, [
      el('div', { className: 'card-head' }, [
        el('p', { className: 'affiliate-name', 'data-testid': 'aff-name', text: a ? a.name : 'Afiliado desconocido' }),
        P.badge(answer.status)
      ]),
      facts.length ? el('dl', { className: 'facts' }, facts) : null,
      notes.length ? el('p', { className: 'notes', 'data-testid': 'aff-notes' },
        notes.map((n) => el('span', { className: 'note-tag', text: String(n) }))) : null,
      P.reasonList(reasons, 'aff-reasons')
    ]);
  }

  // --- search boxes (practices, CIE-10 diagnoses) ---

  // A labelled search input whose answers are a list of buttons. Enter
  // searches now (it never submits the surrounding form); typing searches
  // after a pause. fetchItems(q) -> {ok, items, error}; itemLabel(item) ->
  // text; onPick(item).
  function searchBox(container, o) {
    const input = el('input', { id: o.id, type: 'search', autocomplete: 'off', spellcheck: 'false', maxlength: '100',
      'aria-describedby': `${o.id}-hint`, 'aria-controls': `${o.id}-results` });
    const status = el('p', { id: `${o.id}-status`, className: 'status-line', role: 'status' });
    const list = el('ul', { id: `${o.id}-results`, className: 'search-results', 'data-testid': `${o.id}-results`,
      'aria-label': o.resultsLabel });
    const button = el('button', { type: 'button', className: 'secondary', text: 'Buscar',
      'data-testid': `${o.id}-button`, onclick: () => run(true) });
    container.append(
      el('div', { className: 'field' }, [
        el('label', { for: o.id, text: o.label }),
        el('div', { className: 'input-row' }, [input, button]),
        el('p', { id: `${o.id}-hint`, className: 'hint', text: o.hint })
      ]),
      status, list);
    let timer = null;
    let seq = 0;
    async function run(immediate) {
      clearTimeout(timer);
      const q = input.value.trim();
      if (!q) {
        list.replaceChildren();
        status.textContent = '';
        return;
      }
      const mine = ++seq;
      const answer = await o.fetchItems(q);
      if (mine !== seq) return;
      P.fieldError(o.id, '');
      if (!answer.ok) {
        list.replaceChildren();
        status.textContent = '';
        if (o.onUnavailable && answer.status === 404) o.onUnavailable(q);
        else P.fieldError(o.id, P.errorText(answer));
        return;
      }
      const items = answer.items;
      // Enter on an exact code takes that item at once.
      const exact = items.find((i) => o.codeOf(i).toUpperCase() === q.toUpperCase());
      if (immediate && exact && o.pickExactOnEnter) {
        pick(exact);
        return;
      }
      status.textContent = items.length ? `${items.length} resultado${items.length === 1 ? '' : 's'}.`
        : 'Sin resultados: probá con otra palabra o con el código.';
      list.replaceChildren(...items.map((item) => el('li', {}, [
        el('button', { type: 'button', className: 'result-button', 'data-code': o.codeOf(item),
          onclick: () => pick(item) }, [
          el('span', { className: 'code', text: o.codeOf(item) }), ` ${o.itemLabel(item)}`
        ])
      ])));
    }
    function pick(item) {
      list.replaceChildren();
      status.textContent = '';
      input.value = '';
      o.onPick(item);
      input.focus();
    }
    input.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter') {
        ev.preventDefault();
        run(true);
      }
    });
    input.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => run(false), SEARCH_DELAY_MS);
    });
    return { input, clear() { input.value = ''; list.replaceChildren(); status.textContent = ''; } };
  }

  // GET /v1/practices?q=&provider=: the practices this provider may do.
  function practiceSearch(container, id, onPick) {
    return searchBox(container, {
      id, label: 'Práctica (código o nombre)', resultsLabel: 'Prácticas encontradas',
      hint: 'Escribí el código y Enter, o parte del nombre (sin importar los acentos).',
      codeOf: (p) => p.code, itemLabel: (p) => p.description, pickExactOnEnter: true, onPick,
      async fetchItems(q) {
        const params = new URLSearchParams({ q, provider: P.providerId(), limit: '20' });
        const answer = await P.api('GET', `/v1/practices?${params}`);
        return Object.assign(answer, { items: answer.ok ? answer.data.items || [] : [] });
      }
    });
  }

  // GET /v1/diagnoses?q=: CIE-10 by code or words. Without the catalog
  // (404) a code typed as is is taken, and the engine checks it. Beside the
  // code: the diagnosis in words (free text, as GENOS shows it) and, with
  // withType, whether it is presumptive or definitive.
  function diagnosisPicker(container, id, withType) {
    let chosen = null;
    const shown = el('p', { id: `${id}-chosen`, className: 'chosen', 'data-testid': `${id}-chosen`,
      'aria-live': 'polite' });
    const box = searchBox(container, {
      id, label: 'Diagnóstico CIE-10 (código o palabras)', resultsLabel: 'Diagnósticos encontrados',
      hint: 'Por ejemplo K02.9 o «caries».', codeOf: (d) => d.code, itemLabel: (d) => d.description,
      pickExactOnEnter: true, onPick: set,
      async fetchItems(q) {
        const answer = await P.api('GET', `/v1/diagnoses?${new URLSearchParams({ q, limit: '20' })}`);
        return Object.assign(answer, { items: answer.ok ? answer.data.items || [] : [] });
      },
      onUnavailable(q) {
        if (/^[A-Za-z]\d{2}(\.?[0-9A-Za-z]{1,4})?$/.test(q)) set({ code: q.toUpperCase(), description: '' });
        else P.fieldError(id, 'El buscador de diagnósticos no está disponible: escribí el código CIE-10 (por ejemplo K02.9).');
      }
    });
    container.append(shown);
    const words = el('input', { id: `${id}-text`, type: 'text', maxlength: '200', autocomplete: 'off',
      'data-testid': `${id}-text` });
    container.append(el('div', { className: 'field' }, [
      el('label', { for: `${id}-text`, text: 'Diagnóstico en palabras (opcional)' }), words]));
    const typeName = `${id}-type`;
    if (withType) {
      container.append(el('fieldset', { className: 'inline' }, [
        el('legend', { text: 'Tipo de diagnóstico' }),
        ...[['PRESUMPTIVE', 'Presuntivo'], ['DEFINITIVE', 'Definitivo']].map(([value, text]) => el('span', { className: 'radio' }, [
          el('input', { type: 'radio', name: typeName, id: `${typeName}-${value}`, value }),
          el('label', { for: `${typeName}-${value}`, text })]))
      ]));
    }
    function type() {
      const checked = container.querySelector(`input[name="${typeName}"]:checked`);
      return checked ? checked.value : '';
    }
    function set(d) {
      chosen = d;
      shown.replaceChildren();
      if (!d) return;
      shown.append(el('span', { text: 'Elegido: ' }), el('strong', { text: d.code }),
        d.description ? ` — ${d.description} ` : ' ',
        el('button', { type: 'button', className: 'link', text: 'Quitar', 'aria-label': `Quitar el diagnóstico ${d.code}`,
          onclick: () => { set(null); box.input.focus(); } }));
      P.fieldError(id, '');
    }
    // The request's diagnosis fields (diagnosis, diagnosis_text, diagnosis_type), those given.
    function fields() {
      const out = {};
      if (chosen) out.diagnosis = chosen.code;
      if (words.value.trim()) out.diagnosis_text = words.value.trim();
      if (type()) out.diagnosis_type = type();
      return out;
    }
    return { get: () => chosen, set, fields, input: box.input,
      clear() { set(null); box.clear(); words.value = ''; } };
  }

  // The diagnosis of a request as one line: "K02.9 — Caries · en palabras (presuntivo)".
  // chosen: the picked catalog entry, for its description.
  function diagnosisLine(body, chosen) {
    const coded = !body.diagnosis ? ''
      : chosen && chosen.code === body.diagnosis && chosen.description ? `${chosen.code} — ${chosen.description}` : body.diagnosis;
    const type = { PRESUMPTIVE: 'presuntivo', DEFINITIVE: 'definitivo' }[body.diagnosis_type];
    return [coded, body.diagnosis_text].filter(Boolean).join(' · ') + (type ? ` (${type})` : '');
  }

  // GET /v1/prescribers/{kind}/{license}: the prescriber's name under the
  // licence field, or nothing when the catalog does not know it.
  function prescriberLookup(kindSelect, licenseInput, output) {
    let seq = 0;
    async function lookup() {
      const license = licenseInput.value.trim();
      const mine = ++seq;
      output.textContent = '';
      if (!license) return;
      const answer = await P.api('GET', `/v1/prescribers/${encodeURIComponent(kindSelect.value)}/${encodeURIComponent(license)}`);
      if (mine !== seq) return;
      // Anything else (404: unknown licence, or no catalog on this server)
      // leaves the field as is: the engine checks the prescriber at Validar.
      if (answer.ok && answer.data && answer.data.name) output.textContent = `Prescriptor: ${answer.data.name}`;
    }
    licenseInput.addEventListener('change', lookup);
    kindSelect.addEventListener('change', lookup);
    return { lookup, clear() { seq += 1; output.textContent = ''; } };
  }

  // --- an authorize (or consume) answer's items and totals ---

  function dental(item) {
    const parts = [];
    if (item.tooth !== undefined && item.tooth !== null) parts.push(`pieza ${item.tooth}`);
    if (item.faces) parts.push(`caras ${item.faces}`);
    return parts.join(', ');
  }

  function cell(labelText, children, className) {
    return el('td', { 'data-label': labelText, className }, children);
  }

  // Items: [{code, description, qty, tooth?, faces?, status, reasons,
  // professional, expenses, total, copay}]; totals {total, copay, covered}.
  function itemsTable(items, totals, testid, caption) {
    const rows = (items || []).map((item) => el('tr', { 'data-testid': 'result-item', 'data-code': item.code,
      'data-status': item.status }, [
      cell('Práctica', [el('span', { className: 'code', text: item.code }), ' ',
        el('span', { text: item.description || '' }),
        dental(item) ? el('div', { className: 'muted small', text: dental(item) }) : null]),
      cell('Cant.', [String(item.qty === undefined ? '' : item.qty)], 'num'),
      cell('Estado', [P.badge(item.status), P.reasonList(item.reasons, 'item-reasons')]),
      cell('Honorarios', [P.money(item.professional)], 'num'),
      cell('Gastos', [P.money(item.expenses)], 'num'),
      cell('Total', [P.money(item.total)], 'num'),
      cell('Coseguro', [P.money(item.copay)], 'num')
    ]));
    // The honorarios and gastos of the items the totals count (authorized
    // or consumed): shown when they add up to the answer's own total.
    let foot = null;
    if (totals) {
      const counted = (items || []).filter((i) => i.status === 'AUTHORIZED' || i.status === 'CONSUMED');
      const prof = counted.reduce((s, i) => s + (cents(i.professional) || 0), 0);
      const exp = counted.reduce((s, i) => s + (cents(i.expenses) || 0), 0);
      const adds = prof + exp === cents(totals.total);
      foot = el('tfoot', {}, [el('tr', { 'data-testid': 'result-totals' }, [
        cell('', [el('strong', { text: counted.length && counted.every((i) => i.status === 'CONSUMED')
          ? 'Total consumido' : 'Total autorizado' }),
          totals.covered ? el('div', { className: 'muted small', text: `A cargo de la obra social: ${P.money(totals.covered)}` }) : null]),
        cell('', [], 'num hide-narrow'),
        cell('', [], 'hide-narrow'),
        cell('Honorarios', [adds ? P.money(fromCents(prof)) : ''], 'num'),
        cell('Gastos', [adds ? P.money(fromCents(exp)) : ''], 'num'),
        cell('Total', [el('strong', { 'data-testid': 'total', text: P.money(totals.total) })], 'num'),
        cell('Coseguro', [el('strong', { 'data-testid': 'copay', text: P.money(totals.copay) })], 'num')
      ])]);
    }
    return el('div', { className: 'table-wrap' }, [el('table', { className: 'data stack', 'data-testid': testid }, [
      el('caption', { className: 'visually-hidden', text: caption || 'Prácticas y su resultado' }),
      el('thead', {}, [el('tr', {}, ['Práctica', 'Cant.', 'Estado', 'Honorarios', 'Gastos', 'Total', 'Coseguro']
        .map((h, i) => el('th', { scope: 'col', className: i === 1 || i > 2 ? 'num' : '', text: h })))]),
      el('tbody', {}, rows), foot
    ])]);
  }

  // --- the comprobante ---

  const comprobanteKnown = new Map();   // transaction -> whether comprobante.html answers
  async function comprobanteUrl(transaction) {
    if (!transaction) return null;
    const url = `/v1/transactions/${encodeURIComponent(transaction)}/comprobante.html`;
    if (!comprobanteKnown.has(transaction)) {
      const answer = await fetch(url, { credentials: 'same-origin' }).catch(() => null);
      comprobanteKnown.set(transaction, Boolean(answer && answer.ok));
    }
    return comprobanteKnown.get(transaction) ? url : null;
  }

  // A print-friendly panel of a recorded answer. r: {title, transaction,
  // time, status, order, sap, consumption, affiliate:{name, credential, plan},
  // prescription, diagnosis, note, reasons, items, totals}.
  function receipt(r) {
    const session = P.state.session || {};
    const provider = session.provider || {};
    const facts = [];
    const fact = (term, value, testid) => {
      if (value) facts.push(el('dt', { text: term }), el('dd', { text: value, 'data-testid': testid }));
    };
    fact('Prestador', [provider.id, provider.name].filter(Boolean).join(' — '), 'rc-provider');
    const a = r.affiliate || {};
    fact('Afiliado', [a.name, a.credential ? `credencial ${a.credential}` : '', a.plan ? `plan ${a.plan}` : '']
      .filter(Boolean).join(', '), 'rc-affiliate');
    // The recorded time, from the transaction when the answer lacks it.
    const timeText = el('dd', { 'data-testid': 'rc-time', text: r.time ? P.dateTime(r.time) : '…' });
    const timeTerm = el('dt', { text: 'Fecha' });
    facts.push(timeTerm, timeText);
    if (!r.time && r.transaction) {
      P.api('GET', `/v1/transactions/${encodeURIComponent(r.transaction)}`).then((t) => {
        if (t.ok && t.data && t.data.time) timeText.textContent = P.dateTime(t.data.time);
        else { timeTerm.remove(); timeText.remove(); }
      });
    } else if (!r.time) {
      timeTerm.hidden = true;
      timeText.hidden = true;
    }
    fact('Transacción', r.transaction, 'rc-transaction');
    fact('Orden', r.order, 'rc-order');
    fact('Solicitud de auditoría', r.sap, 'rc-sap');
    fact('Consumo', r.consumption, 'rc-consumption');
    fact('Realizada el', r.performed ? P.dateTime(r.performed) : '', 'rc-performed');
    fact('Prescripción', r.prescription, 'rc-prescription');
    fact('Diagnóstico', r.diagnosis, 'rc-diagnosis');
    fact('Resumen clínico', r.note, 'rc-note');
    const panel = el('section', { className: 'receipt', 'data-testid': 'receipt', 'aria-label': r.title }, [
      el('div', { className: 'card-head' }, [el('h3', { text: r.title }), r.status ? P.badge(r.status) : null]),
      el('dl', { className: 'facts' }, facts),
      P.reasonList(r.reasons, 'rc-reasons'),
      r.items && r.items.length ? itemsTable(r.items, r.totals, 'receipt-items', `Prácticas de ${r.title}`) : null,
      el('div', { className: 'actions no-print' }, [
        el('button', { type: 'button', className: 'secondary', text: 'Imprimir', 'data-testid': 'receipt-print',
          onclick: () => printPanel(panel) })
      ])
    ]);
    comprobanteUrl(r.transaction).then((url) => {
      if (!url) return;
      panel.querySelector('.actions').append(el('a', { href: url, target: '_blank', rel: 'noopener',
        className: 'button-link', 'data-testid': 'receipt-official', text: 'Comprobante oficial (se abre en otra pestaña)' }));
    });
    return panel;
  }

  function printPanel(panel) {
    for (const p of document.querySelectorAll('.print-target')) p.classList.remove('print-target');
    panel.classList.add('print-target');
    document.body.classList.add('printing');
    window.print();
    document.body.classList.remove('printing');
  }

  // What a transaction (GET /v1/transactions/{id}) says, as a receipt.
  function receiptOfTransaction(t, hint) {
    const c = t.command || {};
    const answer = t.answer || {};
    const rx = [];
    if (c.prescribed_on) rx.push(`del ${P.date(c.prescribed_on)}`);
    if (c.prescriber) rx.push(`${c.prescriber.kind} matrícula ${c.prescriber.license}`);
    const titles = { authorize: 'Autorización', consume: 'Consumo', annul: 'Anulación', eligibility: 'Elegibilidad' };
    const base = titles[c.command] || 'Transacción';
    return {
      title: `${base} ${t.transaction || ''}`.trim(), transaction: t.transaction, time: t.time,
      status: answer.status, order: answer.order || (c.command === 'consume' ? c.order : ''), sap: answer.sap,
      consumption: c.command === 'consume' ? t.transaction : '', performed: c.performed_at || '',
      affiliate: Object.assign({ credential: c.credential }, hint || {}),
      prescription: rx.join(', '), diagnosis: c.diagnosis, note: c.note, reasons: answer.reasons,
      items: answer.items, totals: answer.totals
    };
  }

  Object.assign(P, { cents, fromCents, setBusy, eligibilityForm, affiliateCard, searchBox, practiceSearch, diagnosisLine,
    diagnosisPicker, prescriberLookup, itemsTable, receipt, receiptOfTransaction, printPanel, comprobanteUrl });
})(window.Portal);
