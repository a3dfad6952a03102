#include "bench/loadgen/body.h"

#include <cstdio>

#include "engine/core/clock.h"
#include "engine/core/status.h"

namespace autoriza::bench {

namespace {

// Appends JSON members to a body under construction.
class Writer {
 public:
  explicit Writer(std::string* out) : out_(*out) {
    out_.clear();
    out_ += '{';
  }
  void finish() { out_ += '}'; }

  void key(std::string_view k) {
    if (out_.back() != '{' && out_.back() != '[') out_ += ',';
    quoted(k);
    out_ += ':';
  }
  void string(std::string_view k, std::string_view v) {
    key(k);
    quoted(v);
  }
  // An optional string: written only when not empty.
  void optional(std::string_view k, std::string_view v) {
    if (!v.empty()) string(k, v);
  }
  void integer(std::string_view k, int64_t v) {
    key(k);
    number(v);
  }
  void boolean(std::string_view k, bool v) {
    key(k);
    out_ += v ? "true" : "false";
  }
  void number(int64_t v) {
    char buf[24];
    const int n = std::snprintf(buf, sizeof buf, "%lld", static_cast<long long>(v));
    out_.append(buf, size_t(n));
  }
  void open(char c) { out_ += c; }
  void close(char c) { out_ += c; }
  void comma_if_needed() {
    if (out_.back() != '[' && out_.back() != '{') out_ += ',';
  }

 private:
  void quoted(std::string_view s) {
    out_ += '"';
    for (char c : s) {
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (static_cast<unsigned char>(c) < 0x20) {
        char buf[8];
        std::snprintf(buf, sizeof buf, "\\u%04x", c);
        out_ += buf;
      } else {
        out_ += c;
      }
    }
    out_ += '"';
  }
  std::string& out_;
};

void authorize_body(const fb::AuthorizeCmdT& c, Writer& w) {
  w.string("request_id", c.request_id);
  w.string("provider", c.provider);
  w.string("credential", c.credential);
  w.optional("token", c.token);
  if (c.prescribed_on_day) w.string("prescribed_on", format_date(LocalDay{*c.prescribed_on_day}));
  if (c.prescriber) {
    w.key("prescriber");
    w.open('{');
    w.string("kind", fb::EnumNamePrescriberKind(c.prescriber->kind));
    w.string("license", c.prescriber->license);
    w.close('}');
  }
  w.optional("diagnosis", c.diagnosis);
  w.optional("note", c.note);
  if (c.mode != fb::AuthorizeMode::AUTHORIZE) w.string("mode", c.mode == fb::AuthorizeMode::AUDIT ? "audit" : "validate");
  if (c.consume_now) w.boolean("consume_now", true);
  w.key("items");
  w.open('[');
  for (const auto& item : c.items) {
    w.comma_if_needed();
    w.open('{');
    w.string("code", item->code);
    if (item->qty != 1) w.integer("qty", item->qty);
    if (item->tooth) w.integer("tooth", *item->tooth);
    w.optional("faces", item->faces);
    w.close('}');
  }
  w.close(']');
}

void consume_body(const fb::ConsumeCmdT& c, Writer& w) {
  w.string("request_id", c.request_id);
  w.string("provider", c.provider);
  w.string("credential", c.credential);
  w.optional("token", c.token);
  w.string("order", c.order);
  w.key("items");
  w.open('[');
  for (int32_t index : c.items) {
    w.comma_if_needed();
    w.number(index);
  }
  w.close(']');
  if (c.performed_at_ms) w.string("performed_at", format_instant(Millis{*c.performed_at_ms}));
  w.optional("note", c.note);
}

void verdict_body(const fb::AuditVerdictCmdT& c, Writer& w) {
  w.string("request_id", c.request_id);
  w.optional("auditor", c.auditor);  // the mix names none: the key's
  w.string("sap", c.sap);
  w.string("verdict", fb::EnumNameVerdict(c.verdict));
  if (!c.items.empty()) {
    w.key("items");
    w.open('[');
    for (const auto& d : c.items) {
      w.comma_if_needed();
      w.open('{');
      w.integer("index", d->index);
      w.string("decision", fb::EnumNameItemDecisionKind(d->decision));
      w.close('}');
    }
    w.close(']');
  }
  w.optional("message", c.message);
}

}  // namespace

void encode_body(const fb::CommandUnion& command, std::string* out) {
  AUTORIZA_CHECK(out != nullptr && command.type != fb::Command::NONE);
  Writer w(out);
  switch (command.type) {
    case fb::Command::EligibilityCmd: {
      const auto& c = *command.AsEligibilityCmd();
      w.string("request_id", c.request_id);
      w.string("provider", c.provider);
      w.string("credential", c.credential);
      w.optional("token", c.token);
      break;
    }
    case fb::Command::AuthorizeCmd: authorize_body(*command.AsAuthorizeCmd(), w); break;
    case fb::Command::ConsumeCmd: consume_body(*command.AsConsumeCmd(), w); break;
    case fb::Command::AnnulCmd: {
      const auto& c = *command.AsAnnulCmd();
      w.string("request_id", c.request_id);
      w.string("provider", c.provider);
      w.string("transaction", c.transaction);
      w.string("reason", c.reason);
      break;
    }
    case fb::Command::AuditVerdictCmd: verdict_body(*command.AsAuditVerdictCmd(), w); break;
    case fb::Command::TokenIssueCmd: {
      const auto& c = *command.AsTokenIssueCmd();
      w.string("request_id", c.request_id);
      w.string("credential", c.credential);
      w.string("kind", fb::EnumNameTokenKind(c.kind));
      w.optional("month", c.month);
      w.integer("count", c.count);
      break;
    }
    default: AUTORIZA_CHECK(!"a command the mix never sends");
  }
  w.finish();
}

}  // namespace autoriza::bench
