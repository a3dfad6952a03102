// Decoding of command bodies. Conventions (docs/rules.md §4):
// unknown fields are ignored, null means absent, qty defaults to 1.
#include <set>

#include "adapters/codec/codec.h"
#include "engine/core/csv.h"  // utf8_length
#include "engine/core/rules.h"

namespace autoriza {

namespace {

// Reads fields of one JSON object, remembering the path for errors.
class Fields {
 public:
  Fields(const Json& object, std::string path) : object_(object), path_(std::move(path)) {}

  std::string path(std::string_view key) const { return path_.empty() ? std::string(key) : path_ + "." + std::string(key); }

  const Json* get(std::string_view key) const {
    auto it = object_.find(key);
    return it == object_.end() || it->is_null() ? nullptr : &*it;
  }

  Status string(std::string_view key, bool required, size_t max, std::string* out) const {
    const Json* v = get(key);
    if (!v) return required ? Status::invalid(std::string(key) + " is required", path(key)) : Status::ok();
    if (!v->is_string()) return Status::invalid(std::string(key) + " must be a string", path(key));
    const std::string& s = v->get_ref<const std::string&>();
    if (required && s.empty()) return Status::invalid(std::string(key) + " must not be empty", path(key));
    if (utf8_length(s) > max) return Status::invalid(std::string(key) + " is longer than " + std::to_string(max) + " characters", path(key));
    *out = s;
    return Status::ok();
  }

  Status integer(std::string_view key, int64_t min, int64_t max, std::optional<int64_t>* out) const {
    const Json* v = get(key);
    if (!v) return Status::ok();
    const std::string range = std::to_string(min) + " and " + std::to_string(max);
    if (!v->is_number_integer()) return Status::invalid(std::string(key) + " must be an integer between " + range, path(key));
    // Unsigned beyond INT64_MAX (up to 2^64-1) saturates, then fails the range.
    const int64_t n = v->is_number_unsigned() && v->get<uint64_t>() > uint64_t(INT64_MAX) ? INT64_MAX : v->get<int64_t>();
    if (n < min || n > max) return Status::invalid(std::string(key) + " must be between " + range, path(key));
    *out = n;
    return Status::ok();
  }

  Status boolean(std::string_view key, bool* out) const {
    const Json* v = get(key);
    if (!v) return Status::ok();
    if (!v->is_boolean()) return Status::invalid(std::string(key) + " must be true or false", path(key));
    *out = v->get<bool>();
    return Status::ok();
  }

  template <typename E>
  Status enumeration(std::string_view key, bool required, std::initializer_list<std::pair<const char*, E>> names, E* out) const {
    std::string s;
    if (Status st = string(key, required, kIdMax, &s); !st) return st;
    if (s.empty()) return Status::ok();
    std::string allowed;
    for (auto& [name, value] : names) {
      if (s == name) {
        *out = value;
        return Status::ok();
      }
      allowed += (allowed.empty() ? "" : "|") + std::string(name);
    }
    return Status::invalid(std::string(key) + " must be one of " + allowed, path(key));
  }

  Status array(std::string_view key, bool required, size_t min, size_t max, const Json** out) const {
    const Json* v = get(key);
    if (!v) return required ? Status::invalid(std::string(key) + " is required", path(key)) : Status::ok();
    if (!v->is_array()) return Status::invalid(std::string(key) + " must be an array", path(key));
    if (v->size() < min || v->size() > max) {
      return Status::invalid(std::string(key) + " must hold " + std::to_string(min) + " to " + std::to_string(max) + " entries", path(key));
    }
    *out = v;
    return Status::ok();
  }

