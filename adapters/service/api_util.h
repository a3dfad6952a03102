#pragma once
// Small helpers of the JSON/HTTP API handlers: path and query parsing, keys.
#include <string>
#include <string_view>
#include <vector>

#include "adapters/codec/codec.h"
#include "engine/engine.h"
#include "engine/core/secrets.h"

namespace autoriza {

// A session cookie (the portal's, the affiliates' app's): HttpOnly,
// SameSite=Strict, for the whole site; Secure behind TLS; clear: deletes it.
inline std::string session_cookie(std::string_view name, std::string_view token, bool https, bool clear = false) {
  std::string c = std::string(name) + "=" + std::string(token) + "; Path=/; HttpOnly; SameSite=Strict";
  if (clear) c += "; Max-Age=0";
  if (https) c += "; Secure";
  return c;
}

inline std::vector<std::string> split_path(std::string_view path) {
  std::vector<std::string> parts;
  size_t pos = 0;
  while (pos < path.size()) {
    const size_t slash = path.find('/', pos);
    const size_t end = slash == std::string_view::npos ? path.size() : slash;
    if (end > pos) parts.emplace_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return parts;
}

inline std::string query_param(std::string_view target, std::string_view name) {
  const size_t q = target.find('?');
  if (q == std::string_view::npos) return {};
  std::string_view query = target.substr(q + 1);
  while (!query.empty()) {
    const size_t amp = query.find('&');
    const std::string_view pair = query.substr(0, amp);
    if (pair.substr(0, name.size()) == name && pair.size() > name.size() && pair[name.size()] == '=') {
      return std::string(pair.substr(name.size() + 1));
    }
    if (amp == std::string_view::npos) break;
    query.remove_prefix(amp + 1);
  }
  return {};
}

// A query value with its %XX escapes decoded and '+' as a space (a
// malformed escape stays as it is).
inline std::string url_decode(std::string_view s) {
  const auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out.push_back(' ');
    } else if (s[i] == '%' && i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
      out.push_back(char(hex(s[i + 1]) * 16 + hex(s[i + 2])));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

inline std::vector<uint8_t> bytes_of(const std::string& s) { return std::vector<uint8_t>(s.begin(), s.end()); }

// The result of an account command, wherever it was decided: the engine's
// own, or (a Kafka gateway forwards commands) the validator's answer decoded.
// Null when neither is there.
inline std::shared_ptr<const fb::ResultT> result_of(const Outcome& o) {
  if (o.result || o.forwarded_answer.empty()) return o.result;
  auto decoded = std::make_shared<fb::ResultT>();
  Json answer;
  if (!parse_json(o.forwarded_answer, &answer) || !decode_account_result(answer, decoded.get())) return nullptr;
  return decoded;
}

inline const KeyRing* keys_of(Engine& e) {
  const KeyRing* k = e.options().keys.get();
  return k && !k->empty() ? k : nullptr;
}

}  // namespace autoriza
