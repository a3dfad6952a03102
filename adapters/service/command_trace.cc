#include "adapters/service/command_trace.h"

#include "engine/core/validator.h"

namespace autoriza {

std::string_view traced_command(std::string_view name) {
  for (std::string_view c : kTracedCommands) {
    if (c == name) return c;
  }
  return kTracedCommands[std::size(kTracedCommands) - 1];
}

std::string_view traced_command(fb::Command type) {
  switch (type) {
    case fb::Command::EligibilityCmd: return "eligibility";
    case fb::Command::AuthorizeCmd: return "authorize";
    case fb::Command::ConsumeCmd: return "consume";
    case fb::Command::AnnulCmd: return "annul";
    case fb::Command::AuditVerdictCmd: return "audit_verdict";
    case fb::Command::AuditAnswerCmd: return "audit_answer";
    case fb::Command::TokenIssueCmd: return "token_issue";
    default: return "other";
  }
}

std::string_view command_provider(const fb::CommandUnion& c) {
  if (auto* x = c.AsEligibilityCmd()) return x->provider;
  if (auto* x = c.AsAuthorizeCmd()) return x->provider;
  if (auto* x = c.AsConsumeCmd()) return x->provider;
  if (auto* x = c.AsAnnulCmd()) return x->provider;
  if (auto* x = c.AsAuditAnswerCmd()) return x->provider;
  return {};
}

void CommandTrace::set_command(const fb::CommandUnion& decoded) {
  if (decoded.type == fb::Command::NONE || decoded.value == nullptr) return;
  // A command refused for its shape may carry ids of any length: the trace
  // keeps what a valid one could hold.
  request_id = request_id_of(decoded).substr(0, kTracedIdMax);
  provider = std::string(command_provider(decoded).substr(0, kTracedIdMax));
}

CommandAnswer answered(const fb::ResultT& result, bool replayed) {
  return CommandAnswer{200, fb::EnumNameStatus(result.status), replayed};
}

CommandAnswer answered(const Outcome& outcome) {
  if (outcome.result) return answered(*outcome.result, outcome.replayed);
  return CommandAnswer{200, fb::EnumNameStatus(outcome.forwarded_status), outcome.replayed};
}

CommandAnswer refused(int http_status) {
  // The adapters' error codes map one to one onto HTTP statuses (service.h).
  switch (http_status) {
    case 400: return {400, "INVALID_REQUEST", false};
    case 401: return {401, "UNAUTHENTICATED", false};
    case 403: return {403, "FORBIDDEN", false};
    case 404: return {404, "NOT_FOUND", false};
    case 409: return {409, "REQUEST_ID_REUSED", false};
    case 429: return {429, "RATE_LIMITED", false};
    case 503: return {503, "UNAVAILABLE", false};
    case 504: return {504, "TIMEOUT", false};
    case 500: return {500, "INTERNAL", false};
    default: return {http_status, "OTHER", false};
  }
}

}  // namespace autoriza
