#include "adapters/documents/sidecar.h"

#include <cassert>
#include <charconv>

#include "adapters/documents/documents.h"

namespace autoriza::documents {
namespace {

constexpr std::string_view kHeader = "autoriza-document 1";
constexpr std::string_view kOpsOwner = "-";

// The next space-separated word of *line (consumed with its space).
std::string_view next_word(std::string_view* line) {
  const size_t space = line->find(' ');
  const std::string_view word = line->substr(0, space);
  *line = space == std::string_view::npos ? std::string_view{} : line->substr(space + 1);
  return word;
}

template <typename T>
bool parse_number(std::string_view text, T* out) {
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), *out);
  return ec == std::errc() && end == text.data() + text.size() && !text.empty();
}

// One "owner ID MS [NAME]" line's rest (after "owner ").
bool parse_owner(std::string_view rest, SidecarOwner* out) {
  const std::string_view id = next_word(&rest);
  const std::string_view at = next_word(&rest);
  if (id.empty() || !parse_number(at, &out->at.value)) return false;
  out->id = id == kOpsOwner ? std::string() : std::string(id);
  out->name = std::string(rest);
  return owner_well_formed(out->id);
}

}  // namespace

bool Sidecar::owned_by(std::string_view id) const {
  if (id.empty()) return false;
  for (const SidecarOwner& owner : owners) {
    if (owner.id == id) return true;
  }
  return false;
}

bool Sidecar::add_owner(std::string_view id, Millis at, std::string_view name) {
  assert(owner_well_formed(id));
  for (const SidecarOwner& owner : owners) {
    if (owner.id == id) return false;
  }
  if (owners.size() >= kOwnersMax) return false;
  owners.push_back(SidecarOwner{std::string(id), at, sanitize_name(name)});
  return true;
}

std::string encode_sidecar(const Sidecar& sidecar) {
  assert(!sidecar.type.empty() && sidecar.owners.size() <= kOwnersMax);
  std::string out = std::string(kHeader) + "\n";
  out += "type " + sidecar.type + "\n";
  out += "size " + std::to_string(sidecar.size) + "\n";
  out += "first_at_ms " + std::to_string(sidecar.first_at.value) + "\n";
  for (const SidecarOwner& owner : sidecar.owners) {
    assert(owner.name.find('\n') == std::string::npos);
    out += "owner " + (owner.id.empty() ? std::string(kOpsOwner) : owner.id) + " " + std::to_string(owner.at.value);
    if (!owner.name.empty()) out += " " + owner.name;
    out += "\n";
  }
  return out;
}

Status decode_sidecar(std::string_view text, Sidecar* out) {
  assert(out != nullptr);
  *out = Sidecar{};
  if (!text.starts_with(std::string(kHeader) + "\n")) return Status::corruption("not a document sidecar");
  text.remove_prefix(kHeader.size() + 1);
  bool has_size = false;
  while (!text.empty()) {
    const size_t end = text.find('\n');
    if (end == std::string_view::npos) return Status::corruption("document sidecar: truncated line");
    std::string_view line = text.substr(0, end);
    text.remove_prefix(end + 1);
    const std::string_view key = next_word(&line);
    bool ok = true;
    if (key == "type") {
      out->type = std::string(line);
    } else if (key == "size") {
      ok = has_size = parse_number(line, &out->size);
    } else if (key == "first_at_ms") {
      ok = parse_number(line, &out->first_at.value);
    } else if (key == "owner") {
      SidecarOwner owner;
      ok = parse_owner(line, &owner) && out->owners.size() < kOwnersMax;
      if (ok) out->owners.push_back(std::move(owner));
    }
    if (!ok) return Status::corruption("document sidecar: bad line '" + std::string(key) + "'");
  }
  if (out->type != kPdf && out->type != kJpeg && out->type != kPng) {
    return Status::corruption("document sidecar: no known type");
  }
  if (!has_size) return Status::corruption("document sidecar: no size");
  return Status::ok();
}

}  // namespace autoriza::documents
