// GET /v1/audits (GENOS "Auditoria"), GET /v1/audits/{sap} and the
// affiliate history (IOMA "Mis prestaciones").
#include <algorithm>
#include <set>

#include "clock.h"
#include "fold.h"
#include "queries.h"

namespace autoriza::projections {

namespace {

constexpr std::string_view kSapStatuses[] = {"PENDING",  "DOCS_REQUESTED", "AUTHORIZED", "PARTIALLY_AUTHORIZED",
                                             "REJECTED", "EMITTED",        "ANNULLED"};

Status parse_statuses(std::string_view list, std::set<std::string>* out) {
  while (!list.empty()) {
    const size_t comma = list.find(',');
    const std::string_view one = list.substr(0, comma);
    if (std::find(std::begin(kSapStatuses), std::end(kSapStatuses), one) == std::end(kSapStatuses)) {
      return Status::invalid("unknown SAP status " + std::string(one), "status");
    }
    out->emplace(one);
    list = comma == std::string_view::npos ? std::string_view() : list.substr(comma + 1);
  }
  return Status::ok();
}

Json instant(const Json& ms) {
  return ms.is_null() ? Json() : Json(format_instant(Millis{ms.get<int64_t>()}));
}

Json audit_row(const Json& sap, NameCache& names) {
  size_t pending = 0;
  for (const Json& item : sap["items"]) pending += item["status"] == "NEEDS_AUDIT";
  return {{"sap", sap["sap"]},
          {"status", sap["status"]},
          {"provider", sap["provider"]},
          {"credential", sap["credential"]},
          {"affiliate", names.affiliate(sap["credential"].get<std::string>())},
          {"time", instant(sap["time_ms"])},
          {"transaction", sap["transaction"]},
          {"diagnosis", sap["diagnosis"]},
          {"pending", pending},
          {"order", sap["order"]}};
}

Json audit_detail(const Json& sap, NameCache& names) {
  Json d = audit_row(sap, names);
  d["provider_name"] = names.provider(sap["provider"].get<std::string>());
  d["note"] = sap["note"];
  d["channel"] = sap["channel"];
  d["prescription"] = {{"prescribed_on", sap["prescribed_on"]}, {"prescriber", sap["prescriber"]}};
  Json items = Json::array(), pre_authorized = Json::array(), pending = Json::array();
  for (const Json& m : sap["items"]) {
    Json item = {{"index", m["index"]},   {"code", m["code"]},       {"description", m["description"]},
                 {"qty", m["qty"]},       {"tooth", m["tooth"]},     {"faces", m["faces"]},
                 {"status", m["status"]}, {"reasons", m["reasons"]}, {"pre_authorized", m["pre_authorized"]}};
    put_amounts(m, item);
    if (m["pre_authorized"].get<bool>()) pre_authorized.push_back(item);
    if (m["status"] == "NEEDS_AUDIT") pending.push_back(item);
    items.push_back(std::move(item));
  }
  d["items"] = std::move(items);
  d["pre_authorized"] = std::move(pre_authorized);
  d["pending_items"] = std::move(pending);
  Json messages = Json::array();
  for (const Json& m : sap["messages"]) {
    messages.push_back({{"transaction", m["transaction"]},
                        {"time", instant(m["time_ms"])},
                        {"auditor", m["auditor"]},
                        {"verdict", m["verdict"]},
                        {"message", m["message"]}});
  }
  d["messages"] = std::move(messages);
  const Json& a = sap["annulment"];
  d["annulment"] = a.is_null() ? Json()
                               : Json{{"transaction", a["transaction"]},
                                      {"provider", a["provider"]},
                                      {"reason", a["reason"]},
                                      {"time", instant(a["time_ms"])}};
  return d;
}

}  // namespace

Status query_audits(const ProjectionStore& store, const AuditQuery& q, Json* out) {
  if (Status s = check_page(q.limit, q.from, q.to); !s) return s;
  std::set<std::string> statuses;
  if (Status s = parse_statuses(q.status, &statuses); !s) return s;
  const std::string prefix = q.provider.empty() ? audit_time_prefix() : audit_provider_prefix(q.provider);
  std::string cursor;
  if (!q.after.empty()) {
    if (Status s = decode_cursor(q.after, 'q', &cursor); !s) return s;
    if (!cursor.starts_with(prefix)) return Status::invalid("after is a cursor of another listing", "after");
  }
  std::string lo, hi;
  day_range(prefix, q.from, q.to, &lo, &hi);
  const std::string start = cursor.empty() ? lo : std::max(lo, cursor + '\0');
  ReadView view(store);
  NameCache names(view);
  Page page;
  Status s = scan_page(
      store, view, Cf::kAudits, prefix, start, hi, q.limit,
      [&](std::string_view key, std::string_view, Json* row) {
        if (key.size() <= prefix.size() + 8) return Status::corruption("audits: a short index key");
        Json sap;
        const std::string number(key.substr(prefix.size() + 8));
        if (Status g = view.get_json(Cf::kAudits, sap_key(number), &sap); !g) return g;
        if (statuses.empty() || statuses.contains(sap["status"].get<std::string>())) {
          *row = audit_row(sap, names);
        }
        return Status::ok();
      },
      &page);
  if (!s) return s;
  *out =
      Json{{"items", std::move(page.rows)}, {"next", page.next.empty() ? Json() : Json(encode_cursor('q', page.next))}};
  return Status::ok();
}

Status query_audit(const ProjectionStore& store, std::string_view sap, Json* out) {
  ReadView view(store);
  Json record;
  if (Status s = view.get_json(Cf::kAudits, sap_key(sap), &record); !s) {
    return s.kind() == StatusKind::kNotFound ? Status::not_found("no SAP " + std::string(sap)) : s;
  }
  NameCache names(view);
  *out = audit_detail(record, names);
  return Status::ok();
}

Status query_family(const ProjectionStore& store, std::string_view credential, std::vector<std::string>* out) {
  if (credential.empty()) return Status::invalid("empty credential", "credential");
  out->assign(1, std::string(credential));
  ReadView view(store);
  Json self;
  if (Status s = view.get_json(Cf::kReference, affiliate_key(credential), &self); !s) {
    return s.kind() == StatusKind::kNotFound ? Status::ok() : s;
  }
  if (self["titular"] != credential) return Status::ok();  // a member: their own history only
  const std::string prefix = family_prefix(credential);
  Status result;
  Status s = store.scan(Cf::kReference, prefix, prefix, view.snapshot(), [&](std::string_view key, std::string_view) {
    const std::string member(key.substr(prefix.size()));
    if (member == credential) return true;
    Json record;
    if (result = view.get_json(Cf::kReference, affiliate_key(member), &record); !result) return false;
    if (record["titular"] == credential) out->push_back(member);  // else moved to another family since
    return out->size() < kHistoryCredentialsMax;
  });
  return s ? result : s;
}

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
  std::vector<std::pair<std::string, Json>> entries;
  const std::set<std::string> unique(credentials.begin(), credentials.end());
  for (const std::string& credential : unique) {
    if (credential.empty()) return Status::invalid("empty credential", "credential");
    const std::string prefix = history_prefix(credential);
    const std::string start = cursor.empty() ? prefix : prefix + cursor + '\0';
    size_t taken = 0;
    Status s =
        store.scan(Cf::kHistory, prefix, start, view.snapshot(), [&](std::string_view key, std::string_view value) {
          entries.emplace_back(std::string(key.substr(prefix.size())), parse_value(value));
          return ++taken <= q.limit;
        });
    if (!s) return s;
  }
  std::sort(entries.begin(), entries.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  NameCache names(view);
  Json items = Json::array();
  for (size_t i = 0; i < entries.size() && i < q.limit; ++i) {
    Json& e = entries[i].second;
    if (e.is_null()) return Status::corruption("history: an entry is not JSON");
    e["affiliate"] = names.affiliate(e["credential"].get<std::string>());
    items.push_back(std::move(e));
  }
  const bool more = entries.size() > q.limit;
  *out =
      Json{{"items", std::move(items)}, {"next", more ? Json(encode_cursor('h', entries[q.limit - 1].first)) : Json()}};
  return Status::ok();
}

}  // namespace autoriza::projections
