// GET /v1/providers/{id}/register (GENOS "Registros", InSSSeP "Reporte de
// autorizaciones"): one row per item of the provider's orders and refused
// authorizations, by order time. Ordering by date pages straight through the
// key range; other orders sort the filtered range in memory, at most
// kSortRowsMax rows (beyond: kInvalidRequest, narrow the dates).
#include <algorithm>

#include "fold.h"
#include "money.h"
#include "queries.h"

namespace autoriza::projections {

namespace {

// Builds rows from register keys: the key's value names the order model;
// items of one order are adjacent in key order, so one model is kept.
class RowBuilder {
 public:
  explicit RowBuilder(const ReadView& view) : view_(view) {}

  Status row(std::string_view key, std::string_view model_key, Json* out) {
    if (key.size() < 4) return Status::corruption("register: a short key");
    uint32_t index = 0;  // the key ends with u32(index), big-endian
    for (char c : key.substr(key.size() - 4)) index = (index << 8) | uint8_t(c);
    if (model_key != last_key_) {
      last_key_.assign(model_key);
      if (Status s = view_.get_json(Cf::kOrders, last_key_, &model_); !s) {
        last_key_.clear();
        return s.kind() == StatusKind::kNotFound ? Status::corruption("register: no model " + std::string(model_key))
                                                 : s;
      }
    }
    for (const Json& item : model_["items"]) {
      if (item["index"].get<int64_t>() == int64_t(index)) {
        *out = register_row(model_, item);
        return Status::ok();
      }
    }
    return Status::corruption("register: " + last_key_ + " has no item " + std::to_string(index));
  }

 private:
  const ReadView& view_;
  std::string last_key_;
  Json model_;
};

Status check_query(const RegisterQuery& q, char* mode) {
  if (q.provider.empty()) return Status::invalid("provider is required", "provider");
  if (q.annulled != "include" && q.annulled != "exclude" && q.annulled != "only") {
    return Status::invalid("annulled must be include, exclude or only", "annulled");
  }
  if (q.order_by == "date") {
    *mode = 'd';
  } else if (q.order_by == "credential") {
    *mode = 'c';
  } else if (q.order_by == "practice") {
    *mode = 'p';
  } else if (q.order_by == "amount") {
    *mode = 'a';
  } else {
    return Status::invalid("order_by must be date, credential, practice or amount", "order_by");
  }
  return check_page(q.limit, q.from, q.to);
}

bool keep(const RegisterQuery& q, const Json& row) {
  const bool annulled = row["status"] == "ANNULLED";
  if (q.annulled == "exclude") return !annulled;
  if (q.annulled == "only") return annulled;
  return true;
}

// Byte-comparable: the field, then the row's key (date order breaks ties).
std::string sort_key(char mode, const Json& row, std::string_view key) {
  switch (mode) {
    case 'c':
      return row["credential"].get<std::string>() + '\0' + std::string(key);
    case 'p':
      return row["code"].get<std::string>() + '\0' + std::string(key);
    case 'a': {
      const std::optional<Cents> total = parse_cents(row["total"].get<std::string>());
      AUTORIZA_CHECK(total.has_value());
      return be64(uint64_t(total->value)) + std::string(key);
    }
    default:
      return std::string(key);
  }
}

Status sorted_page(const ProjectionStore& store, const ReadView& view, const RegisterQuery& q, char mode,
                   const std::string& prefix, const std::string& lo, const std::string& hi, const std::string& cursor,
                   Page* page) {
  std::vector<std::pair<std::string, Json>> rows;
  bool too_many = false;
  Status built;
  RowBuilder builder(view);
  Status s = store.scan(Cf::kRegister, prefix, lo, view.snapshot(), [&](std::string_view key, std::string_view value) {
    if (!hi.empty() && key >= std::string_view(hi)) return false;
    Json row;
    if (built = builder.row(key, value, &row); !built) return false;
    if (!keep(q, row)) return true;
    if (rows.size() == kSortRowsMax) {
      too_many = true;
      return false;
    }
    rows.emplace_back(sort_key(mode, row, key), std::move(row));
    return true;
  });
  if (!s) return s;
  if (!built) return built;
  if (too_many) {
    return Status::invalid(
        "more than " + std::to_string(kSortRowsMax) + " rows to sort: narrow from/to or order by date", "order_by");
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
  auto it = cursor.empty() ? rows.begin()
                           : std::upper_bound(rows.begin(), rows.end(), cursor,
                                              [](const std::string& c, const auto& r) { return c < r.first; });
  for (; it != rows.end() && page->rows.size() < q.limit; ++it) page->rows.push_back(std::move(it->second));
  if (it != rows.end()) page->next = std::prev(it)->first;
  return Status::ok();
}

}  // namespace

Status query_register(const ProjectionStore& store, const RegisterQuery& q, Json* out) {
  char mode = 'd';
  if (Status s = check_query(q, &mode); !s) return s;
  std::string cursor;
  if (!q.after.empty()) {
    if (Status s = decode_cursor(q.after, mode, &cursor); !s) return s;
  }
  const std::string prefix = register_prefix(q.provider);
  std::string lo, hi;
  day_range(prefix, q.from, q.to, &lo, &hi);
  ReadView view(store);
  Page page;
  if (mode == 'd') {
    const std::string start = cursor.empty() ? lo : std::max(lo, cursor + '\0');
    RowBuilder builder(view);
    Status s = scan_page(
        store, view, Cf::kRegister, prefix, start, hi, q.limit,
        [&](std::string_view key, std::string_view value, Json* row) {
          Json r;
          if (Status b = builder.row(key, value, &r); !b) return b;
          if (keep(q, r)) *row = std::move(r);
          return Status::ok();
        },
        &page);
    if (!s) return s;
  } else if (Status s = sorted_page(store, view, q, mode, prefix, lo, hi, cursor, &page); !s) {
    return s;
  }
  NameCache names(view);
  Json items = Json::array();
  for (Json& row : page.rows) {
    row["affiliate"] = names.affiliate(row["credential"].get<std::string>());
    items.push_back(std::move(row));
  }
  *out = Json{{"items", std::move(items)}, {"next", page.next.empty() ? Json() : Json(encode_cursor(mode, page.next))}};
  return Status::ok();
}

}  // namespace autoriza::projections
