#pragma once
// JSON <-> commands and answers (docs/rules.md §5). Decoding checks shape and
// syntax only (types, required fields, formats, bounds); business rules are
// the validator's. Every error names the field as a JSON path.
//
// Limits (400 INVALID_REQUEST beyond them; bodies over 64 KiB are refused
// before parsing, see service.h): nesting kJsonDepthMax, ids kIdMax
// characters, texts kTextMax, items kItemsMax, qty 1..kQtyMax, integers must be
// JSON integers within the field's range (1.0, 1e3 and "2" are refused),
// duplicate keys are refused anywhere in the body. Unknown fields are
// ignored (docs/rules.md §4): they are not part of the command,
// so a retry that adds one is the same body for idempotency.
#include <nlohmann/json.hpp>
#include <string_view>

#include "schemas/commands_generated.h"
#include "engine/engine.h"
#include "schemas/results_generated.h"
#include "engine/core/status.h"

namespace autoriza {

using Json = nlohmann::json;

inline constexpr size_t kItemsMax = 50;
inline constexpr int kQtyMax = 1000;
inline constexpr size_t kIdMax = 64;
inline constexpr size_t kTextMax = 1000;
inline constexpr size_t kDiagnosisTextMax = 200;  // a free-text diagnosis ("Enfermedad respiratoria")
inline constexpr int kJsonDepthMax = 16;

// Parses text (UTF-8) as one JSON value (parse.cc). Refuses, as an
// invalid-request Status naming where: bad syntax (with the byte offset),
// bytes that are not UTF-8, nesting deeper than kJsonDepthMax containers, a
// key twice in one object (field = its path), numbers beyond a double.
// NaN and Infinity are not JSON and are refused as syntax. On error *out is null.
Status parse_json(std::string_view text, Json* out);

// Whether a command name is one of docs/rules.md §5.
bool is_command_name(std::string_view name);

// The documents a command attaches (field: its path, "documents"): at most
// kDocumentsMax, each a SHA-256 in lowercase hex, none twice. JSON and the
// binary adapters check them alike.
Status check_documents(const std::vector<std::string>& hashes, const std::string& field);

// Decodes the body of POST /v1/<name>.
Status decode_command(std::string_view name, const Json& body, fb::CommandUnion* out);
// parse_json, then decode_command: the body as received. out may be null
// (only whether it is accepted matters).
Status decode_command_text(std::string_view name, std::string_view text, fb::CommandUnion* out = nullptr);

// The answer of a command (docs/rules.md §4-6).
Json encode_result(fb::Command type, const fb::ResultT& result);
// The same answer as text, byte for byte encode_result(...).dump(), written
// directly (render.cc): what HTTP answers and Kafka replies carry. Strings are
// written as they are (the engine's strings are UTF-8: requests and reference
// data are checked on the way in).
std::string render_result(fb::Command type, const fb::ResultT& result);
void render_result(fb::Command type, const fb::ResultT& result, std::string* out);  // appends
// Whether a command is an account command (card, registration, recovery,
// share, sign-in, change): its answer is encode_result's whole account form.
bool is_account_command(fb::Command type);
// The answer of an account command (card, registration, recovery, share,
// sign-in, change; also a token issue's tokens) back into a result, as
// encode_result wrote it: what a Kafka gateway gets from the validator that
// decided it.
Status decode_account_result(const Json& answer, fb::ResultT* out);
// A command as received (normalized), for transaction views.
Json encode_command(const fb::CommandUnion& command);
// GET /v1/transactions/{id}.
Json encode_transaction(const TransactionView& view);

}  // namespace autoriza
