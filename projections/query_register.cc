// GET /v1/providers/{id}/register (GENOS "Registros", InSSSeP "Reporte de
// autorizaciones"): one row per item of the provider's orders, refused
// authorizations and audit requests still without an order (pending, asked
// for documents, rejected or annulled by then), by time. Ordering by date pages straight through the
// key range; other orders sort the filtered range in memory, at most
// kSortRowsMax rows (beyond: kInvalidRequest, narrow the dates).
#include <algorithm>
#include <cctype>
#include <functional>

#include "projections/fold.h"
#include "engine/core/money.h"
#include "projections/queries.h"

namespace autoriza::projections {

namespace {

// The register row of one item, built from its order model when a query
// answers (a consumption or annulment rewrites one model, not rows).
Json register_row(const fbp::OrderModel& order, const fbp::ModelItem& item) {
  // An audit request without an order yet (its row names the SAP only).
  const bool refusal = order.status() == fb::Status::REJECTED || order.audit_request();
  const fbp::Annulment* annulment = order.annulment();
  Json row = {{"transaction", text(order.transaction())},
              {"order", refusal ? Json() : Json(text(order.transaction()))},
              {"sap", text_or_null(order.sap())},
              {"index", item.index()},
              {"time", instant(order.time_ms())},
              {"credential", text(order.credential())},
              {"code", text(item.code())},
              {"description", text(item.description())},
              {"tooth", item.tooth() ? Json(*item.tooth()) : Json()},
              {"faces", text_or_null(item.faces())},
              {"qty", item.qty()},
              {"status", status_name(item.status())},
              {"order_status", status_name(order.status())},
              {"reasons", reasons_json(item.reasons())},
              {"channel", text(order.channel())},
              {"registered_by", text(order.provider())},
              {"authorized_by", item.authorized() ? text_or_null(order.authorized_by()) : Json()},
              {"consumption", text_or_null(item.consumption())},
              {"performed_at", item.performed_at_ms() ? instant(*item.performed_at_ms()) : Json()},
              {"emitted_by", text_or_null(item.emitted_by())},
              {"annulment", annulment ? Json(text(annulment->transaction())) : Json()},
              {"annulled_by", annulment ? Json(text(annulment->provider())) : Json()},
              {"annulled_at", annulment ? instant(annulment->time_ms()) : Json()},
              {"annul_reason", annulment ? Json(text(annulment->reason())) : Json()}};
  put_amounts(item, row);
  return row;
}

// The rows of the register keys in [start, hi) under prefix, in row-key
// order (register_row_key: an order's key, then its items by index), each
// built from the order model its key names (one read per order). Rows whose
// row key is not after `after` are skipped (a cursor; empty: none).
// visit(row_key, row) returns false to stop.
using RowVisitor = std::function<bool(const std::string& row_key, Json row)>;
Status scan_rows(const ProjectionStore& store, const ReadView& view, const std::string& prefix,
                 const std::string& start, const std::string& hi, const std::string& after, const RowVisitor& visit) {
  Record<fbp::OrderModel> model;
  std::vector<const fbp::ModelItem*> items;
  Status result;
  Status s = store.scan(Cf::kRegister, prefix, start, view.snapshot(), [&](std::string_view key, std::string_view value) {
    if (!hi.empty() && key >= std::string_view(hi)) return false;
    if (result = model.read(view, Cf::kOrders, value); !result) {
      if (result.kind() == StatusKind::kNotFound) result = Status::corruption("register: no model " + std::string(value));
      return false;
    }
    if (model->audit_request() && model->issued_order()) return true;  // the order's rows stand for it
    items.clear();
    if (model->items()) items.assign(model->items()->begin(), model->items()->end());
    std::sort(items.begin(), items.end(), [](auto* a, auto* b) { return a->index() < b->index(); });
    for (const fbp::ModelItem* item : items) {
      std::string row_key = register_row_key(key, item->index());
      if (!after.empty() && row_key <= after) continue;
      if (!visit(row_key, register_row(*model, *item))) return false;
    }
    return true;
  });
  return s ? result : s;
}

// Where a scan resumes after a cursor (a row key): at its order's key.
std::string resume_at(const std::string& lo, const std::string& cursor) {
  if (cursor.empty()) return lo;
  constexpr size_t kIndexBytes = 1 + 4;  // \0 u32(index)
  const std::string order = cursor.size() > kIndexBytes ? cursor.substr(0, cursor.size() - kIndexBytes) : cursor;
  return std::max(lo, order);
}

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
  if (!q.order.empty() && q.order != "asc" && q.order != "desc") {
    return Status::invalid("order must be asc or desc", "order");
  }
  // Descending orders use the upper-case mode (and their own cursors); the
  // amount's default is descending: the largest amounts first.
  if (q.order == "desc" || (q.order.empty() && *mode == 'a')) *mode = char(*mode - 'a' + 'A');
  return check_page(q.limit, q.from, q.to);
}

bool names_transaction(const Json& row, const std::string& transaction) {
  for (const char* field : {"transaction", "sap", "consumption", "annulment"}) {
    if (row[field].is_string() && row[field].get<std::string>() == transaction) return true;
  }
  return false;
}

bool keep(const RegisterQuery& q, const Json& row) {
  if (!q.transaction.empty() && !names_transaction(row, q.transaction)) return false;
  if (!q.credential.empty() && row["credential"] != q.credential) return false;
  const bool annulled = row["status"] == "ANNULLED";
  if (q.annulled == "exclude") return !annulled;
  if (q.annulled == "only") return annulled;
  return true;
}

// Byte-comparable: the field, then the row's key (date order breaks ties).
std::string sort_key(char mode, const Json& row, std::string_view key) {
  switch (char(std::tolower(mode))) {
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

// order_by date: rows in key order, straight from the cursor; skips at
// most kScanRowsMax filtered-out rows, then answers short with a cursor.
Status date_page(const ProjectionStore& store, const ReadView& view, const RegisterQuery& q, const std::string& prefix,
                 const std::string& lo, const std::string& hi, const std::string& cursor, Page* page) {
  size_t scanned = 0;
  std::string last_scanned, last_kept;
  return scan_rows(store, view, prefix, resume_at(lo, cursor), hi, cursor, [&](const std::string& row_key, Json row) {
    if (++scanned > kScanRowsMax) {
      page->next = last_scanned;  // a short page: the caller goes on from here
      return false;
    }
    if (keep(q, row)) {
      if (page->rows.size() == q.limit) {  // one more exists: this page is full
        page->next = last_kept;
        return false;
      }
      page->rows.push_back(std::move(row));
      last_kept = row_key;
    }
    last_scanned = row_key;
    return true;
  });
}

// Other orders (and any descending one): the filtered rows of the range
// sorted in memory (at most kSortRowsMax), the page after the cursor (a sort
// key).
Status sorted_page(const ProjectionStore& store, const ReadView& view, const RegisterQuery& q, char mode,
                   const std::string& prefix, const std::string& lo, const std::string& hi, const std::string& cursor,
                   Page* page) {
  std::vector<std::pair<std::string, Json>> rows;
  bool too_many = false;
  Status s = scan_rows(store, view, prefix, lo, hi, "", [&](const std::string& row_key, Json row) {
    if (!keep(q, row)) return true;
    if (rows.size() == kSortRowsMax) {
      too_many = true;
      return false;
    }
    rows.emplace_back(sort_key(mode, row, row_key), std::move(row));
    return true;
  });
  if (!s) return s;
  if (too_many) {
    return Status::invalid(
        "more than " + std::to_string(kSortRowsMax) + " rows to sort: narrow from/to or order by date", "order_by");
  }
  const bool descending = std::isupper(static_cast<unsigned char>(mode));
  std::sort(rows.begin(), rows.end(),
            [descending](const auto& a, const auto& b) { return descending ? b.first < a.first : a.first < b.first; });
  // The page starts after the cursor's row in the listing's own direction.
  auto it = cursor.empty() ? rows.begin() : std::partition_point(rows.begin(), rows.end(), [&](const auto& r) {
    return descending ? r.first >= cursor : r.first <= cursor;
  });
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
    if (Status s = date_page(store, view, q, prefix, lo, hi, cursor, &page); !s) return s;
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
