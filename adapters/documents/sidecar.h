#pragma once
// The sidecar of a stored document (dir/ab/<hash>.meta): what is known of
// it besides its bytes. UTF-8 text, one fact per line, '\n' ends each:
//
//   autoriza-document 1                       format and version, first
//   type application/pdf                      kPdf, kJpeg or kPng
//   size 183204                               bytes
//   first_at_ms 1793624400000                 first upload, UTC milliseconds
//   owner LAB127 1793624400000 orden.pdf      one per owner, in upload order:
//   owner - 1793624460000                     id ("-": ops), first upload by it,
//                                             the file's name then (optional,
//                                             sanitize_name(): the rest of the line)
//
// Lines of other keys are skipped, so a later version may add some.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/clock.h"
#include "engine/core/status.h"

namespace autoriza::documents {

// Owners of one document: every provider of an obra social, with room.
inline constexpr size_t kOwnersMax = 10'000;

struct SidecarOwner {
  std::string id;    // a provider id; empty: ops
  Millis at;         // its first upload of the bytes
  std::string name;  // the file's name it sent, sanitized; may be empty
};

struct Sidecar {
  std::string type;
  uint64_t size = 0;
  Millis first_at;
  std::vector<SidecarOwner> owners;  // at most kOwnersMax

  // Whether id (non-empty) is among the owners.
  bool owned_by(std::string_view id) const;
  // Adds owner id (empty: ops) unless there; whether it was added. Once
  // kOwnersMax owners are listed, later ones are not recorded (false).
  bool add_owner(std::string_view id, Millis at, std::string_view name);
};

std::string encode_sidecar(const Sidecar& sidecar);
// kCorruption when text is not a sidecar (no header, type or size).
Status decode_sidecar(std::string_view text, Sidecar* out);

}  // namespace autoriza::documents