 private:
  const Json& object_;
  std::string path_;
};

#define TRY(expr)                 \
  do {                            \
    if (Status _s = (expr); !_s) return _s; \
  } while (0)

Status require_object(const Json& v, const std::string& path) {
  if (!v.is_object()) return Status::invalid((path.empty() ? std::string("body") : path) + " must be a JSON object", path);
  return Status::ok();
}

Status decode_date(const Fields& f, std::string_view key, flatbuffers::Optional<int32_t>* out) {
  std::string s;
  TRY(f.string(key, false, 32, &s));
  if (s.empty()) return Status::ok();
  auto day = parse_date(s);
  if (!day) return Status::invalid(std::string(key) + " must be a date YYYY-MM-DD", f.path(key));
  *out = day->value;
  return Status::ok();
}

// documents: SHA-256 hex names of stored documents, distinct, at most kDocumentsMax.
Status decode_documents(const Fields& f, std::vector<std::string>* out) {
  const Json* list = nullptr;
  TRY(f.array("documents", false, 0, kDocumentsMax, &list));
  if (!list) return Status::ok();
  for (size_t i = 0; i < list->size(); ++i) {
    const Json& v = (*list)[i];
    if (!v.is_string()) return Status::invalid("a document must be a string", f.path("documents[" + std::to_string(i) + "]"));
    out->push_back(v.get<std::string>());
  }
  return check_documents(*out, f.path("documents"));
}

Status decode_item(const Json& v, const std::string& path, fb::AuthorizeItemT* item) {
  TRY(require_object(v, path));
  Fields f(v, path);
  TRY(f.string("code", true, kIdMax, &item->code));
  std::optional<int64_t> qty, tooth;
  TRY(f.integer("qty", 1, kQtyMax, &qty));
  TRY(f.integer("tooth", INT32_MIN, INT32_MAX, &tooth));
  item->qty = int32_t(qty.value_or(1));
  if (tooth) item->tooth = int32_t(*tooth);
  return f.string("faces", false, 16, &item->faces);
}

Status decode_authorize(const Fields& f, fb::AuthorizeCmdT* cmd) {
  TRY(f.string("provider", true, kIdMax, &cmd->provider));
  TRY(f.string("credential", true, kIdMax, &cmd->credential));
  TRY(f.string("token", false, kIdMax, &cmd->token));
  TRY(decode_date(f, "prescribed_on", &cmd->prescribed_on_day));
  if (const Json* p = f.get("prescriber")) {
    TRY(require_object(*p, f.path("prescriber")));
    Fields pf(*p, f.path("prescriber"));
    cmd->prescriber = std::make_unique<fb::PrescriberRefT>();
    TRY(pf.enumeration<fb::PrescriberKind>("kind", true, {{"MD", fb::PrescriberKind::MD}, {"OD", fb::PrescriberKind::OD}},
                                           &cmd->prescriber->kind));
    TRY(pf.string("license", true, kIdMax, &cmd->prescriber->license));
  }
  TRY(f.string("diagnosis", false, kIdMax, &cmd->diagnosis));
  if (!cmd->diagnosis.empty() && !diagnosis_well_formed(cmd->diagnosis)) {
    return Status::invalid("diagnosis must be a CIE-10 code such as K02.9", f.path("diagnosis"));
  }
  TRY(f.enumeration<fb::DiagnosisType>("diagnosis_type", false,
                                       {{"PRESUMPTIVE", fb::DiagnosisType::PRESUMPTIVE},
                                        {"DEFINITIVE", fb::DiagnosisType::DEFINITIVE}},
                                       &cmd->diagnosis_type));
  TRY(f.string("diagnosis_text", false, kDiagnosisTextMax, &cmd->diagnosis_text));
  TRY(decode_documents(f, &cmd->documents));
  TRY(f.string("note", false, kTextMax, &cmd->note));
  TRY(f.enumeration<fb::AuthorizeMode>("mode", false,
                                       {{"authorize", fb::AuthorizeMode::AUTHORIZE},
                                        {"validate", fb::AuthorizeMode::VALIDATE},
                                        {"audit", fb::AuthorizeMode::AUDIT}},
                                       &cmd->mode));
  TRY(f.boolean("consume_now", &cmd->consume_now));
  const Json* items = nullptr;
  TRY(f.array("items", true, 1, kItemsMax, &items));
  for (size_t i = 0; i < items->size(); ++i) {
    auto item = std::make_unique<fb::AuthorizeItemT>();
    TRY(decode_item((*items)[i], f.path("items[" + std::to_string(i) + "]"), item.get()));
    cmd->items.push_back(std::move(item));
  }
  return Status::ok();
}

// Item indexes of consume / decisions of a verdict: integers >= 0, no repeats.
Status check_unique_index(std::set<int64_t>& seen, int64_t index, const std::string& path) {
  if (!seen.insert(index).second) return Status::invalid("index " + std::to_string(index) + " is repeated", path);
  return Status::ok();
}

Status decode_consume(const Fields& f, fb::ConsumeCmdT* cmd) {
  TRY(f.string("provider", true, kIdMax, &cmd->provider));
  TRY(f.string("credential", true, kIdMax, &cmd->credential));
  TRY(f.string("token", false, kIdMax, &cmd->token));
  TRY(f.string("order", true, kIdMax, &cmd->order));
  TRY(f.string("note", false, kTextMax, &cmd->note));
  const Json* items = nullptr;
  TRY(f.array("items", true, 1, kItemsMax, &items));
  std::set<int64_t> seen;
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string path = f.path("items[" + std::to_string(i) + "]");
    const Json& v = (*items)[i];
    if (!v.is_number_integer() || v.get<int64_t>() < 0 || v.get<int64_t>() >= int64_t(kItemsMax)) {
      return Status::invalid("an item index must be an integer 0.." + std::to_string(kItemsMax - 1), path);
    }
    TRY(check_unique_index(seen, v.get<int64_t>(), path));
    cmd->items.push_back(int32_t(v.get<int64_t>()));
  }
  std::string performed;
  TRY(f.string("performed_at", false, 40, &performed));
  if (!performed.empty()) {
    auto t = parse_instant(performed);
    if (!t) return Status::invalid("performed_at must be ISO-8601 with offset, e.g. 2026-11-02T10:00:00-03:00", f.path("performed_at"));
    cmd->performed_at_ms = t->value;
  }
  TRY(f.enumeration<fb::ConsumedPart>("part", false,
                                      {{"ALL", fb::ConsumedPart::ALL},
                                       {"PROFESSIONAL_ONLY", fb::ConsumedPart::PROFESSIONAL_ONLY},
                                       {"EXPENSES_ONLY", fb::ConsumedPart::EXPENSES_ONLY}},
                                      &cmd->part));
  return decode_documents(f, &cmd->documents);
}

Status decode_verdict(const Fields& f, fb::AuditVerdictCmdT* cmd) {
  TRY(f.string("auditor", false, kIdMax, &cmd->auditor));  // the key's (auth::bind_auditor)
  TRY(f.string("sap", true, kIdMax, &cmd->sap));
  TRY(f.enumeration<fb::Verdict>("verdict", true,
                                 {{"AUTHORIZE", fb::Verdict::AUTHORIZE}, {"REJECT", fb::Verdict::REJECT},
                                  {"PARTIAL", fb::Verdict::PARTIAL}, {"REQUEST_DOCS", fb::Verdict::REQUEST_DOCS}},
                                 &cmd->verdict));
  TRY(f.string("message", false, kTextMax, &cmd->message));
  const Json* items = nullptr;
  TRY(f.array("items", cmd->verdict == fb::Verdict::PARTIAL, cmd->verdict == fb::Verdict::PARTIAL ? 1 : 0, kItemsMax, &items));
  if (!items) return Status::ok();
  std::set<int64_t> seen;
  for (size_t i = 0; i < items->size(); ++i) {
    const std::string path = f.path("items[" + std::to_string(i) + "]");
    TRY(require_object((*items)[i], path));
    Fields df((*items)[i], path);
    auto d = std::make_unique<fb::ItemDecisionT>();
    std::optional<int64_t> index;
    TRY(df.integer("index", 0, kItemsMax - 1, &index));
    if (!index) return Status::invalid("index is required", df.path("index"));
    TRY(check_unique_index(seen, *index, df.path("index")));
    d->index = int32_t(*index);
    TRY(df.enumeration<fb::ItemDecisionKind>("decision", true,
                                             {{"AUTHORIZE", fb::ItemDecisionKind::AUTHORIZE},
                                              {"REJECT", fb::ItemDecisionKind::REJECT}},
                                             &d->decision));
    cmd->items.push_back(std::move(d));
  }
  return Status::ok();
}

Status decode_audit_answer(const Fields& f, fb::AuditAnswerCmdT* cmd) {
  TRY(f.string("provider", true, kIdMax, &cmd->provider));
  TRY(f.string("sap", true, kIdMax, &cmd->sap));
  TRY(f.string("message", false, kTextMax, &cmd->message));
  TRY(decode_documents(f, &cmd->documents));
  if (cmd->message.empty() && cmd->documents.empty()) {
    return Status::invalid("an answer carries a message, documents or both", f.path("message"));
  }
  return Status::ok();
}

Status decode_token_issue(const Fields& f, fb::TokenIssueCmdT* cmd) {
  TRY(f.string("credential", true, kIdMax, &cmd->credential));
  TRY(f.enumeration<fb::TokenKind>("kind", true, {{"DYNAMIC", fb::TokenKind::DYNAMIC}, {"PREPRINTED", fb::TokenKind::PREPRINTED}},
                                   &cmd->kind));
  TRY(f.string("month", cmd->kind == fb::TokenKind::PREPRINTED, 7, &cmd->month));
  std::optional<int64_t> count;
  TRY(f.integer("count", 1, 31, &count));
  cmd->count = int32_t(count.value_or(1));
  return Status::ok();
}

template <typename T>
Status decode_into(const Fields& f, fb::CommandUnion* out, Status (*decode)(const Fields&, T*)) {
  T cmd;
  TRY(f.string("request_id", true, kIdMax, &cmd.request_id));
  TRY(decode(f, &cmd));
  out->Set(std::move(cmd));
  return Status::ok();
}

Status decode_eligibility(const Fields& f, fb::EligibilityCmdT* cmd) {
  TRY(f.string("provider", true, kIdMax, &cmd->provider));
  TRY(f.string("credential", true, kIdMax, &cmd->credential));
  return f.string("token", false, kIdMax, &cmd->token);
}

Status decode_annul(const Fields& f, fb::AnnulCmdT* cmd) {
  TRY(f.string("provider", true, kIdMax, &cmd->provider));
  TRY(f.string("transaction", true, kIdMax, &cmd->transaction));
  return f.string("reason", true, kTextMax, &cmd->reason);
}

}  // namespace

