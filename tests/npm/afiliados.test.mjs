// The affiliates' app (/afiliados/, adapters/affiliate_app) in a real
// browser: Debian's /usr/bin/chromium driven by playwright-core (never a
// downloaded browser) against a real `autoriza serve` on the sample data.
// Every flow is done by clicks and typing, on a 390 px phone and at 1280 px:
// registration (the code read back from the store's outbox.jsonl), login,
// a lockout, Mi credencial (its QR decoded with zbarimg and verified through
// the API), the family (the titular sees every card, a member only hers),
// sharing and the recipient's page in a fresh browser, revoking, a token
// used by a provider through the HTTP API and then in Mis prestaciones, the
// pre-printed sheet, the profile (a new password), Datos útiles, the offline
// card, an expired session, logout. axe-core runs on every screen (a
// serious or critical violation fails); screenshots of every screen go to
// $AUTORIZA_ARTIFACTS (default <build>/artifacts/afiliados).
//
//   AUTORIZA_BINARY=build/dev/autoriza node --test tests/npm/afiliados.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { codeOf, mailsTo, openBrowser, screen, startPortal, textOf, visible } from './portal-helpers.mjs';

// Sample affiliates (ops/sample-data/affiliates.csv). Juan's plan (PMO) asks
// for tokens; Adrián is the titular of the sample family (serve
// --sample-family registers him and María, a member, whose mails go to him).
const JUAN = { document: '29999998', birth: '10/01/2006', email: 'juan.prueba@example.org', credential: '220000100001',
  beneficiary: '220000100001/00', name: 'AFILIADO DE PRUEBA, JUAN', password: 'Juan-Clave-2026' };
const LUCIA = { document: '40111222', cuil: '27-40111222-2', birth: '09/09/2001', email: 'lucia.gomez@example.org',
  credential: '220000100004', beneficiary: '220000100004/00', name: 'GOMEZ, LUCIA', password: 'Lucia-Clave-2026' };
const ADRIAN = { document: '24515260', credential: '110000783851', beneficiary: '110000783851/00', name: 'CATALDI, ADRIAN' };
const MARIA = { document: '26111222', credential: '110000783852', beneficiary: '110000783851/01',
  name: 'CATALDI, MARIA LAURA' };
const CARLOS = { document: '17888999', birth: '28/02/1968', email: 'carlos.sistemas@example.org', credential: '354495' };
const JOSE = { document: '8333444', birth: '24/12/1940', email: 'carlos.sistemas@example.org', credential: '438908' };

let portal = null;
let base = '';
let store = '';
let keys = {};

before(async () => {
  portal = await startPortal('afiliados', { serveArgs: ['--sample-family'] });
  ({ base, store, keys } = portal);
  // The sample family's accounts: serve registered them (development).
  for (const person of [ADRIAN, MARIA]) {
    const row = portal.affiliates.find((a) => a.document === person.document);
    assert.ok(row, `serve --sample-family registered ${person.name} (STORE/dev-affiliates.csv)`);
    person.password = row.password;
  }
  for (const person of [CARLOS, JOSE]) person.password = await registerByApi(person, `Bloqueo-${person.document}`);
  // María's order (a member's), for the family's history.
  await api('POST', '/v1/authorize', { request_id: 'orden-maria', provider: 'LAB127', credential: MARIA.credential,
    prescribed_on: localDay(), prescriber: { kind: 'MD', license: '1234' }, items: [{ code: '000118' }] },
  keys['provider-LAB127']);
});

after(async () => { if (portal) await portal.stop(); });

// --- the API, as a provider or an app would call it ---

// Argentina's local date (UTC-03:00), YYYY-MM-DD.
function localDay() { return new Date(Date.now() - 3 * 3600e3).toISOString().slice(0, 10); }

async function api(method, route, body, key) {
  const headers = { 'Content-Type': 'application/json' };
  if (key) headers.Authorization = `Bearer ${key}`;
  const r = await fetch(`${base}${route}`, { method, headers, body: body && JSON.stringify(body) });
  const data = await r.json();
  if (key) assert.equal(r.status, 200, `${method} ${route}: ${JSON.stringify(data)}`);
  return { status: r.status, data };
}

