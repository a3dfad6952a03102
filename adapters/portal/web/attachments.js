/* attachments.js: documents attached to an audit request, a consumption or
   an answer to the auditor (an X-ray, a medical order). Each chosen file is
   sent at once to POST /v1/documents, which keeps it by its SHA-256 and
   decides whether it is a PDF, JPEG or PNG within the size limit; the
   command then names the files by those hashes. The page checks nothing the
   server does not: it only shows what the server answered, file by file. */
'use strict';
(function (P) {
  const { el } = P;
  const ACCEPT = '.pdf,.jpg,.jpeg,.png,application/pdf,image/jpeg,image/png';

  function sizeText(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
    return `${(bytes / (1024 * 1024)).toFixed(1).replace('.', ',')} MB`;
  }

  // A file input and the list of what was sent. id: the input's id (its
  // label says what to attach). Returns { element, hashes(), busy(), reset() }.
  function attachments(id, labelText) {
    const files = [];  // { name, size, hash, state: 'sending' | 'ready' | 'error', message, row }
    const input = el('input', { type: 'file', id, accept: ACCEPT, multiple: true, 'data-testid': `${id}-input`,
      'aria-describedby': `${id}-hint` });
    const list = el('ul', { className: 'attachments', 'data-testid': `${id}-list`, 'aria-live': 'polite' });
    const element = el('div', { className: 'field' }, [
      el('label', { for: id, text: labelText }),
      input,
      el('p', { id: `${id}-hint`, className: 'hint', text: 'PDF, JPEG o PNG, hasta 8 MB cada uno.' }),
      list
    ]);

    function render(f) {
      const state = f.state === 'sending' ? 'enviando…' : f.state === 'ready' ? 'adjuntado' : f.message;
      const remove = el('button', { type: 'button', className: 'link', text: 'Quitar',
        'aria-label': `Quitar ${f.name}`, onclick: () => drop(f) });
      const row = el('li', { 'data-state': f.state, className: f.state === 'error' ? 'error-text' : '' }, [
        el('span', { text: `${f.name} (${sizeText(f.size)}): ` }), el('span', { text: state }), ' ', remove]);
      if (f.row) f.row.replaceWith(row);
      else list.append(row);
      f.row = row;
    }

    function drop(f) {
      files.splice(files.indexOf(f), 1);
      f.row.remove();
      input.focus();
    }

    async function send(file) {
      const f = { name: file.name, size: file.size, hash: '', state: 'sending', message: '', row: null };
      files.push(f);
      render(f);
      const answer = await P.api('POST', `/v1/documents?name=${encodeURIComponent(file.name)}`, file);
      if (answer.ok && answer.data && answer.data.hash) {
        f.hash = answer.data.hash;
        f.state = files.some((o) => o !== f && o.hash === f.hash) ? 'error' : 'ready';
        f.message = f.state === 'error' ? 'ya está adjuntado' : '';
      } else {
        f.state = 'error';
        f.message = P.errorText(answer);
      }
      if (files.includes(f)) render(f);
    }

    input.addEventListener('change', () => {
      for (const file of input.files) send(file);
      input.value = '';
    });

    return {
      element,
      hashes: () => files.filter((f) => f.state === 'ready').map((f) => f.hash),
      busy: () => files.some((f) => f.state === 'sending'),
      reset: () => { files.length = 0; list.replaceChildren(); }
    };
  }

  // The documents of an audit request or an answer, as links that open them.
  function documentLinks(hashes) {
    if (!hashes || !hashes.length) return null;
    return el('ul', { className: 'attachments' }, hashes.map((h, i) => el('li', {}, [
      el('a', { href: `/v1/documents/${h}`, target: '_blank', rel: 'noopener', text: `Documento ${i + 1}`,
        title: `SHA-256 ${h}` })])));
  }

  Object.assign(P, { attachments, documentLinks });
})(window.Portal);
