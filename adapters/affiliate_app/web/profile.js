/* profile.js: Perfil (the affiliate's data from the session and its own
   card; change the password, POST /v1/account/password {current_password,
   new_password}; change the e-mail, POST /v1/account/email {password,
   email}), Datos útiles (the insurer's phones, addresses, e-mails and web,
   GET /v1/insurer) and the phone's "Más" menu. */
'use strict';
(function (A) {
  const { $, el } = A;

  async function enterProfile() {
    for (const id of ['password-error', 'password-done', 'email-error', 'email-done']) A.show(id, '');
    const s = A.state.session || {};
    const a = s.affiliate || {};
    await A.loadCards();
    const card = A.state.cards.find((c) => c.credential === a.credential) || {};
    $('profile-name').textContent = a.name || card.name || '—';
    $('profile-document').textContent = card.document ? A.dni(card.document) : '—';
    $('profile-cuil').textContent = card.cuil ? A.cuil(card.cuil) : '—';
    $('profile-credential').textContent = a.credential || '—';
    $('profile-plan').textContent = a.plan || card.plan || '—';
    // The account's e-mail, as the session names it.
    $('profile-email').textContent = s.email || a.email || '';
    $('profile-email').parentElement.hidden = !$('profile-email').textContent;
    $('profile-role').textContent = s.titular ? 'Titular' : 'Integrante';
  }

  async function changePassword(ev) {
    ev.preventDefault();
    const form = $('password-form');
    A.clearErrors(form);
    A.show('password-error', '');
    A.show('password-done', '');
    const current = $('password-current').value;
    const next = $('password-new').value;
    if (!current) return A.focusError('password-current', 'Escribí tu contraseña actual.');
    if (!next) return A.focusError('password-new', 'Escribí la contraseña nueva.');
    if ([...next].length < 8) return A.focusError('password-new', 'La contraseña debe tener al menos 8 caracteres.');
    if ($('password-repeat').value !== next) return A.focusError('password-repeat', 'Las dos contraseñas no coinciden.');
    A.setBusy(form, true);
    const answer = await A.api('POST', '/v1/account/password', { current_password: current, new_password: next });
    A.setBusy(form, false);
    if (!answer.ok) {
      const ids = { current_password: 'password-current', new_password: 'password-new', password: 'password-new' };
      const field = answer.error && answer.error.field;
      if (ids[field]) return A.focusError(ids[field], A.errorText(answer));
      return A.show('password-error', A.errorText(answer));
    }
    for (const id of ['password-current', 'password-new', 'password-repeat']) $(id).value = '';
    if (answer.data && answer.data.csrf) A.setSession(answer.data);
    A.show('password-done', 'Listo: tu contraseña se cambió.');
  }

  async function changeEmail(ev) {
    ev.preventDefault();
    const form = $('email-form');
    A.clearErrors(form);
    A.show('email-error', '');
    A.show('email-done', '');
    const email = $('email-new').value.trim();
    const password = $('email-password').value;
    if (!A.looksLikeEmail(email)) return A.focusError('email-new', 'Escribí un correo electrónico, por ejemplo nombre@dominio.com.ar.');
    if (!password) return A.focusError('email-password', 'Escribí tu contraseña.');
    A.setBusy(form, true);
    const answer = await A.api('POST', '/v1/account/email', { password, email });
    A.setBusy(form, false);
    if (!answer.ok) {
      const ids = { email: 'email-new', password: 'email-password', current_password: 'email-password' };
      const field = answer.error && answer.error.field;
      if (ids[field]) return A.focusError(ids[field], A.errorText(answer));
      return A.show('email-error', A.errorText(answer));
    }
    $('email-password').value = '';
    $('email-new').value = '';
    if (answer.data && answer.data.csrf) A.setSession(answer.data);
    else if (A.state.session) A.state.session.email = email;
    $('profile-email').textContent = (A.state.session && A.state.session.email) || email;
    $('profile-email').parentElement.hidden = false;
    A.show('email-done', answer.data && A.isSpanish(answer.data.message) ? A.sentence(answer.data.message)
      : 'Listo: guardamos tu correo electrónico nuevo.');
  }

  // --- Datos útiles ---

  function group(titleText, items, render) {
    if (!items || !items.length) return null;
    return el('section', { className: 'info-group' }, [el('h2', { text: titleText }),
      el('ul', { className: 'info-list' }, items.map(render))]);
  }

  function phoneItem(p) {
    const number = typeof p === 'string' ? p : p.number;
    const tel = String(number || '').replace(/[^\d+]/g, '');
    return el('li', {}, [
      p.label ? el('span', { className: 'info-label', text: p.label }) : null,
      el('a', { href: `tel:${tel}`, className: 'info-link', 'data-testid': 'info-phone' }, [number])
    ]);
  }

  function addressItem(a) {
    return el('li', {}, [a.label ? el('span', { className: 'info-label', text: a.label }) : null,
      el('span', { text: typeof a === 'string' ? a : a.text })]);
  }

  function emailItem(e) {
    const address = typeof e === 'string' ? e : e.address || e.email;
    return el('li', {}, [e.label ? el('span', { className: 'info-label', text: e.label }) : null,
      el('a', { href: `mailto:${address}`, className: 'info-link' }, [address])]);
  }

  async function enterInfo() {
    const i = await A.loadInsurer();
    const web = i.web ? group('Sitio web', [i.web], (w) => el('li', {}, [
      el('a', { href: w, className: 'info-link', rel: 'noopener' }, [w.replace(/^https?:\/\//, '')])])) : null;
    const groups = [group('Teléfonos', i.phones, phoneItem), group('Direcciones', i.addresses, addressItem),
      group('Correo electrónico', i.emails, emailItem), web].filter(Boolean);
    $('info-panel').replaceChildren(el('p', { className: 'info-name', text: i.name }), ...(groups.length ? groups
      : [el('p', { className: 'muted', text: 'La obra social todavía no cargó sus teléfonos ni sus direcciones.' })]));
  }

  A.screen('perfil', { enter: enterProfile });
  A.screen('datos', { enter: enterInfo });
  A.screen('mas', {});
  $('password-form').addEventListener('submit', changePassword);
  $('email-form').addEventListener('submit', changeEmail);
})(window.App);