// Registers an affiliate through the API (the code from the outbox).
async function registerByApi(person, password) {
  const id = `api-${person.document}`;
  const before = mailsTo(store, person.email).length;
  const started = await api('POST', '/v1/registrations', { request_id: `${id}-1`, document: person.document,
    birth_date: person.birth.replace(/\//g, ''), email: person.email, password });
  assert.equal(started.data.status, 'VERIFICATION_SENT', JSON.stringify(started.data));
  const mails = mailsTo(store, person.email);
  assert.equal(mails.length, before + 1, 'one mail with the code');
  const done = await api('POST', '/v1/registrations/confirm', { request_id: `${id}-2`, document: person.document,
    code: codeOf(mails[mails.length - 1]) });
  assert.equal(done.data.status, 'REGISTERED', JSON.stringify(done.data));
  return password;
}

// --- the app ---

const shown = (name) => `[data-screen="${name}"]:not([hidden])`;

// A section by the navigation: the bar's link, or on a phone Más -> link.
async function go(b, name) {
  const { page } = b;
  const link = visible(page, `#nav a[data-nav="${name}"]`);
  if (await page.locator(`#nav a[data-nav="${name}"]`).filter({ visible: true }).count()) await link.click();
  else {
    await page.click('#nav a[data-nav="mas"]');
    await page.waitForSelector(shown('mas'));
    await page.click(`[data-screen="mas"] a[href="#/${name}"]`);
  }
  await page.waitForSelector(shown(name));
}

async function login(page, id, password) {
  await page.waitForSelector(shown('ingresar'));
  await page.fill('#login-id', id);
  await page.fill('#login-password', password);
  await page.click('[data-testid="login-submit"]');
}

async function loginAndWait(b, id, password) {
  await login(b.page, id, password);
  await b.page.waitForSelector(shown('credencial'));
  await b.page.waitForSelector('[data-testid="card-qr"]');
}

async function logout(b, everywhere) {
  await go(b, 'perfil');
  await b.page.click(`[data-testid="${everywhere ? 'logout-all' : 'logout'}"]`);
  await b.page.waitForSelector(shown('ingresar'));
  await b.page.waitForFunction(
    () => /Cerraste la sesión/.test(document.querySelector('[data-testid="login-notice"]').textContent));
}

// The card's QR as the screen shows it, read by a real QR reader.
async function qrPayload(b, name) {
  const file = path.join(b.artifacts, `${b.pass.name}-qr-${name}.png`);
  await visible(b.page, '[data-testid="card-qr"]').screenshot({ path: file });
  return execFileSync('zbarimg', ['--raw', '-q', file], { encoding: 'utf8' }).trim();
}

// --- the flows ---

// Registrarme (by DNI, or by CUIL: IOMA) with the code of the outbox.
async function register(b, person, byCuil) {
  const { page } = b;
  await page.goto(`${base}/afiliados/`);
  await page.waitForSelector(shown('ingresar'));
  await screen(b, 'ingresar');
  await page.click('[data-testid="login-register"]');
  await page.waitForSelector(shown('registro'));
  if (byCuil) {
    await page.check('#register-by-cuil');
    await page.fill('#register-cuil', person.cuil);
  } else {
    await page.fill('#register-document', person.document);
  }
  await page.fill('#register-birth', '31/02/2001');
  await page.fill('#register-email', person.email);
  await page.fill('#register-password', person.password);
  await page.fill('#register-repeat', person.password);
  await page.click('[data-testid="register-submit"]');
  assert.match(await textOf(page, '#register-birth-error'), /dd\/mm\/aaaa/);
  await screen(b, 'registro-error');
  await page.fill('#register-birth', person.birth);
  const before = mailsTo(store, person.email).length;
  await page.click('[data-testid="register-submit"]');
  await page.waitForSelector('#register-confirm-form:not([hidden])');
  assert.match(await textOf(page, '[data-testid="register-sent"]'), /correo del titular/);
  await screen(b, 'registro-codigo');
  const mails = mailsTo(store, person.email);
  assert.equal(mails.length, before + 1, 'one mail with the code');
  assert.match(mails[mails.length - 1].body, new RegExp(`${person.name} \\(credencial ${person.credential}\\)`));
  const code = codeOf(mails[mails.length - 1]);
  await page.fill('#register-code', code === '000000' ? '111111' : '000000');
  await page.click('[data-testid="register-confirm"]');
  assert.match(await textOf(page, '[data-testid="register-confirm-error"]'), /[Cc]ódigo/);
  await page.fill('#register-code', code);
  await page.click('[data-testid="register-confirm"]');
  await page.waitForSelector(shown('ingresar'));
  assert.equal(await textOf(page, '[data-testid="login-notice"]'),
    'Listo: tu cuenta quedó registrada. Ingresá con tu contraseña.');
}

// One sign-in try, waiting for its answer to be shown.
async function loginTry(page, id, password) {
  await page.fill('#login-id', id);
  await page.fill('#login-password', password);
  await Promise.all([page.waitForResponse((r) => r.url().endsWith('/v1/account/login')),
    page.click('[data-testid="login-submit"]')]);
  await page.waitForSelector('#login-form[aria-busy="false"]');
}

// Olvidé mi contraseña with an e-mail that is not the account's: refused in
// Spanish, nothing mailed.
async function recoveryRefused(b, person) {
  const { page } = b;
  await page.click('[data-testid="login-forgot"]');
  await page.waitForSelector(shown('recuperar'));
  assert.equal(await page.inputValue('#recovery-id'), person.document, 'the DNI typed at Ingresar');
  await screen(b, 'recuperar');
  const before = mailsTo(store, 'otra.persona@example.org').length + mailsTo(store, person.email).length;
  await page.fill('#recovery-email', 'otra.persona@example.org');
  await page.click('[data-testid="recovery-send"]');
  await page.waitForSelector('[data-testid="recovery-error"]:not([hidden])');
  assert.equal(await textOf(page, '[data-testid="recovery-error"]'), 'Los datos no coinciden con una cuenta registrada.');
  assert.equal(mailsTo(store, 'otra.persona@example.org').length + mailsTo(store, person.email).length, before);
  await screen(b, 'recuperar-rechazado');
  await page.click('[data-screen="recuperar"] a[href="#/ingresar"]');
  await page.waitForSelector(shown('ingresar'));
}

// Five wrong passwords lock the account; then even the right one waits.
async function lockout(b, person) {
  const { page } = b;
  await page.waitForSelector(shown('ingresar'));
  for (let i = 1; i <= 4; ++i) {
    await loginTry(page, person.document, `equivocada-${i}`);
    assert.equal(await textOf(page, '[data-testid="login-error"]'), 'Documento o contraseña incorrectos.');
  }
  await loginTry(page, person.document, 'equivocada-5');
  assert.match(await textOf(page, '[data-testid="login-error"]'), /bloqueada 15 minutos/);
  await loginTry(page, person.document, person.password);
  const text = await textOf(page, '[data-testid="login-error"]');
  assert.match(text, /[Bb]loquead/);
  assert.match(text, /Podés volver a intentar a las \d{2}:\d{2} \(en 15 minutos\)\./);
  await screen(b, 'ingresar-bloqueada');
}

// Mi credencial of one affiliate: the card's facts, the code's countdown, the QR verified.
async function card(b, person, shot) {
  const { page } = b;
  const article = `[data-testid="card"][data-credential="${person.credential}"]`;
  await page.waitForSelector(`${article} [data-testid="card-qr"]`);
  assert.equal(await textOf(page, `${article} [data-testid="card-name"]`), person.name);
  assert.equal(await textOf(page, `${article} [data-testid="card-credential"]`), person.credential);
  assert.match(await textOf(page, `${article} [data-testid="card-valid-until"]`), /^\d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
  // (At a rotation the countdown says so for a moment, then counts again.)
  await page.waitForFunction((sel) => /^Cambia en \d:\d{2}$/.test(document.querySelector(sel).textContent),
    `${article} [data-testid="card-countdown"]`);
  assert.match(await textOf(page, `${article} [data-testid="card-code"]`), /^\d{3} \d{3}$/);
  assert.match(await textOf(page, `${article} [data-testid="card-notice"]`), /uso exclusivo del titular/);
  assert.equal(await textOf(page, `${article} [data-testid="card-insurer"]`), 'Obra Social Ejemplo');
  assert.equal(await textOf(page, `${article} [data-testid="card-beneficiary"]`), person.beneficiary);
  const payload = await qrPayload(b, shot);
  assert.match(payload, /^AZ1\./);
  const verified = await api('POST', '/v1/credentials/verify', { payload }, keys['provider-LAB127']);
  assert.equal(verified.data.genuine, true, JSON.stringify(verified.data));
  assert.equal(verified.data.affiliate.credential, person.credential);
  await screen(b, shot);
}

// Compartir: a link for a DNI, opened in a fresh browser; then revoked.
async function share(b, person) {
  const { page } = b;
  await go(b, 'compartir');
  await screen(b, 'compartir');
  await page.fill('#share-dni', '30.111.222');
  await page.click('[data-testid="share-submit"]');
  await page.waitForSelector('[data-testid="share-result"]:not([hidden])');
  const url = await page.inputValue('[data-testid="share-url"]');
  // Absolute, from the server's public address (serve's --public-url; here its --http).
  assert.ok(url.startsWith(`${base}/afiliados/compartida.html#`), `an absolute link to the recipient's page: ${url}`);
  assert.match(await textOf(page, '#share-result-text'),
    /DNI 30\.111\.222, válido hasta el \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}/);
  await page.waitForSelector('[data-testid="share-row"]');
  assert.match(await textOf(page, '[data-testid="share-row"]'), /DNI 30\.111\.222/);
  await page.click('[data-testid="share-copy"]');
  await page.waitForSelector('[data-testid="share-copied"]:not([hidden])');
  await screen(b, 'compartir-enlace');

  // The recipient, in another browser with nothing of this one.
  const r = await openBrowser({ ...b.pass, name: `${b.pass.name}-destinatario` },
    { dir: portal.tmp, base, artifacts: b.artifacts });
  try {
    const rp = r.page;
    await rp.goto(url);
    await rp.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    assert.equal(await rp.evaluate(() => document.activeElement.id), 'shared-dni');
    await screen(r, 'compartida');
    await rp.fill('#shared-dni', '30111223');
    await rp.click('[data-testid="shared-submit"]');
    await rp.waitForSelector('#shared-dni-error:not([hidden])');
    assert.match(await textOf(rp, '#shared-dni-error'), /DNI/);
    await screen(r, 'compartida-dni-incorrecto');
    await rp.fill('#shared-dni', '30111222');
    await rp.click('[data-testid="shared-submit"]');
    await rp.waitForSelector('[data-testid="shared-card"] [data-testid="card"]');
    assert.equal(await textOf(rp, '[data-testid="shared-card"] [data-testid="card-name"]'), person.name);
    assert.match(await textOf(rp, '[data-testid="shared-card"] [data-testid="card-notice"]'), /uso exclusivo/);
    await screen(r, 'compartida-credencial');

    await page.click('[data-testid="share-revoke"]');
    await page.waitForSelector('[data-testid="shares-empty"]:not([hidden])');
    await screen(b, 'compartir-revocado');
    await rp.reload();
    await rp.waitForFunction(() => document.documentElement.dataset.ready === 'true');
    await rp.fill('#shared-dni', '30111222');
    await rp.click('[data-testid="shared-submit"]');
    await rp.waitForSelector('[data-testid="shared-error"]:not([hidden])');
    assert.equal(await textOf(rp, '[data-testid="shared-error"]'), 'El afiliado revocó este enlace: pedile uno nuevo.');
    await screen(r, 'compartida-revocada');
    assert.deepEqual(r.problems, [], 'no script error on the recipient\'s page');
  } finally {
    await r.context.close();
  }
}

// Token: generated, shown in groups with its time left, used by a provider.
async function token(b, person) {
  const { page } = b;
  await go(b, 'token');
  await screen(b, 'token');
  await page.click('[data-testid="token-generate"]');
  await page.waitForSelector('[data-testid="token-box"]:not([hidden])');
  const shownToken = await textOf(page, '[data-testid="token-value"]');
  assert.match(shownToken, /^\d{3} \d{3}$/);
  assert.match(await textOf(page, '[data-testid="token-left"]'), /^Vence en [12]:\d{2}$/);
  await screen(b, 'token-generado');
  // The provider types it as read aloud, with its space.
  const order = await api('POST', '/v1/authorize', { request_id: `token-${b.pass.name}`, provider: 'LAB127',
    credential: person.credential, prescribed_on: localDay(), prescriber: { kind: 'MD', license: '1234' },
    items: [{ code: '000118' }], token: shownToken }, keys['provider-LAB127']);
  assert.equal(order.data.status, 'AUTHORIZED', JSON.stringify(order.data));
  // A second token is another one.
  await page.click('[data-testid="token-generate"]');
  await page.waitForFunction((t) => document.querySelector('[data-testid="token-value"]').textContent !== t, shownToken);

  await page.selectOption('#sheet-month', { index: 1 });
  await page.fill('#sheet-count', '5');
  await page.click('[data-testid="sheet-submit"]');
  await page.waitForSelector('[data-testid="sheet-pdf"]');
  assert.match(await textOf(page, '[data-testid="sheet-result"]'), /^Listo: 5 tokens para \S+ de \d{4}\./);
  const href = await page.getAttribute('[data-testid="sheet-pdf"]', 'href');
  const pdf = await page.request.get(`${base}${href}`);
  assert.equal(pdf.status(), 200);
  assert.equal(pdf.headers()['content-type'], 'application/pdf');
  await screen(b, 'token-planilla');
  return order.data.order;
}

// Mis prestaciones: the order authorized with the token, its use.
async function history(b, order) {
  const { page } = b;
  await go(b, 'prestaciones');
  const entry = `[data-testid="history-entry"][data-transaction="${order}"]`;
  await page.waitForSelector(entry);
  assert.match(await textOf(page, `${entry}`), /Orden/);
  assert.match(await textOf(page, `${entry}`), /Autorizada/);
  assert.match(await textOf(page, `${entry}`), /ACTO BIOQUIMICO/);
  assert.equal(await textOf(page, `${entry} [data-testid="history-token"]`), 'Con token de la app: usado');
  assert.match(await textOf(page, '#history-list h2.day'), /^\d{2}\/\d{2}\/\d{4}$/);
  await screen(b, 'prestaciones');
}

// Perfil: a new password; the old one no longer opens.
async function profile(b, person) {
  const { page } = b;
  await go(b, 'perfil');
  assert.equal(await textOf(page, '#profile-name'), person.name);
  assert.equal(await textOf(page, '#profile-credential'), person.credential);
  await screen(b, 'perfil');
  const fresh = `${person.password}-nueva`;
  await page.fill('#password-current', person.password);
  await page.fill('#password-new', fresh);
  await page.fill('#password-repeat', fresh);
  await page.click('[data-testid="password-submit"]');
  await page.waitForSelector('[data-testid="password-done"]:not([hidden])');
  await screen(b, 'perfil-clave');
  await logout(b, false);
  await login(page, person.document, person.password);
  await page.waitForSelector('[data-testid="login-error"]:not([hidden])');
  await loginAndWait(b, person.document, fresh);
  person.password = fresh;
}

// Installable: the manifest, its icons and the service worker are served.
async function installable(b) {
  const { page } = b;
  const href = await page.getAttribute('link[rel="manifest"]', 'href');
  const manifest = await (await fetch(`${base}${href}`)).json();
  assert.equal(manifest.lang, 'es-AR');
  assert.equal(manifest.scope, '/afiliados/');
  assert.equal(manifest.display, 'standalone');
  for (const icon of manifest.icons) {
    const r = await fetch(`${base}${icon.src}`);
    assert.equal(r.status, 200, icon.src);
    assert.equal(r.headers.get('content-type'), icon.type, icon.src);
  }
  assert.ok(manifest.icons.some((i) => i.sizes === '512x512') && manifest.icons.some((i) => i.sizes === '192x192'));
  const worker = await page.evaluate(async () => (await navigator.serviceWorker.ready).scope);
  assert.equal(worker, `${base}/afiliados/`);
}

// Datos útiles: the insurer's phones as tel: links, addresses, e-mails.
async function usefulData(b) {
  const { page } = b;
  await go(b, 'datos');
  await page.waitForSelector('[data-testid="info-phone"]');
  assert.equal(await textOf(page, '[data-testid="info"] .info-name'), 'Obra Social Ejemplo');
  assert.equal(await page.getAttribute('[data-testid="info-phone"]', 'href'), 'tel:08005550101');
  assert.match(await textOf(page, '[data-testid="info"]'), /Sede central/);
  assert.match(await textOf(page, '[data-testid="info"]'), /afiliados@obrasocial\.example\.org/);
  await screen(b, 'datos-utiles');
}

// Without a connection the app opens and shows the last card, labelled.
async function offline(b, person) {
  const { page, context } = b;
  await go(b, 'credencial');
  await page.waitForFunction(() => navigator.serviceWorker && navigator.serviceWorker.controller !== null);
  await page.reload();
  await page.waitForSelector(`[data-testid="card"][data-credential="${person.credential}"] [data-testid="card-qr"]`);
  await context.setOffline(true);
  try {
    await page.reload();
    await page.waitForSelector(shown('sin-conexion'));
    await page.waitForSelector('[data-testid="offline-cards"] [data-testid="card-offline"]');
    assert.match(await textOf(page, '[data-testid="card-offline"]'),
      /^Mostrada sin conexión · guardada el \d{2}\/\d{2}\/\d{4} \d{2}:\d{2}$/);
    assert.equal(await textOf(page, '[data-testid="offline-cards"] [data-testid="card-name"]'), person.name);
    await screen(b, 'sin-conexion');
  } finally {
    await context.setOffline(false);
  }
  // Back online, the session still open: the card again, live (at once, or
  // at the next try when the service worker still saw no network).
  await page.waitForSelector(shown('credencial'));
  await page.waitForSelector('[data-testid="offline-banner"]', { state: 'hidden', timeout: 25000 });
}

// The session's cookie gone (as after 15 idle minutes): back to Ingresar.
async function expired(b, person) {
  const { page, context } = b;
  await context.clearCookies();
  // By its address: after the offline step the menu may still be hidden or
  // moving on a busy machine, and what is tested is the expired session.
  await page.evaluate(() => { location.hash = '#/prestaciones'; });
  await page.waitForSelector(shown('ingresar'));
  assert.match(await textOf(page, '[data-testid="login-notice"]'), /^Tu sesión venció/);
  await screen(b, 'sesion-vencida');
  await login(page, person.document, person.password);
  await page.waitForSelector(shown('prestaciones'));
}

// The family: the titular sees every card, a member only hers.
async function family(b) {
  const { page } = b;
  await loginAndWait(b, ADRIAN.document, ADRIAN.password);
  assert.equal(await textOf(page, '[data-testid="brand-name"]'), 'OS Ejemplo');
  const tabs = await page.locator('[data-testid="card-tab"]').allTextContents();
  assert.deepEqual(tabs.slice(0, 2), ['Yo', 'Maria Laura']);
  assert.ok(tabs.length >= 2, 'every member of the family group');
  await card(b, ADRIAN, 'credencial-titular');
  // The tabs by keyboard: the arrow moves to the next member and selects it.
  await page.focus('[data-testid="card-tab"][aria-selected="true"]');
  await page.keyboard.press('ArrowRight');
  await page.waitForSelector(`[data-testid="card-tab"][data-credential="${MARIA.credential}"][aria-selected="true"]`);
  assert.equal(await page.evaluate(() => document.activeElement.dataset.credential), MARIA.credential);
  await card(b, MARIA, 'credencial-familiar');
  // Sharing from her card shares hers.
  await page.click('[data-testid="cards-share"]');
  await page.waitForSelector(shown('compartir'));
  await page.waitForSelector('#share-member-field:not([hidden])');
  assert.equal(await page.inputValue('#share-member'), MARIA.credential);
  await go(b, 'prestaciones');
  await page.waitForSelector('[data-testid="history-entry"][data-kind="authorization"]');
  assert.match(await textOf(page, '[data-testid="history-entry"][data-kind="authorization"]'), /CATALDI, MARIA LAURA/);
  await screen(b, 'prestaciones-familia');
  await logout(b, true);
  await loginAndWait(b, MARIA.document, MARIA.password);
  assert.equal(await page.locator('[data-testid="card-tab"]').filter({ visible: true }).count(), 0, 'no tabs: her own card');
  assert.equal(await page.locator('[data-testid="card"]').count(), 1);
  await card(b, MARIA, 'credencial-integrante');
  await logout(b, false);
}

async function phone(b, step) {
  await step('registrarme por DNI con el código del correo', () => register(b, JUAN, false));
  await step('olvidé mi contraseña con otro correo', () => recoveryRefused(b, JUAN));
  await step('ingresar y ver mi credencial (QR verificado)', async () => {
    await loginAndWait(b, JUAN.document, JUAN.password);
    await card(b, JUAN, 'credencial');
  });
  let order = '';
  await step('token generado y usado por un prestador', async () => { order = await token(b, JUAN); });
  await step('mis prestaciones muestran el uso del token', () => history(b, order));
  await step('compartir, abrir el enlace con el DNI, revocar', () => share(b, JUAN));
  await step('instalable: manifiesto, íconos, service worker', () => installable(b));
  await step('sin conexión: la última credencial', () => offline(b, JUAN));
  await step('sesión vencida', () => expired(b, JUAN));
  await step('perfil: contraseña nueva', () => profile(b, JUAN));
  await step('datos útiles y más', async () => {
    await usefulData(b);
    await b.page.click('#nav a[data-nav="mas"]');
    await b.page.waitForSelector(shown('mas'));
    await screen(b, 'mas');
    await logout(b, false);
    await screen(b, 'ingresar-cerrada');
  });
  await step('el grupo familiar: el titular ve todas, la integrante la suya', () => family(b));
  await step('bloqueo tras 5 contraseñas incorrectas', () => lockout(b, CARLOS));
}

async function desktop(b, step) {
  await step('registrarme con CUIL (IOMA) con el código del correo', () => register(b, LUCIA, true));
  await step('olvidé mi contraseña', async () => {
    const { page } = b;
    await page.click('[data-testid="login-forgot"]');
    await page.waitForSelector(shown('recuperar'));
    await page.fill('#recovery-id', LUCIA.cuil);
    await page.fill('#recovery-email', LUCIA.email);
    await screen(b, 'recuperar');
    await page.click('[data-testid="recovery-send"]');
    await page.waitForSelector('#recovery-confirm-form:not([hidden])');
    await screen(b, 'recuperar-codigo');
    const mails = mailsTo(store, LUCIA.email);
    LUCIA.password = 'Lucia-Recuperada-2026';
    await page.fill('#recovery-code', codeOf(mails[mails.length - 1]));
    await page.fill('#recovery-new', LUCIA.password);
    await page.fill('#recovery-repeat', LUCIA.password);
    await page.click('[data-testid="recovery-confirm"]');
    await page.waitForSelector(shown('ingresar'));
    assert.match(await textOf(page, '[data-testid="login-notice"]'), /contraseña se cambió/);
    await loginAndWait(b, LUCIA.cuil, LUCIA.password);
    await card(b, LUCIA, 'credencial');
  });
  await step('token y planilla', async () => { await token(b, LUCIA); });
  await step('sin conexión: la última credencial', () => offline(b, LUCIA));
  await step('compartir, abrir el enlace con el DNI, revocar', () => share(b, LUCIA));
  await step('perfil: correo nuevo, datos útiles, cerrar sesión', async () => {
    const { page } = b;
    await go(b, 'perfil');
    assert.equal(await textOf(page, '#profile-cuil'), LUCIA.cuil);
    await screen(b, 'perfil');
    await page.fill('#email-new', 'lucia.nueva@example.org');
    await page.fill('#email-password', 'no-es-la-clave');
    await page.click('[data-testid="email-submit"]');
    await page.waitForSelector('#email-password-error:not([hidden])');
    assert.match(await textOf(page, '#email-password-error'), /contraseña/);
    await page.fill('#email-password', LUCIA.password);
    await page.click('[data-testid="email-submit"]');
    await page.waitForSelector('[data-testid="email-done"]:not([hidden])');
    assert.equal(await textOf(page, '#profile-email'), 'lucia.nueva@example.org');
    await screen(b, 'perfil-correo');
    await usefulData(b);
    await logout(b, false);
  });
  await step('el grupo familiar: el titular ve todas, la integrante la suya', () => family(b));
  await step('bloqueo tras 5 contraseñas incorrectas', () => lockout(b, JOSE));
}

const PASSES = [
  { name: 'telefono', width: 390, height: 844, mobile: true, flow: phone },
  { name: 'escritorio', width: 1280, height: 900, mobile: false, flow: desktop }
];

for (const pass of PASSES) {
  test(`affiliates' app at ${pass.width} px (${pass.name})`, async (t) => {
    const b = await openBrowser(pass, { dir: portal.tmp, base, artifacts: portal.artifacts });
    // The flows build on each other: after a failure the rest are skipped.
    let failed = false;
    const step = (name, fn) => t.test(name, { skip: failed && 'an earlier step failed' }, async () => {
      try {
        await fn();
      } catch (e) {
        failed = true;
        portal.keep();
        await b.page.screenshot({ path: path.join(portal.artifacts, `${pass.name}-FAILED.png`), fullPage: true })
          .catch(() => {});
        throw e;
      }
    });
    try {
      await pass.flow(b, step);
      assert.deepEqual(b.problems, [], 'no script error, nothing fetched from outside the binary');
    } finally {
      await b.context.close();
    }
  });
}
