// index.html of the auditors' page: the static skeleton. app.js fills the
// queue table and the detail pane; every control a test touches has an id.
#include "page_assets.h"

namespace autoriza::auditor_assets {

const std::string_view kIndexHtml = R"AUDIT(<!doctype html>
<html lang="es">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Auditoría — autoriza</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/audit/app.css">
<script src="/audit/app.js" defer></script>
</head>
<body>
<header class="topbar">
  <h1>Auditoría <span class="subtitle">Solicitudes de autorización previa (SAP)</span></h1>
  <div class="auditor-field">
    <label for="auditor-id">Auditor</label>
    <input id="auditor-id" data-testid="auditor-id" name="auditor" autocomplete="username" maxlength="64"
           placeholder="p. ej. AUD01" spellcheck="false" aria-describedby="auditor-hint">
    <span id="auditor-hint" class="hint">Se recuerda en este navegador.</span>
  </div>
  <div class="auditor-field">
    <label for="api-key">Clave</label>
    <input id="api-key" data-testid="api-key" name="api-key" type="password" autocomplete="current-password"
           maxlength="256" placeholder="clave de API de auditor" spellcheck="false">
  </div>
</header>

<main class="layout">
  <section id="queue-pane" class="pane" aria-labelledby="queue-title" aria-busy="false">
    <h2 id="queue-title">Cola de auditoría</h2>
    <form id="filters" class="filters" role="search" aria-label="Filtros de la cola">
      <div class="filter">
        <label for="filter-status">Estado</label>
        <select id="filter-status" name="status">
          <option value="PENDING" selected>Pendientes</option>
          <option value="DOCS_REQUESTED">Documentación pedida</option>
          <option value="PENDING,DOCS_REQUESTED">Abiertas (pendientes y con documentación pedida)</option>
          <option value="AUTHORIZED">Autorizadas</option>
          <option value="PARTIALLY_AUTHORIZED">Autorizadas parcialmente</option>
          <option value="REJECTED">Rechazadas</option>
          <option value="EMITTED">Emitidas</option>
          <option value="ANNULLED">Anuladas</option>
          <option value="">Todas</option>
        </select>
      </div>
      <div class="filter">
        <label for="filter-provider">Prestador</label>
        <input id="filter-provider" name="provider" maxlength="64" placeholder="p. ej. LAB127" spellcheck="false">
      </div>
      <div class="filter">
        <label for="filter-from">Desde</label>
        <input id="filter-from" name="from" type="date">
      </div>
      <div class="filter">
        <label for="filter-to">Hasta</label>
        <input id="filter-to" name="to" type="date">
      </div>
      <div class="filter-actions">
        <button type="submit" id="filter-apply" data-testid="filter-apply">Filtrar</button>
        <button type="button" id="queue-refresh" data-testid="queue-refresh" class="secondary">Actualizar</button>
      </div>
    </form>
    <p id="queue-status" class="status-line" role="status" aria-live="polite"></p>
    <div id="queue-error" class="error" role="alert" hidden></div>
    <div class="table-wrap">
      <table id="queue-table" class="queue" data-testid="queue-table">
        <caption class="visually-hidden">Solicitudes en la cola, la más antigua primero</caption>
        <thead>
          <tr>
            <th scope="col">SAP</th>
            <th scope="col">Prestador</th>
            <th scope="col">Afiliado</th>
            <th scope="col"><abbr title="Diagnóstico">Diag.</abbr></th>
            <th scope="col" class="num"><abbr title="Prácticas pendientes de decisión">Pend.</abbr></th>
          </tr>
        </thead>
        <tbody id="queue-body"></tbody>
      </table>
    </div>
    <button type="button" id="queue-more" data-testid="queue-more" class="secondary" hidden>Ver más</button>
  </section>

  <section id="detail-pane" class="pane detail" aria-labelledby="detail-title" aria-busy="false" hidden>
    <div class="detail-head">
      <h2 id="detail-title">SAP <span id="detail-sap" data-testid="detail-sap"></span></h2>
      <span id="detail-status" class="badge" data-testid="detail-status"></span>
      <button type="button" id="detail-close" class="secondary small" aria-label="Cerrar el detalle">Cerrar</button>
    </div>
    <div id="detail-error" class="error" role="alert" hidden></div>

