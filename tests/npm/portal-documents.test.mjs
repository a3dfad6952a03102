// Documents in the providers' portal and the auditors' page, in a real
// browser (Debian's chromium through playwright-core), by clicks:
//  - an audit request with the diagnosis in words, its type and an attached
//    PDF (GENOS "Solicitar auditoría"); a file that is not a PDF, JPEG or PNG
//    is refused next to it, in Spanish;
//  - the auditor asks for documents; the provider answers from Auditoría
//    with a text and an image, and the request goes back to the auditor;
//  - the auditors' page shows the request's documents and the answer, and
//    opens a document with the auditor's key;
//  - "Solo honorarios" on a practice that allows it bills the professional
//    fee only (and the choice is not offered where no practice allows it).
// axe-core on every screen; screenshots in $AUTORIZA_ARTIFACTS (default
// <build>/artifacts/portal-documents).
//
//   AUTORIZA_BINARY=build/dev/autoriza node --test tests/npm/portal-documents.test.mjs
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { login, openBrowser, screen, startPortal, textOf } from './portal-helpers.mjs';

let portal = null;
let base = '';
let users = {};
let keys = {};

// Small files of each kind: the store types them by their first bytes.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cf'
  + 'c0f01f0005000201a6d5a8a40000000049454e44ae426082', 'hex');
const NOT_A_PDF = Buffer.from('esto es texto, no un PDF\n');

before(async () => {
  portal = await startPortal('portal-documents');
  ({ base, users, keys } = portal);
});

after(async () => { if (portal) await portal.stop(); });

