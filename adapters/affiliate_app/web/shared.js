/* shared.js: the page a shared card's link opens,
   /afiliados/compartida.html#<link> (the link travels in the fragment, so
   it reaches no server log). The person types the DNI the card was shared
   with; GET /v1/shares/{link}?dni=N answers the card (no login), 403 for
   another DNI, 410 once expired or revoked, 404 for an unknown link. The
   card is the app's own (card.js); its security code is asked for again
   when it changes, while the link lasts. */
'use strict';
(function (A) {
  const { $ } = A;
  const REFETCH_MIN_MS = 5000;
  let dni = '';
  let ticker = null;
  let lastFetchMs = 0;

  // The link of the address: "#1.abc" (also "#/v1/shares/1.abc").
  function link() {
    const raw = decodeURIComponent(location.hash.replace(/^#/, ''));
    return raw.replace(/^\/?v1\/shares\//, '').trim();
  }

  function errorOf(answer) {
    if (A.isSpanish(answer.error && answer.error.message)) return A.sentence(answer.error.message);
    if (answer.status === 403) return 'Ese DNI no es el autorizado para ver esta credencial. Revisalo y probá de nuevo.';
    if (answer.status === 410) return 'Este enlace venció o fue revocado: ya no muestra la credencial. Pedile a quien te lo mandó uno nuevo.';
    if (answer.status === 404) return 'El enlace no existe: revisá que esté completo, tal como te lo mandaron.';
    return A.errorText(answer);
  }

  async function fetchCard() {
    lastFetchMs = Date.now();
    const id = encodeURIComponent(link());
    return { answer: await A.api('GET', `/v1/shares/${id}?dni=${encodeURIComponent(dni)}`) };
  }

  // No QR here: the API draws a card's QR for its own family only.
  function showCard(card) {
    A.observeValidity(card.valid_from, card.valid_until);
    $('shared-card').replaceChildren(A.renderCard(card, { insurer: A.state.insurer, qr: '' }));
    A.tickCountdowns($('shared-card'));
  }

  function stop(text) {
    clearInterval(ticker);
    ticker = null;
    $('shared-card').replaceChildren();
    $('shared-form').hidden = false;
    A.show('shared-error', text);
  }

  async function tick() {
    A.tickCountdowns($('shared-card'), async () => {
      if (Date.now() - lastFetchMs < REFETCH_MIN_MS) return;
      const got = await fetchCard();
      if (got.answer.ok) showCard(got.answer.data);
      else stop(errorOf(got.answer));
    });
  }

  async function open(ev) {
    ev.preventDefault();
    const form = $('shared-form');
    A.clearErrors(form);
    A.show('shared-error', '');
    const typed = $('shared-dni').value.replace(/[.\s-]/g, '');
    if (!link()) return A.show('shared-error', 'El enlace está incompleto: abrilo tal como te lo mandaron.');
    if (!typed) return A.focusError('shared-dni', 'Escribí tu DNI.');
    if (!/^\d{7,8}$/.test(typed)) return A.focusError('shared-dni', 'El DNI tiene 7 u 8 números.');
    dni = typed;
    A.setBusy(form, true);
    const got = await fetchCard();
    A.setBusy(form, false);
    if (!got.answer.ok) {
      if (got.answer.status === 403) return A.focusError('shared-dni', errorOf(got.answer));
      return A.show('shared-error', errorOf(got.answer));
    }
    form.hidden = true;
    showCard(got.answer.data);
    $('shared-card').querySelector('article').setAttribute('tabindex', '-1');
    $('shared-card').querySelector('article').focus();
    clearInterval(ticker);
    ticker = setInterval(tick, 1000);
  }

  async function start() {
    const i = await A.loadInsurer();
    $('brand-name').textContent = i.short_name || i.name;
    if (i.logo_url) $('brand-logo').src = i.logo_url;
    if (!link()) A.show('shared-error', 'El enlace está incompleto: abrilo tal como te lo mandaron.');
    $('shared-form').addEventListener('submit', open);
    $('shared-dni').focus();
    document.documentElement.dataset.ready = 'true';
  }

  start();
})(window.App);
