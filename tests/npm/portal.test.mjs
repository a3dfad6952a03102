// The providers' portal (/prestadores/, adapters/portal) in a real browser:
// Debian's /usr/bin/chromium driven by playwright-core (never a downloaded
// browser) against a real `autoriza serve` on the sample data. Every flow is
// done by clicks and typing, at 1280 px and on a 390 px phone; axe-core runs
// on every screen (a "serious" or "critical" violation fails); a screenshot
// of each screen goes to $AUTORIZA_ARTIFACTS (default <build>/artifacts/portal).
//
//   AUTORIZA_BINARY=build/portal/autoriza node --test tests/npm/portal.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BINARY, csv, freePort, login, logout, openBrowser, screen, startServer, stopServer, textOf }
  from './portal-helpers.mjs';

const ARTIFACTS = process.env.AUTORIZA_ARTIFACTS || path.join(path.dirname(BINARY), 'artifacts', 'portal');
const CASHIER = { user: 'cajero', provider: 'LAB127', first: 'Inicial-2026', password: 'Mostrador-2026' };

let server = null;
let base = '';
let tmp = '';
let keepTmp = false;
let users = {};
let keys = {};
const seeded = {};

// --- the server ---

// Argentina's local date (UTC-03:00) `days` from today, as YYYY-MM-DD.
function localDay(days = 0) {
  return new Date(Date.now() - 3 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}
const MONTHS = ['enero', 'febrero', 'marzo', 'abril', 'mayo', 'junio', 'julio', 'agosto', 'septiembre', 'octubre',
  'noviembre', 'diciembre'];
const ddmmyyyy = (iso) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
function previousMonth() {
  const [y, m] = localDay().split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

// A command with an API key at a chosen time (serve --allow-client-time).
async function seed(key, command, body, time) {
  const headers = { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' };
  if (time) headers['X-Autoriza-Time'] = time;
  const r = await fetch(`${base}/v1/${command}`, { method: 'POST', headers, body: JSON.stringify(body) });
  const data = await r.json();
  assert.equal(r.status, 200, `seed ${command}: ${JSON.stringify(data)}`);
  return data;
}

before(async () => {
  assert.ok(fs.existsSync(BINARY), `no binary at ${BINARY} (set AUTORIZA_BINARY)`);
  assert.ok(fs.existsSync('/usr/bin/chromium'), 'no /usr/bin/chromium: run ops/install-deps.sh (never download a browser)');
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'autoriza-portal-'));
  keepTmp = true;   // until the server runs and the history is seeded
  fs.rmSync(ARTIFACTS, { recursive: true, force: true });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
  const store = path.join(tmp, 'store');
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  // A first start makes the store, the sample data and the development
  // users; a user added while it is stopped must change its password first.
  await stopServer(await startServer(store, port, path.join(tmp, 'serve.log')));
  execFileSync(BINARY, ['users', 'add', '--store', store, '--user', CASHIER.user, '--name', 'Cajero de prueba',
    '--email', 'cajero@example.org', '--providers', CASHIER.provider, '--password', CASHIER.first]);
  execFileSync(BINARY, ['users', 'add', '--store', store, '--user', 'distraido', '--name', 'Usuario que se equivoca',
    '--providers', 'LAB127', '--password', 'Nunca-la-recuerda']);
  server = await startServer(store, port, path.join(tmp, 'serve.log'));
  users = Object.fromEntries(csv(path.join(store, 'dev-users.csv')).map((u) => [u.user, u]));
  keys = Object.fromEntries(csv(path.join(store, 'dev-keys.csv')).map((k) => [k.principal, k.key]));
  seeded.store = store;
  // History the screens show: a month that is over with a consumption (to
  // close it), an order of yesterday (a deferred consumption) and an audit
  // request the auditor asked documents for.
  const lab = keys['provider-LAB127'];
  const rx = (day) => ({ prescribed_on: day, prescriber: { kind: 'MD', license: '1234' } });
  const month = previousMonth();
  await seed(lab, 'authorize', { request_id: 'seed-month', provider: 'LAB127', credential: '110000783852',
    ...rx(`${month}-10`), consume_now: true, items: [{ code: '000118' }, { code: '000012', qty: 2 }] },
  `${month}-10T09:00:00-03:00`);
  const yesterday = await seed(lab, 'authorize', { request_id: 'seed-yesterday', provider: 'LAB127',
    credential: '110000783852', ...rx(localDay(-1)), items: [{ code: '000118' }, { code: '000865' }] },
  `${localDay(-1)}T09:00:00-03:00`);
  seeded.yesterdayOrder = yesterday.order;
  seeded.pageOrders = [];
  for (const n of [1, 2, 3]) {
    const paged = await seed(lab, 'authorize', { request_id: `seed-page-${n}`, provider: 'LAB127', credential: '438908',
      ...rx(localDay(-1)), items: [{ code: '000118' }, { code: '000012', qty: n }] }, `${localDay(-1)}T1${n}:00:00-03:00`);
    seeded.pageOrders.push(paged.order);
  }
  const sap = await seed(lab, 'authorize', { request_id: 'seed-sap', provider: 'LAB127', credential: '354495',
    ...rx(localDay()), mode: 'audit', diagnosis: 'E11.9', note: 'Control anual.', items: [{ code: '000860' }] });
  seeded.sap = sap.sap;
  await seed(keys.auditor, 'audit_verdict', { request_id: 'seed-docs', auditor: 'auditor', sap: sap.sap, verdict: 'REQUEST_DOCS',
    message: 'Adjuntar la orden médica firmada.' });
  keepTmp = false;
});

after(async () => {
  await stopServer(server);
  // The store, the browser profiles and serve.log stay only after a failure.
  if (keepTmp) console.log(`# kept ${tmp} (store, serve.log, browser profiles)`);
  else if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

// --- the browser ---

// The comprobante as "Imprimir" prints it: the print style sheet with only
// the receipt shown (headless Chromium has no print dialog to open).
async function printed(b, name) {
  const { page } = b;
  await page.evaluate(() => {
    document.querySelector('[data-testid="receipt"]').classList.add('print-target');
    document.body.classList.add('printing');
  });
  // An A4 sheet at 96 dpi, whatever the screen it is printed from.
  await page.setViewportSize({ width: 794, height: 1123 });
  await page.emulateMedia({ media: 'print' });
  b.shots += 1;
  await page.screenshot({ path: path.join(ARTIFACTS, `${b.pass.name}-${String(b.shots).padStart(2, '0')}-${name}.png`) });
  await page.emulateMedia({ media: 'screen' });
  await page.setViewportSize({ width: b.pass.width, height: b.pass.height });
  await page.evaluate(() => document.body.classList.remove('printing'));
}

// The section menu: behind "Menú" on a phone.
async function nav(page, name) {
  const toggle = page.locator('#menu-toggle');
  if (await toggle.isVisible()) await toggle.click();
  await page.click(`#nav a[data-nav="${name}"]`);
  await page.waitForSelector(`[data-screen="${name}"]:not([hidden])`);
}

// The read side follows the answers a moment behind: search again until
// selector shows (at most ~5 s).
async function eventually(page, selector, searchButton) {
  for (let attempt = 1; ; ++attempt) {
    try {
      await page.waitForSelector(selector, { timeout: 1000 });
      return;
    } catch (e) {
      if (attempt === 5) throw e;
      await page.click(searchButton);
    }
  }
}

async function addPractice(page, prefix, query, code) {
  await page.fill(`#${prefix}-practice-q`, query);
  if (query === code) {
    await page.press(`#${prefix}-practice-q`, 'Enter');
  } else {
    await page.click(`#${prefix}-practice-q-results button[data-code="${code}"]`);
  }
  // GENOS lists it; the dental screen holds it until "Cargar práctica".
  await page.waitForSelector(prefix === 'g' ? `#g-items tr[data-code="${code}"]` : `[data-testid="d-chosen"] >> text=${code}`);
}

// By code (Enter takes it) or by words (a click on the result).
async function chooseDiagnosis(page, id, code, words) {
  await page.fill(`#${id}`, words || code);
  if (words) await page.click(`#${id}-results button[data-code="${code}"]`);
  else await page.press(`#${id}`, 'Enter');
  await page.waitForFunction((sel) => document.querySelector(sel).textContent.includes('Elegido'), `#${id}-chosen`);
}

// --- the flows ---

async function signInFlows(b, first) {
  const { page } = b;
  await page.goto(`${base}/prestadores/`);
  await screen(b, 'ingreso');
  await page.click('[data-testid="login-submit"]');
  assert.equal(await textOf(page, '#login-user-error'), 'Escribí tu usuario.');
  assert.equal(await textOf(page, '#login-password-error'), 'Escribí tu contraseña.');
  if (first) {
    // Keyboard only: the first field in error has the focus; Tab to the
    // next ones, Enter sends.
    assert.equal(await page.evaluate(() => document.activeElement.id), 'login-user');
    await page.keyboard.type(CASHIER.user);
    await page.keyboard.press('Tab');
    await page.keyboard.type(CASHIER.provider);
    await page.keyboard.press('Tab');
    await page.keyboard.type('equivocada');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#login-password-error:not([hidden])');
    assert.match(await textOf(page, '#login-password-error'), /contraseña incorrectos/);
    await screen(b, 'ingreso-error');
    // Five failures lock the user: the sixth try says for how long.
    for (let i = 1; i <= 6; ++i) {
      await page.fill('#login-user', 'distraido');
      await page.fill('#login-provider', 'LAB127');
      await page.fill('#login-password', `mal-${i}`);
      await page.click('[data-testid="login-submit"]');
      await page.waitForFunction(() => !document.querySelector('#login-password-error').hidden ||
        !document.querySelector('#login-error').hidden);
    }
    assert.match(await textOf(page, '[data-testid="login-error"]'), /bloqueado.*\d+ minutos?/);
    await screen(b, 'ingreso-bloqueado');
    await login(page, CASHIER.user, CASHIER.provider, CASHIER.first);
    await page.waitForSelector('[data-testid="password-forced"]:not([hidden])');
    assert.ok(await page.locator('#nav').isHidden(), 'no menu until the password is changed');
    await screen(b, 'clave-obligatoria');
    await page.fill('#password-current', CASHIER.first);
    await page.fill('#password-new', CASHIER.password);
    await page.fill('#password-repeat', 'otra');
    await page.click('[data-testid="password-submit"]');
    assert.equal(await textOf(page, '#password-repeat-error'), 'Las dos contraseñas no coinciden.');
    await page.fill('#password-repeat', CASHIER.password);
    await page.click('[data-testid="password-submit"]');
  } else {
    await login(page, CASHIER.user, CASHIER.provider, CASHIER.password);
  }
  await page.waitForSelector('[data-screen="autorizaciones"]:not([hidden])');
  assert.match(await textOf(page, '[data-testid="who-provider"]'), /LAB127/);
  await logout(page);
  await login(page, 'laboratorio', 'LAB127', users.laboratorio.password);
  await page.waitForSelector('[data-screen="autorizaciones"]:not([hidden])');
  if (b.pass.mobile) {
    // On a phone the sections hide behind "Menú"; Escape closes it.
    await page.click('#menu-toggle');
    await screen(b, 'menu');
    await page.keyboard.press('Escape');
    assert.ok(await page.locator('#nav a[data-nav="consumo"]').isHidden());
  }
}

async function genosFlows(b, credential) {
  const { page } = b;
  // Not eligible: the reason in words.
  await page.fill('#g-credential', '220000100002');
  await page.click('[data-testid="g-eligibility"]');
  await page.waitForSelector('[data-testid="aff-reasons"]');
  assert.match(await textOf(page, '[data-testid="g-affiliate"] .badge'), /^No habilitado$/);
  assert.match(await textOf(page, '[data-testid="aff-reasons"]'), /suspendido/);
  assert.ok(await page.locator('#g-order-form').isHidden());
  await screen(b, 'autorizaciones-no-habilitado');
  // A plan that asks for a token: the token field opens with the reason.
  await page.fill('#g-credential', '220000100001');
  await page.click('[data-testid="g-eligibility"]');
  await page.waitForSelector('#g-token-field:not([hidden])');
  assert.match(await textOf(page, '#g-token-error'), /pide token/);
  await screen(b, 'autorizaciones-token');
  // The affiliate's app gives a dynamic token; with it the check passes.
  const issued = await seed(keys.admin, 'token_issue', { request_id: `token-${b.pass.name}`, credential: '220000100001',
    kind: 'DYNAMIC' });
  await page.fill('#g-token', issued.tokens[0].token);
  await page.click('[data-testid="g-eligibility"]');
  await page.waitForSelector('#g-order-form:not([hidden])');
  assert.equal(await textOf(page, '[data-testid="g-affiliate"] .badge'), 'Habilitado');
  // Eligible: name, CUIL, age, plan.
  await page.fill('#g-credential', credential.number);
  await page.click('[data-testid="g-eligibility"]');
  await page.waitForSelector('#g-order-form:not([hidden])');
  assert.equal(await textOf(page, '[data-testid="aff-name"]'), credential.name);
  assert.equal(await textOf(page, '[data-testid="aff-cuil"]'), credential.cuil);
  assert.match(await textOf(page, '[data-testid="aff-age"]'), /^\d+ años?$/);
  if (credential.notes) assert.equal(await textOf(page, '[data-testid="aff-notes"]'), credential.notes);
  assert.equal(await page.inputValue('#g-prescribed-on'), ddmmyyyy(localDay()));
  await page.fill('#g-prescriber-license', '1234');
  await page.press('#g-prescriber-license', 'Tab');
  await page.waitForFunction(() => /QUIPILDOR/.test(document.querySelector('[data-testid="g-prescriber-name"]').textContent));
  await addPractice(page, 'g', '000118', '000118');
  await addPractice(page, 'g', 'ácido úrico', '000012');
  const urico = page.locator('#g-items tr[data-code="000012"]');
  for (const qty of ['2', '3']) {
    await urico.locator('[data-testid="g-plus"]').click();
    await page.waitForFunction((q) => document.querySelector('#g-items tr[data-code="000012"] [data-testid="g-qty"]').textContent === q, qty);
  }
  assert.ok(await urico.locator('[data-testid="g-plus"]').isDisabled(), '+ stops at max_qty');
  await addPractice(page, 'g', 'administrativo', '000003');
  await page.locator('#g-items tr[data-code="000003"] [data-testid="g-remove"]').click();
  await addPractice(page, 'g', '000016', '000016');
  assert.equal(await page.locator('#g-items tbody tr').count(), 3);
  await screen(b, 'autorizaciones-practicas');
  await page.click('[data-testid="g-validate"]');
  await page.waitForSelector('[data-testid="g-validation"]');
  const statuses = await page.locator('[data-testid="g-validation"] [data-testid="result-item"] .badge').allTextContents();
  assert.deepEqual(statuses, ['Autorizado', 'Autorizado', 'Requiere auditoría']);
  assert.equal(await textOf(page, '[data-testid="g-validation"] [data-testid="total"]'), '$ 341,40');
  assert.equal(await textOf(page, '[data-testid="g-validation"] [data-testid="copay"]'), '$ 68,28');
  await screen(b, 'autorizaciones-validacion');
  await page.click('[data-testid="g-authorize"]');
  await page.waitForSelector('[data-testid="g-outcome"]');
  const headline = await textOf(page, '#g-outcome-title');
  const order = /Orden (T-\d+-\d+) emitida/.exec(headline)[1];
  assert.equal(await textOf(page, '[data-testid="rc-order"]'), order);
  await page.waitForFunction(() => /\d\d\/\d\d\/\d{4} \d\d:\d\d/.test(document.querySelector('[data-testid="rc-time"]').textContent));
  await screen(b, 'autorizaciones-comprobante');
  const official = page.locator('[data-testid="receipt-official"]');
  if (await official.count()) {
    assert.equal((await page.request.get(`${base}${await official.getAttribute('href')}`)).status(), 200);
  } else {
    console.log('# GET /v1/transactions/{id}/comprobante.html not served yet: the page prints its own panel');
  }
  await printed(b, 'autorizaciones-comprobante-impreso');

  // The same again, sent to audit with a diagnosis and a clinical summary.
  await page.click('#g-result button:has-text("Nueva autorización")');
  await page.fill('#g-credential', credential.number);
  await page.click('[data-testid="g-eligibility"]');
  await page.waitForSelector('#g-order-form:not([hidden])');
  await page.fill('#g-prescriber-license', '1234');
  await addPractice(page, 'g', '000016', '000016');
  await page.click('[data-testid="g-validate"]');
  await page.click('[data-testid="g-audit-open"]');
  await page.click('[data-testid="g-audit-send"]');
  assert.match(await textOf(page, '#g-diagnosis-q-error'), /Elegí un diagnóstico/);
  await chooseDiagnosis(page, 'g-diagnosis-q', 'E11.9');
  await page.fill('#g-note', 'Paciente DIABÉTICO, control de alcoholemia.');
  await screen(b, 'autorizaciones-auditoria');
  await page.click('[data-testid="g-audit-send"]');
  await page.waitForSelector('[data-testid="g-outcome"]');
  const sap = /(SAP-\d+-\d+)/.exec(await textOf(page, '#g-outcome-title'))[1];
  assert.equal(await textOf(page, '[data-testid="g-outcome"] .card-head .badge'), 'Pendiente de auditoría');
  return { order, sap };
}

async function consumeFlows(b, order) {
  const { page } = b;
  await nav(page, 'consumo');
  await page.fill('#c-order', order);
  await page.click('[data-testid="c-find"]');
  await page.waitForSelector('#c-form:not([hidden])');
  assert.equal(await page.locator('[data-testid="c-item"]').count(), 2, 'the two authorized items');
  await screen(b, 'consumo-orden');
  await page.click('[data-testid="c-submit"]');
  await page.waitForSelector('[data-testid="c-outcome"]');
  const consumption = /Consumo (T-\d+-\d+) registrado/.exec(await textOf(page, '#c-outcome-title'))[1];
  assert.equal(await textOf(page, '[data-testid="c-outcome"] .card-head .badge'), 'Aceptado');
  await screen(b, 'consumo-aceptado');
  // Deferred: before the authorization is refused, in words, by the date.
  await page.fill('#c-order', seeded.yesterdayOrder);
  await page.click('[data-testid="c-find"]');
  await page.waitForSelector('#c-form:not([hidden])');
  await page.check('#c-deferred');
  await page.fill('#c-performed-date', ddmmyyyy(localDay(-2)));
  await page.fill('#c-performed-time', '10:00');
  await page.click('[data-testid="c-submit"]');
  await page.waitForSelector('#c-performed-date-error:not([hidden])');
  assert.match(await textOf(page, '#c-performed-date-error'), /anterior a la autorización/);
  assert.equal(await textOf(page, '[data-testid="c-outcome"] .card-head .badge'), 'Rechazado');
  await page.fill('#c-performed-date', ddmmyyyy(localDay(-1)));
  await page.fill('#c-performed-time', '10:30');
  const boxes = page.locator('[data-testid="c-item"]');
  if (await boxes.count() > 1) await boxes.nth(1).uncheck();
  await page.click('[data-testid="c-submit"]');
  await page.waitForFunction(() => /registrado/.test(document.querySelector('#c-outcome-title').textContent));
  await screen(b, 'consumo-diferido');
  return consumption;
}

async function auditFlows(b, sap) {
  const { page } = b;
  await nav(page, 'auditoria');
  await eventually(page, `[data-testid="a-row"][data-sap="${sap}"]`, '[data-testid="a-search"]');
  await page.click(`[data-testid="a-row"][data-sap="${seeded.sap}"] [data-testid="a-open"]`);
  await page.waitForSelector('[data-testid="a-detail"]');
  assert.match(await textOf(page, '[data-testid="a-messages"]'), /Pidió documentación.*Adjuntar la orden médica firmada\./);
  assert.equal(await textOf(page, '[data-testid="a-detail"] .card-head .badge'), 'Documentación pedida');
  await screen(b, 'auditoria');
}

async function annulFlows(b, consumption) {
  const { page } = b;
  await nav(page, 'anular');
  await page.fill('#n-transaction', consumption);
  await page.click('[data-testid="n-submit"]');
  assert.match(await textOf(page, '#n-reason-error'), /motivo/);
  await page.fill('#n-reason', 'Cargado por error.');
  await page.click('[data-testid="n-submit"]');
  await page.click('[data-testid="n-confirm-yes"]');
  await page.waitForSelector('[data-testid="n-outcome"]');
  assert.equal(await textOf(page, '[data-testid="n-outcome"] .badge'), 'Anulado');
  await screen(b, 'anular');
  await page.fill('#n-reason', 'Otra vez.');
  await page.click('[data-testid="n-submit"]');
  await page.click('[data-testid="n-confirm-yes"]');
  await page.waitForFunction(() => /No se pudo anular/.test(document.querySelector('#n-outcome-title').textContent));
  assert.match(await textOf(page, '#n-transaction-error'), /Ya está anulada/);
  await screen(b, 'anular-rechazado');
  // An order, whose items the register then lists as annulled.
  await page.fill('#n-transaction', seeded.pageOrders[b.pass.first ? 0 : 1]);
  await page.fill('#n-reason', 'El afiliado no vino.');
  await page.click('[data-testid="n-submit"]');
  await page.click('[data-testid="n-confirm-yes"]');
  await page.waitForFunction(() => /^Se anuló/.test(document.querySelector('#n-outcome-title').textContent));
}

async function registerFlows(b, order) {
  const { page } = b;
  await nav(page, 'registros');
  await page.fill('#r-from', ddmmyyyy(`${previousMonth()}-01`));
  await page.selectOption('#r-limit', '10');
  await page.click('[data-testid="r-search"]');
  // The rows of the search before this one may still be on screen: wait for
  // the page of 10 (a failure then shows how many there were).
  await page.waitForFunction(() => document.querySelectorAll('[data-testid="r-row"]').length === 10, null,
    { timeout: 15000 }).catch(() => {});
  assert.equal(await page.locator('[data-testid="r-row"]').count(), 10);
  await screen(b, 'registros');
  await page.click('[data-testid="r-next"]');
  await page.waitForFunction(() => /^Página 2/.test(document.querySelector('#r-status-line').textContent));
  for (const format of ['pdf', 'html', 'csv', 'txt']) {
    const href = await page.getAttribute(`[data-testid="r-export-${format}"]`, 'href');
    const r = await page.request.get(`${base}${href}`);
    if (format === 'txt' && r.status() === 400) {
      console.log('# register format=txt answered 400: not served yet');
      continue;
    }
    assert.equal(r.status(), 200, `export ${format}`);
  }
  await page.selectOption('#r-annulled', 'only');
  await page.click('[data-testid="r-search"]');
  const annulled = seeded.pageOrders[b.pass.first ? 0 : 1];
  await eventually(page, `[data-testid="r-row"][data-transaction="${annulled}"]`, '[data-testid="r-search"]');
  // The annulled row may already be on the page the search before left (page
  // 2, annulments included): wait for this search's rows (a failure then
  // shows which statuses were there).
  await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="r-row"]')].every(
    (r) => r.dataset.status === 'ANNULLED'), null, { timeout: 15000 }).catch(() => {});
  const annulledStatuses = await page.locator('[data-testid="r-row"]').evaluateAll((rows) => rows.map((r) => r.dataset.status));
  assert.ok(annulledStatuses.every((st) => st === 'ANNULLED'), `only annulled rows: ${annulledStatuses}`);
  assert.match(await textOf(page, `[data-testid="r-row"][data-transaction="${annulled}"]`), /anulación T-\d+-\d+ \(\d\d\/\d\d\/\d{4} \d\d:\d\d\): El afiliado no vino\..*Anulado/);
  await screen(b, 'registros-anuladas');
  await page.selectOption('#r-annulled', 'include');
  await page.fill('#r-transaction', order);
  await page.selectOption('#r-order', 'amount:desc');
  await page.click('[data-testid="r-search"]');
  await page.waitForFunction((o) => [...document.querySelectorAll('[data-testid="r-row"]')].length > 0 &&
    [...document.querySelectorAll('[data-testid="r-row"]')].every((r) => r.dataset.transaction === o), order);
  const totals = await page.locator('[data-testid="r-row"] td[data-label="Total"]').allTextContents();
  assert.deepEqual(totals, ['$ 269,00', '$ 180,00', '$ 161,40']);
  await page.locator('[data-testid="r-reprint"]').first().click();
  await page.waitForSelector('[data-screen="comprobante"]:not([hidden]) [data-testid="receipt"]');
  assert.equal(await textOf(page, '[data-testid="rc-order"]'), order);
  await screen(b, 'comprobante-reimpreso');
}

