// Billing (InSSSeP "Reporte facturacion"): a provider's consumed, non-annulled
// items of one month (the local month the practice was performed in).
//
// Closed months. A ClosedPeriod reference event closes a provider's month at
// its time C (the loader's clock). From then on the month answers the items
// recorded at or before C that were not annulled at or before C: events after
// the close can no longer change the figures (the validator refuses
// annulments touching a closed month; a late consumption performed in it is
// listed apart, in "late_items", and counts in no total). Applying the cut by
// event time, instead of freezing whatever the fold had seen when the close
// arrived, keeps a rebuild byte-identical to the live projection whatever the
// order streams are folded in. A close recorded without a time (C = 0)
// freezes nothing by time: it only marks the month closed.
#include "clock.h"
#include "fold.h"
#include "queries.h"

namespace autoriza::projections {

namespace {

struct Sums {
  int64_t professional = 0, expenses = 0, total = 0, copay = 0;
  size_t items = 0;
  void add(const Json& b) {
    professional += b["professional_cents"].get<int64_t>();
    expenses += b["expenses_cents"].get<int64_t>();
    total += b["total_cents"].get<int64_t>();
    copay += b["copay_cents"].get<int64_t>();
    ++items;
  }
  Json json() const {
    AUTORIZA_CHECK(professional + expenses == total);
    return {{"items", items},
            {"professional", money(professional)},
            {"expenses", money(expenses)},
            {"total", money(total)},
            {"copay", money(copay)},
            {"covered", money(total - copay)}};
  }
};

Json present(const Json& b, NameCache& names) {
  Json out = {{"order", b["order"]},
              {"consumption", b["consumption"]},
              {"index", b["index"]},
              {"performed_at", format_instant(Millis{b["performed_at_ms"].get<int64_t>()})},
              {"credential", b["credential"]},
              {"affiliate", names.affiliate(b["credential"].get<std::string>())},
              {"code", b["code"]},
              {"description", b["description"]},
              {"qty", b["qty"]},
              {"tooth", b["tooth"]},
              {"faces", b["faces"]}};
  put_amounts(b, out);
  return out;
}

}  // namespace

Status query_billing(const ProjectionStore& store, std::string_view provider, std::string_view month, Json* out) {
  if (provider.empty()) return Status::invalid("provider is required", "provider");
  if (month.size() != 7 || !parse_date(std::string(month) + "-01")) {
    return Status::invalid("month must be YYYY-MM", "month");
  }
  ReadView view(store);
  Json closed;
  Status cs = view.get_json(Cf::kBilling, closed_key(provider, month), &closed);
  if (!cs && cs.kind() != StatusKind::kNotFound) return cs;
  const bool is_closed = cs.is_ok();
  const int64_t cutoff_ms = is_closed ? closed["closed_at_ms"].get<int64_t>() : 0;
  const bool by_time = is_closed && cutoff_ms != 0;
  NameCache names(view);
  Sums sums;
  Json items = Json::array();
  Json late = Json::array();
  bool truncated = false;
  Status result;
  Status s = store.scan(Cf::kBilling, billing_prefix(provider, month), "", view.snapshot(),
                        [&](std::string_view, std::string_view value) {
                          const Json b = parse_value(value);
                          if (b.is_null()) {
                            result = Status::corruption("billing: an item is not JSON");
                            return false;
                          }
                          const Json& annulled = b["annulled_ms"];
                          if (by_time && b["recorded_ms"].get<int64_t>() > cutoff_ms) {
                            if (annulled.is_null() && late.size() < kBillingItemsMax) late.push_back(present(b, names));
                            return true;
                          }
                          if (!annulled.is_null() && (!by_time || annulled.get<int64_t>() <= cutoff_ms)) return true;
                          sums.add(b);
                          if (items.size() < kBillingItemsMax) {
                            items.push_back(present(b, names));
                          } else {
                            truncated = true;
                          }
                          return true;
                        });
  if (!s) return s;
  if (!result) return result;
  const std::string p(provider);
  *out = Json{{"provider", p},
              {"provider_name", names.provider(p)},
              {"month", std::string(month)},
              {"closed", is_closed},
              {"closed_at", by_time ? Json(format_instant(Millis{cutoff_ms})) : Json()},
              {"items", std::move(items)},
              {"totals", sums.json()},
              {"late_items", std::move(late)},
              {"truncated", truncated}};
  return Status::ok();
}

}  // namespace autoriza::projections
