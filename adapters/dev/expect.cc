#include "adapters/dev/expect.h"

namespace autoriza {

const Json* resolve_reference(const StepAnswers& answers, std::string_view ref) {
  size_t pos = ref.find_first_of(".[");
  auto it = answers.find(std::string(ref.substr(0, pos)));
  if (it == answers.end()) return nullptr;
  const Json* cur = &it->second;
  while (pos != std::string_view::npos && pos < ref.size()) {
    if (ref[pos] == '.') {
      const size_t end = ref.find_first_of(".[", pos + 1);
      const std::string key(ref.substr(pos + 1, end == std::string_view::npos ? std::string_view::npos : end - pos - 1));
      if (!cur->is_object() || !cur->contains(key)) return nullptr;
      cur = &(*cur)[key];
      pos = end;
    } else {
      const size_t close = ref.find(']', pos);
      if (close == std::string_view::npos) return nullptr;
      const std::string digits(ref.substr(pos + 1, close - pos - 1));
      // At most 9 digits: stoul cannot overflow, and no answer holds a billion entries.
      if (digits.empty() || digits.size() > 9 || digits.find_first_not_of("0123456789") != std::string::npos) return nullptr;
      const size_t index = std::stoul(digits);
      if (!cur->is_array() || index >= cur->size()) return nullptr;
      cur = &(*cur)[index];
      pos = close + 1;
    }
  }
  return cur;
}

bool substitute(Json& value, const StepAnswers& answers, std::string* why) {
  if (value.is_object() || value.is_array()) {
    for (auto& child : value) {
      if (!substitute(child, answers, why)) return false;
    }
    return true;
  }
  if (!value.is_string()) return true;
  const std::string text = value.get<std::string>();
  std::string out;
  size_t pos = 0;
  for (;;) {
    const size_t start = text.find("${", pos);
    if (start == std::string::npos) break;
    const size_t end = text.find('}', start);
    if (end == std::string::npos) break;
    const std::string ref = text.substr(start + 2, end - start - 2);
    const Json* v = resolve_reference(answers, ref);
    if (!v) {
      *why = "unknown reference ${" + ref + "}";
      return false;
    }
    if (start == 0 && end == text.size() - 1) {
      value = *v;  // only a reference: the value as is
      return true;
    }
    out += text.substr(pos, start - pos);
    out += v->is_string() ? v->get<std::string>() : v->dump();
    pos = end + 1;
  }
  if (pos == 0) return true;
  out += text.substr(pos);
  value = out;
  return true;
}

bool subset_match(const Json& expected, const Json& actual, const std::string& path, std::string* why) {
  const std::string here = path.empty() ? "answer" : path;
  if (expected.is_object()) {
    if (!actual.is_object()) {
      *why = here + ": expected an object";
      return false;
    }
    for (auto it = expected.begin(); it != expected.end(); ++it) {
      const std::string child = path.empty() ? it.key() : path + "." + it.key();
      if (!actual.contains(it.key())) {
        *why = child + ": missing";
        return false;
      }
      if (!subset_match(it.value(), actual[it.key()], child, why)) return false;
    }
    return true;
  }
  if (expected.is_array()) {
    if (!actual.is_array() || actual.size() != expected.size()) {
      *why = here + ": expected an array of " + std::to_string(expected.size()) + " entries";
      return false;
    }
    for (size_t i = 0; i < expected.size(); ++i) {
      if (!subset_match(expected[i], actual[i], path + "[" + std::to_string(i) + "]", why)) return false;
    }
    return true;
  }
  if (expected != actual) {
    *why = here + ": expected " + expected.dump() + ", got " + actual.dump();
    return false;
  }
  return true;
}

}  // namespace autoriza
