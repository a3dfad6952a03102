#pragma once
// The HTTP face of a generated command: its path (/v1/<command>) and its
// JSON body exactly as docs/rules.md §5 describes it, written by hand into a
// reused string (no DOM) so that 64 client threads stay cheap.
#include <string>
#include <string_view>

#include "schemas/commands_generated.h"

namespace autoriza::bench {

// Replaces *out with the body of command. Needs command.type != NONE.
void encode_body(const fb::CommandUnion& command, std::string* out);

}  // namespace autoriza::bench
