// The providers' portal's forgotten password in a real browser: from the
// login's "¿Olvidaste tu contraseña?", a code by e-mail (read back from the
// store's outbox.jsonl, the development mail spool), the code and a new
// password, then signing in with it. At 1280 px by clicks, for a user ops
// made through POST /v1/admin/users; on a 390 px phone by keyboard only, for
// a user locked out by failed sign-ins. axe-core on every screen; screenshots
// in $AUTORIZA_ARTIFACTS (default <build>/artifacts/portal-recovery).
//
//   AUTORIZA_BINARY=build/dev/autoriza node --test tests/npm/portal-recovery.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { login, openBrowser, screen, startPortal, textOf, logout }
  from './portal-helpers.mjs';

const SENT = /^Si el usuario existe y tiene un correo electrónico registrado, te enviamos un código de 6 dígitos\./;

let portal = null;
let base = '';
let store = '';
let users = {};
let keys = {};

before(async () => {
  portal = await startPortal('portal-recovery');
  ({ base, store, users, keys } = portal);
});

after(async () => { if (portal) await portal.stop(); });

// The mails of the spool to one address, oldest first.
function mailsTo(address) {
  const file = path.join(store, 'outbox.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((m) => m.to === address);
}

function codeOf(mail) {
  const m = /\b(\d{6})\b/.exec(mail.body);
  assert.ok(m, `a 6-digit code in: ${mail.body}`);
  return m[1];
}

// The mail a portal user gets: who, which portal, the code, 15 minutes.
function checkMail(mail, name, user) {
  assert.equal(mail.subject, 'Código para cambiar su contraseña del Portal de prestadores');
  assert.match(mail.body, new RegExp(`^Hola, ${name}:`));
  assert.match(mail.body, new RegExp(`usuario «${user}» del Portal de prestadores`));
  assert.match(mail.body, /Su código es: \d{6}\n/);
  assert.match(mail.body, /Vence en 15 minutos y sirve una sola vez/);
  assert.match(mail.body, /Si no lo pidió, ignore este mensaje/);
}

async function api(method, route, body, key) {
  const headers = { 'Content-Type': 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  const r = await fetch(`${base}${route}`, { method, headers, body: body && JSON.stringify(body) });
  return { status: r.status, data: await r.json() };
}

async function byClicks(b) {
  const { page } = b;
  // Ops make the user over HTTP; its initial password is shown once.
  const made = await api('POST', '/v1/admin/users', { user: 'recepcion', name: 'Recepción Central',
    email: 'recepcion@example.org', providers: ['LAB127'] }, keys.admin);
  assert.equal(made.status, 200, JSON.stringify(made.data));
  assert.equal(made.data.must_change_password, true);
  assert.ok(made.data.password, 'the generated password, once');

  await page.goto(`${base}/prestadores/`);
  await page.fill('#login-user', 'recepcion');
  await screen(b, 'ingreso');
  assert.equal(await textOf(page, '[data-testid="login-forgot"]'), '¿Olvidaste tu contraseña?');
  await page.click('[data-testid="login-forgot"]');
  await page.waitForSelector('[data-screen="recuperar"]:not([hidden])');
  assert.equal(await page.inputValue('#recovery-user'), 'recepcion', 'the user typed at the login');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'recovery-user');
  await screen(b, 'recuperar');

  // No user: the error next to the field.
  await page.fill('#recovery-user', '');
  await page.click('[data-testid="recovery-send"]');
  assert.equal(await textOf(page, '#recovery-user-error'), 'Escribí tu usuario.');
  await screen(b, 'recuperar-sin-usuario');

  // A name nobody has: the same answer, no mail.
  await page.fill('#recovery-user', 'nadie');
  await page.click('[data-testid="recovery-send"]');
  await page.waitForSelector('#recovery-confirm-form:not([hidden])');
  const neutral = await textOf(page, '[data-testid="recovery-sent"]');
  assert.match(neutral, SENT);
  assert.match(neutral, /Buscá en tu correo/);
  assert.ok(await page.locator('#recovery-form').isHidden(), 'one step at a time');
  await page.click('[data-testid="recovery-again"]');
  await page.waitForSelector('#recovery-form:not([hidden])');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'recovery-user');

  await page.fill('#recovery-user', 'recepcion');
  await page.click('[data-testid="recovery-send"]');
  await page.waitForSelector('#recovery-confirm-form:not([hidden])');
  assert.equal(await textOf(page, '[data-testid="recovery-sent"]'), neutral, 'the same words for every name');
  await screen(b, 'recuperar-codigo');
  const sent = mailsTo('recepcion@example.org');
  assert.equal(sent.length, 1, 'one mail');
  checkMail(sent[0], 'Recepción Central', 'recepcion');
  const code = codeOf(sent[0]);

  // A wrong code, two passwords that differ, a short one: each next to its field.
  await page.fill('#recovery-code', code === '000000' ? '111111' : '000000');
  await page.fill('#recovery-new', 'Recuperada-2026');
  await page.fill('#recovery-repeat', 'Recuperada-2026');
  await page.click('[data-testid="recovery-confirm"]');
  await page.waitForSelector('#recovery-code-error:not([hidden])');
  assert.match(await textOf(page, '#recovery-code-error'), /^El código no es correcto o ya no vale/);
  assert.equal(await page.evaluate(() => document.activeElement.id), 'recovery-code');
  await screen(b, 'recuperar-codigo-incorrecto');
  await page.fill('#recovery-code', code);
  await page.fill('#recovery-repeat', 'Recuperada-2025');
  await page.click('[data-testid="recovery-confirm"]');
  assert.equal(await textOf(page, '#recovery-repeat-error'), 'Las dos contraseñas no coinciden.');
  await page.fill('#recovery-new', 'corta');
  await page.fill('#recovery-repeat', 'corta');
  await page.click('[data-testid="recovery-confirm"]');
  assert.equal(await textOf(page, '#recovery-new-error'), 'La contraseña debe tener al menos 8 caracteres.');
  await page.fill('#recovery-new', 'Recuperada-2026');
  await page.fill('#recovery-repeat', 'Recuperada-2026');
  await page.click('[data-testid="recovery-confirm"]');
  await page.waitForSelector('[data-screen="ingreso"]:not([hidden])');
  assert.equal(await textOf(page, '[data-testid="login-notice"]'),
    'Listo: tu contraseña se cambió. Ingresá con la contraseña nueva.');
  assert.equal(await page.inputValue('#login-user'), 'recepcion');
  await screen(b, 'recuperar-listo');

  // The old password no longer opens; the new one does, and counts as chosen
  // by the user: no forced change.
  await login(page, 'recepcion', 'LAB127', made.data.password);
  await page.waitForSelector('#login-password-error:not([hidden])');
  await login(page, 'recepcion', 'LAB127', 'Recuperada-2026');
  await page.waitForSelector('[data-screen="autorizaciones"]:not([hidden])');
  await logout(page);
  assert.equal(mailsTo('recepcion@example.org').length, 1, 'still one mail');
}

