/* session.js: signing in and out — Ingresar (DNI or CUIL and password),
   Registrarme (the padron's data, then the code mailed to the family's
   titular), Recuperar la contraseña (a code by e-mail), the idle clock and
   the end of a session. The session is an HttpOnly cookie the page never
   sees; the page keeps only the session's answer (affiliate, CSRF token) in
   memory. */
'use strict';
(function (A) {
  const { $ } = A;
  const NOTICE_KEY = 'autoriza.afiliados.notice';

  // The session answer arrived: header, navigation, the idle clock.
  function setSession(session) {
    A.state.session = session;
    A.state.lastActivityMs = Date.now();
    const a = session.affiliate || {};
    $('who').textContent = a.name || '';
    $('who').hidden = !a.name;
    $('nav').hidden = false;
  }

  function clearSession() {
    A.state.session = null;
    A.state.cards = [];
    A.state.shown = '';
    $('who').hidden = true;
    $('nav').hidden = true;
  }

  function loginNotice(text) { A.show('login-notice', text); }

  // A 401 from any call of the session, or the idle clock: back to Ingresar.
  A.onSessionLost = function (why) {
    if (!A.state.session) return;
    clearSession();
    loginNotice(why === 'idle' ? 'Tu sesión venció por inactividad. Ingresá de nuevo.'
      : 'Tu sesión venció. Ingresá de nuevo.');
    // The address stays: signing in again returns to the same screen.
    A.showScreen('ingresar');
  };

  // --- Ingresar ---

  // Retry-After seconds -> "hasta las 14:35 (15 minutos)".
  function lockedUntil(answer) {
    const seconds = Number(answer.headers && answer.headers.get('Retry-After')) || 0;
    const minutes = Math.max(1, Math.ceil(seconds / 60));
    const at = A.localParts(Date.now() + seconds * 1000).text.slice(11);
    return `Podés volver a intentar a las ${at} (en ${minutes} minuto${minutes === 1 ? '' : 's'}).`;
  }

  async function login(ev) {
    ev.preventDefault();
    const form = $('login-form');
    A.clearErrors(form);
    A.show('login-error', '');
    const who = A.identity($('login-id').value);
    const password = $('login-password').value;
    if (!$('login-id').value.trim()) return A.focusError('login-id', 'Escribí tu DNI o tu CUIL.');
    if (!who) return A.focusError('login-id', 'El DNI tiene 7 u 8 números; el CUIL, 11.');
    if (!password) return A.focusError('login-password', 'Escribí tu contraseña.');
    A.setBusy(form, true);
    const answer = await A.api('POST', '/v1/account/login', Object.assign({ password }, who));
    A.setBusy(form, false);
    if (answer.ok) {
      $('login-password').value = '';
      loginNotice('');
      setSession(answer.data);
      return enterApp();
    }
    const field = answer.error && answer.error.field;
    if (answer.status === 400 && (field === 'document' || field === 'cuil' || field === 'password')) {
      return A.focusError(field === 'password' ? 'login-password' : 'login-id', A.errorText(answer));
    }
    if (answer.status === 401) {
      $('login-password').value = '';
      A.show('login-error', A.errorText(answer));
      return $('login-password').focus();
    }
    if (answer.status === 429) {
      const text = A.isSpanish(answer.error.message) ? A.sentence(answer.error.message)
        : 'Tu cuenta quedó bloqueada por varios intentos fallidos.';
      return A.show('login-error', `${text} ${lockedUntil(answer)}`);
    }
    A.show('login-error', A.errorText(answer));
  }

  // After login (or a reload with a live session): the screen in the
  // address, else Mi credencial.
  function enterApp() {
    const { name, params } = A.currentRoute();
    if (!name || PUBLIC.includes(name) || !A.screens[name]) return A.go('credencial');
    A.showScreen(name, params);
  }

  // --- Registrarme and Recuperar la contraseña: two steps each ---

  function idFieldOf(prefix) {
    if (prefix === 'register') return $('register-by-cuil').checked ? 'register-cuil' : 'register-document';
    return `${prefix}-id`;
  }

  // The identity typed in a form, or an error next to its field (null).
  function formIdentity(prefix) {
    const id = idFieldOf(prefix);
    const text = $(id).value;
    const who = A.identity(text);
    const byCuil = id === 'register-cuil';
    if (!text.trim()) A.focusError(id, byCuil ? 'Escribí tu CUIL.' : id === 'register-document' ? 'Escribí tu DNI.' : 'Escribí tu DNI o tu CUIL.');
    else if (!who || (byCuil && !who.cuil) || (id === 'register-document' && !who.document)) {
      A.focusError(id, byCuil ? 'El CUIL tiene 11 números.' : id === 'register-document' ? 'El DNI tiene 7 u 8 números.'
        : 'El DNI tiene 7 u 8 números; el CUIL, 11.');
    } else return who;
    return null;
  }

  function passwordsOk(newId, repeatId) {
    const value = $(newId).value;
    if (!value) return A.focusError(newId, 'Escribí una contraseña.'), false;
    if ([...value].length < 8) return A.focusError(newId, 'La contraseña debe tener al menos 8 caracteres.'), false;
    if ($(repeatId).value !== value) return A.focusError(repeatId, 'Las dos contraseñas no coinciden.'), false;
    return true;
  }

  // A 400 naming a field goes next to it; anything else above the button.
  function showAnswerError(answer, fields, boxId) {
    const field = answer.error && answer.error.field;
    if (answer.status === 400 && fields[field]) return A.focusError(fields[field], A.errorText(answer));
    A.show(boxId, A.errorText(answer));
  }

  // Business answers (200) carry a status: the refusals' messages are Spanish.
  function refused(answer, boxId) {
    if (!answer.data || ['VERIFICATION_SENT', 'RECOVERY_SENT', 'REGISTERED', 'PASSWORD_CHANGED'].includes(answer.data.status)) {
      return false;
    }
    A.show(boxId, A.sentence(answer.data.message) || 'No se pudo completar el pedido.');
    return true;
  }

  function step(prefix, n) {
    $(`${prefix}-form`).hidden = n !== 1;
    $(`${prefix}-confirm-form`).hidden = n !== 2;
    A.clearErrors($(`${prefix}-form`));
    A.clearErrors($(`${prefix}-confirm-form`));
    for (const box of [`${prefix}-error`, `${prefix}-confirm-error`]) A.show(box, '');
    $(n === 1 ? idFieldOf(prefix) : `${prefix}-code`).focus();
  }

  const sendRegister = A.commandSender();
  const sendRegisterConfirm = A.commandSender();
  let registering = null;   // the identity of step 1, for step 2

  function toggleCuil() {
    const byCuil = $('register-by-cuil').checked;
    $('register-cuil-field').hidden = !byCuil;
    $('register-document-field').hidden = byCuil;
  }

  async function register(ev) {
    ev.preventDefault();
    const form = $('register-form');
    A.clearErrors(form);
    A.show('register-error', '');
    const who = formIdentity('register');
    if (!who) return;
    const birth = A.parseBirth($('register-birth').value);
    if (!$('register-birth').value.trim()) return A.focusError('register-birth', 'Escribí tu fecha de nacimiento.');
    if (!birth) return A.focusError('register-birth', 'Escribí la fecha como dd/mm/aaaa, por ejemplo 14/03/1975.');
    const email = $('register-email').value.trim();
    if (!A.looksLikeEmail(email)) return A.focusError('register-email', 'Escribí un correo electrónico, por ejemplo nombre@dominio.com.ar.');
    if (!passwordsOk('register-password', 'register-repeat')) return;
    A.setBusy(form, true);
    const answer = await sendRegister('/v1/registrations',
      Object.assign({}, who, { birth_date: birth, email, password: $('register-password').value }));
    A.setBusy(form, false);
    if (!answer.ok) {
      return showAnswerError(answer, { document: 'register-document', cuil: 'register-cuil', birth_date: 'register-birth',
        email: 'register-email', password: 'register-password' }, 'register-error');
    }
    if (refused(answer, 'register-error')) return;
    registering = who;
    step('register', 2);
    $('register-sent').textContent = `${A.sentence(answer.data.message) || 'Te enviamos un código.'} Buscá el mensaje ` +
      '«Código de verificación de su credencial digital» (mirá también en el correo no deseado): trae un código de 6 ' +
      'dígitos que vence en 15 minutos.';
  }

  async function registerConfirm(ev) {
    ev.preventDefault();
    const form = $('register-confirm-form');
    A.clearErrors(form);
    A.show('register-confirm-error', '');
    const code = $('register-code').value.replace(/\D/g, '');
    if (code.length !== 6) return A.focusError('register-code', 'El código son los 6 dígitos del correo.');
    A.setBusy(form, true);
    const answer = await sendRegisterConfirm('/v1/registrations/confirm', Object.assign({}, registering, { code }));
    A.setBusy(form, false);
    if (!answer.ok) return showAnswerError(answer, { code: 'register-code' }, 'register-confirm-error');
    if (refused(answer, 'register-confirm-error')) return;
    const typed = $(idFieldOf('register')).value.trim();
    for (const id of ['register-code', 'register-password', 'register-repeat']) $(id).value = '';
    step('register', 1);
    $('login-id').value = typed;
    loginNotice('Listo: tu cuenta quedó registrada. Ingresá con tu contraseña.');
    A.go('ingresar');
  }

  const sendRecovery = A.commandSender();
  const sendRecoveryConfirm = A.commandSender();
  let recovering = null;

  async function recovery(ev) {
    ev.preventDefault();
    const form = $('recovery-form');
    A.clearErrors(form);
    A.show('recovery-error', '');
    const who = formIdentity('recovery');
    if (!who) return;
    const email = $('recovery-email').value.trim();
    if (!A.looksLikeEmail(email)) return A.focusError('recovery-email', 'Escribí el correo electrónico de tu cuenta.');
    A.setBusy(form, true);
    const answer = await sendRecovery('/v1/password_recovery', Object.assign({}, who, { email }));
    A.setBusy(form, false);
    if (!answer.ok) {
      return showAnswerError(answer, { document: 'recovery-id', cuil: 'recovery-id', email: 'recovery-email' }, 'recovery-error');
    }
    if (refused(answer, 'recovery-error')) return;
    recovering = who;
    step('recovery', 2);
    $('recovery-sent').textContent = `${A.sentence(answer.data.message) || 'Te enviamos un código.'} Vence en 15 minutos ` +
      '(mirá también en el correo no deseado).';
  }

  async function recoveryConfirm(ev) {
    ev.preventDefault();
    const form = $('recovery-confirm-form');
    A.clearErrors(form);
    A.show('recovery-confirm-error', '');
    const code = $('recovery-code').value.replace(/\D/g, '');
    if (code.length !== 6) return A.focusError('recovery-code', 'El código son los 6 dígitos del correo.');
    if (!passwordsOk('recovery-new', 'recovery-repeat')) return;
    A.setBusy(form, true);
    const answer = await sendRecoveryConfirm('/v1/password_recovery/confirm',
      Object.assign({}, recovering, { code, password: $('recovery-new').value }));
    A.setBusy(form, false);
    if (!answer.ok) {
      return showAnswerError(answer, { code: 'recovery-code', password: 'recovery-new' }, 'recovery-confirm-error');
    }
    if (refused(answer, 'recovery-confirm-error')) return;
    for (const id of ['recovery-code', 'recovery-new', 'recovery-repeat']) $(id).value = '';
    $('login-id').value = $('recovery-id').value.trim();
    step('recovery', 1);
    loginNotice('Listo: tu contraseña se cambió. Ingresá con la contraseña nueva.');
    A.go('ingresar');
  }

  // --- the end of a session ---

  // Logs out (everywhere: every device) and starts a fresh page, without
  // the last card kept for offline use: the phone may be shared.
  async function logout(everywhere) {
    await A.api('POST', '/v1/account/logout', everywhere ? { everywhere: true } : {});
    clearSession();
    await A.forgetOfflineCard();
    try {
      sessionStorage.setItem(NOTICE_KEY, everywhere ? 'Cerraste la sesión en todos los dispositivos.' : 'Cerraste la sesión.');
    } catch (e) { /* storage off */ }
    history.replaceState(null, '', '#/ingresar');
    location.reload();
  }

  // The page's idle clock counts the person's own actions only (the card's
  // automatic refresh is no activity): past idle_timeout_s the session is
  // closed on the server too.
  function watchIdle() {
    for (const type of ['pointerdown', 'keydown']) {
      document.addEventListener(type, () => { A.state.lastActivityMs = Date.now(); }, { passive: true });
    }
    setInterval(async () => {
      const s = A.state.session;
      if (!s || !s.idle_timeout_s || Date.now() - A.state.lastActivityMs <= s.idle_timeout_s * 1000) return;
      await A.api('POST', '/v1/account/logout', {});
      A.onSessionLost('idle');
    }, 10000);
  }

  // GET /v1/account/session: who is signed in, if anyone. Without a
  // connection, the last card saved on this phone.
  async function boot() {
    let notice = '';
    try {
      notice = sessionStorage.getItem(NOTICE_KEY) || '';
      sessionStorage.removeItem(NOTICE_KEY);
    } catch (e) { notice = ''; }
    const answer = await A.api('GET', '/v1/account/session');
    if (answer.ok && answer.data && answer.data.affiliate) {
      setSession(answer.data);
      return enterApp();
    }
    clearSession();
    loginNotice(notice);
    const saved = await A.hasOfflineCard();
    $('login-offline').hidden = !saved;
    if (answer.status === 0 && saved) return A.go('sin-conexion');
    const { name } = A.currentRoute();
    A.go(PUBLIC.includes(name) ? name : 'ingresar');
  }

  const PUBLIC = ['ingresar', 'registro', 'recuperar', 'sin-conexion'];

  A.screen('ingresar', {
    enter() {
      A.show('login-error', '');
      $($('login-id').value ? 'login-password' : 'login-id').focus();
      return true;
    }
  });
  A.screen('registro', { enter() { toggleCuil(); step('register', registering && !$('register-confirm-form').hidden ? 2 : 1); return true; } });
  A.screen('recuperar', {
    enter() {
      if (!$('recovery-id').value) $('recovery-id').value = $('login-id').value.trim();
      step('recovery', 1);
      return true;
    }
  });

  $('login-form').addEventListener('submit', login);
  $('register-by-cuil').addEventListener('change', toggleCuil);
  $('register-form').addEventListener('submit', register);
  $('register-confirm-form').addEventListener('submit', registerConfirm);
  $('register-again').addEventListener('click', () => step('register', 1));
  $('recovery-form').addEventListener('submit', recovery);
  $('recovery-confirm-form').addEventListener('submit', recoveryConfirm);
  $('recovery-again').addEventListener('click', () => step('recovery', 1));
  $('logout').addEventListener('click', () => logout(false));
  $('logout-all').addEventListener('click', () => logout(true));
  $('more-logout').addEventListener('click', () => logout(false));

  Object.assign(A, { setSession, clearSession, boot, watchIdle, enterApp, PUBLIC });
})(window.App);
