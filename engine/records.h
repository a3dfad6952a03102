#pragma once
// Packing object-API records to FlatBuffers bytes and back, with verification
// on the way in (stored bytes that do not verify are corruption).
#include <memory>
#include <string>
#include <string_view>

#include "flatbuffers/flatbuffers.h"
#include "status.h"

namespace autoriza {

template <typename NativeT>
std::string pack_record(const NativeT& record) {
  flatbuffers::FlatBufferBuilder builder(256);
  builder.Finish(NativeT::TableType::Pack(builder, &record));
  return std::string(reinterpret_cast<const char*>(builder.GetBufferPointer()), builder.GetSize());
}

template <typename NativeT>
Status unpack_record(std::string_view bytes, NativeT* out) {
  using Table = typename NativeT::TableType;
  flatbuffers::Verifier verifier(reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size());
  if (!verifier.VerifyBuffer<Table>(nullptr)) {
    return Status::corruption("stored record does not verify (" + std::to_string(bytes.size()) + " bytes)");
  }
  flatbuffers::GetRoot<Table>(bytes.data())->UnPackTo(out);
  return Status::ok();
}

}  // namespace autoriza
