#pragma once
// Packing object-API records to FlatBuffers bytes and back, with verification
// on the way in (stored bytes that do not verify are corruption).
#include <memory>
#include <string>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

#include <flatbuffers/flatbuffers.h>
#include "engine/core/status.h"

namespace autoriza {

template <typename NativeT>
std::string pack_record(const NativeT& record) {
  flatbuffers::FlatBufferBuilder builder(256);
  builder.Finish(NativeT::TableType::Pack(builder, &record));
  return std::string(reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize());
}

// FlatBuffers need their buffer aligned (to 8 for 64-bit fields); bytes
// handed out by RocksDB or sliced from a record may not be. Returns bytes,
// or a copy of them in *storage when they are misaligned. Empty bytes are
// returned as they are (nothing to copy; memcpy may not take the null data()
// of an empty vector).
inline std::string_view aligned_bytes(std::string_view bytes, std::vector<uint64_t>* storage) {
  if (bytes.empty() || reinterpret_cast<uintptr_t>(bytes.data()) % alignof(uint64_t) == 0) return bytes;
  storage->assign((bytes.size() + 7) / 8, 0);
  std::memcpy(storage->data(), bytes.data(), bytes.size());
  return std::string_view(reinterpret_cast<const char*>(storage->data()), bytes.size());
}

// The root table of bytes that verify as a Table (read from *storage when
// they had to be aligned: it must outlive the result), or nullptr when they
// do not verify. Bytes from a store, a topic or a socket go through here.
template <typename Table>
const Table* verified_root(std::string_view original, std::vector<uint64_t>* storage) {
  const std::string_view bytes = aligned_bytes(original, storage);
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (!verifier.VerifyBuffer<Table>(nullptr)) return nullptr;
  return flatbuffers::GetRoot<Table>(bytes.data());
}

template <typename NativeT>
Status unpack_record(std::string_view original, NativeT* out) {
  std::vector<uint64_t> storage;
  const auto* root = verified_root<typename NativeT::TableType>(original, &storage);
  if (!root) return Status::corruption("stored record does not verify (" + std::to_string(original.size()) + " bytes)");
  root->UnPackTo(out);
  return Status::ok();
}

}  // namespace autoriza
