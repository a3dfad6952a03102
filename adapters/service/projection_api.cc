// Read-side endpoints over the projections (issue 4):
//   GET /v1/providers/{id}/register?from=&to=&annulled=&order_by=&format=json|csv|html|pdf|txt&after=&limit=
//   GET /v1/providers/{id}/billing/{YYYY-MM}?format=json|csv|html|pdf|txt
//   GET /v1/audits?status=&from=&to=&provider=&after=&limit=      GET /v1/audits/{sap}
//   GET /v1/affiliates/{credential}/history?family=yes|no&after=&limit=
//   GET /v1/projections                                             positions and lag
#include "adapters/service/api_util.h"
#include "adapters/codec/codec.h"
#include "adapters/print/reports.h"
#include "adapters/service/projection_api.h"
#include "projections/projections.h"

namespace autoriza {

namespace {

// A date parameter: absent, or YYYY-MM-DD (else *bad names the field).
std::optional<LocalDay> day_param(std::string_view target, const char* name, Status* bad) {
  const std::string text = query_param(target, name);
  if (text.empty()) return std::nullopt;
  auto day = parse_date(text);
  if (!day) *bad = Status::invalid(std::string(name) + " must be a date YYYY-MM-DD", name);
  return day;
}

size_t limit_param(std::string_view target, Status* bad) {
  const std::string text = query_param(target, "limit");
  if (text.empty()) return 100;
  if (text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos || std::stoul(text) == 0 ||
      std::stoul(text) > kPageLimitMax) {
    *bad = Status::invalid("limit must be 1.." + std::to_string(kPageLimitMax), "limit");
    return 100;
  }
  return std::stoul(text);
}

Reply json_reply(const Status& s, const Json& j) { return s ? Reply{200, j.dump()} : reply_for(s); }

// The formats of the register and billing (adapters/print/reports.h).
bool export_format(std::string_view format) {
  return format == "json" || format == "csv" || format == "html" || format == "pdf" || format == "txt";
}

Reply pdf_reply(std::string pdf) {
  if (pdf.empty()) return error_reply(500, "INTERNAL", "the PDF could not be drawn");
  return Reply{200, std::move(pdf), "application/pdf"};
}

}  // namespace

namespace projection_api {

Reply register_reply(Projections& p, const std::string& provider, std::string_view target) {
  RegisterQuery q;
  Status bad;
  q.provider = provider;
  q.from = day_param(target, "from", &bad);
  q.to = day_param(target, "to", &bad);
  if (auto a = query_param(target, "annulled"); !a.empty()) q.annulled = a;
  if (auto o = query_param(target, "order_by"); !o.empty()) q.order_by = o;
  q.order = query_param(target, "order");
  q.transaction = query_param(target, "transaction");
  q.credential = query_param(target, "credential");
  q.after = query_param(target, "after");
  q.limit = limit_param(target, &bad);
  const std::string format = query_param(target, "format").empty() ? "json" : query_param(target, "format");
  if (!export_format(format)) bad = Status::invalid("format must be json, csv, html, pdf or txt", "format");
  if (!bad) return reply_for(bad);
  Json rows;
  if (Status s = p.register_rows(q, &rows); !s) return reply_for(s);
  if (format == "csv") return Reply{200, print::register_csv(rows), "text/csv; charset=utf-8"};
  if (format == "html") return Reply{200, print::register_html(rows, provider), "text/html; charset=utf-8"};
  if (format == "txt") return Reply{200, print::register_txt(rows, provider), "text/plain; charset=utf-8"};
  if (format == "pdf") return pdf_reply(print::register_pdf(rows, provider));
  return Reply{200, rows.dump()};
}

Reply billing_reply(Projections& p, const std::string& provider, const std::string& month, std::string_view target) {
  Json b;
  if (Status s = p.billing(provider, month, &b); !s) return reply_for(s);
  const std::string format = query_param(target, "format").empty() ? "json" : query_param(target, "format");
  if (!export_format(format)) {
    return error_reply(400, "INVALID_REQUEST", "format must be json, csv, html, pdf or txt", "format");
  }
  if (format == "csv") return Reply{200, print::billing_csv(b), "text/csv; charset=utf-8"};
  if (format == "html") return Reply{200, print::billing_html(b), "text/html; charset=utf-8"};
  if (format == "txt") return Reply{200, print::billing_txt(b), "text/plain; charset=utf-8"};
  if (format == "pdf") return pdf_reply(print::billing_pdf(b));
  return Reply{200, b.dump()};
}

Reply audits_reply(Projections& p, std::string_view target, const std::string& own_provider) {
  AuditQuery q;
  Status bad;
  q.status = query_param(target, "status");
  q.provider = query_param(target, "provider");
  if (!own_provider.empty()) {
    if (!q.provider.empty() && q.provider != own_provider) {
      return error_reply(403, "FORBIDDEN", "a provider sees only its own audit requests (provider " + own_provider + ")",
                         "provider");
    }
    q.provider = own_provider;
  }
  q.from = day_param(target, "from", &bad);
  q.to = day_param(target, "to", &bad);
  q.after = query_param(target, "after");
  q.limit = limit_param(target, &bad);
  if (!bad) return reply_for(bad);
  Json j;
  Status s = p.audits(q, &j);
  return json_reply(s, j);
}

// An affiliate's history; a titular's includes the family group unless family=no.
Reply history_reply(Engine& engine, Projections& p, const std::string& credential, std::string_view target) {
  const ReferencePtr ref = engine.reference();
  const fb::AffiliateT* a = ref->affiliate(credential);
  if (!a) return error_reply(404, "NOT_FOUND", "no affiliate with credential " + credential);
  std::vector<std::string> credentials{credential};
  // The family group from the projection's index (O(members)), not a scan of the padron.
  if (a->titular == credential && query_param(target, "family") != "no") {
    if (Status s = p.family(credential, &credentials); !s) return reply_for(s);
  }
  HistoryQuery q;
  Status bad;
  q.after = query_param(target, "after");
  q.limit = limit_param(target, &bad);
  if (!bad) return reply_for(bad);
  Json j;
  Status s = p.history(credentials, q, &j);
  return json_reply(s, j);
}

Reply positions_reply(Projections& p) { return Reply{200, Json{{"items", p.positions()}, {"next", nullptr}}.dump()}; }

Reply audit_reply(Projections& p, const std::string& sap, const std::string& own_provider) {
  Json j;
  Status s = p.audit(sap, &j);
  if (s && !own_provider.empty() && j.value("provider", "") != own_provider) {
    // Answer as if unknown: a provider learns nothing of others' requests.
    s = Status::not_found("no audit request " + sap);
  }
  return json_reply(s, j);
}

Reply provider_reply(Engine& engine, Projections& p, const std::string& provider, const std::string& month,
                     std::string_view target) {
  if (!engine.reference()->provider(provider)) return error_reply(404, "NOT_FOUND", "no provider " + provider);
  return month.empty() ? register_reply(p, provider, target) : billing_reply(p, provider, month, target);
}

}  // namespace projection_api

}  // namespace autoriza