async function byKeyboard(b) {
  const { page } = b;
  const user = users.odontologo;
  // Five failed sign-ins lock the user.
  for (let i = 1; i <= 5; ++i) {
    const r = await api('POST', '/v1/portal/login', { user: 'odontologo', provider: 'DEN333', password: `mal-${i}` });
    assert.equal(r.status, 401);
  }
  await page.goto(`${base}/prestadores/`);
  await page.waitForSelector('[data-screen="ingreso"]:not([hidden])');
  await page.keyboard.type('odontologo');
  await page.keyboard.press('Tab');
  await page.keyboard.type('DEN333');
  await page.keyboard.press('Tab');
  await page.keyboard.type(user.password);
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-testid="login-error"]:not([hidden])');
  assert.match(await textOf(page, '[data-testid="login-error"]'), /bloqueado/);
  // From the password field: Tab to "Ingresar", Tab to the link, Enter.
  await page.focus('#login-password');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.dataset.testid), 'login-forgot');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-screen="recuperar"]:not([hidden])');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'recovery-user');
  assert.equal(await page.inputValue('#recovery-user'), 'odontologo');
  await screen(b, 'recuperar');
  await page.keyboard.press('Enter');
  await page.waitForSelector('#recovery-confirm-form:not([hidden])');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'recovery-code');
  assert.match(await textOf(page, '[data-testid="recovery-sent"]'), SENT);
  await screen(b, 'recuperar-codigo');
  const sent = mailsTo('odontologo@example.org');
  assert.equal(sent.length, 1, 'one mail');
  checkMail(sent[0], 'Odontólogo de prueba', 'odontologo');
  await page.keyboard.type(codeOf(sent[0]));
  await page.keyboard.press('Tab');
  await page.keyboard.type('Sonrisa-2026');
  await page.keyboard.press('Tab');
  await page.keyboard.type('Sonrisa-2026');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-screen="ingreso"]:not([hidden])');
  await screen(b, 'recuperar-listo');
  // The login starts at its first empty field (user and place of attention
  // stay typed); the lock is gone.
  assert.equal(await page.evaluate(() => document.activeElement.id), 'login-password');
  await page.keyboard.type('Sonrisa-2026');
  await page.keyboard.press('Enter');
  await page.waitForSelector('[data-screen="odontologia"]:not([hidden])');
}

const PASSES = [
  { name: 'escritorio', width: 1280, height: 900, mobile: false, flow: byClicks },
  { name: 'telefono', width: 390, height: 844, mobile: true, flow: byKeyboard }
];

for (const pass of PASSES) {
  test(`forgotten password at ${pass.width} px (${pass.name})`, async () => {
    const b = await openBrowser(pass, { dir: portal.tmp, base, artifacts: portal.artifacts });
    try {
      await pass.flow(b);
      assert.deepEqual(b.problems, [], 'no script error, nothing fetched from outside the binary');
    } catch (e) {
      portal.keep();
      await b.page.screenshot({ path: path.join(portal.artifacts, `${pass.name}-FAILED.png`), fullPage: true }).catch(() => {});
      throw e;
    } finally {
      await b.context.close();
    }
  });
}
