/* app.js of the affiliates' app: starts the page. The screens live in
   core.js (shared helpers), card.js, session.js, credential.js, share.js,
   token.js, history.js and profile.js; this file routes the address
   (#/credencial ...) to them, shows the insurer's name in the bar,
   registers the service worker (sw.js: the app opens without a connection
   and shows the last card) and asks the server who is signed in. */
'use strict';
(function (A) {
  const { $ } = A;

  // #/name -> the screen; without a session only the public screens open.
  function route() {
    const { name, params } = A.currentRoute();
    if (!A.state.session) {
      A.showScreen(A.PUBLIC.includes(name) ? name : 'ingresar', params);
      return;
    }
    if (!name || !A.screens[name] || A.PUBLIC.includes(name)) {
      A.go('credencial');
      return;
    }
    A.showScreen(name, params);
  }

  // The insurer's name and logo in the bar (a neutral default until then).
  async function brand() {
    const i = await A.loadInsurer();
    $('brand-name').textContent = i.short_name || i.name;
    if (i.logo_url) $('brand-logo').src = i.logo_url;
  }

  function registerWorker() {
    if (!('serviceWorker' in navigator)) return;
    navigator.serviceWorker.register('/afiliados/sw.js', { scope: '/afiliados/' }).catch(() => { /* no offline view */ });
  }

  function start() {
    // The skip link moves the focus, not the address (the address routes).
    document.querySelector('.skip').addEventListener('click', (ev) => {
      ev.preventDefault();
      const title = document.querySelector('[data-screen]:not([hidden]) h1');
      (title || $('main')).focus();
    });
    window.addEventListener('hashchange', route);
    // Back online after opening without a connection: who is signed in?
    window.addEventListener('online', () => { if (!A.state.session) A.boot(); });
    registerWorker();
    A.watchIdle();
    Promise.all([brand(), A.boot()]).then(() => {
      $('page-loading').hidden = true;
      document.documentElement.dataset.ready = 'true';
    });
  }

  start();
})(window.App);
