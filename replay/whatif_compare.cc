// diff_answers: what a what-if changes in one answer, as a person reads it.
#include <algorithm>

#include "engine/core/money.h"
#include "engine/core/reasons.h"
#include "replay/whatif.h"

namespace autoriza {

namespace {

// "+NOT_COVERED -FREQUENCY_EXCEEDED": codes added, then codes removed.
std::string reasons_diff(const std::vector<fb::ReasonCode>& before, const std::vector<fb::ReasonCode>& after) {
  std::string out;
  auto add = [&](char sign, fb::ReasonCode r) {
    if (!out.empty()) out += ' ';
    out += sign;
    out += reason_code_name(r);
  };
  for (fb::ReasonCode r : after) {
    if (std::find(before.begin(), before.end(), r) == before.end()) add('+', r);
  }
  for (fb::ReasonCode r : before) {
    if (std::find(after.begin(), after.end(), r) == after.end()) add('-', r);
  }
  return out;
}

std::string amount_diff(const char* what, int64_t before, int64_t after) {
  if (before == after) return {};
  return std::string(what) + " " + format_cents(Cents{before}) + "->" + format_cents(Cents{after});
}

void append(std::string& out, const std::string& part, const char* separator) {
  if (part.empty()) return;
  if (!out.empty()) out += separator;
  out += part;
}

const fb::ItemResultT* item_at(const fb::ResultT& r, int32_t index) {
  for (const auto& i : r.items) {
    if (i->index == index) return i.get();
  }
  return nullptr;
}

std::string item_diff(const fb::ItemResultT& before, const fb::ItemResultT& after) {
  std::string out;
  if (before.status != after.status) {
    out = std::string(fb::EnumNameStatus(before.status)) + "->" + fb::EnumNameStatus(after.status);
  }
  append(out, reasons_diff(before.reasons, after.reasons), " ");
  append(out, amount_diff("total", before.total_cents, after.total_cents), " ");
  append(out, amount_diff("copay", before.copay_cents, after.copay_cents), " ");
  return out.empty() ? out : "item " + std::to_string(before.index) + " " + out;
}

}  // namespace

std::string diff_answers(const fb::ResultT& recorded, const fb::ResultT& now) {
  std::string out;
  if (std::string r = reasons_diff(recorded.reasons, now.reasons); !r.empty()) append(out, "reasons " + r, "; ");
  if (recorded.order != now.order) {
    append(
        out,
        "order " + (recorded.order.empty() ? "none" : recorded.order) + "->" + (now.order.empty() ? "none" : now.order),
        "; ");
  }
  if (recorded.sap != now.sap) {
    append(out, "sap " + (recorded.sap.empty() ? "none" : recorded.sap) + "->" + (now.sap.empty() ? "none" : now.sap),
           "; ");
  }
  for (const auto& before : recorded.items) {
    const fb::ItemResultT* after = item_at(now, before->index);
    append(out, after ? item_diff(*before, *after) : "item " + std::to_string(before->index) + " gone", "; ");
  }
  for (const auto& after : now.items) {
    if (!item_at(recorded, after->index)) {
      append(out, "item " + std::to_string(after->index) + " new " + fb::EnumNameStatus(after->status), "; ");
    }
  }
  const int64_t t0 = recorded.totals ? recorded.totals->total_cents : 0;
  const int64_t t1 = now.totals ? now.totals->total_cents : 0;
  const int64_t c0 = recorded.totals ? recorded.totals->copay_cents : 0;
  const int64_t c1 = now.totals ? now.totals->copay_cents : 0;
  const bool totals_changed = t0 != t1 || c0 != c1;
  if (recorded.status == now.status && out.empty() && !totals_changed) return {};
  if (out.empty() && recorded.status == now.status) {
    // Only the totals moved (items equal): name them, so a row is never blank.
    append(out, amount_diff("total", t0, t1), "; ");
    append(out, amount_diff("copay", c0, c1), "; ");
  }
  return out.empty() ? std::string(fb::EnumNameStatus(recorded.status)) + "->" + fb::EnumNameStatus(now.status) : out;
}

}  // namespace autoriza
