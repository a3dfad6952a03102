/* credential.js: Mi credencial and its offline view. The cards come from
   GET /v1/affiliates/{credential}/cards (a titular: every card of the
   family group, its own first; a member: its own) and each QR from
   GET /v1/affiliates/{credential}/card.svg. The security code rotates: when
   its countdown reaches zero the cards are asked for again. The service
   worker (sw.js) keeps the last cards and QRs it saw; without a connection
   they are shown labelled with the time they were saved. */
'use strict';
(function (A) {
  const { $, el } = A;
  const OFFLINE_CACHE = 'autoriza-afiliados-credencial';
  const REFETCH_MIN_MS = 5000;
  const RETRY_SAVED_MS = 15000;   // a saved card on screen: try the network again

  let ticker = null;
  let selected = '';        // the credential of the tab shown
  let qrs = {};             // credential -> image URL
  let lastFetchMs = 0;
  let fetching = false;

  // The session's cards (no QR), fetched once per session; screens that
  // name a family member (Compartir, Token, Mis prestaciones) use them.
  async function loadCards(force) {
    if (A.state.cards.length && !force) return { ok: true, cards: A.state.cards };
    const answer = await A.api('GET', `/v1/affiliates/${encodeURIComponent(A.own())}/cards`);
    if (!answer.ok || !answer.data || !Array.isArray(answer.data.items)) return { ok: false, answer };
    A.state.cards = answer.data.items;
    return { ok: true, cards: A.state.cards, savedAt: answer.data.saved_at || '' };
  }

  // Family members as <option>s: the own card first, as the API orders them;
  // the one chosen before stays, else the card last on screen.
  function memberOptions(select, withAll) {
    const options = A.state.cards.map((c) => el('option', { value: c.credential,
      text: c.credential === A.own() ? `${c.name} (yo)` : c.name }));
    if (withAll) options.unshift(el('option', { value: '', text: 'Todo el grupo familiar' }));
    const before = withAll ? select.value : A.state.shown || select.value;
    select.replaceChildren(...options);
    if (before && [...select.options].some((o) => o.value === before)) select.value = before;
    return A.state.cards.length > 1;
  }

  async function fetchQr(credential) {
    const answer = await A.api('GET', `/v1/affiliates/${encodeURIComponent(credential)}/card.svg`);
    return answer.ok && answer.text.startsWith('<svg') ? A.svgUrl(answer.text) : '';
  }

  function savedText(savedAt) {
    const ms = Date.parse(savedAt);
    return Number.isFinite(ms) ? A.localParts(ms).text : '';
  }

  // --- the tabs of a family ---

  function renderTabs(cards) {
    const tabs = $('cards-tabs');
    tabs.hidden = cards.length < 2;
    tabs.replaceChildren(...cards.map((c) => el('button', {
      type: 'button', role: 'tab', id: `tab-${c.credential}`, 'aria-controls': 'cards-panel',
      'aria-selected': c.credential === selected ? 'true' : 'false', tabindex: c.credential === selected ? '0' : '-1',
      'data-testid': 'card-tab', 'data-credential': c.credential, onclick: () => select(c.credential, false)
    }, [c.credential === A.own() ? 'Yo' : firstName(c.name)])));
  }

  // "CATALDI, MARIA LAURA" -> "María Laura"-like capitalised first names.
  function firstName(name) {
    const first = String(name || '').split(',').pop().trim().toLowerCase();
    return first.replace(/(^|\s)\S/g, (m) => m.toUpperCase()) || name;
  }

  function select(credential, focusTab) {
    selected = credential;
    A.state.shown = credential;
    renderPanel();
    if (focusTab) $(`tab-${credential}`).focus();
  }

  // Arrow keys, Home and End move between the tabs (WAI-ARIA tabs).
  function tabKeys(ev) {
    const cards = A.state.cards;
    const i = cards.findIndex((c) => c.credential === selected);
    const moves = { ArrowRight: i + 1, ArrowLeft: i - 1, Home: 0, End: cards.length - 1 };
    if (!(ev.key in moves) || i < 0) return;
    ev.preventDefault();
    select(cards[(moves[ev.key] + cards.length) % cards.length].credential, true);
  }

  let shownSavedAt = '';
  function renderPanel() {
    const cards = A.state.cards;
    const card = cards.find((c) => c.credential === selected) || cards[0];
    if (!card) return;
    selected = card.credential;
    A.state.shown = selected;  // Compartir and Token start with the card on screen
    renderTabs(cards);
    const panel = $('cards-panel');
    if (cards.length > 1) panel.setAttribute('role', 'tabpanel'), panel.setAttribute('aria-labelledby', `tab-${selected}`);
    else panel.removeAttribute('role'), panel.removeAttribute('aria-labelledby');
    panel.replaceChildren(A.renderCard(card, { insurer: A.state.insurer, qr: qrs[card.credential] || '',
      offlineAt: shownSavedAt ? savedText(shownSavedAt) : '' }));
    A.tickCountdowns(panel);
  }

  // Cards and QRs again (on entering, and when the code rotates).
  async function refresh() {
    if (fetching) return;
    fetching = true;
    lastFetchMs = Date.now();
    await A.loadInsurer();
    const got = await loadCards(true);
    if (!got.ok) {
      fetching = false;
      if (got.answer.status === 401) return;
      return A.show('cards-error', A.errorText(got.answer));
    }
    A.show('cards-error', '');
    shownSavedAt = got.savedAt;
    for (const c of got.cards) A.observeValidity(c.valid_from, c.valid_until);
    const urls = await Promise.all(got.cards.map((c) => fetchQr(c.credential)));
    qrs = {};
    got.cards.forEach((c, i) => { qrs[c.credential] = urls[i]; });
    fetching = false;
    renderPanel();
    A.show('offline-banner', shownSavedAt ? 'Sin conexión: mostramos la última credencial guardada en este teléfono.' : '');
  }

  function tick() {
    if (shownSavedAt && !fetching && Date.now() - lastFetchMs > RETRY_SAVED_MS) refresh();
    A.tickCountdowns($('cards-panel'), () => {
      if (fetching || shownSavedAt || Date.now() - lastFetchMs <= REFETCH_MIN_MS) return;
      refresh().then(() => A.announce('Se actualizó el código de seguridad.'));
    });
  }

  A.screen('credencial', {
    enter() {
      if (!A.state.cards.length) $('cards-panel').replaceChildren(el('p', { className: 'muted', text: 'Cargando tu credencial…' }));
      refresh();
      clearInterval(ticker);
      ticker = setInterval(tick, 1000);
    },
    leave() {
      clearInterval(ticker);
      A.show('offline-banner', '');
    }
  });
  $('cards-tabs').addEventListener('keydown', tabKeys);
  // Back online with a saved card on screen: the live one.
  window.addEventListener('online', () => {
    if (shownSavedAt && document.documentElement.dataset.current === 'credencial') refresh();
  });

  // --- offline: what the service worker saved ---

  async function hasOfflineCard() {
    if (!('serviceWorker' in navigator) || !navigator.serviceWorker.controller) return false;
    try {
      const r = await fetch('/afiliados/ultima-credencial.json');
      return r.ok;
    } catch (e) { return false; }
  }

  async function forgetOfflineCard() {
    try {
      if (window.caches) await caches.delete(OFFLINE_CACHE);
    } catch (e) { /* nothing saved */ }
  }

  async function showOffline() {
    let saved = null;
    try {
      const r = await fetch('/afiliados/ultima-credencial.json');
      saved = r.ok ? await r.json() : null;
    } catch (e) { saved = null; }
    const panel = $('offline-cards');
    if (!saved || !Array.isArray(saved.items)) {
      $('offline-note').textContent = 'No hay ninguna credencial guardada en este teléfono. Ingresá con conexión para verla.';
      return panel.replaceChildren();
    }
    const at = savedText(saved.saved_at);
    $('offline-note').textContent = `Sin conexión: tu credencial tal como se vio por última vez, el ${at}. ` +
      'El código de seguridad pudo haber cambiado desde entonces.';
    await A.loadInsurer();  // the service worker keeps its last answer too
    const cards = await Promise.all(saved.items.map(async (c) => {
      let qr = '';
      try {
        const r = await fetch(`/afiliados/ultima-credencial/${encodeURIComponent(c.credential)}.svg`);
        if (r.ok) qr = A.svgUrl(await r.text());
      } catch (e) { qr = ''; }
      return A.renderCard(c, { insurer: A.state.insurer, qr, offlineAt: at });
    }));
    panel.replaceChildren(...cards);
    A.tickCountdowns(panel);
  }

  A.screen('sin-conexion', { enter() { showOffline(); } });

  Object.assign(A, { loadCards, memberOptions, hasOfflineCard, forgetOfflineCard, firstName });
})(window.App);
