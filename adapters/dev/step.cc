#include "adapters/dev/step.h"

namespace autoriza {

bool is_step_line(std::string_view line) {
  const size_t first = line.find_first_not_of(" \t\r");
  return first != std::string_view::npos && line[first] != '#';
}

namespace {

// A string member, "" when absent; false when present with another type.
bool string_member(const Json& s, const char* key, std::string* out) {
  auto it = s.find(key);
  if (it == s.end()) return true;
  if (!it->is_string()) return false;
  *out = it->get<std::string>();
  return true;
}

}  // namespace

Status parse_step(std::string_view line, const std::string& default_id, ScenarioStep* out) {
  AUTORIZA_CHECK(out != nullptr);
  Json s;
  if (Status st = parse_json(line, &s); !st) return Status::invalid("step is not JSON: " + st.message(), st.field());
  if (!s.is_object()) return Status::invalid("step is not a JSON object");
  out->id = default_id;
  std::string at;
  if (!string_member(s, "step", &out->id) || !string_member(s, "command", &out->command) || !string_member(s, "at", &at)) {
    return Status::invalid("step, command and at must be strings");
  }
  const auto instant = parse_instant(at);
  if (out->command.empty() || !instant) return Status::invalid("step needs command and an ISO-8601 'at'");
  out->at = *instant;
  out->body = s.contains("body") ? s["body"] : Json::object();
  out->expect = s.contains("expect") ? s["expect"] : Json::object();
  return Status::ok();
}

}  // namespace autoriza
