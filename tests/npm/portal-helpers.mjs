// What the browser tests share (portal.test.mjs, portal-recovery.test.mjs,
// portal-documents.test.mjs, afiliados.test.mjs): a real `autoriza
// serve` on a store of their own, the mails of its spool,
// Debian's /usr/bin/chromium driven by playwright-core (never a downloaded
// browser), axe-core and a screenshot of every screen, and the login.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const require = createRequire(import.meta.url);
const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO = path.resolve(HERE, '../..');
export const BINARY = process.env.AUTORIZA_BINARY || path.join(REPO, 'build/portal/autoriza');
export const DATA = process.env.AUTORIZA_DATA || path.join(REPO, 'ops/sample-data');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

// --- the server ---

export function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
}

// `autoriza serve` on store and the sample data (and extra options);
// resolves once /healthz answers. Its output goes to logFile.
export async function startServer(store, port, logFile, extra = []) {
  const log = fs.openSync(logFile, 'a');
  const child = spawn(BINARY, ['serve', '--data', DATA, '--store', store,
    '--http', `127.0.0.1:${port}`, '--allow-client-time', '--log-format', 'text', ...extra], { stdio: ['ignore', log, log] });
  const deadline = Date.now() + 30000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`autoriza serve exited ${child.exitCode}: see ${logFile}`);
    try {
      const r = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (r.ok) return child;
    } catch (e) { /* not yet */ }
    if (Date.now() > deadline) throw new Error('autoriza serve did not answer /healthz in 30 s');
    await new Promise((r) => setTimeout(r, 100));
  }
}

// The server of one test file: a temporary folder of its own (store,
// serve.log, browser profiles), its artifacts folder emptied
// ($AUTORIZA_ARTIFACTS, default <build>/artifacts/<name>), the development
// users and API keys (serveArgs: more options of serve, such as
// --sample-family). keep() marks the folder to stay (after a failure);
// stop() ends the server and removes the folder unless kept.
export async function startPortal(name, { serveArgs = [] } = {}) {
  assert.ok(fs.existsSync(BINARY), `no binary at ${BINARY} (set AUTORIZA_BINARY)`);
  assert.ok(fs.existsSync('/usr/bin/chromium'), 'no /usr/bin/chromium: run ops/install-deps.sh (never download a browser)');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `autoriza-${name}-`));
  const artifacts = process.env.AUTORIZA_ARTIFACTS || path.join(path.dirname(BINARY), 'artifacts', name);
  fs.rmSync(artifacts, { recursive: true, force: true });
  fs.mkdirSync(artifacts, { recursive: true });
  const store = path.join(tmp, 'store');
  const port = await freePort();
  let kept = true;  // until the server answers
  const server = await startServer(store, port, path.join(tmp, 'serve.log'), serveArgs);
  kept = false;
  return {
    tmp, store, artifacts, base: `http://127.0.0.1:${port}`,
    users: Object.fromEntries(csv(path.join(store, 'dev-users.csv')).map((u) => [u.user, u])),
    keys: Object.fromEntries(csv(path.join(store, 'dev-keys.csv')).map((k) => [k.principal, k.key])),
    // The sample family's accounts, when serve registered them (development).
    affiliates: fs.existsSync(path.join(store, 'dev-affiliates.csv')) ? csv(path.join(store, 'dev-affiliates.csv')) : [],
    keep() { kept = true; },
    async stop() {
      await stopServer(server);
      if (kept) console.log(`# kept ${tmp} (store, serve.log, browser profiles)`);
      else fs.rmSync(tmp, { recursive: true, force: true });
    }
  };
}

export function stopServer(child) {
  return new Promise((resolve) => {
    if (!child || child.exitCode !== null) return resolve();
    child.once('exit', resolve);
    child.kill('SIGINT');
  });
}