    <div class="cards">
      <section class="card" aria-labelledby="request-title">
        <h3 id="request-title">Solicitud</h3>
        <dl class="facts">
          <dt>Prestador</dt><dd id="detail-provider"></dd>
          <dt>Afiliado</dt><dd id="detail-affiliate"></dd>
          <dt>Credencial</dt><dd id="detail-credential"></dd>
          <dt>Fecha</dt><dd id="detail-time"></dd>
          <dt>Orden emitida</dt><dd id="detail-order" data-testid="detail-order"></dd>
          <dt id="detail-annulment-label" hidden>Anulación</dt><dd id="detail-annulment" hidden></dd>
        </dl>
      </section>
      <section class="card" aria-labelledby="prescription-title">
        <h3 id="prescription-title">Prescripción</h3>
        <dl class="facts">
          <dt>Diagnóstico</dt><dd id="detail-diagnosis" data-testid="detail-diagnosis"></dd>
          <dt>Prescripta el</dt><dd id="detail-prescribed-on" data-testid="detail-prescribed-on"></dd>
          <dt>Prescriptor</dt><dd id="detail-prescriber" data-testid="detail-prescriber"></dd>
          <dt>Nota del prestador</dt><dd id="detail-note" data-testid="detail-note"></dd>
        </dl>
      </section>
    </div>

    <section aria-labelledby="items-title">
      <h3 id="items-title">Prácticas</h3>
      <div class="table-wrap">
        <table id="items-table" class="items" data-testid="items-table">
          <thead>
            <tr>
              <th scope="col" class="num">#</th>
              <th scope="col">Práctica</th>
              <th scope="col" class="num"><abbr title="Cantidad">Cant.</abbr></th>
              <th scope="col" class="num">Total <span class="muted">/ coseguro</span></th>
              <th scope="col">Estado y motivos</th>
              <th scope="col">Decisión</th>
            </tr>
          </thead>
          <tbody id="items-body"></tbody>
        </table>
      </div>
    </section>

    <section aria-labelledby="messages-title">
      <h3 id="messages-title">Historial de mensajes</h3>
      <p id="messages-empty" class="muted">Sin mensajes todavía.</p>
      <ol id="messages" class="messages" data-testid="messages"></ol>
    </section>

    <form id="verdict-form" class="verdict" aria-labelledby="verdict-title" novalidate>
      <h3 id="verdict-title">Veredicto</h3>
      <p id="verdict-closed" class="muted" hidden>Esta solicitud ya fue resuelta; no admite otro veredicto.</p>
      <label for="verdict-message">Mensaje para el prestador</label>
      <textarea id="verdict-message" data-testid="verdict-message" rows="3" maxlength="1000"
                placeholder="Motivo del veredicto o documentación que falta"></textarea>
      <div class="actions">
        <button type="button" id="btn-authorize-all" data-testid="btn-authorize-all" data-verdict="AUTHORIZE"
                class="ok">Autorizar todo</button>
        <button type="button" id="btn-reject-all" data-testid="btn-reject-all" data-verdict="REJECT"
                class="danger">Rechazar todo</button>
        <button type="button" id="btn-partial" data-testid="btn-partial" data-verdict="PARTIAL"
                aria-describedby="partial-hint">Autorizar selección</button>
        <button type="button" id="btn-request-docs" data-testid="btn-request-docs" data-verdict="REQUEST_DOCS"
                class="secondary">Pedir documentación</button>
      </div>
      <p id="partial-hint" class="hint">“Autorizar todo” y “Rechazar todo” deciden las prácticas pendientes;
        “Autorizar selección” aplica la decisión elegida en cada una. Las preautorizadas quedan autorizadas.</p>
    </form>
    <div id="verdict-error" class="error" data-testid="verdict-error" role="alert" hidden></div>
    <div id="verdict-result" class="result" data-testid="verdict-result" role="status" aria-live="polite" hidden></div>
  </section>

  <section id="detail-placeholder" class="pane placeholder">
    <p>Elija una solicitud de la cola para ver la prescripción, las prácticas y el historial.</p>
  </section>
</main>
</body>
</html>
)AUDIT";

}  // namespace autoriza::auditor_assets