async function billingFlows(b) {
  const { page } = b;
  const month = previousMonth();
  await nav(page, 'facturacion');
  await page.waitForSelector('[data-testid="b-view"]');
  await page.selectOption('#b-month', month.slice(5, 7));
  await page.fill('#b-year', month.slice(0, 4));
  await page.click('[data-testid="b-show"]');
  await page.waitForFunction((t) => document.querySelector('#b-view-title').textContent === t,
    `Facturación de ${MONTHS[Number(month.slice(5, 7)) - 1]} de ${month.slice(0, 4)}`);
  assert.equal(await textOf(page, '[data-testid="b-total"]'), '$ 287,60');
  for (const format of ['pdf', 'csv']) {
    const href = await page.getAttribute(`[data-testid="b-export-${format}"]`, 'href');
    assert.equal((await page.request.get(`${base}${href}`)).status(), 200, `billing ${format}`);
  }
  if (await page.locator('[data-testid="b-close"]').count()) {
    await page.click('[data-testid="b-close"]');
    await page.click('[data-testid="b-close-yes"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="b-state"]')?.textContent === 'Cerrado');
  }
  assert.equal(await textOf(page, '[data-testid="b-state"]'), 'Cerrado');
  await screen(b, 'facturacion-cerrada');
  // The month in course cannot be closed: the refusal in Spanish.
  await page.selectOption('#b-month', localDay().slice(5, 7));
  await page.fill('#b-year', localDay().slice(0, 4));
  await page.click('[data-testid="b-show"]');
  await page.waitForFunction((t) => document.querySelector('#b-view-title').textContent === t,
    `Facturación de ${MONTHS[Number(localDay().slice(5, 7)) - 1]} de ${localDay().slice(0, 4)}`);
  await page.click('[data-testid="b-close"]');
  await page.click('[data-testid="b-close-yes"]');
  await page.waitForSelector('[data-testid="b-close-error"]:not([hidden])');
  assert.match(await textOf(page, '[data-testid="b-close-error"]'), /solo se cierra un mes que ya terminó/);
  await screen(b, 'facturacion-abierta');
}

