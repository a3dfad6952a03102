/* token.js: Token (docs/rules.md section 12). "Generar token" asks for a
   dynamic token (POST /v1/token_issue {request_id, credential, kind:
   DYNAMIC}): the answer's tokens[0] is shown large, in groups ("264 947"),
   with the time it has left; once past it, it is hidden. The time left is
   the answer's own validity (valid_until - valid_from) counted from when it
   arrived, so a phone's wrong clock does not change it; it stays on screen
   while valid, also after visiting another screen. Pre-printed sheets:
   kind PREPRINTED for a month, then the sheet's PDF
   (GET /v1/affiliates/{credential}/tokens.pdf?request_id=R). */
'use strict';
(function (A) {
  const { $, el } = A;
  const sendToken = A.commandSender();
  const sendSheet = A.commandSender();
  let expiresAtMs = 0;     // on this browser's clock
  let ticker = null;

  const credential = () => $('token-member').value || A.own();

  // The refusal of a command answer (200 with reasons), in Spanish.
  function refusal(data) {
    const reasons = (data && data.reasons) || [];
    const messages = reasons.map((r) => (A.isSpanish(r.message) ? A.sentence(r.message) : '')).filter(Boolean);
    if (messages.length) return messages.join(' ');
    if (data && A.isSpanish(data.message)) return A.sentence(data.message);
    return 'No se pudo generar el token.';
  }

  function hideToken(text) {
    clearInterval(ticker);
    ticker = null;
    $('token-box').hidden = true;
    $('token-value').textContent = '';
    A.show('token-status', text || '');
  }

  function tick() {
    const left = (expiresAtMs - Date.now()) / 1000;
    if (left <= 0) return hideToken('El token venció. Si lo necesitás, generá otro.');
    $('token-left').textContent = `Vence en ${A.clock(left)}`;
  }

  async function generate() {
    A.show('token-error', '');
    A.show('token-status', '');
    const button = $('token-generate');
    button.disabled = true;
    const who = credential();
    const answer = await sendToken('/v1/token_issue', { credential: who, kind: 'DYNAMIC' });
    button.disabled = false;
    if (!answer.ok) return A.show('token-error', A.errorText(answer));
    const t = answer.data && answer.data.tokens && answer.data.tokens[0];
    if (!t || !t.token) return A.show('token-error', refusal(answer.data));
    const validMs = Date.parse(t.valid_until) - Date.parse(t.valid_from);
    expiresAtMs = Date.now() + (Number.isFinite(validMs) ? validMs : 120000);
    const card = A.state.cards.find((c) => c.credential === who);
    $('token-for').textContent = card && who !== A.own() ? `Token de ${card.name}` : 'Tu token';
    $('token-value').textContent = A.groups(t.token);
    $('token-value').setAttribute('aria-label', `Token ${t.token.split('').join(' ')}`);
    $('token-box').hidden = false;
    tick();
    clearInterval(ticker);
    ticker = setInterval(tick, 1000);
    A.announce(`Token generado: ${t.token.split('').join(' ')}. Vale 2 minutos.`);
  }

  // --- pre-printed sheets ---

  // This month and the next, as Argentina's calendar has them.
  function monthOptions() {
    const { year, month } = A.localParts(Date.now());
    const next = month === 12 ? { y: year + 1, m: 1 } : { y: year, m: month + 1 };
    const option = (y, m) => el('option', { value: `${y}-${String(m).padStart(2, '0')}`, text: `${A.MONTHS[m - 1]} de ${y}` });
    $('sheet-month').replaceChildren(option(year, month), option(next.y, next.m));
  }

  async function sheet(ev) {
    ev.preventDefault();
    const form = $('sheet-form');
    A.clearErrors(form);
    A.show('sheet-error', '');
    $('sheet-result').hidden = true;
    const count = Number($('sheet-count').value.trim());
    if (!Number.isInteger(count) || count < 1 || count > 31) return A.focusError('sheet-count', 'Elegí de 1 a 31 tokens.');
    const who = credential();
    A.setBusy(form, true);
    const answer = await sendSheet('/v1/token_issue', { credential: who, kind: 'PREPRINTED', month: $('sheet-month').value, count });
    A.setBusy(form, false);
    if (!answer.ok) {
      const field = answer.error && answer.error.field;
      if (answer.status === 400 && field === 'count') return A.focusError('sheet-count', A.errorText(answer));
      return A.show('sheet-error', A.errorText(answer));
    }
    const tokens = (answer.data && answer.data.tokens) || [];
    if (!tokens.length) return A.show('sheet-error', refusal(answer.data));
    const base = `/v1/affiliates/${encodeURIComponent(who)}/tokens`;
    const query = `?request_id=${encodeURIComponent(answer.requestId)}`;
    const month = $('sheet-month').selectedOptions[0].textContent;
    $('sheet-result').replaceChildren(
      `Listo: ${tokens.length} token${tokens.length === 1 ? '' : 's'} para ${month}. `,
      el('a', { href: `${base}.pdf${query}`, target: '_blank', rel: 'noopener', 'data-testid': 'sheet-pdf' },
        ['Descargar la planilla (PDF)']),
      ' · ',
      el('a', { href: `${base}.html${query}`, target: '_blank', rel: 'noopener', 'data-testid': 'sheet-html' },
        ['Ver para imprimir']));
    $('sheet-result').hidden = false;
  }

  A.screen('token', {
    async enter() {
      monthOptions();
      await A.loadCards();
      $('token-member-field').hidden = !A.memberOptions($('token-member'), false);
    }
  });
  $('token-generate').addEventListener('click', generate);
  $('token-member').addEventListener('change', () => hideToken(''));
  $('sheet-form').addEventListener('submit', sheet);
})(window.App);
