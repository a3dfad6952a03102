// Answers rendered straight to text: the bytes of encode_result(...).dump()
// without building a DOM. nlohmann's objects are std::maps, so dump() writes
// keys in byte order; every object below writes its keys in that order, and
// tests/adapters/render_test.cc holds the two renderings equal.
#include <charconv>

#include "adapters/codec/codec.h"
#include "engine/core/money.h"
#include "engine/core/reasons.h"

namespace autoriza {

namespace {

// A compact JSON writer. Commas are placed by depth; the caller writes keys
// in order and closes what it opens.
class JsonText {
 public:
  explicit JsonText(std::string& out) : out_(out) {}

  void open_object() { open('{'); }
  void open_array() { open('['); }
  void close_object() { close('}'); }
  void close_array() { close(']'); }

  void key(std::string_view k) {
    comma();
    quoted(k);
    out_.push_back(':');
    after_key_ = true;
  }
  void string(std::string_view s) {
    value();
    quoted(s);
  }
  void integer(int64_t v) {
    value();
    char buf[24];
    const auto r = std::to_chars(buf, buf + sizeof buf, v);
    out_.append(buf, r.ptr);
  }
  void null() {
    value();
    out_.append("null");
  }
  void field(std::string_view k, std::string_view v) {
    key(k);
    string(v);
  }
  void field(std::string_view k, int64_t v) {
    key(k);
    integer(v);
  }

 private:
  static constexpr int kDepthMax = 8;  // answers nest four deep

  void open(char c) {
    value();
    out_.push_back(c);
    AUTORIZA_CHECK(depth_ + 1 < kDepthMax);
    first_[++depth_] = true;
  }
  void close(char c) {
    out_.push_back(c);
    --depth_;
  }
  void comma() {
    if (!first_[depth_]) out_.push_back(',');
    first_[depth_] = false;
  }
  void value() {
    if (after_key_) {
      after_key_ = false;
    } else {
      comma();
    }
  }
  // As nlohmann's dump without ensure_ascii: the short escapes, other
  // control characters as \u00xx (lower-case hex), everything else as is.
  void quoted(std::string_view s) {
    out_.push_back('"');
    size_t plain = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      const auto c = static_cast<unsigned char>(s[i]);
      if (c >= 0x20 && c != '"' && c != '\\') continue;
      out_.append(s.data() + plain, i - plain);
      plain = i + 1;
      switch (c) {
        case '"': out_.append("\\\""); break;
        case '\\': out_.append("\\\\"); break;
        case '\b': out_.append("\\b"); break;
        case '\f': out_.append("\\f"); break;
        case '\n': out_.append("\\n"); break;
        case '\r': out_.append("\\r"); break;
        case '\t': out_.append("\\t"); break;
        default: {
          static constexpr char kHex[] = "0123456789abcdef";
          const char u[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xf]};
          out_.append(u, sizeof u);
        }
      }
    }
    out_.append(s.data() + plain, s.size() - plain);
    out_.push_back('"');
  }

  std::string& out_;
  bool first_[kDepthMax] = {true};
  int depth_ = 0;
  bool after_key_ = false;
};

std::string_view status_text(fb::Status s) { return fb::EnumNameStatus(s); }

void reasons(JsonText& j, const std::vector<fb::ReasonCode>& codes) {
  j.open_array();
  for (fb::ReasonCode r : codes) {
    j.open_object();
    j.field("code", reason_code_name(r));
    j.field("message", reason_message(r));
    j.close_object();
  }
  j.close_array();
}

// Absent when empty, as encode_result leaves such keys out.
void field_if_set(JsonText& j, std::string_view key, const std::string& value) {
  if (!value.empty()) j.field(key, value);
}

void money(JsonText& j, std::string_view key, int64_t cents) {
  j.key(key);
  j.string(format_cents(Cents{cents}));
}

