#pragma once
// How recorded events read in exports and what-if reports: command names,
// the parties and ids a command names, and CSV cells. Only fields that the
// log keeps in clear are read here; sealed material (secrets, codes, links)
// and password hashes are never touched.
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/command_fields.h"  // provider_of, credential_of
#include "schemas/commands_generated.h"
#include "schemas/events_generated.h"

namespace autoriza {

// "authorize", "audit_verdict", "card_issue"...; "reference" for NONE.
const char* command_name(fb::Command type);
// Every name command_name() gives, for --type checks and help.
const std::vector<std::string>& command_names();

// The affiliate credential an event concerns, from its command or envelope.
const std::string& credential_of_event(const fb::EventT& event);
// The recorded id a command acts on: consume's order, annul's transaction,
// audit_verdict's SAP; "" otherwise.
const std::string& target_of(const fb::CommandUnion& command);

// One RFC 4180 cell: quoted when it holds a comma, quote or line end. Text
// that a spreadsheet would run as a formula (first character = + - @ tab
// CR) gets a leading apostrophe: request ids and provider ids come from
// clients. Use csv_number() for amounts.
std::string csv_text(std::string_view text);
inline std::string csv_number(std::string text) {
  return text;
}
// Cells joined by commas, with a line end.
std::string csv_line(const std::vector<std::string>& cells);

}  // namespace autoriza