async function profileFlows(b, phone) {
  const { page } = b;
  await nav(page, 'perfil');
  await page.fill('#profile-email', 'sin-arroba');
  await page.click('[data-testid="profile-submit"]');
  assert.match(await textOf(page, '#profile-email-error'), /no parece válido/);
  await page.fill('#profile-email', 'laboratorio@example.org');
  await page.fill('#profile-phone', phone);
  await page.click('[data-testid="profile-submit"]');
  await page.waitForSelector('[data-testid="profile-done"]:not([hidden])');
  await screen(b, 'perfil');
  // The session ends (idle, or signed out elsewhere): the next call shows the
  // login with the reason; signing in again returns to the same screen.
  await b.context.clearCookies();
  await page.fill('#profile-phone', `${phone} int. 2`);
  await page.click('[data-testid="profile-submit"]');
  await page.waitForSelector('[data-screen="ingreso"]:not([hidden])');
  assert.match(await textOf(page, '[data-testid="login-notice"]'), /Tu sesión se cerró/);
  await login(page, 'laboratorio', 'LAB127', users.laboratorio.password);
  await page.waitForSelector('[data-screen="perfil"]:not([hidden])');
}

async function dentalFlows(b, credential, teeth) {
  const { page } = b;
  await logout(page);
  await login(page, 'odontologo', 'DEN333', users.odontologo.password);
  await page.waitForSelector('[data-screen="odontologia"]:not([hidden])');
  assert.ok(await page.locator('#nav a[data-nav="autorizaciones"]').isHidden(), 'a dentist has no GENOS screen');
  await page.fill('#d-credential', credential);
  await page.click('[data-testid="d-eligibility"]');
  await page.waitForSelector('#d-budget-form:not([hidden])');
  await page.check('#d-diagnosis-definitive');
  await chooseDiagnosis(page, 'd-diagnosis-q', 'K02.1', 'caries dentina');
  assert.match(await textOf(page, '[data-testid="d-diagnosis-q-chosen"]'), /K02\.1 — Caries de la dentina/);
  await addPractice(page, 'd', 'obturación simple', '20800');
  await page.click('[data-testid="d-load"]');
  assert.match(await textOf(page, '#d-teeth-error'), /requiere al menos una pieza/);
  // Keyboard: the chart is one tab stop; arrows move, Space marks.
  await page.focus('[data-testid="tooth-11"]');
  for (const key of teeth.keys) await page.keyboard.press(key);
  assert.equal(await textOf(page, '[data-testid="d-teeth-summary"]'), `Marcadas: ${teeth.pair.join(', ')}.`);
  await page.click('[data-testid="d-load"]');
  assert.match(await textOf(page, '#d-faces-error'), /requiere caras/);
  await page.click('[data-testid="face-O"]');
  await page.click('[data-testid="face-M"]');
  await screen(b, 'odontologia-odontograma');
  await page.click('[data-testid="d-load"]');
  await addPractice(page, 'd', '70604', '70604');
  await page.click(`[data-testid="tooth-${teeth.front}"]`);
  await page.click('[data-testid="face-V"]');
  await page.click('[data-testid="d-load"]');
  await addPractice(page, 'd', 'consulta', '10101');
  await page.click('[data-testid="d-load"]');
  assert.equal(await page.locator('[data-testid="d-item"]').count(), 4, 'one item per tooth');
  await page.fill('#d-note', 'Caries en molares; fractura del incisivo.');
  await page.click('[data-testid="d-send"]');
  await page.waitForSelector('[data-testid="d-outcome"]');
  assert.match(await textOf(page, '[data-testid="d-outcome-title"]'), /^Presupuesto aceptado en parte: orden T-\d+-\d+$/);
  const statuses = await page.locator('[data-testid="d-outcome"] [data-testid="result-item"] .badge').allTextContents();
  assert.deepEqual(statuses, ['Autorizado', 'Autorizado', 'Requiere auditoría', 'Autorizado']);
  await screen(b, 'odontologia-resultado');
  await page.click('[data-testid="d-audit-send"]');
  await page.waitForSelector('[data-testid="d-audit-outcome"]');
  assert.match(await textOf(page, '#d-audit-title'), /Solicitud de auditoría SAP-\d+-\d+ enviada/);
  await screen(b, 'odontologia-auditoria');
  // Cambiar prestador: the same user at the clinic (a physician's screens).
  await nav(page, 'prestador');
  await screen(b, 'cambiar-prestador');
  await page.check('#switch-MED410');
  await page.click('[data-testid="switch-submit"]');
  await page.waitForSelector('[data-screen="autorizaciones"]:not([hidden])');
  assert.match(await textOf(page, '[data-testid="who-provider"]'), /^MED410/);
  assert.ok(await page.locator('#nav a[data-nav="odontologia"]').isHidden());
  await screen(b, 'autorizaciones-medico');
}

