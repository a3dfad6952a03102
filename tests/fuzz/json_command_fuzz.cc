// Fuzz target: the JSON command decoder (adapters/codec parse_json +
// decode_command), as POST /v1/<command> runs it.
// Oracles: never throws; every refusal is an invalid-request Status whose
// message and field encode as JSON (no raw input bytes); an accepted body
// re-serialized and decoded again gives the same command.
#include <array>
#include <string_view>

#include "adapters/codec/codec.h"
#include "tests/fuzz/fuzz_targets.h"

namespace autoriza::fuzz {

namespace {

constexpr std::array<std::string_view, 6> kCommandNames = {"eligibility", "authorize",   "consume",
                                                           "annul",       "audit_verdict", "token_issue"};

void check_refusal(const Status& s) {
  AUTORIZA_CHECK(s.kind() == StatusKind::kInvalidRequest);
  AUTORIZA_CHECK(!s.message().empty());
  (void)Json({{"message", s.message()}, {"field", s.field()}}).dump();  // throws on invalid UTF-8
}

}  // namespace

int fuzz_json_command(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  const std::string_view name = kCommandNames[data[0] % kCommandNames.size()];
  const std::string_view body(reinterpret_cast<const char*>(data + 1), size - 1);
  Json json;
  if (Status s = parse_json(body, &json); !s) {
    check_refusal(s);
    AUTORIZA_CHECK(json.is_null());
    return 0;
  }
  fb::CommandUnion command;
  if (Status s = decode_command(name, json, &command); !s) {
    check_refusal(s);
    return 0;
  }
  const std::string first = encode_command(command).dump();
  // What we accepted, written back and read again, is the same command.
  Json again;
  AUTORIZA_CHECK(parse_json(json.dump(), &again).is_ok());
  fb::CommandUnion second;
  AUTORIZA_CHECK(decode_command(name, again, &second).is_ok());
  AUTORIZA_CHECK(encode_command(second).dump() == first);
  return 0;
}

}  // namespace autoriza::fuzz