async function command(key, name, body) {
  const r = await fetch(`${base}/v1/${name}`, { method: 'POST',
    headers: { Authorization: `Bearer ${key}`, 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const data = await r.json();
  assert.equal(r.status, 200, `${name}: ${JSON.stringify(data)}`);
  return data;
}

async function get(key, route) {
  const r = await fetch(`${base}${route}`, { headers: { Authorization: `Bearer ${key}` } });
  return { status: r.status, data: await r.json() };
}

// The read side follows the answers a moment behind.
async function until(fn, what) {
  for (let i = 0; i < 50; ++i) {
    if (await fn()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail(`waited 5 s for ${what}`);
}

async function attach(page, inputId, name, mimeType, buffer) {
  const before = await page.locator(`[data-testid="${inputId}-list"] li`).count();
  await page.setInputFiles(`#${inputId}`, { name, mimeType, buffer });
  await page.waitForFunction(([id, n]) => {
    const rows = document.querySelectorAll(`[data-testid="${id}-list"] li`);
    return rows.length > n && rows[rows.length - 1].dataset.state !== 'sending';
  }, [inputId, before]);
  return page.locator(`[data-testid="${inputId}-list"] li`).last();
}

async function validateAndOpenAudit(page, credential, code) {
  await page.fill('#g-credential', credential);
  await page.click('[data-testid="g-eligibility"]');
  await page.waitForSelector('#g-order-form:not([hidden])');
  await page.fill('#g-prescriber-license', '1234');
  await page.fill('#g-practice-q', code);
  await page.press('#g-practice-q', 'Enter');
  await page.waitForSelector(`#g-items tr[data-code="${code}"]`);
  await page.click('[data-testid="g-validate"]');
  await page.click('[data-testid="g-audit-open"]');
}

test('documents: audit request, answer to the auditor, the auditors\' page, solo honorarios', async () => {
  const lab = users.laboratorio;
  const b = await openBrowser({ name: 'escritorio', width: 1280, height: 900, mobile: false },
    { dir: portal.tmp, base, artifacts: portal.artifacts });
  const { page } = b;
  try {
    await page.goto(`${base}/prestadores/`);
    await login(page, lab.user, 'LAB127', lab.password);
    await page.waitForSelector('[data-screen="autorizaciones"]:not([hidden])');

    // 1. An audit request with the diagnosis in words and a PDF; a text file
    //    named .pdf is refused next to the field and is not attached.
    await validateAndOpenAudit(page, '110000783851', '000016');
    await page.fill('#g-diagnosis-q-text', 'Enfermedad respiratoria');
    await page.check('#g-diagnosis-q-type-PRESUMPTIVE');
    await page.fill('#g-note', 'Control por tos persistente.');
    const bad = await attach(page, 'g-attach', 'receta.pdf', 'application/pdf', NOT_A_PDF);
    assert.equal(await bad.getAttribute('data-state'), 'error');
    assert.match((await bad.textContent()).replace(/\s+/g, ' '), /no permitido|solo PDF, JPEG o PNG/i);
    await bad.locator('button:has-text("Quitar")').click();
    const good = await attach(page, 'g-attach', 'orden-medica.pdf', 'application/pdf', PDF);
    assert.equal(await good.getAttribute('data-state'), 'ready');
    await screen(b, 'auditoria-con-documentos');
    await page.click('[data-testid="g-audit-send"]');
    await page.waitForSelector('[data-testid="g-outcome"]');
    const sap = /(SAP-\d+-\d+)/.exec(await textOf(page, '#g-outcome-title'))[1];
    assert.match(await textOf(page, '[data-testid="g-outcome"]'), /Enfermedad respiratoria \(presuntivo\)/);
    let detail = (await get(keys.auditor, `/v1/transactions/${sap}`)).data;
    assert.equal(detail.sap.diagnosis_text, 'Enfermedad respiratoria');
    assert.equal(detail.sap.diagnosis_type, 'PRESUMPTIVE');
    assert.equal(detail.sap.documents.length, 1);
    const requestDoc = detail.sap.documents[0];

    // 2. The auditor asks for documents; the provider answers from Auditoría.
    await command(keys.auditor, 'audit_verdict', { request_id: 'docs-1', auditor: 'auditor', sap, verdict: 'REQUEST_DOCS',
      message: 'Enviar la radiografía de tórax.' });
    await until(async () => (await get(keys.auditor, `/v1/audits/${sap}`)).data.status === 'DOCS_REQUESTED', 'the request for documents');
    await page.goto(`${base}/prestadores/#/auditoria`);
    await page.waitForSelector(`[data-testid="a-row"][data-sap="${sap}"]`);
    await page.click(`[data-testid="a-row"][data-sap="${sap}"] [data-testid="a-open"]`);
    await page.waitForSelector('[data-testid="a-answer"]');
    await page.click('[data-testid="a-answer-send"]');
    assert.match(await textOf(page, '#a-answer-text-error'), /Escribí una respuesta o adjuntá/);
    await page.fill('#a-answer-text', 'Adjunto la radiografía pedida.');
    const image = await attach(page, 'a-answer-files', 'radiografia.png', 'image/png', PNG);
    assert.equal(await image.getAttribute('data-state'), 'ready');
    await screen(b, 'auditoria-responder');
    await page.click('[data-testid="a-answer-send"]');
    await page.waitForFunction(() => /Respuesta del prestador/.test(document.querySelector('[data-testid="a-messages"]').textContent));
    assert.equal(await textOf(page, '[data-testid="a-detail"] .card-head .badge'), 'Pendiente');
    assert.ok(await page.locator('[data-testid="a-answer"]').count() === 0, 'no answer form once answered');
    await screen(b, 'auditoria-respondida');
    // The document opens for its provider (the session's cookie).
    const href = await page.locator('[data-testid="a-messages"] a').first().getAttribute('href');
    const opened = await page.request.get(`${base}${href}`);
    assert.equal(opened.status(), 200);
    assert.equal(opened.headers()['content-type'], 'image/png');

    // 3. The auditors' page: the request's PDF and the provider's answer.
    await page.goto(`${base}/audit/`);
    await page.fill('#api-key', keys.auditor);
    await page.press('#api-key', 'Tab');
    await page.click('#filters button[type="submit"]');
    await page.waitForSelector(`[data-testid="open-sap"][data-sap="${sap}"]`);
    await page.click(`[data-testid="open-sap"][data-sap="${sap}"]`);
    await page.waitForSelector('[data-testid="provider-answer"]');
    assert.match(await textOf(page, '[data-testid="detail-diagnosis"]'), /Enfermedad respiratoria \(presuntivo\)/);
    assert.equal(await page.locator('[data-testid="request-documents"] a').count(), 1);
    assert.match(await textOf(page, '[data-testid="provider-answer"]'), /Prestador LAB127.*Adjunto la radiografía pedida\./);
    assert.equal(await page.locator('[data-testid="answer-documents"] a').count(), 1);
    await screen(b, 'auditor-respuesta');
    const [popup] = await Promise.all([
      b.context.waitForEvent('page'),
      page.click('[data-testid="request-documents"] a')
    ]);
    await popup.waitForLoadState();
    assert.match(popup.url(), /^blob:/);
    await popup.close();
    // Without the key the document is not readable.
    assert.equal((await fetch(`${base}/v1/documents/${requestDoc}`)).status, 401);

    // 4. Solo honorarios: the hemograma allows it, the consulta does not.
    const order = await command(keys['provider-LAB127'], 'authorize', { request_id: 'hemo-1', provider: 'LAB127',
      credential: '110000783852', prescribed_on: new Date(Date.now() - 3 * 3600e3).toISOString().slice(0, 10),
      prescriber: { kind: 'MD', license: '1234' }, items: [{ code: '000475' }, { code: '000118' }] });
    assert.equal(order.status, 'AUTHORIZED', JSON.stringify(order));
    await page.goto(`${base}/prestadores/#/consumo`);
    await page.fill('#c-order', order.order);
    await page.click('[data-testid="c-find"]');
    await page.waitForSelector('#c-part:not([hidden])');
    await page.uncheck(`[data-testid="c-item"][value="1"]`);
    await page.check('#c-part-professional');
    assert.equal(await (await attach(page, 'c-attach', 'hemograma.png', 'image/png', PNG)).getAttribute('data-state'), 'ready');
    await screen(b, 'consumo-solo-honorarios');
    await page.click('[data-testid="c-submit"]');
    await page.waitForSelector('[data-testid="c-outcome"]');
    assert.equal(await textOf(page, '[data-testid="c-outcome"] .card-head .badge'), 'Aceptado');
    const consumption = /Consumo (T-\d+-\d+) registrado/.exec(await textOf(page, '#c-outcome-title'))[1];
    const recorded = (await get(keys['provider-LAB127'], `/v1/transactions/${consumption}`)).data;
    assert.equal(recorded.command.part, 'PROFESSIONAL_ONLY');
    assert.equal(recorded.command.documents.length, 1, 'the image travels by its hash');
    const hemo = order.items[0];
    assert.equal(await textOf(page, '[data-testid="c-outcome"] [data-testid="total"]'),
      `$ ${hemo.professional.replace('.', ',')}`);
    // The other item's practice allows no part: asking for one is refused in words.
    await page.check('#c-part-expenses');
    await page.click('[data-testid="c-submit"]');
    await page.waitForSelector('#c-part-error:not([hidden])');
    assert.match(await textOf(page, '#c-part-error'), /no admite consumo de solo honorarios o solo gastos/);
    await screen(b, 'consumo-parte-rechazada');
    assert.deepEqual(b.problems, [], 'no script error, nothing fetched from outside the binary');
  } catch (e) {
    portal.keep();
    await page.screenshot({ path: path.join(portal.artifacts, 'FAILED.png'), fullPage: true }).catch(() => {});
    throw e;
  } finally {
    await b.context.close();
  }
});
