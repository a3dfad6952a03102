// GET /v1/affiliates/{c}/history (IOMA "Mis prestaciones"): the entries of
// one or more credentials (the caller expands a family group), newest first.
// Each kind of entry answers its own fields (as the fold wrote them):
//   every kind        kind, time, transaction, credential, affiliate, channel, status
//   authorization,    provider, reasons, order, sap, items, totals, token
//   audit_request
//   consumption       provider, reasons, order, performed_at, items, totals, token
//   audit_verdict     provider, sap, verdict, order, items, totals
//   annulment         provider, target, annulled, reason
//   token_use         provider, reasons, token
//   token_issue       token_kind, count, month
#include <algorithm>
#include <set>

#include "projections/fold.h"
#include "projections/queries.h"

namespace autoriza::projections {

namespace {

const char* kind_name(fbp::HistoryKind kind) {
  switch (kind) {
    case fbp::HistoryKind::AUTHORIZATION:
      return "authorization";
    case fbp::HistoryKind::AUDIT_REQUEST:
      return "audit_request";
    case fbp::HistoryKind::CONSUMPTION:
      return "consumption";
    case fbp::HistoryKind::AUDIT_VERDICT:
      return "audit_verdict";
    case fbp::HistoryKind::ANNULMENT:
      return "annulment";
    case fbp::HistoryKind::TOKEN_USE:
      return "token_use";
    case fbp::HistoryKind::TOKEN_ISSUE:
      return "token_issue";
  }
  return "?";
}

Json items_json(const fbp::HistoryEntry& e) {
  Json out = Json::array();
  if (e.items()) {
    for (const fbp::ModelItem* item : *e.items()) out.push_back(item_json(*item));
  }
  return out;
}

Json totals_json(const fbp::HistoryEntry& e) {
  const fb::Totals* t = e.totals();
  if (!t) return nullptr;
  return {{"total", money(t->total_cents())}, {"copay", money(t->copay_cents())}, {"covered", money(t->covered_cents())}};
}

Json token_json(const fbp::HistoryEntry& e) {
  if (e.token_outcome() == fb::TokenOutcome::NONE) return nullptr;
  return {{"kind", fb::EnumNameTokenKind(e.token_kind())}, {"outcome", fb::EnumNameTokenOutcome(e.token_outcome())}};
}

// The answer of one entry (fields by kind: see the top of this file).
Json entry_json(const fbp::HistoryEntry& e) {
  Json j = {{"kind", kind_name(e.kind())},
            {"time", instant(e.time_ms())},
            {"transaction", text(e.transaction())},
            {"credential", text(e.credential())},
            {"channel", text(e.channel())},
            {"status", status_name(e.status())}};
  const fbp::HistoryKind kind = e.kind();
  if (kind != fbp::HistoryKind::TOKEN_ISSUE) j["provider"] = text(e.provider());
  switch (kind) {
    case fbp::HistoryKind::AUTHORIZATION:
    case fbp::HistoryKind::AUDIT_REQUEST:
      j["order"] = text_or_null(e.order());
      j["sap"] = text_or_null(e.sap());
      break;
    case fbp::HistoryKind::CONSUMPTION:
      j["order"] = text(e.order());
      j["performed_at"] = instant(e.performed_at_ms());
      break;
    case fbp::HistoryKind::AUDIT_VERDICT:
      j["sap"] = text(e.sap());
      j["verdict"] = fb::EnumNameVerdict(e.verdict());
      j["order"] = text_or_null(e.order());
      break;
    case fbp::HistoryKind::ANNULMENT:
      j["annulled"] = strings_json(e.annulled());
      j["target"] = j["annulled"].empty() ? Json("") : j["annulled"][0];
      j["reason"] = text(e.reason());
      break;
    case fbp::HistoryKind::TOKEN_ISSUE:
      j["token_kind"] = fb::EnumNameTokenKind(e.token_kind());
      j["count"] = e.count();
      j["month"] = text_or_null(e.month());
      break;
    case fbp::HistoryKind::TOKEN_USE:
      break;
  }
  const bool reasons = kind == fbp::HistoryKind::AUTHORIZATION || kind == fbp::HistoryKind::AUDIT_REQUEST ||
                       kind == fbp::HistoryKind::CONSUMPTION || kind == fbp::HistoryKind::TOKEN_USE;
  if (reasons) {
    j["reasons"] = reasons_json(e.reasons());
    j["token"] = token_json(e);
  }
  if (kind == fbp::HistoryKind::AUTHORIZATION || kind == fbp::HistoryKind::AUDIT_REQUEST ||
      kind == fbp::HistoryKind::CONSUMPTION || kind == fbp::HistoryKind::AUDIT_VERDICT) {
    j["items"] = items_json(e);
    j["totals"] = totals_json(e);
  }
  return j;
}

}  // namespace

Status query_history(const ProjectionStore& store, const std::vector<std::string>& credentials, const HistoryQuery& q,
                     Json* out) {
  if (credentials.empty()) return Status::invalid("no credential", "credential");
  if (credentials.size() > kHistoryCredentialsMax) {
    return Status::invalid("more than " + std::to_string(kHistoryCredentialsMax) + " credentials", "credential");
  }
  if (Status s = check_page(q.limit, std::nullopt, std::nullopt); !s) return s;
  std::string cursor;
  if (!q.after.empty()) {
    if (Status s = decode_cursor(q.after, 'h', &cursor); !s) return s;
    if (cursor.size() != kHistorySuffixBytes) return Status::invalid("after is not a history cursor", "after");
  }
  ReadView view(store);
  // Each credential's entries are newest first by key; merge the first
  // limit+1 of each (at most kHistoryCredentialsMax x (kPageLimitMax+1)).
  std::vector<std::pair<std::string, std::string>> entries;  // key suffix, value
  const std::set<std::string> unique(credentials.begin(), credentials.end());
  for (const std::string& credential : unique) {
    if (credential.empty()) return Status::invalid("empty credential", "credential");
    const std::string prefix = history_prefix(credential);
    const std::string start = cursor.empty() ? prefix : prefix + cursor + '\0';
    size_t taken = 0;
    Status s =
        store.scan(Cf::kHistory, prefix, start, view.snapshot(), [&](std::string_view key, std::string_view value) {
          entries.emplace_back(std::string(key.substr(prefix.size())), std::string(value));
          return ++taken <= q.limit;
        });
    if (!s) return s;
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  NameCache names(view);
  Json items = Json::array();
  Record<fbp::HistoryEntry> entry;
  for (size_t i = 0; i < entries.size() && i < q.limit; ++i) {
    if (Status s = entry.open(Cf::kHistory, entries[i].second); !s) return s;
    Json e = entry_json(*entry);
    e["affiliate"] = names.affiliate(as_view(entry->credential()));
    items.push_back(std::move(e));
  }
  const bool more = entries.size() > q.limit;
  *out =
      Json{{"items", std::move(items)}, {"next", more ? Json(encode_cursor('h', entries[q.limit - 1].first)) : Json()}};
  return Status::ok();
}

}  // namespace autoriza::projections
