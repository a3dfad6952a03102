/* teeth.js: the tooth picker laid out as the FDI chart (permanent 11-48,
   deciduous 51-85) and the face picker (docs/rules.md section 8). Several
   teeth may be marked: the budget gets one item per tooth. Keyboard: the
   chart is one tab stop; arrows move, Space or Enter marks, Home/End go to
   the ends of a row. Which face fits which tooth is the engine's to say. */
'use strict';
(function (P) {
  const { el } = P;

  // Rows as the chart is drawn: the patient's right on the left.
  const QUADS = {
    1: [18, 17, 16, 15, 14, 13, 12, 11], 2: [21, 22, 23, 24, 25, 26, 27, 28],
    4: [48, 47, 46, 45, 44, 43, 42, 41], 3: [31, 32, 33, 34, 35, 36, 37, 38],
    5: [55, 54, 53, 52, 51], 6: [61, 62, 63, 64, 65],
    8: [85, 84, 83, 82, 81], 7: [71, 72, 73, 74, 75]
  };
  const QUAD_NAME = {
    1: 'Superior derecho', 2: 'Superior izquierdo', 3: 'Inferior izquierdo', 4: 'Inferior derecho',
    5: 'Superior derecho', 6: 'Superior izquierdo', 7: 'Inferior izquierdo', 8: 'Inferior derecho'
  };
  const ROWS = [[1, 2], [4, 3], [5, 6], [8, 7]];
  const FACES = [
    ['O', 'Oclusal'], ['M', 'Mesial'], ['D', 'Distal'], ['V', 'Vestibular'],
    ['L', 'Lingual'], ['P', 'Palatina'], ['I', 'Incisal'], ['G', 'Gingival']
  ];

  // A fieldset of toggle buttons with the FDI chart; get() -> [teeth].
  function toothPicker(id) {
    const selected = new Set();
    const rows = [];   // rows[r] = [button...] in visual order
    const toggle = (button) => {
      const tooth = Number(button.dataset.tooth);
      if (selected.has(tooth)) selected.delete(tooth);
      else selected.add(tooth);
      button.setAttribute('aria-pressed', selected.has(tooth) ? 'true' : 'false');
      P.fieldError(id, '');
      summary.textContent = describe();
    };
    const focusAt = (r, c) => {
      const row = rows[r];
      const button = row[Math.max(0, Math.min(row.length - 1, c))];
      for (const b of rows.flat()) b.tabIndex = -1;
      button.tabIndex = 0;
      button.focus();
    };
    const keydown = (r, c) => (ev) => {
      const moves = {
        ArrowLeft: [r, c - 1], ArrowRight: [r, c + 1], Home: [r, 0], End: [r, rows[r].length - 1],
        ArrowUp: [Math.max(0, r - 1), null], ArrowDown: [Math.min(rows.length - 1, r + 1), null]
      };
      const to = moves[ev.key];
      if (!to) return;
      ev.preventDefault();
      let [nr, nc] = to;
      // Up and down keep the position across rows of different length.
      if (nc === null) nc = Math.round((c / Math.max(1, rows[r].length - 1)) * (rows[nr].length - 1));
      focusAt(nr, nc);
    };
    const arch = (title, rowIndexes) => el('div', { className: 'arch' }, [
      el('p', { className: 'arch-title', text: title }),
      ...rowIndexes.map((r) => el('div', { className: 'arch-row' }, ROWS[r].map((q) => {
        const buttons = QUADS[q].map((tooth) => el('button', {
          type: 'button', className: 'tooth', 'data-tooth': String(tooth), 'aria-pressed': 'false',
          'data-testid': `tooth-${tooth}`, tabindex: '-1', text: String(tooth)
        }));
        rows[r] = (rows[r] || []).concat(buttons);
        return el('div', { role: 'group', className: `quad quad-${q}`, 'aria-label': `${QUAD_NAME[q]} (${q})` }, [
          el('span', { className: 'quad-name', 'aria-hidden': 'true', text: QUAD_NAME[q] }), ...buttons]);
      })))
    ]);
    const summary = el('p', { className: 'hint', 'aria-live': 'polite', 'data-testid': `${id}-summary` });
    const fieldset = el('fieldset', { id, className: 'teeth', tabindex: '-1' }, [
      el('legend', { text: 'Piezas dentales (odontograma FDI)' }),
      el('p', { className: 'hint', text: 'Marcá una o varias piezas: se carga una práctica por pieza. ' +
        'Con el teclado: flechas para moverte, Espacio para marcar.' }),
      arch('Permanentes', [0, 1]),
      arch('Temporarios', [2, 3]),
      summary
    ]);
    rows.forEach((row, r) => row.forEach((b, c) => {
      b.addEventListener('click', () => { toggle(b); for (const x of rows.flat()) x.tabIndex = -1; b.tabIndex = 0; });
      b.addEventListener('keydown', keydown(r, c));
    }));
    rows[0][7].tabIndex = 0;   // 11
    function describe() {
      const list = [...selected].sort((a, b) => a - b);
      return list.length ? `Marcadas: ${list.join(', ')}.` : 'Ninguna pieza marcada.';
    }
    summary.textContent = describe();
    return {
      node: fieldset,
      get: () => [...selected].sort((a, b) => a - b),
      clear() {
        selected.clear();
        for (const b of rows.flat()) b.setAttribute('aria-pressed', 'false');
        summary.textContent = describe();
      }
    };
  }

  // The faces as toggle buttons; get() -> "OM" in the chart's order.
  function facePicker(id) {
    const selected = new Set();
    const buttons = FACES.map(([letter, name]) => el('button', {
      type: 'button', className: 'face', 'aria-pressed': 'false', 'data-face': letter, 'data-testid': `face-${letter}`
    }, [el('strong', { text: letter }), el('span', { className: 'face-name', text: ` ${name}` })]));
    for (const b of buttons) {
      b.addEventListener('click', () => {
        const f = b.dataset.face;
        if (selected.has(f)) selected.delete(f);
        else selected.add(f);
        b.setAttribute('aria-pressed', selected.has(f) ? 'true' : 'false');
        P.fieldError(id, '');
      });
    }
    const fieldset = el('fieldset', { id, className: 'faces', tabindex: '-1' }, [
      el('legend', { text: 'Caras' }),
      el('p', { className: 'hint', text: 'Las caras marcadas valen para todas las piezas de esta práctica.' }),
      el('div', { className: 'face-row' }, buttons)
    ]);
    return {
      node: fieldset,
      get: () => FACES.map(([l]) => l).filter((l) => selected.has(l)).join(''),
      clear() {
        selected.clear();
        for (const b of buttons) b.setAttribute('aria-pressed', 'false');
      }
    };
  }

  Object.assign(P, { toothPicker, facePicker });
})(window.Portal);
