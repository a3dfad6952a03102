#include "projections/queries.h"

#include "projections/fold.h"
#include "engine/core/money.h"
#include "engine/core/reasons.h"

namespace autoriza::projections {

template <typename T>
Json NameCache::lookup(const std::string& key) {
  auto it = cache_.find(key);
  if (it != cache_.end()) return it->second;
  Record<T> record;
  Json name = record.read(view_, Cf::kReference, key) ? Json(text(record->name())) : Json();
  cache_.emplace(key, name);
  return name;
}

Json NameCache::affiliate(std::string_view credential) {
  return lookup<fbp::AffiliateName>(affiliate_key(credential));
}
Json NameCache::provider(std::string_view id) {
  return lookup<fbp::ProviderName>(provider_key(id));
}

std::string money(int64_t cents) {
  return format_cents(Cents{cents});
}

std::string status_name(fb::Status status) {
  return fb::EnumNameStatus(status);
}

std::string text(const flatbuffers::String* s) {
  return std::string(as_view(s));
}

Json text_or_null(const flatbuffers::String* s) {
  return s && s->size() > 0 ? Json(text(s)) : Json();
}

Json strings_json(const flatbuffers::Vector<flatbuffers::Offset<flatbuffers::String>>* v) {
  Json out = Json::array();
  if (v) {
    for (const flatbuffers::String* s : *v) out.push_back(text(s));
  }
  return out;
}

Json instant(int64_t ms) {
  return format_instant(Millis{ms});
}

Json reasons_json(const flatbuffers::Vector<fb::ReasonCode>* reasons) {
  Json out = Json::array();
  if (!reasons) return out;
  for (const fb::ReasonCode r : *reasons) {
    out.push_back({{"code", std::string(reason_code_name(r))}, {"message", std::string(reason_message(r))}});
  }
  return out;
}

void put_amounts(const fbp::ModelItem& item, Json& out) {
  const int64_t total = item.total_cents();
  const int64_t copay = item.copay_cents();
  AUTORIZA_CHECK(copay <= total);
  out["professional"] = money(item.professional_cents());
  out["expenses"] = money(item.expenses_cents());
  out["total"] = money(total);
  out["copay"] = money(copay);
  out["covered"] = money(total - copay);
}

Json item_json(const fbp::ModelItem& item) {
  Json out = {{"index", item.index()},
              {"code", text(item.code())},
              {"description", text(item.description())},
              {"qty", item.qty()},
              {"tooth", item.tooth() ? Json(*item.tooth()) : Json()},
              {"faces", text_or_null(item.faces())},
              {"status", status_name(item.status())},
              {"reasons", reasons_json(item.reasons())}};
  put_amounts(item, out);
  return out;
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