// The rows of a small CSV file with a header (dev-keys.csv, dev-users.csv).
export function csv(file) {
  const [head, ...rows] = fs.readFileSync(file, 'utf8').trim().split('\n');
  const names = head.split(',');
  return rows.map((line) => Object.fromEntries(line.split(',').map((v, i) => [names[i], v])));
}

// The mails of the store's spool (outbox.jsonl) to one address, oldest first.
export function mailsTo(store, address) {
  const file = path.join(store, 'outbox.jsonl');
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l))
    .filter((m) => m.to === address);
}

// The 6-digit code of a mail: the number after "código" (a credential
// such as 354495 may come before it).
export function codeOf(mail) {
  const m = /código\D*?(\d{6})\b/i.exec(mail.body) || /\b(\d{6})\b/.exec(mail.body);
  assert.ok(m, `a 6-digit code in: ${mail.body}`);
  return m[1];
}

// --- the browser ---

// A fresh profile under dir; every request must stay inside the binary at
// base, and no script may fail (b.problems). Screenshots go to artifacts.
export async function openBrowser(pass, { dir, base, artifacts }) {
  const profile = fs.mkdtempSync(path.join(dir, `chromium-${pass.name}-`));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: '/usr/bin/chromium', headless: true, locale: 'es-AR', timezoneId: 'America/Argentina/Buenos_Aires',
    viewport: { width: pass.width, height: pass.height }, isMobile: pass.mobile, hasTouch: pass.mobile,
    deviceScaleFactor: 1, acceptDownloads: false,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  });
  const page = context.pages()[0] || await context.newPage();
  page.setDefaultTimeout(10000);
  const problems = [];
  page.on('pageerror', (e) => problems.push(`script error: ${e.message}`));
  // What the pages' Content-Security-Policy stopped is a broken page
  // (adapters/service/security_headers.h).
  page.on('console', (m) => {
    if (m.type() === 'error' && /Content Security Policy/i.test(m.text())) problems.push(`CSP: ${m.text()}`);
  });
  page.on('request', (r) => {
    const url = r.url();
    if (!url.startsWith(base) && !url.startsWith('data:')) problems.push(`request outside the binary: ${url}`);
  });
  return { context, page, problems, shots: 0, pass, artifacts };
}

// axe-core on the screen as it is, then its screenshot.
export async function screen(b, name) {
  const { page } = b;
  await page.waitForFunction(() => document.documentElement.dataset.ready === 'true');
  // Run through the DevTools protocol, which the pages' CSP does not govern
  // (an inline <script> tag would be refused, as it should be).
  if (!(await page.evaluate(() => Boolean(window.axe)))) await page.evaluate(new Function(AXE));
  const violations = await page.evaluate(async () => {
    const r = await window.axe.run(document, { resultTypes: ['violations'] });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => n.target.join(' ')).slice(0, 4).join(' | ')}`);
  });
  b.shots += 1;
  const file = path.join(b.artifacts, `${b.pass.name}-${String(b.shots).padStart(2, '0')}-${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  assert.deepEqual(violations, [], `axe on ${name} (${b.pass.name}): see ${file}`);
}

export const visible = (page, selector) => page.locator(selector).filter({ visible: true }).first();
export async function textOf(page, selector) {
  return (await visible(page, selector).textContent()).replace(/\s+/g, ' ').trim();
}

export async function login(page, user, provider, password) {
  await page.waitForSelector('[data-screen="ingreso"]:not([hidden])');
  await page.fill('#login-user', user);
  await page.fill('#login-provider', provider);
  await page.fill('#login-password', password);
  await page.click('[data-testid="login-submit"]');
}

export async function logout(page) {
  const toggle = page.locator('#menu-toggle');
  if (await toggle.isVisible()) await toggle.click();
  await page.click('[data-testid="logout"]');
  await page.waitForFunction(() => /Cerraste la sesión/.test(document.querySelector('[data-testid="login-notice"]').textContent));
  await page.waitForSelector('[data-screen="ingreso"]:not([hidden])');
}
