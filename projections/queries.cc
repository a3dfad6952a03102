#include "queries.h"

#include "fold.h"

namespace autoriza::projections {

Json NameCache::lookup(const std::string& key) {
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  Json record;
  Json name = view_.get_json(Cf::kReference, key, &record) ? record["name"] : Json();
  cache_.emplace(key, name);
  return name;
}

Json NameCache::affiliate(const std::string& credential) {
  return lookup(affiliate_key(credential));
}
Json NameCache::provider(const std::string& id) {
  return lookup(provider_key(id));
}

int64_t day_start_ms(LocalDay day) {
  return int64_t(day.value) * kMillisPerDay - int64_t(kLocalOffsetMinutes) * 60'000;
}

void day_range(const std::string& prefix, const std::optional<LocalDay>& from, const std::optional<LocalDay>& to,
               std::string* lo, std::string* hi) {
  *lo = from ? prefix + time_key(day_start_ms(*from)) : prefix;
  *hi = to ? prefix + time_key(day_start_ms(LocalDay{to->value + 1})) : std::string();
}

Status check_page(size_t limit, const std::optional<LocalDay>& from, const std::optional<LocalDay>& to) {
  if (limit < 1 || limit > kPageLimitMax) {
    return Status::invalid("limit must be between 1 and " + std::to_string(kPageLimitMax), "limit");
  }
  if (from && to && *to < *from) return Status::invalid("to is before from", "to");
  return Status::ok();
}

std::string encode_cursor(char mode, std::string_view key) {
  return base64url(std::string(1, mode) + std::string(key));
}

Status decode_cursor(std::string_view after, char mode, std::string* key) {
  std::string bytes;
  if (!from_base64url(after, &bytes) || bytes.size() < 2 || bytes[0] != mode) {
    return Status::invalid("after is not a cursor of this listing", "after");
  }
  *key = bytes.substr(1);
  return Status::ok();
}

Json parse_value(std::string_view value) {
  Json j = Json::parse(value, nullptr, false);
  return j.is_discarded() ? Json() : j;
}

Status scan_page(const ProjectionStore& store, const ReadView& view, Cf cf, const std::string& prefix,
                 const std::string& start, const std::string& hi, size_t limit, const RowOf& row_of, Page* page) {
  AUTORIZA_CHECK(limit >= 1 && limit <= kPageLimitMax);
  page->rows.clear();
  page->next.clear();
  size_t scanned = 0;
  std::string last_scanned;
  std::string last_kept;
  Status result;
  Status s = store.scan(cf, prefix, start, view.snapshot(), [&](std::string_view key, std::string_view value) {
    if (!hi.empty() && key >= std::string_view(hi)) return false;
    if (++scanned > kScanRowsMax) {
      page->next = last_scanned;  // a short page: the caller goes on from here
      return false;
    }
    Json row;
    result = row_of(key, value, &row);
    if (!result) return false;
    if (!row.is_null()) {
      if (page->rows.size() == limit) {  // one more exists: this page is full
        page->next = last_kept;
        return false;
      }
      page->rows.push_back(std::move(row));
      last_kept = key;
    }
    last_scanned = key;
    return true;
  });
  if (!s) return s;
  return result;
}

}  // namespace autoriza::projections
