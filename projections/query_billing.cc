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
#include "engine/core/clock.h"
#include "projections/fold.h"
#include "projections/queries.h"

namespace autoriza::projections {

namespace {

struct Sums {
  int64_t professional = 0, expenses = 0, total = 0, copay = 0;
  size_t items = 0;
  void add(const fbp::ModelItem& item) {
    professional += item.professional_cents();
    expenses += item.expenses_cents();
    total += item.total_cents();
    copay += item.copay_cents();
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

Json present(const fbp::BillingRecord& b, const fbp::ModelItem& item, NameCache& names) {
  Json out = {{"order", text(b.order())},
              {"consumption", text(b.consumption())},
              {"index", item.index()},
              {"performed_at", instant(b.performed_at_ms())},
              {"credential", text(b.credential())},
              {"affiliate", names.affiliate(as_view(b.credential()))},
              {"code", text(item.code())},
              {"description", text(item.description())},
              {"qty", item.qty()},
              {"tooth", item.tooth() ? Json(*item.tooth()) : Json()},
              {"faces", text_or_null(item.faces())}};
  put_amounts(item, out);
  return out;
}

}  // namespace

Status query_billing(const ProjectionStore& store, std::string_view provider, std::string_view month, Json* out) {
  if (provider.empty()) return Status::invalid("provider is required", "provider");
  if (month.size() != 7 || !parse_date(std::string(month) + "-01")) {
    return Status::invalid("month must be YYYY-MM", "month");
  }
  ReadView view(store);
  Record<fbp::ClosedMonth> closed;
  Status cs = closed.read(view, Cf::kBilling, closed_key(provider, month));
  if (!cs && cs.kind() != StatusKind::kNotFound) return cs;
  const bool is_closed = cs.is_ok();
  const int64_t cutoff_ms = is_closed ? closed->closed_at_ms() : 0;
  const bool by_time = is_closed && cutoff_ms != 0;
  NameCache names(view);
  Sums sums;
  Json items = Json::array();
  Json late = Json::array();
  bool truncated = false;
  Status result;
  Record<fbp::BillingRecord> b;
  Status s = store.scan(Cf::kBilling, billing_prefix(provider, month), "", view.snapshot(),
                        [&](std::string_view, std::string_view value) {
                          if (result = b.open(Cf::kBilling, value); !result) return false;
                          if (!b->items()) return true;
                          const auto annulled = b->annulled_ms();
                          if (by_time && b->recorded_ms() > cutoff_ms) {
                            if (annulled) return true;
                            for (const fbp::ModelItem* item : *b->items()) {
                              if (late.size() < kBillingItemsMax) late.push_back(present(*b, *item, names));
                            }
                            return true;
                          }
                          if (annulled && (!by_time || *annulled <= cutoff_ms)) return true;
                          for (const fbp::ModelItem* item : *b->items()) {
                            sums.add(*item);
                            if (items.size() < kBillingItemsMax) {
                              items.push_back(present(*b, *item, names));
                            } else {
                              truncated = true;
                            }
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
