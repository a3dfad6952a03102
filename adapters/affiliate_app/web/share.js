/* share.js: Compartir. A link to a card for one DNI, valid 24 hours
   (POST /v1/affiliates/{credential}/shares {request_id, dni}); the answer's
   absolute url opens compartida.html, where that person types the DNI. The
   active links of the card (GET /v1/affiliates/{credential}/shares) can be
   revoked (POST .../shares/{id}/revoke). A titular may share the card of
   any member of the family group. */
'use strict';
(function (A) {
  const { $, el } = A;
  const sendShare = A.commandSender();
  const sendRevoke = A.commandSender();

  const credential = () => $('share-member').value || A.own();

  // The recipient's page for a link: the server's absolute url (its public
  // address), else this origin's; the link travels in the fragment, which
  // reaches no server log.
  function urlOf(answer) {
    if (answer.url) return answer.url;
    const id = String(answer.link || '').replace(/^\/v1\/shares\//, '');
    return `${location.origin}/afiliados/compartida.html#${id}`;
  }

  async function share(ev) {
    ev.preventDefault();
    const form = $('share-form');
    A.clearErrors(form);
    A.show('share-error', '');
    const dni = $('share-dni').value.replace(/[.\s-]/g, '');
    if (!dni) return A.focusError('share-dni', 'Escribí el DNI de quien va a ver tu credencial.');
    if (!/^\d{7,8}$/.test(dni)) return A.focusError('share-dni', 'El DNI tiene 7 u 8 números.');
    A.setBusy(form, true);
    const answer = await sendShare(`/v1/affiliates/${encodeURIComponent(credential())}/shares`, { dni });
    A.setBusy(form, false);
    if (!answer.ok) {
      if (answer.status === 400 && answer.error.field === 'dni') return A.focusError('share-dni', A.errorText(answer));
      return A.show('share-error', A.errorText(answer));
    }
    const d = answer.data || {};
    if (d.status && d.status !== 'SHARED') return A.show('share-error', A.sentence(d.message) || 'No se pudo compartir.');
    const url = urlOf(d);
    $('share-result').hidden = false;
    $('share-result-text').textContent = `Enlace para el DNI ${A.dni(dni)}, válido hasta el ${A.dateTime(d.expires)}. ` +
      'Mandalo a esa persona: lo abre en su teléfono y escribe su DNI.';
    $('share-url').value = url;
    A.show('share-copied', '');
    $('share-native').hidden = typeof navigator.share !== 'function';
    $('share-dni').value = '';
    $('share-copy').focus();
    listShares();
  }

  async function copy() {
    const url = $('share-url').value;
    let done = false;
    try {
      await navigator.clipboard.writeText(url);
      done = true;
    } catch (e) {
      $('share-url').select();
      try { done = document.execCommand('copy'); } catch (e2) { done = false; }
    }
    A.show('share-copied', done ? 'Enlace copiado.' : 'No se pudo copiar: seleccioná el enlace y copialo.');
  }

  async function nativeShare() {
    try {
      await navigator.share({ title: 'Mi credencial', text: 'Te comparto mi credencial de la obra social.',
        url: $('share-url').value });
    } catch (e) { /* dismissed */ }
  }

  // --- the active links ---

  function shareRow(s) {
    return el('li', { 'data-testid': 'share-row', 'data-id': s.id }, [
      el('div', {}, [
        el('p', { className: 'share-dni', text: `DNI ${A.dni(s.dni)}` }),
        el('p', { className: 'muted small', text: `Vence el ${A.dateTime(s.expires)}` +
          (s.created ? ` · creado el ${A.dateTime(s.created)}` : '') })
      ]),
      el('button', { type: 'button', className: 'secondary', 'data-testid': 'share-revoke',
        'aria-label': `Revocar el enlace del DNI ${A.dni(s.dni)}`, onclick: (ev) => revoke(s, ev.currentTarget) }, ['Revocar'])
    ]);
  }

  async function listShares() {
    const c = credential();
    const answer = await A.api('GET', `/v1/affiliates/${encodeURIComponent(c)}/shares`);
    if (!answer.ok || !answer.data || !Array.isArray(answer.data.items)) {
      if (answer.status !== 401) A.show('shares-error', A.errorText(answer));
      return;
    }
    const items = answer.data.items;
    A.show('shares-error', '');
    $('shares-list').replaceChildren(...items.map(shareRow));
    $('shares-empty').hidden = items.length > 0;
  }

  async function revoke(s, button) {
    button.disabled = true;
    const answer = await sendRevoke(`/v1/affiliates/${encodeURIComponent(credential())}/shares/${encodeURIComponent(s.id)}/revoke`, {});
    button.disabled = false;
    const d = answer.data || {};
    if (!answer.ok || (d.status && d.status !== 'REVOKED')) {
      return A.show('shares-error', answer.ok ? A.sentence(d.message) || 'No se pudo revocar.' : A.errorText(answer));
    }
    A.announce(`Enlace del DNI ${A.dni(s.dni)} revocado.`);
    await listShares();
    $('share-dni').focus();
  }

  A.screen('compartir', {
    async enter() {
      A.show('share-error', '');
      await A.loadCards();
      $('share-member-field').hidden = !A.memberOptions($('share-member'), false);
      listShares();
    }
  });
  $('share-form').addEventListener('submit', share);
  $('share-copy').addEventListener('click', copy);
  $('share-native').addEventListener('click', nativeShare);
  $('share-member').addEventListener('change', () => { $('share-result').hidden = true; listShares(); });
})(window.App);