void item(JsonText& j, const fb::ItemResultT& it) {
  j.open_object();
  j.field("code", it.code);
  money(j, "copay", it.copay_cents);
  j.field("description", it.description);
  money(j, "expenses", it.expenses_cents);
  field_if_set(j, "faces", it.faces);
  j.field("index", it.index);
  money(j, "professional", it.professional_cents);
  j.field("qty", it.qty);
  j.key("reasons");
  reasons(j, it.reasons);
  j.field("status", status_text(it.status));
  if (it.tooth) {
    j.field("tooth", *it.tooth);
  }
  money(j, "total", it.total_cents);
  j.close_object();
}

void items(JsonText& j, const std::vector<std::unique_ptr<fb::ItemResultT>>& all) {
  j.key("items");
  j.open_array();
  for (const auto& it : all) item(j, *it);
  j.close_array();
}

void totals(JsonText& j, const fb::TotalsT* t) {
  const fb::TotalsT zero;
  if (!t) t = &zero;
  j.key("totals");
  j.open_object();
  money(j, "copay", t->copay_cents);
  money(j, "covered", t->covered_cents);
  money(j, "total", t->total_cents);
  j.close_object();
}

void status_and_reasons(JsonText& j, const fb::ResultT& r) {
  j.key("reasons");
  reasons(j, r.reasons);
  j.field("status", status_text(r.status));
}

void transaction(JsonText& j, const std::string& id) {
  j.key("transaction");
  if (id.empty()) {
    j.null();
  } else {
    j.string(id);
  }
}

void affiliate(JsonText& j, const fb::AffiliateViewT* a) {
  j.key("affiliate");
  if (!a) return j.null();
  j.open_object();
  j.field("age", a->age);
  j.field("credential", a->credential);
  j.field("cuil", a->cuil);
  j.field("name", a->name);
  if (!a->notes.empty()) j.field("notes", a->notes);  // as encode.cc: only when there are
  j.field("plan", a->plan);
  j.field("sex", a->sex);
  j.field("titular", a->titular);
  j.close_object();
}

void tokens(JsonText& j, const std::vector<std::unique_ptr<fb::TokenViewT>>& all) {
  j.key("tokens");
  j.open_array();
  for (const auto& t : all) {
    j.open_object();
    j.field("token", t->token);
    j.field("valid_from", format_instant(Millis{t->valid_from_ms}));
    j.field("valid_until", format_instant(Millis{t->valid_until_ms}));
    j.close_object();
  }
  j.close_array();
}

}  // namespace

void render_result(fb::Command type, const fb::ResultT& r, std::string* out) {
  if (is_account_command(type)) {  // rare, so encode.cc's answer serves as is
    *out += encode_result(type, r).dump();
    return;
  }
  JsonText j(*out);
  j.open_object();
  switch (type) {
    case fb::Command::EligibilityCmd:
      affiliate(j, r.affiliate.get());
      status_and_reasons(j, r);
      transaction(j, r.transaction);
      break;
    case fb::Command::AnnulCmd:
      status_and_reasons(j, r);
      transaction(j, r.transaction);
      break;
    case fb::Command::TokenIssueCmd:
      tokens(j, r.tokens);
      break;
    default:  // authorize, consume, audit verdicts
      items(j, r.items);
      field_if_set(j, "order", r.order);
      j.key("reasons");
      reasons(j, r.reasons);
      if (type == fb::Command::AuditVerdictCmd || type == fb::Command::AuditAnswerCmd) {
        j.field("sap", r.sap);  // a verdict always names its SAP
      } else {
        field_if_set(j, "sap", r.sap);
      }
      j.field("status", status_text(r.status));
      totals(j, r.totals.get());
      transaction(j, r.transaction);
      break;
  }
  j.close_object();
}

std::string render_result(fb::Command type, const fb::ResultT& r) {
  std::string out;
  out.reserve(256);
  render_result(type, r, &out);
  return out;
}

}  // namespace autoriza
