// Query endpoints over reference data and projections (issue 4):
//   GET  /v1/practices?q=tsh&after=&limit=        practice search by code or words, accent/case-insensitive
//   POST /v1/providers/{id}/billing/{YYYY-MM}/close   close a billing month (a ClosedPeriod reference event)
#include <algorithm>

#include "adapters/service/api_util.h"
#include "adapters/codec/codec.h"
#include "engine/core/money.h"
#include "adapters/service/query_api.h"
#include "adapters/service/service.h"

namespace autoriza {

std::string fold_for_search(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == 0xC3 && i + 1 < text.size()) {  // Latin-1 supplement in UTF-8: accents and ñ
      const unsigned char d = static_cast<unsigned char>(text[++i]) | 0x20;  // lower-case the letter
      static constexpr std::string_view kFrom = "\xa0\xa1\xa2\xa3\xa4\xa8\xa9\xaa\xab\xac\xad\xae\xaf\xb2\xb3\xb4\xb5\xb6\xb9\xba\xbb\xbc\xb1\xa7";
      static constexpr std::string_view kTo = "aaaaaeeeeiiiiooooouuuunc";
      const size_t k = kFrom.find(char(d));
      out.push_back(k == std::string_view::npos ? ' ' : kTo[k]);
    } else if (c < 0x80) {
      out.push_back(std::isalnum(c) ? char(std::tolower(c)) : ' ');
    } else {
      out.push_back(' ');
    }
  }
  return out;
}

namespace {

std::vector<std::string> words_of(const std::string& folded) {
  std::vector<std::string> words;
  size_t pos = 0;
  while (pos < folded.size()) {
    const size_t start = folded.find_first_not_of(' ', pos);
    if (start == std::string::npos) break;
    const size_t end = folded.find(' ', start);
    words.push_back(folded.substr(start, end == std::string::npos ? std::string::npos : end - start));
    pos = end == std::string::npos ? folded.size() : end;
  }
  return words;
}

// Every word of the query starts a word of the description, or the query is
// a prefix of the code.
bool practice_matches(const fb::PracticeT& p, const std::vector<std::string>& query, const std::string& raw_query) {
  if (!raw_query.empty() && p.code.rfind(raw_query, 0) == 0) return true;
  if (query.empty()) return true;
  const std::vector<std::string> words = words_of(fold_for_search(p.description));
  return std::all_of(query.begin(), query.end(), [&](const std::string& q) {
    return std::any_of(words.begin(), words.end(), [&](const std::string& w) { return w.rfind(q, 0) == 0; });
  });
}

size_t parse_limit(std::string_view target) {
  const std::string text = query_param(target, "limit");
  if (text.empty() || text.size() > 4 || text.find_first_not_of("0123456789") != std::string::npos) return 50;
  return std::clamp<size_t>(std::stoul(text), 1, 1000);
}

}  // namespace

Reply search_practices(Engine& engine, std::string_view target) {
  const std::string raw = url_decode(query_param(target, "q"));
  const std::vector<std::string> query = words_of(fold_for_search(raw));
  const std::string after = url_decode(query_param(target, "after"));
  const size_t limit = parse_limit(target);
  const ReferencePtr ref = engine.reference();
  // ?provider=: only what that provider may perform (the rule of
  // PRACTICE_NOT_ALLOWED_FOR_PROVIDER, engine/core/reference.h).
  const std::string provider_id = query_param(target, "provider");
  const fb::ProviderT* provider = provider_id.empty() ? nullptr : ref->provider(provider_id);
  if (!provider_id.empty() && !provider) return error_reply(404, "NOT_FOUND", "no provider " + provider_id, "provider");
  std::vector<const fb::PracticeT*> hits;
  for (const auto& [code, p] : ref->practices) {
    if (provider && !provider_may_perform(provider->kind, p.kind)) continue;
    if ((after.empty() || code > after) && practice_matches(p, query, raw)) hits.push_back(&p);
  }
  std::sort(hits.begin(), hits.end(), [](auto* a, auto* b) { return a->code < b->code; });
  Json items = Json::array();
  for (size_t i = 0; i < hits.size() && i < limit; ++i) {
    const auto& p = *hits[i];
    items.push_back({{"code", p.code}, {"kind", fb::EnumNamePracticeKind(p.kind)}, {"description", p.description},
                     {"requires_audit", p.requires_audit}, {"requires_tooth", p.requires_tooth},
                     {"requires_faces", p.requires_faces}, {"max_qty", p.max_qty},
                     {"professional_only", p.professional_only}, {"expenses_only", p.expenses_only},
                     {"professional_fee", format_cents(Cents{p.professional_fee_cents})},
                     {"expenses_fee", format_cents(Cents{p.expenses_fee_cents})}});
  }
  const Json next = hits.size() > limit ? Json(hits[limit - 1]->code) : Json(nullptr);
  return Reply{200, Json{{"items", items}, {"next", next}}.dump()};
}

Reply search_diagnoses(Engine& engine, std::string_view target) {
  const std::string raw = url_decode(query_param(target, "q"));
  const std::vector<std::string> words = words_of(fold_for_search(raw));
  const size_t limit = parse_limit(target);
  const ReferencePtr ref = engine.reference();
  Json items = Json::array();
  for (const auto& [code, d] : ref->diagnoses) {
    if (items.size() == limit) break;
    const std::string folded = fold_for_search(d.code + " " + d.description);
    const bool by_code = !raw.empty() && fold_for_search(code).rfind(fold_for_search(raw), 0) == 0;
    const bool by_words = std::all_of(words.begin(), words.end(), [&](const std::string& w) {
      return folded.find(w) != std::string::npos;
    });
    if (by_code || by_words) items.push_back({{"code", d.code}, {"description", d.description}});
  }
  return Reply{200, Json{{"items", items}}.dump()};
}

Reply get_prescriber(Engine& engine, const std::string& kind, const std::string& license) {
  fb::PrescriberKind k;
  if (kind == "MD") {
    k = fb::PrescriberKind::MD;
  } else if (kind == "OD") {
    k = fb::PrescriberKind::OD;
  } else {
    return error_reply(400, "INVALID_REQUEST", "kind must be MD or OD", "kind");
  }
  const fb::PrescriberT* p = engine.reference()->prescriber(k, license);
  if (!p) return error_reply(404, "NOT_FOUND", "no prescriber " + kind + " " + license);
  return Reply{200, Json{{"kind", kind}, {"license", p->license}, {"name", p->name}}.dump()};
}

Reply close_billing_period(Engine& engine, const std::string& provider, const std::string& month, Millis now) {
  if (!engine.reference()->provider(provider)) return error_reply(404, "NOT_FOUND", "no provider " + provider);
  if (month.size() != 7 || !parse_date(month + "-01")) return error_reply(400, "INVALID_REQUEST", "month must be YYYY-MM", "month");
  const std::string current = local_month(now);
  if (month >= current) {
    return error_reply(400, "INVALID_REQUEST", "only a month that is over can be closed (now " + current + ")", "month");
  }
  if (engine.reference()->period_closed(provider, month)) {
    return Reply{200, Json{{"provider", provider}, {"month", month}, {"closed", true}, {"already", true}}.dump()};
  }
  fb::ClosedPeriodT period;
  period.provider = provider;
  period.month = month;
  fb::ReferenceRecordUnion record;
  record.Set(std::move(period));
  ReferenceLoadStats stats;
  if (Status s = engine.load_reference({record}, &stats, now); !s) return reply_for(s);
  return Reply{200, Json{{"provider", provider}, {"month", month}, {"closed", true}, {"already", false}}.dump()};
}

}  // namespace autoriza
