/* app.js of the providers' portal: starts the page. The screens live in
   core.js (shared helpers), widgets.js, session.js, genos.js, dental.js,
   orders.js and reports.js; this file routes the address (#/registros...)
   to them, opens and closes the menu on a phone, and asks the server who
   is signed in. */
'use strict';
(function (P) {
  const { $ } = P;

  // #/name?params -> the screen; without a session only the login and the
  // password recovery open; while a password change is forced, only it.
  function route() {
    const { name, params } = P.currentRoute();
    const session = P.state.session;
    closeMenu();
    if (!session) {
      P.showScreen(name === 'recuperar' ? 'recuperar' : 'ingreso');
      return;
    }
    if (session.must_change_password) {
      P.showScreen('clave');
      return;
    }
    if (!name || !P.screens[name] || name === 'ingreso' || name === 'recuperar') {
      P.go(P.home());
      return;
    }
    P.showScreen(name, params);
  }

  function closeMenu() {
    const toggle = $('menu-toggle');
    toggle.setAttribute('aria-expanded', 'false');
    document.body.classList.remove('menu-open');
  }

  function start() {
    $('menu-toggle').addEventListener('click', () => {
      const open = $('menu-toggle').getAttribute('aria-expanded') !== 'true';
      $('menu-toggle').setAttribute('aria-expanded', open ? 'true' : 'false');
      document.body.classList.toggle('menu-open', open);
      if (open) $('nav').querySelector('a, button').focus();
    });
    document.addEventListener('keydown', (ev) => {
      if (ev.key === 'Escape' && document.body.classList.contains('menu-open')) {
        closeMenu();
        $('menu-toggle').focus();
      }
    });
    // The skip link moves the focus, not the address (the address routes).
    document.querySelector('.skip').addEventListener('click', (ev) => {
      ev.preventDefault();
      const title = document.querySelector('[data-screen]:not([hidden]) h1');
      (title || $('main')).focus();
    });
    window.addEventListener('hashchange', route);
    $('page-loading').hidden = true;
    P.watchIdle();
    P.boot().then(() => { document.documentElement.dataset.ready = 'true'; });
  }

  start();
})(window.Portal);
