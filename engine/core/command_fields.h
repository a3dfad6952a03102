#pragma once
// What the engine reads of every command, from ONE table (command_fields.cc):
// its request id, who owns its idempotency key, the affiliate credential,
// the account document and the provider it names. A new command type is
// added to that table once, instead of to a switch per question.
#include <string>
#include <string_view>

#include "schemas/commands_generated.h"

namespace autoriza {

struct CommandFields {
  const std::string* request_id = nullptr;  // null only for NONE
  // Idempotency scope: kind ("provider", "auditor", "credential",
  // "document") and owner; an empty kind keeps no key.
  std::string_view scope_kind;
  const std::string* scope_owner = nullptr;
  const std::string* credential = nullptr;  // null: the command names no affiliate
  const std::string* document = nullptr;    // null: not an account command
  const std::string* provider = nullptr;    // null: no provider
};

// Pointers into command; valid while it lives unchanged.
CommandFields fields_of(const fb::CommandUnion& command);

// "<kind>:<owner>" ("provider:LAB127", "auditor:A1", "credential:...",
// "document:..."); empty for commands that keep no key (validate mode).
std::string idempotency_scope(const fb::CommandUnion& command);
// The request id, the affiliate credential, the account document, the
// provider a command names; empty when it names none.
const std::string& request_id_of(const fb::CommandUnion& command);
const std::string& credential_of(const fb::CommandUnion& command);
const std::string& document_of(const fb::CommandUnion& command);
const std::string& provider_of(const fb::CommandUnion& command);

}  // namespace autoriza
