/* card.js: the digital credential as a card (Mi credencial, the offline
   view and the shared card's page, compartida.html). It shows what the card
   JSON of GET /v1/affiliates/{credential}/card(s) or GET /v1/shares/{link}
   holds — insurer, name, credential, beneficiary number, plan, DNI, the
   rotating security code and its validity, the signed QR — and the notice
   (the card's, else the insurer's, else a neutral one). The countdowns tick here; what a code is worth is the
   server's answer. */
'use strict';
(function (A) {
  const { el } = A;

  const STATUS = { ACTIVE: 'Activa', SUSPENDED: 'Suspendida', TERMINATED: 'De baja' };
  const DEFAULT_NOTICE = 'Credencial de uso exclusivo del titular. Presentá tu DNI.';

  // wide: a long value (the beneficiary number) takes the card's whole width.
  function fact(label, value, testid, wide) {
    if (value === undefined || value === null || value === '') return null;
    return el('div', { className: wide ? 'fact wide' : 'fact' },
      [el('dt', { text: label }), el('dd', { text: value, 'data-testid': testid })]);
  }

  // The card's head: the insurer's logo (its own, or the app's icon) and name.
  function head(insurer, name) {
    const logo = insurer.logo_url || '/afiliados/icon.svg';
    return el('header', { className: 'credential-head' }, [
      el('img', { className: 'credential-logo', src: logo, alt: '', width: '40', height: '40' }),
      el('div', {}, [
        el('p', { className: 'credential-insurer', text: name || insurer.name || A.DEFAULT_INSURER.name,
          'data-testid': 'card-insurer' }),
        el('p', { className: 'credential-kind', text: 'Credencial digital' })
      ])
    ]);
  }

  // The security code, its validity and the time left until it changes.
  function code(card, offline) {
    return el('div', { className: 'credential-code' }, [
      el('p', { className: 'code-label', text: 'Código de seguridad' }),
      el('p', { className: 'code-value', 'data-testid': 'card-code', text: A.groups(card.security_code) }),
      el('p', { className: 'code-valid' }, [
        'Válido hasta ', el('span', { 'data-testid': 'card-valid-until', text: A.dateTime(card.valid_until) }),
        el('br'),
        el('span', { className: 'countdown', 'data-until': card.valid_until, 'data-testid': 'card-countdown',
          'data-label': 'Cambia en',
          'data-expired': offline ? 'Este código ya cambió: conectate para ver el actual.' : 'Código vencido: actualizando…' })
      ])
    ]);
  }

  // card: a card JSON. options: {insurer, qr (an image URL or ''), offlineAt
  // (text of when it was saved, or '')}. Returns an <article>.
  function renderCard(card, options) {
    const o = options || {};
    const insurer = o.insurer || A.DEFAULT_INSURER;
    const titular = card.titular === card.credential;
    const status = card.status && card.status !== 'ACTIVE' ? (STATUS[card.status] || card.status) : '';
    const article = el('article', { className: `credential${status ? ' inactive' : ''}`, 'data-credential': card.credential,
      'aria-label': `Credencial de ${card.name}`, 'data-testid': 'card' }, [
      head(insurer, card.insurer),
      el('div', { className: 'credential-body' }, [
        el('p', { className: 'credential-name', 'data-testid': 'card-name', text: card.name }),
        el('dl', { className: 'credential-facts' }, [
          fact('Credencial', card.credential, 'card-credential'),
          fact('Plan', card.plan, 'card-plan'),
          fact('N.º de beneficiario', card.beneficiary, 'card-beneficiary', true),
          fact('DNI', A.dni(card.document), 'card-document'),
          fact('CUIL', A.cuil(card.cuil), 'card-cuil'),
          fact('Grupo familiar', titular ? 'Titular' : 'Integrante', 'card-role'),
          fact('Estado', status, 'card-status')
        ]),
        o.qr ? el('div', { className: 'credential-qr' }, [
          el('img', { src: o.qr, alt: `Código QR de la credencial de ${card.name}, para que el prestador la verifique`,
            width: '180', height: '180', 'data-testid': 'card-qr' })
        ]) : null,
        code(card, Boolean(o.offlineAt))
      ]),
      el('footer', { className: 'credential-notice', 'data-testid': 'card-notice',
        text: card.card_notice || insurer.card_notice || DEFAULT_NOTICE })
    ]);
    if (o.offlineAt) {
      article.classList.add('offline');
      article.insertBefore(el('p', { className: 'offline-tag', 'data-testid': 'card-offline',
        text: `Mostrada sin conexión · guardada el ${o.offlineAt}` }), article.firstChild);
    }
    return article;
  }

  // Updates every countdown under root; calls onExpired once when one of
  // them reaches zero. Returns whether any is still running.
  function tickCountdowns(root, onExpired) {
    let running = false;
    let expired = false;
    for (const node of root.querySelectorAll('[data-until]')) {
      const left = (Date.parse(node.dataset.until) - A.now()) / 1000;
      if (left > 0) {
        running = true;
        node.textContent = `${node.dataset.label} ${A.clock(left)}`;
      } else {
        node.textContent = node.dataset.expired;
        expired = true;
      }
    }
    if (expired && onExpired) onExpired();
    return running;
  }

  // A QR SVG text -> an image URL the page can show (no markup is inserted).
  const svgUrl = (svg) => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;

  Object.assign(A, { renderCard, tickCountdowns, svgUrl, DEFAULT_NOTICE });
})(window.App);
