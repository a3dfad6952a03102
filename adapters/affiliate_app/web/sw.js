/* sw.js: the affiliates' app's service worker, served from /afiliados/ so
   its scope is /afiliados/. Two jobs, nothing else:

   - the shell (the files of /afiliados/) network first, from the cache
     without a connection, so the app opens offline;
   - the last card: each successful GET /v1/affiliates/{c}/cards is kept as
     /afiliados/ultima-credencial.json (the answer plus saved_at, the
     moment it was saved) and each GET /v1/affiliates/{c}/card.svg as
     /afiliados/ultima-credencial/{c}.svg; without a connection those
     requests are answered from what was kept (cards with their saved_at,
     which the page shows as "mostrada sin conexión"). GET /v1/insurer and
     its logo are kept the same way (the card's header).

   Nothing else of the API is cached: sessions, tokens, shares and history
   always go to the network. Logging out deletes the card's cache (the page
   does it: credential.js). */
'use strict';
const SHELL_CACHE = 'autoriza-afiliados-shell-v1';
const CARD_CACHE = 'autoriza-afiliados-credencial';
const SHELL = ['/afiliados/', '/afiliados/app.css', '/afiliados/core.js', '/afiliados/card.js', '/afiliados/session.js',
  '/afiliados/credential.js', '/afiliados/share.js', '/afiliados/token.js', '/afiliados/history.js',
  '/afiliados/profile.js', '/afiliados/app.js', '/afiliados/manifest.webmanifest', '/afiliados/icon.svg',
  '/afiliados/icon-192.png', '/afiliados/icon-512.png', '/afiliados/compartida.html', '/afiliados/shared.js'];
const SAVED_CARDS = '/afiliados/ultima-credencial.json';
const SAVED_QR = '/afiliados/ultima-credencial/';
const SAVED_INSURER = '/afiliados/ultima-credencial/insurer.json';
const SAVED_LOGO = '/afiliados/ultima-credencial/logo.svg';

self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith('autoriza-afiliados-shell-') && n !== SHELL_CACHE)
      .map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

function notSaved() {
  return new Response(JSON.stringify({ error: { code: 'NOT_FOUND', message: 'No hay una credencial guardada' } }),
    { status: 404, headers: { 'Content-Type': 'application/json' } });
}

async function fromCardCache(key) {
  const cache = await caches.open(CARD_CACHE);
  return (await cache.match(key)) || notSaved();
}

// The network's answer, a copy kept under key when it is 200 (transform:
// the body to keep, from the answer's text); without a network, the copy.
async function networkKeeping(request, key, transform) {
  let response;
  try {
    response = await fetch(request);
  } catch (e) {
    const cache = await caches.open(CARD_CACHE);
    const saved = await cache.match(key);
    if (saved) return saved;
    throw e;
  }
  if (response.status === 200) {
    const text = await response.clone().text();
    const body = transform ? transform(text) : text;
    if (body !== null) {
      const cache = await caches.open(CARD_CACHE);
      await cache.put(key, new Response(body, { headers: { 'Content-Type': response.headers.get('Content-Type') || '' } }));
    }
  }
  return response;
}

function withSavedAt(text) {
  try {
    const data = JSON.parse(text);
    if (!data || !Array.isArray(data.items)) return null;
    data.saved_at = new Date().toISOString();
    return JSON.stringify(data);
  } catch (e) {
    return null;
  }
}

async function shellFirstFromNetwork(request) {
  const cache = await caches.open(SHELL_CACHE);
  try {
    const response = await fetch(request);
    if (response.status === 200) await cache.put(request, response.clone());
    return response;
  } catch (e) {
    const saved = await cache.match(request, { ignoreSearch: true }) ||
      (request.mode === 'navigate' ? await cache.match('/afiliados/') : undefined);
    if (saved) return saved;
    throw e;
  }
}

self.addEventListener('fetch', (event) => {
  const request = event.request;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (path === SAVED_CARDS || path.startsWith(SAVED_QR)) {
    event.respondWith(fromCardCache(path));
    return;
  }
  if (/^\/v1\/affiliates\/[^/]+\/cards$/.test(path)) {
    event.respondWith(networkKeeping(request, SAVED_CARDS, withSavedAt));
    return;
  }
  const qr = /^\/v1\/affiliates\/([^/]+)\/card\.svg$/.exec(path);
  if (qr) {
    event.respondWith(networkKeeping(request, `${SAVED_QR}${qr[1]}.svg`, null));
    return;
  }
  if (path === '/v1/insurer' || path === '/v1/insurer/logo.svg') {
    event.respondWith(networkKeeping(request, path === '/v1/insurer' ? SAVED_INSURER : SAVED_LOGO, null));
    return;
  }
  if (path === '/afiliados' || path.startsWith('/afiliados/')) event.respondWith(shellFirstFromNetwork(request));
});
