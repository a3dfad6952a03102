/* session.js: signing in and everything about the user — login (user, place
   of attention, password), the forced password change of a first login,
   the forgotten password (a code by e-mail), the password change, the
   profile (e-mail, phone), "Cambiar prestador" and Salir. The session is an
   HttpOnly cookie the page never sees; the page keeps only the session's
   answer (user, provider, CSRF token) in memory. */
'use strict';
(function (P) {
  const { $, el } = P;

  // The session answer arrived: header, navigation, the idle clock.
  function setSession(session) {
    P.state.session = session;
    P.state.lastActivityMs = Date.now();
    const p = session.provider || {};
    $('who').hidden = false;
    $('who-provider').textContent = [p.id, p.name].filter(Boolean).join(' — ') +
      (p.center ? ` (${p.center})` : '');
    $('who-user').textContent = session.name ? `${session.name} (${session.user})` : session.user;
    const locked = Boolean(session.must_change_password);
    $('nav').hidden = locked;
    $('menu-toggle').hidden = locked;
    $('nav-switch').hidden = !(session.providers && session.providers.length > 1);
    for (const li of document.querySelectorAll('#nav li[data-kinds]')) {
      li.hidden = !li.dataset.kinds.split(' ').includes(p.kind);
    }
  }

  function clearSession() {
    P.state.session = null;
    $('who').hidden = true;
    $('nav').hidden = true;
    $('menu-toggle').hidden = true;
  }

  // The first screen of a provider: its kind's authorizations.
  function home() { return P.providerKind() === 'DENTIST' ? 'odontologia' : 'autorizaciones'; }

  function loginNotice(text) { P.show('login-notice', text); }

  // A 401 from any API call: the session ended (idle timeout, logout in
  // another tab, a password change elsewhere). The screen asked for stays in
  // the address, so signing in again returns to it; the order screens keep
  // what was typed.
  P.onSessionLost = function (why) {
    if (!P.state.session) return;
    clearSession();
    loginNotice(why === 'idle' ? 'Tu sesión se cerró por inactividad. Ingresá de nuevo para seguir.'
      : 'Tu sesión se cerró. Ingresá de nuevo para seguir.');
    P.showScreen('ingreso');
  };

  // --- login ---

  const LOGIN_FIELDS = { user: 'login-user', provider: 'login-provider', password: 'login-password' };

  async function login(ev) {
    ev.preventDefault();
    const form = $('login-form');
    P.clearErrors(form);
    P.show('login-error', '');
    const body = { user: $('login-user').value.trim(), provider: $('login-provider').value.trim().toUpperCase(),
      password: $('login-password').value };
    const missing = { user: 'Escribí tu usuario.', provider: 'Escribí el código del lugar de atención.',
      password: 'Escribí tu contraseña.' };
    let first = null;
    for (const [field, text] of Object.entries(missing)) {
      if (!body[field]) {
        P.fieldError(LOGIN_FIELDS[field], text);
        first = first || LOGIN_FIELDS[field];
      }
    }
    if (first) return $(first).focus();
    P.setBusy(form, true);
    const answer = await P.api('POST', '/v1/portal/login', body);
    P.setBusy(form, false);
    if (answer.ok) {
      $('login-password').value = '';
      loginNotice('');
      setSession(answer.data);
      return enterApp();
    }
    const field = answer.error && answer.error.field;
    if (answer.status === 400 && LOGIN_FIELDS[field]) {
      P.fieldError(LOGIN_FIELDS[field], P.errorText(answer));
      return $(LOGIN_FIELDS[field]).focus();
    }
    if (answer.status === 401) {
      const text = answer.error && answer.error.message ? P.sentence(answer.error.message)
        : 'El usuario, el lugar de atención o la contraseña no son correctos.';
      P.fieldError('login-password', text);
      $('login-password').value = '';
      return $('login-password').focus();
    }
    if (answer.status === 429) {
      const seconds = Number(answer.headers && answer.headers.get('Retry-After')) || 0;
      const minutes = Math.max(1, Math.ceil(seconds / 60));
      return P.show('login-error', answer.error && answer.error.message ? P.sentence(answer.error.message)
        : `Tu usuario quedó bloqueado por varios intentos fallidos. Probá de nuevo en ${minutes} minuto${minutes === 1 ? '' : 's'}.`);
    }
    if (answer.status === 404) return P.show('login-error', 'El ingreso con usuario todavía no está disponible en este servidor.');
    P.show('login-error', P.errorText(answer));
  }

  // After login (or a reload with a live session): the forced password
  // change first, else the screen in the address, else the provider's home.
  function enterApp() {
    if (P.state.session.must_change_password) return P.go('clave');
    const { name, params } = currentRoute();
    if (!name || ['ingreso', 'recuperar'].includes(name) || !P.screens[name]) return P.go(home());
    P.showScreen(name, params);
  }

  function currentRoute() {
    const m = /^#\/([a-z]+)(?:\?(.*))?$/.exec(location.hash || '');
    return m ? { name: m[1], params: new URLSearchParams(m[2] || '') } : { name: '', params: new URLSearchParams() };
  }

  // --- forgotten password ---
  // Two steps on one screen: the user (a code goes to its e-mail), then the
  // code and the new password. The server answers the first step the same
  // whether or not the user exists; the page says so.

  const RECOVERY_FIELDS = { user: 'recovery-user', code: 'recovery-code', new_password: 'recovery-new' };

  function recoveryStep(step) {
    $('recovery-form').hidden = step !== 1;
    $('recovery-confirm-form').hidden = step !== 2;
    P.clearErrors($('recovery-form'));
    P.clearErrors($('recovery-confirm-form'));
    P.show('recovery-error', '');
    P.show('recovery-confirm-error', '');
    if (step === 1) for (const id of ['recovery-code', 'recovery-new', 'recovery-repeat']) $(id).value = '';
    $(step === 1 ? 'recovery-user' : 'recovery-code').focus();
  }

  // The screen opens at its first step, with the user typed at the login.
  function enterRecovery() {
    if (!$('recovery-user').value) $('recovery-user').value = $('login-user').value.trim();
    recoveryStep(1);
    return true;
  }

  function waitText(answer) {
    const seconds = Number(answer.headers && answer.headers.get('Retry-After')) || 0;
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    return `Ya se pidieron varios códigos para este usuario. Probá de nuevo en ${minutes} minuto${minutes === 1 ? '' : 's'}.`;
  }

  async function recovery(ev) {
    ev.preventDefault();
    const form = $('recovery-form');
    P.clearErrors(form);
    P.show('recovery-error', '');
    const user = $('recovery-user').value.trim();
    if (!user) return focusError('recovery-user', 'Escribí tu usuario.');
    P.setBusy(form, true);
    const answer = await P.api('POST', '/v1/portal/recovery', { user });
    P.setBusy(form, false);
    if (!answer.ok) {
      if (answer.status === 400 && answer.error && answer.error.field === 'user') {
        return focusError('recovery-user', P.errorText(answer));
      }
      return P.show('recovery-error', answer.status === 429 ? waitText(answer) : P.errorText(answer));
    }
    recoveryStep(2);
    $('recovery-sent').textContent = 'Si el usuario existe y tiene un correo electrónico registrado, te enviamos un ' +
      'código de 6 dígitos. Buscá en tu correo el mensaje «Código para cambiar su contraseña del Portal de ' +
      'prestadores» (mirá también en el correo no deseado): vence en 15 minutos.';
  }

  async function recoveryConfirm(ev) {
    ev.preventDefault();
    const form = $('recovery-confirm-form');
    P.clearErrors(form);
    P.show('recovery-confirm-error', '');
    const body = { user: $('recovery-user').value.trim(), code: $('recovery-code').value.replace(/\s+/g, ''),
      new_password: $('recovery-new').value };
    if (!body.code) return focusError('recovery-code', 'Escribí el código que te llegó por correo.');
    if (!/^\d{6}$/.test(body.code)) return focusError('recovery-code', 'El código son los 6 dígitos del correo.');
    if (!body.new_password) return focusError('recovery-new', 'Escribí la contraseña nueva.');
    if ([...body.new_password].length < 8) return focusError('recovery-new', 'La contraseña debe tener al menos 8 caracteres.');
    if ($('recovery-repeat').value !== body.new_password) {
      return focusError('recovery-repeat', 'Las dos contraseñas no coinciden.');
    }
    P.setBusy(form, true);
    const answer = await P.api('POST', '/v1/portal/recovery/confirm', body);
    P.setBusy(form, false);
    if (!answer.ok) {
      const field = answer.error && answer.error.field;
      if (answer.status === 400 && RECOVERY_FIELDS[field]) {
        if (field === 'user') recoveryStep(1);
        return focusError(RECOVERY_FIELDS[field], P.errorText(answer));
      }
      return P.show('recovery-confirm-error', P.errorText(answer));
    }
    for (const id of ['recovery-code', 'recovery-new', 'recovery-repeat']) $(id).value = '';
    $('login-user').value = body.user;
    $('login-password').value = '';
    loginNotice('Listo: tu contraseña se cambió. Ingresá con la contraseña nueva.');
    P.go('ingreso');
  }

  function focusError(id, text) {
    P.fieldError(id, text);
    $(id).focus();
  }

  // --- password, profile, provider ---

  async function changePassword(ev) {
    ev.preventDefault();
    const form = $('password-form');
    P.clearErrors(form);
    P.show('password-error', '');
    P.show('password-done', '');
    const body = { current: $('password-current').value, new: $('password-new').value };
    if (!body.current) return focusError('password-current', 'Escribí tu contraseña actual.');
    if (!body.new) return focusError('password-new', 'Escribí la contraseña nueva.');
    if ($('password-repeat').value !== body.new) return focusError('password-repeat', 'Las dos contraseñas no coinciden.');
    P.setBusy(form, true);
    const answer = await P.api('POST', '/v1/portal/password', body);
    P.setBusy(form, false);
    if (!answer.ok) {
      const ids = { current: 'password-current', new: 'password-new' };
      const field = answer.error && answer.error.field;
      if (ids[field]) return focusError(ids[field], P.errorText(answer));
      return P.show('password-error', P.errorText(answer));
    }
    for (const id of ['password-current', 'password-new', 'password-repeat']) $(id).value = '';
    const wasForced = P.state.session && P.state.session.must_change_password;
    setSession(answer.data);
    if (wasForced && !answer.data.must_change_password) {
      P.go(home());
      return;
    }
    P.show('password-done', 'Listo: tu contraseña se cambió.');
  }

  function enterPassword() {
    const forced = Boolean(P.state.session && P.state.session.must_change_password);
    $('password-forced').hidden = !forced;
    $('password-logout').hidden = !forced;
    P.show('password-done', '');
  }

  function enterProfile() {
    const s = P.state.session || {};
    const p = s.provider || {};
    $('profile-user').textContent = s.user || '';
    $('profile-name').textContent = s.name || '—';
    $('profile-provider').textContent = [p.id, p.name].filter(Boolean).join(' — ');
    $('profile-email').value = s.email || '';
    $('profile-phone').value = s.phone || '';
    P.show('profile-done', '');
    P.show('profile-error', '');
    P.clearErrors($('profile-form'));
  }

  async function saveProfile(ev) {
    ev.preventDefault();
    const form = $('profile-form');
    P.clearErrors(form);
    P.show('profile-error', '');
    P.show('profile-done', '');
    const body = { email: $('profile-email').value.trim(), phone: $('profile-phone').value.trim() };
    if (body.email && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(body.email)) {
      return focusError('profile-email', 'El correo electrónico no parece válido (por ejemplo nombre@dominio.com.ar).');
    }
    P.setBusy(form, true);
    const answer = await P.api('POST', '/v1/portal/profile', body);
    P.setBusy(form, false);
    if (!answer.ok) {
      const ids = { email: 'profile-email', phone: 'profile-phone' };
      const field = answer.error && answer.error.field;
      if (ids[field]) return focusError(ids[field], P.errorText(answer));
      return P.show('profile-error', P.errorText(answer));
    }
    setSession(answer.data);
    P.show('profile-done', 'Listo: guardamos tu correo y tu teléfono.');
  }

  function enterSwitch() {
    const s = P.state.session || {};
    const current = s.provider ? s.provider.id : '';
    $('switch-options').replaceChildren(...(s.providers || []).map((p) => {
      const id = `switch-${p.id}`;
      return el('div', { className: 'radio' }, [
        el('input', { type: 'radio', name: 'switch-provider', id, value: p.id, checked: p.id === current }),
        el('label', { for: id }, [el('strong', { text: p.id }), ` — ${p.name || ''}`,
          p.center ? el('span', { className: 'muted', text: ` (${p.center})` }) : null,
          p.kind ? el('span', { className: 'muted', text: ` · ${P.label(P.PROVIDER_KIND, p.kind)}` }) : null])
      ]);
    }));
    P.show('switch-error', '');
  }

  async function switchProvider(ev) {
    ev.preventDefault();
    const chosen = document.querySelector('input[name="switch-provider"]:checked');
    if (!chosen) return P.show('switch-error', 'Elegí un prestador.');
    const form = $('switch-form');
    P.setBusy(form, true);
    const answer = await P.api('POST', '/v1/portal/provider', { provider: chosen.value });
    P.setBusy(form, false);
    if (!answer.ok) return P.show('switch-error', P.errorText(answer));
    // Another provider: nothing typed for the previous one may carry over.
    setSession(answer.data);
    history.replaceState(null, '', `#/${home()}`);
    location.reload();
  }

  async function logout() {
    await P.api('POST', '/v1/portal/logout', {});
    clearSession();
    // A fresh page: nothing typed for this user stays on a shared counter.
    try { sessionStorage.setItem('autoriza.portal.notice', 'Cerraste la sesión.'); } catch (e) { /* storage off */ }
    history.replaceState(null, '', '#/ingreso');
    location.reload();
  }

  // The session ends after idle_timeout_s without a request: the server
  // forgets it; the page goes back to the login at the same moment.
  function watchIdle() {
    setInterval(() => {
      const s = P.state.session;
      if (!s || !s.idle_timeout_s) return;
      if (Date.now() - P.state.lastActivityMs > s.idle_timeout_s * 1000) P.onSessionLost('idle');
    }, 15000);
  }

  // GET /v1/portal/session: who is signed in, if anyone.
  async function boot() {
    let notice = '';
    try {
      notice = sessionStorage.getItem('autoriza.portal.notice') || '';
      sessionStorage.removeItem('autoriza.portal.notice');
    } catch (e) { notice = ''; }
    const answer = await P.api('GET', '/v1/portal/session');
    if (answer.ok && answer.data && answer.data.user) {
      setSession(answer.data);
      return enterApp();
    }
    clearSession();
    loginNotice(notice);
    const { name } = currentRoute();
    P.showScreen(name === 'recuperar' ? 'recuperar' : 'ingreso');
  }

  // The login starts at its first empty field: what a counter types first.
  P.screen('ingreso', {
    enter() {
      P.show('login-error', '');
      const first = ['login-user', 'login-provider', 'login-password'].find((id) => !$(id).value) || 'login-user';
      $(first).focus();
      return true;
    }
  });
  P.screen('recuperar', { enter: enterRecovery });
  P.screen('clave', { enter: enterPassword });
  P.screen('perfil', { enter: enterProfile });
  P.screen('prestador', { enter: enterSwitch });

  $('login-form').addEventListener('submit', login);
  $('recovery-form').addEventListener('submit', recovery);
  $('recovery-confirm-form').addEventListener('submit', recoveryConfirm);
  $('recovery-again').addEventListener('click', () => recoveryStep(1));
  $('password-form').addEventListener('submit', changePassword);
  $('password-logout').addEventListener('click', logout);
  $('profile-form').addEventListener('submit', saveProfile);
  $('switch-form').addEventListener('submit', switchProvider);
  $('logout').addEventListener('click', logout);

  Object.assign(P, { setSession, home, boot, watchIdle, currentRoute, enterApp });
})(window.Portal);
