// app.css of the auditors' page: system fonts only (no web fonts on a closed
// network), a queue on the left and the open SAP on the right on a wide
// screen, stacked on a narrow one. Colours keep text contrast >= 4.5:1.
#include "page_assets.h"

namespace autoriza::auditor_assets {

const std::string_view kAppCss = R"AUDIT(:root {
  --ink: #1d2733;
  --muted: #5b6775;
  --line: #d5dbe3;
  --paper: #ffffff;
  --back: #f2f4f7;
  --brand: #0b4f8a;
  --ok: #1e6b34;
  --ok-back: #e3f3e7;
  --danger: #a3271d;
  --danger-back: #fbe7e5;
  --warn: #7a5200;
  --warn-back: #fdf1d6;
  --info-back: #e4eef8;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Liberation Sans", Arial, sans-serif;
  font-size: 15px;
  color: var(--ink);
  background: var(--back);
}
* { box-sizing: border-box; }
body { margin: 0; }
[hidden] { display: none !important; }
.visually-hidden {
  position: absolute; width: 1px; height: 1px; margin: -1px; padding: 0;
  overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0;
}
.muted { color: var(--muted); }
.small { font-size: 0.85em; }
.hint { color: var(--muted); font-size: 0.85em; }
code { font-family: ui-monospace, "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 0.92em; }

.topbar {
  display: flex; align-items: center; justify-content: space-between; gap: 1rem; flex-wrap: wrap;
  padding: 0.75rem 1.25rem; background: var(--brand); color: #fff;
}
.topbar h1 { margin: 0; font-size: 1.35rem; }
.topbar .subtitle { font-weight: normal; font-size: 0.95rem; opacity: 0.9; margin-left: 0.5rem; }
.auditor-field { display: flex; align-items: center; gap: 0.5rem; }
.auditor-field label { font-weight: 600; }
.auditor-field .hint { color: #dbe6f2; }
.auditor-field input { width: 9rem; }

.layout {
  display: grid; grid-template-columns: minmax(0, 5fr) minmax(0, 7fr); gap: 1rem;
  padding: 1rem 1.25rem; align-items: start;
}
@media (max-width: 1000px) { .layout { grid-template-columns: minmax(0, 1fr); } }
.pane { background: var(--paper); border: 1px solid var(--line); border-radius: 6px; padding: 1rem; }
.pane h2 { margin: 0 0 0.75rem; font-size: 1.15rem; }
.pane h3 { margin: 1rem 0 0.5rem; font-size: 1rem; }
.pane[aria-busy="true"] { opacity: 0.75; }
.placeholder { color: var(--muted); }

input, select, textarea, button { font: inherit; }
input, select, textarea {
  border: 1px solid #9aa6b4; border-radius: 4px; padding: 0.35rem 0.5rem; background: #fff; color: var(--ink);
}
textarea { width: 100%; resize: vertical; }
:focus-visible { outline: 3px solid #f0a500; outline-offset: 2px; }
button {
  border: 1px solid var(--brand); background: var(--brand); color: #fff; border-radius: 4px;
  padding: 0.45rem 0.9rem; cursor: pointer; font-weight: 600;
}
button.secondary { background: #fff; color: var(--brand); }
button.ok { background: var(--ok); border-color: var(--ok); }
button.danger { background: var(--danger); border-color: var(--danger); }
button.small { padding: 0.2rem 0.6rem; font-size: 0.85rem; }
button:disabled { opacity: 0.45; cursor: not-allowed; }
button.link {
  background: none; border: none; color: var(--brand); padding: 0; text-decoration: underline; font-weight: 600;
  white-space: nowrap;
}

.filters { display: flex; flex-wrap: wrap; gap: 0.6rem 0.9rem; align-items: flex-end; margin-bottom: 0.5rem; }
.filter { display: flex; flex-direction: column; gap: 0.2rem; }
.filter label { font-size: 0.85rem; font-weight: 600; }
.filter input:not([type]) { width: 8rem; }
.filter-actions { display: flex; gap: 0.5rem; }
.status-line { color: var(--muted); margin: 0.4rem 0; min-height: 1.2em; }

.table-wrap { overflow-x: auto; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: 0.4rem 0.4rem; border-bottom: 1px solid var(--line); vertical-align: top; }
td { font-size: 0.93rem; }
th { font-size: 0.78rem; text-transform: uppercase; letter-spacing: 0.02em; color: var(--muted); }
th abbr { text-decoration: none; }
td.num, th.num { text-align: right; white-space: nowrap; }
table.queue tbody tr { cursor: pointer; }
table.queue td .badge { margin-top: 0.2rem; }
table.queue tbody tr:hover { background: #f6f9fc; }
table.queue tbody tr.selected { background: var(--info-back); box-shadow: inset 4px 0 0 var(--brand); }
tr.preauthorized { background: #f5faf6; }

.badge {
  display: inline-block; padding: 0.1rem 0.5rem; border-radius: 999px; font-size: 0.8rem; font-weight: 600;
  background: #e8ebef; color: var(--ink); white-space: nowrap;
}
.status-pending, .status-needs_audit { background: var(--warn-back); color: var(--warn); }
.status-docs_requested { background: var(--info-back); color: var(--brand); }
.status-authorized, .status-emitted, .status-consumed, .status-preauthorized { background: var(--ok-back); color: var(--ok); }
.status-partially_authorized { background: #e9f1d9; color: #48611a; }
.status-rejected, .status-annulled, .status-refused { background: var(--danger-back); color: var(--danger); }

.detail-head { display: flex; align-items: center; gap: 0.75rem; margin-bottom: 0.5rem; }
.detail-head h2 { margin: 0; }
.detail-head #detail-close { margin-left: auto; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(16rem, 1fr)); gap: 0.75rem; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: 0.5rem 0.75rem; }
.card h3 { margin-top: 0.25rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: 0.3rem 0.75rem; margin: 0; }
.facts dt { color: var(--muted); font-size: 0.88rem; }
.facts dd { margin: 0; font-weight: 600; }
.facts dd.muted { font-weight: normal; }

.reasons { margin: 0.35rem 0 0; padding-left: 1.1rem; font-size: 0.85rem; color: var(--warn); }
fieldset.decision { border: none; margin: 0; padding: 0; display: flex; gap: 0.3rem; flex-wrap: nowrap; }
.choice { position: relative; }
.choice input { position: absolute; left: 0; top: 0; opacity: 0; width: 1px; height: 1px; margin: 0; }
.choice label {
  display: inline-block; padding: 0.25rem 0.5rem; border: 1px solid #9aa6b4; border-radius: 4px; cursor: pointer;
  font-size: 0.85rem; background: #fff;
}
.choice input:focus-visible + label { outline: 3px solid #f0a500; outline-offset: 2px; }
.choice-authorize input:checked + label { background: var(--ok); border-color: var(--ok); color: #fff; }
.choice-reject input:checked + label { background: var(--danger); border-color: var(--danger); color: #fff; }

.messages { list-style: none; margin: 0; padding: 0; }
.messages li { border-left: 3px solid var(--brand); padding: 0.3rem 0.6rem; margin-bottom: 0.5rem; background: #f8fafc; }
.message-head { display: flex; gap: 0.75rem; font-size: 0.85rem; color: var(--muted); }
.message-auditor, .message-verdict { font-weight: 600; color: var(--ink); }
.message-text { margin: 0.2rem 0 0; white-space: pre-wrap; }

.verdict { border-top: 1px solid var(--line); margin-top: 1rem; padding-top: 0.25rem; }
.verdict label { display: block; font-weight: 600; margin-bottom: 0.3rem; }
.actions { display: flex; flex-wrap: wrap; gap: 0.5rem; margin-top: 0.6rem; }
.error {
  margin: 0.6rem 0; padding: 0.6rem 0.8rem; border: 1px solid var(--danger); border-left-width: 6px;
  border-radius: 4px; background: var(--danger-back); color: var(--danger); font-weight: 600;
}
.result {
  margin: 0.6rem 0; padding: 0.6rem 0.8rem; border: 1px solid var(--ok); border-left-width: 6px;
  border-radius: 4px; background: var(--ok-back); color: var(--ok); font-weight: 600;
}
)AUDIT";

}  // namespace autoriza::auditor_assets
