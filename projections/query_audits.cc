// GET /v1/audits (GENOS "Auditoria"), GET /v1/audits/{sap}, and the family
// group whose history GET /v1/affiliates/{c}/history answers.
#include <algorithm>
#include <set>

#include "engine/core/clock.h"
#include "projections/fold.h"
#include "projections/queries.h"

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

Json audit_row(const fbp::SapRecord& sap, NameCache& names) {
  size_t pending = 0;
  if (sap.items()) {
    for (const fbp::ModelItem* item : *sap.items()) pending += item->status() == fb::Status::NEEDS_AUDIT;
  }
  return {{"sap", text(sap.sap())},
          {"status", status_name(sap.status())},
          {"provider", text(sap.provider())},
          {"credential", text(sap.credential())},
          {"affiliate", names.affiliate(as_view(sap.credential()))},
          {"time", instant(sap.time_ms())},
          {"transaction", text(sap.transaction())},
          {"diagnosis", text(sap.diagnosis())},
          {"pending", pending},
          {"order", text_or_null(sap.order())}};
}

Json prescription(const fbp::SapRecord& sap) {
  const fb::PrescriberRef* p = sap.prescriber();
  return {{"prescribed_on", sap.prescribed_on_day() ? Json(format_date(LocalDay{*sap.prescribed_on_day()})) : Json()},
          {"prescriber", p ? Json{{"kind", fb::EnumNamePrescriberKind(p->kind())}, {"license", text(p->license())}}
                           : Json()}};
}

// A verdict, or the provider's answer to a request for documents.
Json message_json(const fbp::AuditMessage& m) {
  if (m.provider()) {
    return {{"transaction", text(m.transaction())}, {"time", instant(m.time_ms())}, {"provider", text(m.provider())},
            {"message", text(m.message())}, {"documents", strings_json(m.documents())}};
  }
  return {{"transaction", text(m.transaction())},
          {"time", instant(m.time_ms())},
          {"auditor", text(m.auditor())},
          {"verdict", fb::EnumNameVerdict(m.verdict())},
          {"message", text(m.message())}};
}

Json audit_detail(const fbp::SapRecord& sap, NameCache& names) {
  Json d = audit_row(sap, names);
  d["provider_name"] = names.provider(as_view(sap.provider()));
  d["note"] = text(sap.note());
  d["channel"] = text(sap.channel());
  d["prescription"] = prescription(sap);
  Json items = Json::array(), pre_authorized = Json::array(), pending = Json::array();
  if (sap.items()) {
    for (const fbp::ModelItem* m : *sap.items()) {
      Json item = item_json(*m);
      item["pre_authorized"] = m->pre_authorized();
      if (m->pre_authorized()) pre_authorized.push_back(item);
      if (m->status() == fb::Status::NEEDS_AUDIT) pending.push_back(item);
      items.push_back(std::move(item));
    }
  }
  d["items"] = std::move(items);
  d["pre_authorized"] = std::move(pre_authorized);
  d["pending_items"] = std::move(pending);
  Json messages = Json::array();
  if (sap.messages()) {
    for (const fbp::AuditMessage* m : *sap.messages()) messages.push_back(message_json(*m));
  }
  d["messages"] = std::move(messages);
  if (sap.diagnosis_type() != fb::DiagnosisType::NONE) d["diagnosis_type"] = fb::EnumNameDiagnosisType(sap.diagnosis_type());
  if (sap.diagnosis_text()) d["diagnosis_text"] = text(sap.diagnosis_text());
  if (sap.documents()) d["documents"] = strings_json(sap.documents());
  const fbp::Annulment* a = sap.annulment();
  d["annulment"] = a ? Json{{"transaction", text(a->transaction())},
                            {"provider", text(a->provider())},
                            {"reason", text(a->reason())},
                            {"time", instant(a->time_ms())}}
                     : Json();
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
  Record<fbp::SapRecord> sap;
  Page page;
  Status s = scan_page(
      store, view, Cf::kAudits, prefix, start, hi, q.limit,
      [&](std::string_view key, std::string_view, Json* row) {
        if (key.size() <= prefix.size() + 8) return Status::corruption("audits: a short index key");
        const std::string number(key.substr(prefix.size() + 8));
        if (Status g = sap.read(view, Cf::kAudits, sap_key(number)); !g) return g;
        if (statuses.empty() || statuses.contains(status_name(sap->status()))) *row = audit_row(*sap, names);
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
  Record<fbp::SapRecord> record;
  if (Status s = record.read(view, Cf::kAudits, sap_key(sap)); !s) {
    return s.kind() == StatusKind::kNotFound ? Status::not_found("no SAP " + std::string(sap)) : s;
  }
  NameCache names(view);
  *out = audit_detail(*record, names);
  return Status::ok();
}

Status query_family(const ProjectionStore& store, std::string_view credential, std::vector<std::string>* out) {
  if (credential.empty()) return Status::invalid("empty credential", "credential");
  out->assign(1, std::string(credential));
  ReadView view(store);
  Record<fbp::AffiliateName> self;
  if (Status s = self.read(view, Cf::kReference, affiliate_key(credential)); !s) {
    return s.kind() == StatusKind::kNotFound ? Status::ok() : s;
  }
  if (as_view(self->titular()) != credential) return Status::ok();  // a member: their own history only
  const std::string prefix = family_prefix(credential);
  Record<fbp::AffiliateName> record;
  Status result;
  Status s = store.scan(Cf::kReference, prefix, prefix, view.snapshot(), [&](std::string_view key, std::string_view) {
    const std::string member(key.substr(prefix.size()));
    if (member == credential) return true;
    if (result = record.read(view, Cf::kReference, affiliate_key(member)); !result) return false;
    if (as_view(record->titular()) == credential) out->push_back(member);  // else moved to another family since
    return out->size() < kHistoryCredentialsMax;
  });
  return s ? result : s;
}

}  // namespace autoriza::projections
