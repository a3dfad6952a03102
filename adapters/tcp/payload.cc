// Payloads of COMMAND / RESULT / GOAWAY frames (see payload.h, schemas/tcp.fbs).
#include "adapters/tcp/payload.h"

#include <set>
#include <vector>

#include "adapters/codec/error_codes.h"
#include "adapters/codec/codec.h"    // kIdMax, kTextMax, kItemsMax, kQtyMax
#include "adapters/service/command_trace.h"
#include "adapters/tcp/frame.h"
#include "engine/core/csv.h"  // utf8_length
#include "engine/records.h"  // aligned_bytes
#include "engine/core/rules.h"    // diagnosis_well_formed, document_hash_well_formed
#include "schemas/tcp_generated.h"

namespace autoriza::tcp {
namespace {

#define TCP_TRY(expr)                        \
  do {                                       \
    if (Status _s = (expr); !_s) return _s;  \
  } while (0)

Status text(const std::string& value, const std::string& field, bool required, size_t max) {
  if (required && value.empty()) return Status::invalid(field + " is required", field);
  if (utf8_length(value) > max) return Status::invalid(field + " is longer than " + std::to_string(max) + " characters", field);
  return Status::ok();
}

template <typename E>
Status known(E value, const std::string& field) {
  if (int64_t(value) < int64_t(E::MIN) || int64_t(value) > int64_t(E::MAX)) {
    return Status::invalid(field + " has unknown value " + std::to_string(int64_t(value)), field);
  }
  return Status::ok();
}

Status count(size_t n, size_t min, size_t max, const std::string& field) {
  if (n < min || n > max) {
    return Status::invalid(field + " must hold " + std::to_string(min) + " to " + std::to_string(max) + " entries", field);
  }
  return Status::ok();
}

Status item_indexes(const std::vector<int32_t>& indexes, const std::string& field) {
  std::set<int32_t> seen;
  for (size_t i = 0; i < indexes.size(); ++i) {
    const std::string path = field + "[" + std::to_string(i) + "]";
    if (indexes[i] < 0 || indexes[i] >= int32_t(kItemsMax)) {
      return Status::invalid("an item index must be 0.." + std::to_string(kItemsMax - 1), path);
    }
    if (!seen.insert(indexes[i]).second) return Status::invalid("index " + std::to_string(indexes[i]) + " is repeated", path);
  }
  return Status::ok();
}

Status check_authorize(const fb::AuthorizeCmdT& c) {
  TCP_TRY(text(c.provider, "provider", true, kIdMax));
  TCP_TRY(text(c.credential, "credential", true, kIdMax));
  TCP_TRY(text(c.token, "token", false, kIdMax));
  if (c.prescriber) {
    TCP_TRY(known(c.prescriber->kind, "prescriber.kind"));
    TCP_TRY(text(c.prescriber->license, "prescriber.license", true, kIdMax));
  }
  TCP_TRY(text(c.diagnosis, "diagnosis", false, kIdMax));
  if (!c.diagnosis.empty() && !diagnosis_well_formed(c.diagnosis)) {
    return Status::invalid("diagnosis must be a CIE-10 code such as K02.9", "diagnosis");
  }
  TCP_TRY(text(c.note, "note", false, kTextMax));
  TCP_TRY(known(c.diagnosis_type, "diagnosis_type"));
  TCP_TRY(text(c.diagnosis_text, "diagnosis_text", false, kDiagnosisTextMax));
  TCP_TRY(check_documents(c.documents, "documents"));
  TCP_TRY(known(c.mode, "mode"));
  TCP_TRY(count(c.items.size(), 1, kItemsMax, "items"));
  for (size_t i = 0; i < c.items.size(); ++i) {
    const std::string path = "items[" + std::to_string(i) + "]";
    if (!c.items[i]) return Status::invalid(path + " is null", path);
    const fb::AuthorizeItemT& item = *c.items[i];
    TCP_TRY(text(item.code, path + ".code", true, kIdMax));
    if (item.qty < 1 || item.qty > kQtyMax) {
      return Status::invalid("qty must be between 1 and " + std::to_string(kQtyMax), path + ".qty");
    }
    TCP_TRY(text(item.faces, path + ".faces", false, 16));
  }
  return Status::ok();
}

Status check_consume(const fb::ConsumeCmdT& c) {
  TCP_TRY(text(c.provider, "provider", true, kIdMax));
  TCP_TRY(text(c.credential, "credential", true, kIdMax));
  TCP_TRY(text(c.token, "token", false, kIdMax));
  TCP_TRY(text(c.order, "order", true, kIdMax));
  TCP_TRY(text(c.note, "note", false, kTextMax));
  TCP_TRY(known(c.part, "part"));
  TCP_TRY(check_documents(c.documents, "documents"));
  TCP_TRY(count(c.items.size(), 1, kItemsMax, "items"));
  return item_indexes(c.items, "items");
}

Status check_answer(const fb::AuditAnswerCmdT& c) {
  TCP_TRY(text(c.provider, "provider", true, kIdMax));
  TCP_TRY(text(c.sap, "sap", true, kIdMax));
  TCP_TRY(text(c.message, "message", false, kTextMax));
  TCP_TRY(check_documents(c.documents, "documents"));
  if (c.message.empty() && c.documents.empty()) {
    return Status::invalid("an answer carries a message, documents or both", "message");
  }
  return Status::ok();
}

Status check_verdict(const fb::AuditVerdictCmdT& c) {
  TCP_TRY(text(c.auditor, "auditor", false, kIdMax));  // omitted: the key's (auth::bind_auditor)
  TCP_TRY(text(c.sap, "sap", true, kIdMax));
  TCP_TRY(known(c.verdict, "verdict"));
  TCP_TRY(text(c.message, "message", false, kTextMax));
  const bool partial = c.verdict == fb::Verdict::PARTIAL;
  TCP_TRY(count(c.items.size(), partial ? 1 : 0, kItemsMax, "items"));
  std::vector<int32_t> indexes;
  for (size_t i = 0; i < c.items.size(); ++i) {
    const std::string path = "items[" + std::to_string(i) + "]";
    if (!c.items[i]) return Status::invalid(path + " is null", path);
    TCP_TRY(known(c.items[i]->decision, path + ".decision"));
    indexes.push_back(c.items[i]->index);
  }
  return item_indexes(indexes, "items");
}

Status check_token_issue(const fb::TokenIssueCmdT& c) {
  TCP_TRY(text(c.credential, "credential", true, kIdMax));
  TCP_TRY(known(c.kind, "kind"));
  TCP_TRY(text(c.month, "month", c.kind == fb::TokenKind::PREPRINTED, 7));
  if (c.count < 1 || c.count > 31) return Status::invalid("count must be between 1 and 31", "count");
  if (!c.sealed_secret.empty() || !c.sealed_tokens.empty()) {
    return Status::invalid("sealed material is drawn by the server, not sent", "sealed_secret");
  }
  return Status::ok();
}

template <typename Table>
Status verified_root(std::string_view payload, FrameKind kind, const Table** root, std::vector<uint64_t>* storage) {
  if (Status s = check_payload(kind, payload); !s) return s;
  const std::string_view bytes = aligned_bytes(payload, storage);
  *root = flatbuffers::GetRoot<Table>(bytes.data());
  return Status::ok();
}

}  // namespace

WireError wire_error(const Status& status, int64_t retry_after_s) {
  AUTORIZA_CHECK(!status.is_ok());
  return WireError{http_status(status.kind()), error_code_name(status.kind()), status.message(), status.field(),
                   retry_after_s};
}

const char* command_name_of(fb::Command type) {
  const std::string_view name = traced_command(type);  // a literal: null-terminated
  return name == "other" ? "" : name.data();
}

Status check_command(const fb::CommandUnion& command) {
  const std::string* request_id = nullptr;
  Status s;
  switch (command.type) {
    case fb::Command::EligibilityCmd: {
      const auto& c = *command.AsEligibilityCmd();
      request_id = &c.request_id;
      if (!(s = text(c.provider, "provider", true, kIdMax))) return s;
      if (!(s = text(c.credential, "credential", true, kIdMax))) return s;
      s = text(c.token, "token", false, kIdMax);
      break;
    }
    case fb::Command::AuthorizeCmd:
      request_id = &command.AsAuthorizeCmd()->request_id;
      s = check_authorize(*command.AsAuthorizeCmd());
      break;
    case fb::Command::ConsumeCmd:
      request_id = &command.AsConsumeCmd()->request_id;
      s = check_consume(*command.AsConsumeCmd());
      break;
    case fb::Command::AnnulCmd: {
      const auto& c = *command.AsAnnulCmd();
      request_id = &c.request_id;
      if (!(s = text(c.provider, "provider", true, kIdMax))) return s;
      if (!(s = text(c.transaction, "transaction", true, kIdMax))) return s;
      s = text(c.reason, "reason", true, kTextMax);
      break;
    }
    case fb::Command::AuditVerdictCmd:
      request_id = &command.AsAuditVerdictCmd()->request_id;
      s = check_verdict(*command.AsAuditVerdictCmd());
      break;
    case fb::Command::AuditAnswerCmd:
      request_id = &command.AsAuditAnswerCmd()->request_id;
      s = check_answer(*command.AsAuditAnswerCmd());
      break;
    case fb::Command::TokenIssueCmd:
      request_id = &command.AsTokenIssueCmd()->request_id;
      s = check_token_issue(*command.AsTokenIssueCmd());
      break;
    default:
      return Status::invalid(std::string("command ") + fb::EnumNameCommand(command.type) + " is not offered over TCP",
                             "command");
  }
  if (!s) return s;
  return text(*request_id, "request_id", true, kIdMax);
}

std::string command_payload(const fb::CommandUnion& command, std::optional<Millis> now) {
  flatbuffers::FlatBufferBuilder fbb(512);
  const auto body = command.Pack(fbb);
  flatbuffers::Optional<int64_t> now_ms = flatbuffers::nullopt;
  if (now) now_ms = now->value;
  fbb.Finish(fb::CreateTcpCommand(fbb, command.type, body, now_ms));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

Status read_command(std::string_view payload, fb::CommandUnion* command, std::optional<Millis>* now) {
  std::vector<uint64_t> storage;
  const fb::TcpCommand* root = nullptr;
  TCP_TRY(verified_root(payload, FrameKind::kCommand, &root, &storage));
  command->Reset();
  command->type = root->command_type();
  command->value = fb::CommandUnion::UnPack(root->command(), root->command_type(), nullptr);
  if (command->value == nullptr) return Status::invalid("TcpCommand holds no known command", "command");
  *now = root->now_ms() ? std::optional<Millis>(Millis{*root->now_ms()}) : std::nullopt;
  return check_command(*command);
}

std::string result_payload(const fb::ResultT& result, bool replayed) {
  flatbuffers::FlatBufferBuilder fbb(1024);
  const auto r = fb::Result::Pack(fbb, &result);
  fbb.Finish(fb::CreateTcpReply(fbb, r, 0, replayed));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

std::string error_payload(const WireError& error) {
  flatbuffers::FlatBufferBuilder fbb(256);
  // Messages come from our own code but may quote input: keep the frame bounded.
  constexpr size_t kMessageMax = 2000;
  const auto e = fb::CreateTcpErrorDirect(fbb, error.status, error.code.c_str(),
                                          error.message.substr(0, kMessageMax).c_str(),
                                          error.field.substr(0, kIdMax * 4).c_str(), error.retry_after_s);
  fbb.Finish(fb::CreateTcpReply(fbb, 0, e, false));
  return std::string(reinterpret_cast<const char*>(fbb.GetBufferPointer()), fbb.GetSize());
}

Status read_reply(std::string_view payload, Answer* out) {
  std::vector<uint64_t> storage;
  const fb::TcpReply* root = nullptr;
  TCP_TRY(verified_root(payload, FrameKind::kResult, &root, &storage));
  *out = Answer{};
  out->replayed = root->replayed();
  if (root->result()) {
    auto result = std::make_shared<fb::ResultT>();
    root->result()->UnPackTo(result.get());
    out->result = std::move(result);
    return Status::ok();
  }
  const fb::TcpError* e = root->error();
  AUTORIZA_CHECK(e != nullptr);  // check_payload: exactly one of them
  out->error = WireError{e->status(), e->code() ? e->code()->str() : "", e->message() ? e->message()->str() : "",
                         e->field() ? e->field()->str() : "", e->retry_after_s()};
  return Status::ok();
}

}  // namespace autoriza::tcp