async function recoveryFlow(b) {
  const { page } = b;
  await logout(page);
  await page.click('[data-testid="login-forgot"]');
  await page.fill('#recovery-user', CASHIER.user);
  await page.click('[data-testid="recovery-send"]');
  await page.waitForFunction(() => !document.querySelector('#recovery-confirm-form').hidden ||
    !document.querySelector('#recovery-error').hidden);
  await screen(b, 'recuperar-clave');
  if (await page.locator('#recovery-error').isVisible()) {
    console.log('# password recovery: the server has no /v1/portal/recovery yet');
    return;
  }
  const outbox = fs.readFileSync(path.join(seeded.store, 'outbox.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  const mail = outbox.reverse().find((m) => m.to === 'cajero@example.org');
  const code = /\b(\d{6})\b/.exec(mail.body)[1];
  await page.fill('#recovery-code', code);
  await page.fill('#recovery-new', 'Recuperada-2026');
  await page.fill('#recovery-repeat', 'Recuperada-2026');
  await page.click('[data-testid="recovery-confirm"]');
  await page.waitForSelector('[data-screen="ingreso"]:not([hidden])');
  await login(page, CASHIER.user, CASHIER.provider, 'Recuperada-2026');
  await page.waitForSelector('[data-screen="autorizaciones"]:not([hidden])');
  CASHIER.password = 'Recuperada-2026';
}

// --- the passes: a counter's screen and a phone ---

const PASSES = [
  { name: 'escritorio', width: 1280, height: 900, mobile: false, first: true, phone: '0388 422-1100',
    credential: { number: '110000783851', name: 'CATALDI, ADRIAN', cuil: '20-24515260-5', notes: 'DIABÉTICO' }, dental: '110000783851',
    teeth: { keys: ['ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'Space', ...Array(11).fill('ArrowRight'), 'Space'],
      pair: [16, 26], front: 11 } },
  { name: 'telefono', width: 390, height: 844, mobile: true, first: false, phone: '0388 15 455-0000',
    credential: { number: '110000783853', name: 'CATALDI, TOMAS', cuil: '20-52100333-3' }, dental: '110000783853',
    teeth: { keys: ['ArrowDown', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'ArrowLeft', 'Enter', 'End', 'ArrowLeft', 'ArrowLeft', 'Enter'],
      pair: [36, 46], front: 21 } }
];

for (const pass of PASSES) {
  test(`portal at ${pass.width} px (${pass.name})`, async (t) => {
    const b = await openBrowser(pass, { dir: tmp, base, artifacts: ARTIFACTS });
    // The flows build on each other: after a failure the rest are skipped.
    let failed = false;
    const step = (name, fn) => t.test(name, { skip: failed && 'an earlier step failed' }, async () => {
      try {
        await fn();
      } catch (e) {
        failed = true;
        keepTmp = true;
        await b.page.screenshot({ path: path.join(ARTIFACTS, `${pass.name}-FAILED.png`), fullPage: true }).catch(() => {});
        throw e;
      }
    });
    try {
      let ids = {};
      let consumption = '';
      await step('login, forced password change, logout', () => signInFlows(b, pass.first));
      await step('Autorizaciones (GENOS): eligibility, validate, authorize, audit', async () => {
        ids = await genosFlows(b, pass.credential);
      });
      await step('Consumo and consumo diferido', async () => { consumption = await consumeFlows(b, ids.order); });
      await step('Auditoría: own requests and the auditor\'s messages', () => auditFlows(b, ids.sap));
      await step('Anular, and the engine\'s refusal', () => annulFlows(b, consumption));
      await step('Registros: filters, order, pages, exports, reprint', () => registerFlows(b, ids.order));
      await step('Facturación: month, exports, Cerrar mes', () => billingFlows(b));
      await step('Perfil', () => profileFlows(b, pass.phone));
      await step('Presupuesto odontológico and Cambiar prestador', () => dentalFlows(b, pass.dental, pass.teeth));
      await step('Olvidé mi contraseña', () => recoveryFlow(b));
      assert.deepEqual(b.problems, [], 'no script error, nothing fetched from outside the binary');
    } finally {
      await b.context.close();
    }
  });
}