Status check_documents(const std::vector<std::string>& hashes, const std::string& field) {
  if (hashes.size() > kDocumentsMax) {
    return Status::invalid(field + " holds at most " + std::to_string(kDocumentsMax) + " documents", field);
  }
  std::set<std::string_view> seen;
  for (size_t i = 0; i < hashes.size(); ++i) {
    const std::string path = field + "[" + std::to_string(i) + "]";
    if (!document_hash_well_formed(hashes[i])) {
      return Status::invalid("a document is named by its SHA-256: 64 lowercase hexadecimal digits", path);
    }
    if (!seen.insert(hashes[i]).second) return Status::invalid("document repeated", path);
  }
  return Status::ok();
}

bool is_command_name(std::string_view name) {
  return name == "eligibility" || name == "authorize" || name == "consume" || name == "annul" ||
         name == "audit_verdict" || name == "audit_answer" || name == "token_issue";
}

Status decode_command(std::string_view name, const Json& body, fb::CommandUnion* out) {
  TRY(require_object(body, ""));
  const Fields f(body, "");
  if (name == "eligibility") return decode_into<fb::EligibilityCmdT>(f, out, decode_eligibility);
  if (name == "authorize") return decode_into<fb::AuthorizeCmdT>(f, out, decode_authorize);
  if (name == "consume") return decode_into<fb::ConsumeCmdT>(f, out, decode_consume);
  if (name == "annul") return decode_into<fb::AnnulCmdT>(f, out, decode_annul);
  if (name == "audit_verdict") return decode_into<fb::AuditVerdictCmdT>(f, out, decode_verdict);
  if (name == "audit_answer") return decode_into<fb::AuditAnswerCmdT>(f, out, decode_audit_answer);
  if (name == "token_issue") return decode_into<fb::TokenIssueCmdT>(f, out, decode_token_issue);
  return Status::invalid("unknown command '" + std::string(name) + "'", "command");
}

Status decode_command_text(std::string_view name, std::string_view text, fb::CommandUnion* out) {
  Json body;
  TRY(parse_json(text, &body));
  fb::CommandUnion unused;
  return decode_command(name, body, out ? out : &unused);
}

}  // namespace autoriza
